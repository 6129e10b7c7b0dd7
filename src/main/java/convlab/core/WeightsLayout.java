package convlab.core;

/**
 * How a weight tensor's axes are ordered. conv2d: OIHW (PyTorch, DL4J's layer) or HWIO (TensorFlow/Keras);
 * conv_transpose2d: IOHW {@code [in, out/groups, kH, kW]} (PyTorch, ONNX, DL4J) or HWOI (TensorFlow/Keras).
 */
public enum WeightsLayout {
    OIHW, HWIO, IOHW, HWOI;

    /** The op whose weights this layout orders. */
    public Op op() {
        return this == OIHW || this == HWIO ? Op.CONV2D : Op.CONV_TRANSPOSE2D;
    }

    /** This layout's weights in its op's core layout (OIHW for conv2d, IOHW for conv_transpose2d). */
    public Tensor toCore(Tensor t) {
        return this == OIHW || this == IOHW ? t : t.permute(3, 2, 0, 1);
    }

    /** Core-layout weights of this layout's op in this layout. */
    public Tensor fromCore(Tensor t) {
        return this == OIHW || this == IOHW ? t : t.permute(2, 3, 1, 0);
    }

    /** This layout's weights as OIHW {@code [O, C/groups, KH, KW]}. */
    public Tensor toOihw(Tensor t) {
        return this == OIHW ? t : t.permute(3, 2, 0, 1);
    }

    /** OIHW weights in this layout. */
    public Tensor fromOihw(Tensor t) {
        return this == OIHW ? t : t.permute(2, 3, 1, 0);
    }

    /**
     * The weight layout that goes with a data layout when a case does not say: NCHW data with OIHW weights (PyTorch,
     * ONNX) and NHWC data with HWIO weights (TensorFlow/Keras); for conv_transpose2d IOHW and HWOI.
     */
    public static WeightsLayout partner(Op op, Layout data) {
        boolean nhwc = data == Layout.NHWC;
        return op == Op.CONV_TRANSPOSE2D ? (nhwc ? HWOI : IOHW) : (nhwc ? HWIO : OIHW);
    }

    /**
     * Why conv2d weights of {@code shape} read as {@code chosen} could also be meant the other way, or null when they
     * could not: both readings give {@code channelsPerGroup} input channels a filter (OIHW has them at axis 1, HWIO at
     * axis 2), and the two readings are different filters.
     */
    public static String ambiguity(int[] shape, WeightsLayout chosen, int channelsPerGroup) {
        if (chosen.op() != Op.CONV2D || shape.length != 4 || shape[1] != channelsPerGroup || shape[2] != channelsPerGroup) {
            return null;
        }
        WeightsLayout other = chosen == OIHW ? HWIO : OIHW;
        return "shape " + shape[0] + "x" + shape[1] + "x" + shape[2] + "x" + shape[3] + " fits both OIHW (" + shape[0] + " filters of "
                + shape[1] + "x" + shape[2] + "x" + shape[3] + ") and HWIO (" + shape[3] + " filters of " + shape[2] + "x" + shape[0] + "x"
                + shape[1] + "); read as " + chosen + ", the default for this layout, not " + other;
    }

    public static WeightsLayout parse(String s) {
        return Names.parse(values(), s);
    }
}
