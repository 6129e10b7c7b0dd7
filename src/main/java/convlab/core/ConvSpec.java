package convlab.core;

/** Everything about a convolution layer except its weights: how the kernel moves and what follows it. */
public record ConvSpec(Hw stride, Hw dilation, Padding padding, PaddingMode paddingMode, int groups, Activation activation) {

    public ConvSpec {
        if (stride == null || !stride.atLeast(1)) {
            throw new IllegalArgumentException("Expected stride >= 1, but found " + stride);
        }
        if (dilation == null || !dilation.atLeast(1)) {
            throw new IllegalArgumentException("Expected dilation >= 1, but found " + dilation);
        }
        if (groups < 1) {
            throw new IllegalArgumentException("Expected groups >= 1, but found " + groups);
        }
        if (padding == null || paddingMode == null || activation == null) {
            throw new IllegalArgumentException("Expected padding, paddingMode and activation, but found null");
        }
    }

    /** Stride 1, dilation 1, valid padding with zeros, one group, no activation: PyTorch's and Keras's defaults. */
    public static ConvSpec defaults() {
        return new ConvSpec(Hw.of(1), Hw.of(1), Padding.valid(), PaddingMode.ZEROS, 1, Activation.NONE);
    }

    public ConvSpec withStride(Hw s) {
        return new ConvSpec(s, dilation, padding, paddingMode, groups, activation);
    }

    public ConvSpec withDilation(Hw d) {
        return new ConvSpec(stride, d, padding, paddingMode, groups, activation);
    }

    public ConvSpec withPadding(Padding p) {
        return new ConvSpec(stride, dilation, p, paddingMode, groups, activation);
    }

    public ConvSpec withPaddingMode(PaddingMode m) {
        return new ConvSpec(stride, dilation, padding, m, groups, activation);
    }

    public ConvSpec withGroups(int g) {
        return new ConvSpec(stride, dilation, padding, paddingMode, g, activation);
    }

    public ConvSpec withActivation(Activation a) {
        return new ConvSpec(stride, dilation, padding, paddingMode, groups, a);
    }

    @Override
    public String toString() {
        return "ConvSpec(stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + (paddingMode == PaddingMode.ZEROS ? "" : ", paddingMode=" + paddingMode)
                + (groups == 1 ? "" : ", groups=" + groups)
                + (activation == Activation.NONE ? "" : ", activation=" + activation) + ")";
    }
}
