package convlab.core;

/**
 * One convolution layer: weights {@code [O, C/groups, KH, KW]} (OIHW), an optional bias {@code [O]}, and its spec.
 */
public record ConvLayer(Tensor weights, Tensor bias, ConvSpec spec) {

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
    public int filters() {
        return weights.dim(0);
    }

    /** Input channels each filter sees: C / groups. */
    public int channelsPerGroup() {
        return weights.dim(1);
    }

    public Hw kernel() {
        return new Hw(weights.dim(2), weights.dim(3));
    }

    public double bias(int oc) {
        return bias == null ? 0.0 : bias.get(oc);
    }

    public ConvLayer withSpec(ConvSpec s) {
        return new ConvLayer(weights, bias, s);
    }

    @Override
    public String toString() {
        return "ConvLayer(weights=" + weights.shapeString() + ", bias=" + (bias == null ? "none" : bias.shapeString()) + ", " + spec + ")";
    }
}
