package convlab.core;

/** How a data tensor's axes are ordered. The core works in NCHW; other layouts convert at the edges. */
public enum Layout {
    NCHW, NHWC;

    /** This layout's tensor as NCHW. */
    public Tensor toNchw(Tensor t) {
        return this == NCHW ? t : t.permute(0, 3, 1, 2);
    }

    /** An NCHW tensor in this layout. */
    public Tensor fromNchw(Tensor t) {
        return this == NCHW ? t : t.permute(0, 2, 3, 1);
    }

    public static Layout parse(String s) {
        return Names.parse(values(), s);
    }
}
