package convlab.core;

/**
 * One term of the reduction that gives an output value: an input cell and the weight it meets. Every op of the
 * family tells its outputs this way ({@link Layer#taps}), so figures, animations, explain and the probe work from
 * taps rather than from one op's loops.
 *
 * @param c       the input channel read (absolute, 0 to C-1)
 * @param ic      the weight's channel index within its group (conv2d: {@code w[oc][ic][kh][kw]}; conv_transpose2d: the
 *                input channel's index within its group, the weight being {@code w[c][oc % (O/groups)][kh][kw]}; 0 for pooling)
 * @param kh      the kernel row
 * @param kw      the kernel column
 * @param ih      the input row, in unpadded coordinates (outside 0..H-1 when the tap reads the padding)
 * @param iw      the input column, likewise
 * @param padding whether the tap reads the padding rather than the input
 * @param x       the input value read (the padding's value for a padded cell)
 * @param w       the weight value; 1 for pooling, which has no weights (so {@link #product()} is the cell's value)
 */
public record Tap(int c, int ic, int kh, int kw, int ih, int iw, boolean padding, double x, double w) {

    public double product() {
        return x * w;
    }

    /** {@code start} plus the sum of the taps' products, in their order: a conv-like op's pre-activation value. */
    public static double sum(double start, java.util.List<Tap> taps) {
        double sum = start;
        for (Tap t : taps) {
            sum += t.product();
        }
        return sum;
    }
}
