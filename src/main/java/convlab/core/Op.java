package convlab.core;

/**
 * The operations of the convolution family that convlab computes by hand: the one list of op names. A case file's
 * {@code "op"} is one of these; a switch over it (with no default) makes the compiler name every place a new op
 * has not reached yet.
 */
public enum Op {
    /** 2D cross-correlation with filters: {@link Conv2d}. */
    CONV2D("conv2d"),
    /** 2D transposed convolution (the adjoint of conv2d; "deconvolution"): {@link ConvTranspose2d}. */
    CONV_TRANSPOSE2D("conv_transpose2d"),
    /** 2D max pooling, a window per channel: {@link Pool2d}. */
    MAX_POOL2D("max_pool2d"),
    /** 2D average pooling, a window per channel: {@link Pool2d}. */
    AVG_POOL2D("avg_pool2d");

    private final String text;

    Op(String text) {
        this.text = text;
    }

    /** The op with this case-file name; the message lists the known ones. */
    public static Op parse(String s) {
        return Names.parse(values(), s);
    }

    /** The case-file name: {@code conv2d}. */
    @Override
    public String toString() {
        return text;
    }
}
