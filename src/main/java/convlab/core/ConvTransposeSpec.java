package convlab.core;

/**
 * Everything about a transposed convolution layer except its weights: how far apart the input values stamp their
 * kernels ({@code stride}), how spread out each kernel is ({@code dilation}), how the full output is cropped
 * ({@code padding}, {@code outputPadding}, {@code outputShape}), the groups, and what follows.
 *
 * @param stride        rows (columns) between the stamps of neighbouring input values
 * @param dilation      rows (columns) between neighbouring kernel cells
 * @param padding       what is cropped from the full output: explicit sizes (PyTorch/ONNX pads), {@code valid}
 *                      (nothing), or {@code same}/{@code same_lower} (output = input * stride, or outputShape)
 * @param outputPadding rows and columns appended at the bottom and right before cropping (PyTorch's
 *                      {@code output_padding}, Keras's {@code output_padding})
 * @param outputShape   the output's (OH, OW), or null to derive it (TensorFlow's and ONNX's {@code output_shape})
 * @param groups        as PyTorch: input channel {@code c} feeds the output channels of group {@code c / (C/groups)}
 * @param activation    applied after the bias
 */
public record ConvTransposeSpec(Hw stride, Hw dilation, Padding padding, Hw outputPadding, Hw outputShape, int groups,
                                Activation activation) implements WindowSpec {

    public ConvTransposeSpec {
        WindowSpec.requireAtLeast("stride", stride, 1);
        WindowSpec.requireAtLeast("dilation", dilation, 1);
        WindowSpec.requireAtLeast("outputPadding", outputPadding, 0);
        if (outputShape != null && !outputShape.atLeast(1)) {
            throw new IllegalArgumentException("Expected an outputShape of at least 1x1, but found " + outputShape);
        }
        WindowSpec.requireGroups(groups);
        if (padding == null || activation == null) {
            throw new IllegalArgumentException("Expected padding and activation, but found null");
        }
    }

    /** Stride 1, dilation 1, no crop, no output padding, derived output shape, one group, no activation (PyTorch's defaults). */
    public static ConvTransposeSpec defaults() {
        return new ConvTransposeSpec(Hw.of(1), Hw.of(1), Padding.valid(), Hw.of(0), null, 1, Activation.NONE);
    }

    public ConvTransposeSpec withStride(Hw s) {
        return new ConvTransposeSpec(s, dilation, padding, outputPadding, outputShape, groups, activation);
    }

    public ConvTransposeSpec withDilation(Hw d) {
        return new ConvTransposeSpec(stride, d, padding, outputPadding, outputShape, groups, activation);
    }

    public ConvTransposeSpec withPadding(Padding p) {
        return new ConvTransposeSpec(stride, dilation, p, outputPadding, outputShape, groups, activation);
    }

    public ConvTransposeSpec withOutputPadding(Hw op) {
        return new ConvTransposeSpec(stride, dilation, padding, op, outputShape, groups, activation);
    }

    public ConvTransposeSpec withOutputShape(Hw shape) {
        return new ConvTransposeSpec(stride, dilation, padding, outputPadding, shape, groups, activation);
    }

    public ConvTransposeSpec withGroups(int g) {
        return new ConvTransposeSpec(stride, dilation, padding, outputPadding, outputShape, g, activation);
    }

    public ConvTransposeSpec withActivation(Activation a) {
        return new ConvTransposeSpec(stride, dilation, padding, outputPadding, outputShape, groups, a);
    }

    @Override
    public String toString() {
        return "ConvTransposeSpec(stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + (outputPadding.h() == 0 && outputPadding.w() == 0 ? "" : ", outputPadding=" + outputPadding)
                + (outputShape == null ? "" : ", outputShape=" + outputShape)
                + (groups == 1 ? "" : ", groups=" + groups)
                + (activation == Activation.NONE ? "" : ", activation=" + activation) + ")";
    }
}
