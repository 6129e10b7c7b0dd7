package convlab.core;

import java.util.Locale;

/** Layers and numbers in words: the one describer behind reports, figures, animations, explain and sweep. */
public final class Describe {

    private Describe() {
    }

    /** A layer of any op in words: what a user reads in every report, figure, animation and explain. */
    public static String layer(OpGeometry g, Layer layer) {
        return switch (layer.op()) {
            case CONV2D -> conv2d((Geometry) g, (ConvLayer) layer);
        };
    }

    /** {@code 3 -> 2 channels, 3x3 kernel, stride 1x1, padding valid, dilation 1x1, bias, no activation}. */
    public static String conv2d(Geometry g, ConvLayer layer) {
        ConvSpec s = layer.spec();
        StringBuilder sb = new StringBuilder();
        sb.append(g.c()).append(" -> ").append(g.o()).append(" channels, ").append(g.kernel()).append(" kernel, stride ")
                .append(s.stride()).append(", padding ").append(s.padding());
        if (!g.pads().isZero() || s.padding().isSame()) {
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

    /** {@code stride 2x2, padding same, dilation 1x1}, then the padding mode, groups and activation when not the default. */
    public static String spec(ConvSpec s) {
        return "stride " + s.stride() + ", padding " + s.padding() + ", dilation " + s.dilation()
                + (s.paddingMode() == PaddingMode.ZEROS ? "" : ", " + s.paddingMode() + " padding")
                + (s.groups() == 1 ? "" : ", groups " + s.groups())
                + (s.activation() == Activation.NONE ? "" : ", " + s.activation());
    }

    public static String shapes(OpGeometry g) {
        int[] w = g.weightShape();
        return "input " + Tensor.shapeString(g.inputShape()) + (w == null ? "" : ", weights " + Tensor.shapeString(w))
                + ", output " + Tensor.shapeString(g.outputShape()) + " (NCHW" + (w == null ? "" : " / " + g.weightsLayoutName()) + ")";
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
}
