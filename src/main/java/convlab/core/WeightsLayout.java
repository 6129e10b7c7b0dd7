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

    public static WeightsLayout parse(String s) {
        return Names.parse(values(), s);
    }
}
