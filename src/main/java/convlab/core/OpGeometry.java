package convlab.core;

import java.util.List;

/**
 * The shapes of one layer of any op on one input: what it reads, what it writes, its window, and its output-size
 * rule worked through in numbers. {@link Layer#geometry} makes one or says, with the numbers, why it cannot.
 */
public interface OpGeometry {

    Op op();

    /** The input's batch size N, channels C, height H and width W. */
    int n();

    int c();

    int h();

    int w();

    /** {@code [N, C, H, W]}. */
    default int[] inputShape() {
        return new int[] {n(), c(), h(), w()};
    }

    /** {@code [N, O, OH, OW]}. */
    int[] outputShape();

    /** The window: kernel size, its stride and dilation, and the resolved padding of the input. */
    Hw kernel();

    /** The layer's spec: its stride, dilation, padding and activation. */
    WindowSpec spec();

    default Hw stride() {
        return spec().stride();
    }

    default Hw dilation() {
        return spec().dilation();
    }

    Padding.Sides pads();

    /** The output-size rule with this layer's numbers, one line per axis. */
    List<String> explain();

    /**
     * The input as the op reads it, padding included: {@code [N, C, H + top + bottom, W + left + right]} (long: a
     * padding near 2^31 must not wrap). An op whose {@link #pads()} crop its output instead says so by overriding.
     */
    default long[] paddedInputShape() {
        int[] in = inputShape();
        Padding.Sides p = pads();
        return new long[] {in[0], in[1], (long) in[2] + p.top() + p.bottom(), (long) in[3] + p.left() + p.right()};
    }

    /** The weights' shape in the op's core layout, or null for an op without weights. */
    default int[] weightShape() {
        return null;
    }

    /** The name of the op's core weight layout ({@code OIHW} for conv2d), or null without weights. */
    default String weightsLayoutName() {
        return null;
    }

    /** Multiply-adds (or comparisons, for pooling) for the whole batch: one per tap per output value. */
    long multiplyAdds();
}
