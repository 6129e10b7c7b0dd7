package convlab.report;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.Geometry;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.verify.Comparison;
import java.util.Locale;

/** Configurations and numbers in words, shared by every report format. */
public final class Describe {

    private Describe() {
    }

    /** {@code 3 -> 2 channels, 3x3 kernel, stride 1x1, padding valid, dilation 1x1, bias, no activation}. */
    public static String layer(Geometry g, ConvLayer layer) {
        ConvSpec s = layer.spec();
        StringBuilder sb = new StringBuilder();
        sb.append(g.c()).append(" -> ").append(g.o()).append(" channels, ").append(g.kernel()).append(" kernel, stride ")
                .append(s.stride()).append(", padding ").append(s.padding());
        if (!g.pads().isZero() || s.padding().kind() == convlab.core.Padding.Kind.SAME) {
            sb.append(" (").append(g.pads()).append(")");
        }
        if (s.paddingMode() != PaddingMode.ZEROS) {
            sb.append(" with ").append(s.paddingMode()).append(" padding");
        }
        sb.append(", dilation ").append(s.dilation());
        if (s.groups() > 1) {
            sb.append(", groups ").append(s.groups()).append(s.groups() == g.c() ? " (depthwise)" : "");
        }
        sb.append(layer.bias() == null ? ", no bias" : ", bias");
        sb.append(s.activation() == Activation.NONE ? ", no activation" : ", " + s.activation());
        return sb.toString();
    }

    public static String shapes(Geometry g) {
        return "input " + Tensor.shapeString(g.inputShape()) + ", weights " + Tensor.shapeString(g.weightShape())
                + ", output " + Tensor.shapeString(g.outputShape()) + " (NCHW / OIHW)";
    }

    /** A number in three significant digits, or 0. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    public static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    /** {@code OK (max |diff| 1.2e-16)} or {@code NOT OK: 3 of 72 differ, max |diff| 0.5 at (0, 1, 2, 3)}. */
    public static String comparison(Comparison c) {
        if (c == null) {
            return "";
        }
        return c.summary();
    }
}
