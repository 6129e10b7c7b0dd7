package convlab.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One layer of the convolution family: each output value is a reduction over a list of {@link Tap}s, each an input
 * cell paired with a weight cell. An op offers three views of itself that must agree: its formula-shaped
 * {@link #forward} loops, its {@link #geometry} (the output-size rule, and why a configuration is impossible), and
 * {@link #taps} with {@link #reduce}, the terms of one output value and how they combine. Everything outside
 * {@code core} (engines, figures, animations, explain, the probe) works from these.
 *
 * <p>Adding an op: its class here (listed in {@code permits}), its constant in {@link Op}, its case-file fields in
 * {@code convlab.io.CaseFiles}, and its engines; the compiler points at every exhaustive {@code switch (op())}.
 */
public sealed interface Layer permits ConvLayer, ConvTransposeLayer, PoolLayer, WeightedLayer {

    Op op();

    /** The shapes on an input of this shape; throws {@link Geometry.ShapeException} saying why it cannot apply. */
    OpGeometry geometry(int[] inputShape);

    /** The layer over an NCHW input, in float64: before and after the activation. */
    Output forward(Tensor input);

    /** Every term output {@code [n][oc][oh][ow]} reduces, in the order of the formula. */
    List<Tap> taps(Tensor input, int n, int oc, int oh, int ow);

    /** The pre-activation value of output channel {@code oc} from its taps: what {@link #forward} computes there. */
    double reduce(List<Tap> taps, int oc);

    Activation activation();

    /** The weights in the op's core layout, or null for an op without weights. */
    Tensor weights();

    /** The bias {@code [O]}, or null. */
    Tensor bias();

    /**
     * Per output element, the sum of the magnitudes of its terms (|x*w| over the taps; the bias aside): the scale of
     * the rounding error a float computation of that element may make. Same shape as the output. Also used on a
     * difference tensor, to bound how far an error in this layer's input moves its output.
     */
    Tensor magnitudes(Tensor input);

    /** A stack: layer k+1 takes layer k's activated output. Returns every layer's output. */
    static List<Output> forwardAll(Tensor input, List<? extends Layer> layers) {
        List<Output> outputs = new ArrayList<>();
        Tensor x = input;
        for (Layer layer : layers) {
            Output o = layer.forward(x);
            outputs.add(o);
            x = o.activated();
        }
        return outputs;
    }

    /** The output channels this layer gives on an input of {@code channels} channels (filters, or C for pooling). */
    int outputChannels(int channels);
}
