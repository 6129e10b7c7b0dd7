package convlab.core;

/** How a weight tensor's axes are ordered: OIHW (PyTorch, DL4J's layer) or HWIO (TensorFlow/Keras). */
public enum WeightsLayout {
    OIHW, HWIO;

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
