package convlab.core;

import java.util.List;

/**
 * One transposed convolution layer: weights {@code [C, O/groups, KH, KW]} (IOHW: PyTorch's, ONNX's and DL4J's
 * order), an optional bias {@code [O]}, and its spec. {@code O = groups * weights.dim(1)}.
 */
public record ConvTransposeLayer(Tensor weights, Tensor bias, ConvTransposeSpec spec) implements Layer, WeightedLayer {

    public ConvTransposeLayer {
        if (weights == null || spec == null) {
            throw new IllegalArgumentException("Expected weights and a spec, but found null");
        }
        if (weights.rank() != 4) {
            throw new IllegalArgumentException("Expected weights of rank 4 [C, O/groups, KH, KW], but found shape " + weights.shapeString());
        }
        if (weights.dim(0) % spec.groups() != 0) {
            throw new IllegalArgumentException("Expected the weights' C=" + weights.dim(0) + " input channels ([C, O/groups, KH, KW] = "
                    + weights.shapeString() + ") to split evenly into groups=" + spec.groups());
        }
        long o = (long) weights.dim(1) * spec.groups();
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != o)) {
            throw new IllegalArgumentException("Expected bias of shape " + o + " (one per output channel: groups " + spec.groups()
                    + " x O/groups " + weights.dim(1) + "), but found " + bias.shapeString());
        }
        if (o > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Expected at most 2147483647 output channels, but groups " + spec.groups()
                    + " x O/groups " + weights.dim(1) + " = " + o);
        }
    }

    public ConvTransposeLayer(Tensor weights, Tensor bias) {
        this(weights, bias, ConvTransposeSpec.defaults());
    }

    /** Output channels: groups * O/groups. */
    @Override
    public int filters() {
        return weights.dim(1) * spec.groups();
    }

    /** Input channels C: the weights' first dimension. */
    public int inputChannels() {
        return weights.dim(0);
    }

    /** Input channels per group: C / groups. */
    public int channelsPerGroup() {
        return weights.dim(0) / spec.groups();
    }

    /** Output channels per group: the weights' second dimension. */
    public int outputsPerGroup() {
        return weights.dim(1);
    }

    @Override
    public Op op() {
        return Op.CONV_TRANSPOSE2D;
    }

    @Override
    public ConvTransposeGeometry geometry(int[] inputShape) {
        return ConvTransposeGeometry.of(inputShape, this);
    }

    @Override
    public Output forward(Tensor input) {
        return ConvTranspose2d.forward(input, this);
    }

    @Override
    public List<Tap> taps(Tensor input, int n, int oc, int oh, int ow) {
        return ConvTranspose2d.taps(input, this, n, oc, oh, ow);
    }

    /** The same layer over |x| with |w|, no bias, no activation: the sum over the taps of |x*w| ({@link Layer#magnitudes}). */
    @Override
    public Tensor magnitudes(Tensor input) {
        ConvTransposeLayer abs = new ConvTransposeLayer(weights.map(Math::abs), null, spec.withActivation(Activation.NONE));
        return ConvTranspose2d.forward(input.map(Math::abs), abs).preActivation();
    }

    public ConvTransposeLayer withSpec(ConvTransposeSpec s) {
        return new ConvTransposeLayer(weights, bias, s);
    }

    @Override
    public String toString() {
        return WeightedLayer.describe("ConvTransposeLayer", weights, bias, spec);
    }
}
