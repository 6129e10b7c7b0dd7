package convlab.core;

import java.util.Locale;

/** Layers and numbers in words: the one describer behind reports, figures, animations, explain and sweep. */
public final class Describe {

    private Describe() {
    }

    /** A layer of any op in words: what a user reads in every report, figure, animation and explain. */
    public static String layer(OpGeometry g, Layer layer) {
        return layer.describe(g);
    }

    /**
     * {@code transposed: 3 -> 2 channels, 3x3 kernel, stride 2x2, padding 1 (crops top=1 bottom=0 left=1 right=0),
     * output padding 1x1, dilation 1x1, bias, no activation}.
     */
    public static String convTranspose2d(ConvTransposeGeometry g, ConvTransposeLayer layer) {
        ConvTransposeSpec s = layer.spec();
        StringBuilder sb = new StringBuilder("transposed: ");
        sb.append(g.c()).append(" -> ").append(g.o()).append(" channels, ").append(g.kernel()).append(" kernel, stride ")
                .append(s.stride()).append(", padding ").append(s.padding());
        if (!g.pads().isZero() || s.padding().isSame() || s.outputShape() != null) {
            sb.append(" (crops ").append(g.pads()).append(")");
        }
        if (s.outputPadding().h() != 0 || s.outputPadding().w() != 0) {
            sb.append(", output padding ").append(s.outputPadding());
        }
        if (s.outputShape() != null) {
            sb.append(", output shape ").append(s.outputShape());
        }
        return tail(sb, s.dilation(), s.groups(), g.c(), layer.bias() != null, s.activation());
    }

    /**
     * A layer in words without an input to apply it to (when it cannot apply, so there is no geometry):
     * {@code 2 filters of 3x9x9 (C/groups x KH x KW), stride 1x1, ...}, {@code transposed convolution to 2 channels,
     * 3x3 kernel, stride 2x2, ...}, {@code max_pool2d: 2x2 window, stride 2x2, ...}.
     */
    public static String unapplied(Layer layer) {
        return layer.describeUnapplied();
    }

    /** {@code 2 filters of 3x9x9 (C/groups x KH x KW), stride 1x1, ...}. */
    static String unapplied(ConvLayer l) {
        return l.filters() + " filter" + (l.filters() == 1 ? "" : "s") + " of " + l.channelsPerGroup() + "x" + l.kernel().h() + "x"
                + l.kernel().w() + " (C/groups x KH x KW), " + spec(l.spec());
    }

    /** {@code transposed convolution to 2 channels, 3x3 kernel, stride 2x2, ...}. */
    static String unapplied(ConvTransposeLayer t) {
        ConvTransposeSpec s = t.spec();
        return "transposed convolution to " + t.filters() + " channel" + (t.filters() == 1 ? "" : "s") + ", " + t.kernel() + " kernel, stride "
                + s.stride() + ", padding " + s.padding()
                + (s.outputPadding().h() != 0 || s.outputPadding().w() != 0 ? ", output padding " + s.outputPadding() : "")
                + (s.outputShape() == null ? "" : ", output shape " + s.outputShape())
                + ", dilation " + s.dilation() + (s.groups() == 1 ? "" : ", groups " + s.groups())
                + (s.activation() == Activation.NONE ? "" : ", " + s.activation());
    }

    /** {@code max_pool2d: 2x2 window, stride 2x2, ...}. */
    static String unapplied(PoolLayer p) {
        PoolSpec s = p.spec();
        return p.op() + ": " + s.kernel() + " window, stride " + s.stride() + ", padding " + s.padding()
                + (p.isMax() ? ", dilation " + s.dilation() : "") + (s.ceilMode() ? ", ceil mode" : ", floor mode")
                + (s.activation() == Activation.NONE ? "" : ", " + s.activation());
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
        return tail(sb, s.dilation(), s.groups(), g.c(), layer.bias() != null, s.activation());
    }

    /** {@code , dilation 1x1[, groups 3 (depthwise)], bias, relu}: how every conv-like description ends. */
    private static String tail(StringBuilder sb, Hw dilation, int groups, int channels, boolean bias, Activation activation) {
        sb.append(", dilation ").append(dilation);
        if (groups > 1) {
            sb.append(", groups ").append(groups).append(groups == channels ? " (depthwise)" : "");
        }
        sb.append(bias ? ", bias" : ", no bias");
        sb.append(activation == Activation.NONE ? ", no activation" : ", " + activation);
        return sb.toString();
    }

    /** {@code stride 2x2, padding same, dilation 1x1}, then the padding mode, groups and activation when not the default. */
    public static String spec(ConvSpec s) {
        return "stride " + s.stride() + ", padding " + s.padding() + ", dilation " + s.dilation()
                + (s.paddingMode() == PaddingMode.ZEROS ? "" : ", " + s.paddingMode() + " padding")
                + (s.groups() == 1 ? "" : ", groups " + s.groups())
                + (s.activation() == Activation.NONE ? "" : ", " + s.activation());
    }

    /** {@code 3 channels, max pooling 2x2 window, stride 2x2, padding valid, floor mode, no activation}. */
    public static String pool(PoolGeometry g, PoolLayer layer) {
        PoolSpec s = layer.spec();
        StringBuilder sb = new StringBuilder();
        sb.append(g.c()).append(" channel").append(g.c() == 1 ? "" : "s").append(", ").append(layer.isMax() ? "max" : "average")
                .append(" pooling ").append(s.kernel()).append(" window, stride ").append(s.stride()).append(", padding ").append(s.padding());
        if (!g.pads().isZero() || s.padding().isSame()) {
            sb.append(" (").append(g.pads()).append(")");
        }
        if (layer.isMax()) {
            sb.append(", dilation ").append(s.dilation());
        } else if (!g.pads().isZero()) {
            sb.append(s.countIncludePad() ? ", padded cells counted in the divisor" : ", padded cells not counted in the divisor");
        }
        sb.append(s.ceilMode() ? ", ceil mode" : ", floor mode");
        sb.append(s.activation() == Activation.NONE ? ", no activation" : ", " + s.activation());
        return sb.toString();
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
