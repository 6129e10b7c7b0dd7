package convlab.core;

/** Everything about a convolution layer except its weights: how the kernel moves and what follows it. */
public record ConvSpec(Hw stride, Hw dilation, Padding padding, PaddingMode paddingMode, int groups, Activation activation)
        implements WindowSpec {

    public ConvSpec {
        WindowSpec.requireAtLeast("stride", stride, 1);
        WindowSpec.requireAtLeast("dilation", dilation, 1);
        WindowSpec.requireGroups(groups);
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
