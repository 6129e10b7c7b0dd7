package convlab.core;

import java.util.List;

/**
 * One convolution layer: weights {@code [O, C/groups, KH, KW]} (OIHW), an optional bias {@code [O]}, and its spec.
 */
public record ConvLayer(Tensor weights, Tensor bias, ConvSpec spec) implements Layer, WeightedLayer {

    public ConvLayer {
        if (weights == null || spec == null) {
            throw new IllegalArgumentException("Expected weights and a spec, but found null");
        }
        if (weights.rank() != 4) {
            throw new IllegalArgumentException("Expected weights of rank 4 [O, C/groups, KH, KW], but found shape " + weights.shapeString());
        }
        int o = weights.dim(0);
        if (o % spec.groups() != 0) {
            throw new IllegalArgumentException("Expected the " + o + " filters to split evenly into groups=" + spec.groups());
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != o)) {
            throw new IllegalArgumentException("Expected bias of shape " + o + " (one per filter), but found " + bias.shapeString());
        }
    }

    public ConvLayer(Tensor weights, Tensor bias) {
        this(weights, bias, ConvSpec.defaults());
    }

    /** Number of filters, which is the number of output channels. */
    @Override
    public int filters() {
        return weights.dim(0);
    }

    /** Input channels each filter sees: C / groups. */
    public int channelsPerGroup() {
        return weights.dim(1);
    }

    @Override
    public Op op() {
        return Op.CONV2D;
    }

    @Override
    public Geometry geometry(int[] inputShape) {
        return Geometry.of(inputShape, this);
    }

    /** Layers of more multiply-adds than this run through {@link Conv2dFast}, bit for bit the same as {@link Conv2d}. */
    static final long FAST_ABOVE = 200_000;

    /** The layer's output: {@link Conv2d}'s formula loops, or for a large layer {@link Conv2dFast}, which equals them bit for bit. */
    @Override
    public Output forward(Tensor input) {
        Geometry g = Geometry.of(input.shape(), this);
        return g.multiplyAdds() > FAST_ABOVE ? Conv2dFast.forward(input, this) : Conv2d.forward(input, this);
    }

    @Override
    public List<Tap> taps(Tensor input, int n, int oc, int oh, int ow) {
        return Conv2d.taps(input, this, n, oc, oh, ow);
    }

    /** The same layer over |x| with |w|, no bias, no activation: the sum over the taps of |x*w|. */
    @Override
    public Tensor magnitudes(Tensor input) {
        ConvSpec linear = spec.withActivation(Activation.NONE);
        return new ConvLayer(weights.map(Math::abs), null, linear).forward(input.map(Math::abs)).preActivation();
    }

    public ConvLayer withSpec(ConvSpec s) {
        return new ConvLayer(weights, bias, s);
    }

    @Override
    public String toString() {
        return WeightedLayer.describe("ConvLayer", weights, bias, spec);
    }
}
