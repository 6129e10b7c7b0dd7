package convlab.core;

import java.util.List;

/**
 * What the layers with weights and a bias share (conv2d and conv_transpose2d): the kernel is the weights' last two
 * dimensions, each output channel adds its bias to the sum of its taps' products, and the output has
 * {@link #filters()} channels whatever the input has.
 */
public sealed interface WeightedLayer extends Layer permits ConvLayer, ConvTransposeLayer {

    /** Output channels. */
    int filters();

    /** How the kernel moves, the padding, and the activation. */
    WindowSpec spec();

    @Override
    default Activation activation() {
        return spec().activation();
    }

    default Hw kernel() {
        return new Hw(weights().dim(2), weights().dim(3));
    }

    /** Output channel {@code oc}'s bias, 0 without one. */
    default double bias(int oc) {
        return bias() == null ? 0.0 : bias().get(oc);
    }

    /** The bias plus the sum of the taps' products. */
    @Override
    default double reduce(List<Tap> taps, int oc) {
        return Tap.sum(bias(oc), taps);
    }

    @Override
    default int outputChannels(int channels) {
        return filters();
    }

    /** {@code NAME(weights=[..], bias=[..] or none, SPEC)}: a layer's {@code toString}, as its constructor call reads. */
    static String describe(String name, Tensor weights, Tensor bias, Object spec) {
        return name + "(weights=" + weights.shapeString() + ", bias=" + (bias == null ? "none" : bias.shapeString()) + ", " + spec + ")";
    }
}
