package convlab.core;

/**
 * Everything about a pooling layer: its window (kernel, dilation), how it moves (stride, padding), how the output
 * size rounds (floor, or PyTorch's ceil mode), what average pooling divides by, and what follows it.
 *
 * @param countIncludePad average pooling only: whether the divisor counts padded cells (PyTorch's
 *                        {@code count_include_pad}, default true); meaningless for max pooling
 */
public record PoolSpec(Hw kernel, Hw stride, Padding padding, Hw dilation, boolean ceilMode, boolean countIncludePad, Activation activation)
        implements WindowSpec {

    public PoolSpec {
        if (kernel == null || !kernel.atLeast(1)) {
            throw new IllegalArgumentException("Expected a pooling kernel of at least 1x1, but found " + kernel);
        }
        WindowSpec.requireAtLeast("stride", stride, 1);
        WindowSpec.requireAtLeast("dilation", dilation, 1);
        if (padding == null || activation == null) {
            throw new IllegalArgumentException("Expected padding and activation, but found null");
        }
    }

    /** PyTorch's defaults for a window of this size: stride = the kernel, no padding, dilation 1, floor, count padding. */
    public static PoolSpec of(Hw kernel) {
        return new PoolSpec(kernel, kernel, Padding.valid(), Hw.of(1), false, true, Activation.NONE);
    }

    public PoolSpec withStride(Hw s) {
        return new PoolSpec(kernel, s, padding, dilation, ceilMode, countIncludePad, activation);
    }

    public PoolSpec withPadding(Padding p) {
        return new PoolSpec(kernel, stride, p, dilation, ceilMode, countIncludePad, activation);
    }

    public PoolSpec withDilation(Hw d) {
        return new PoolSpec(kernel, stride, padding, d, ceilMode, countIncludePad, activation);
    }

    public PoolSpec withCeilMode(boolean c) {
        return new PoolSpec(kernel, stride, padding, dilation, c, countIncludePad, activation);
    }

    public PoolSpec withCountIncludePad(boolean c) {
        return new PoolSpec(kernel, stride, padding, dilation, ceilMode, c, activation);
    }

    public PoolSpec withActivation(Activation a) {
        return new PoolSpec(kernel, stride, padding, dilation, ceilMode, countIncludePad, a);
    }

    @Override
    public String toString() {
        return "PoolSpec(kernel=" + kernel + ", stride=" + stride + ", padding=" + padding
                + (dilation.atLeast(2) || dilation.h() != dilation.w() ? ", dilation=" + dilation : "")
                + (ceilMode ? ", ceilMode" : "") + (countIncludePad ? "" : ", excludePad")
                + (activation == Activation.NONE ? "" : ", activation=" + activation) + ")";
    }
}
