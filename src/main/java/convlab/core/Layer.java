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
 * <p>An op also says everything else about itself that is pure JDK: its words ({@link #describe}), its backward pass
 * ({@link #backward}), the channels an output reads, its caption and lesson text, and its case-file fields
 * ({@link #write}, with {@link Op#read} reading them back). No code outside the op's own classes switches over the op,
 * but for the engines (one selection per engine) and one registration point.
 *
 * <p>Adding an op touches, and the compiler asks for each: its core classes (this interface's {@code permits}, a
 * class implementing it, with its forward loops, taps, geometry and spec; {@link Describe} has the shared formatting
 * helpers for its words, {@link TapBackward} the rules for a backward pass read off taps); its constant in
 * {@link Op} (its name, {@link Op#fields} and {@link Op#read} are constructor arguments); its engines
 * ({@code convlab.engine}: its classes, one constant each in {@code Nd4jOp} and {@code Dl4jOp}, its
 * {@code layer.json} fields in {@code CommandEngine}); and one registration point, {@code convlab.ops.Ops}, naming
 * its layer class, its sweep ({@code convlab.verify.SweepOp}) and its explainer ({@code convlab.report}), which
 * {@code OpsTest} walks every op through.
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

    // What the op says about itself. Each op answers for itself, so no reader switches over the op.

    /** This layer in words on {@code g}, its own {@link #geometry}: what every report, figure, animation and explain shows. */
    String describe(OpGeometry g);

    /** This layer in words without an input to apply it to (when it cannot apply, so there is no geometry). */
    String describeUnapplied();

    /** dL/dx, dL/dw and dL/db over an NCHW input, given dL/dy of the activated output (NCHW, the output's shape). */
    Gradients backward(Tensor input, Tensor gradOutput);

    /** The input channels output channel {@code oc} reads, on an input of {@code channels} channels. */
    List<Integer> reads(int oc, int channels);

    /** How output map {@code oc} is made from {@code from} ({@code "all 3 channels of the input"}), in a caption's words. */
    String makes(int oc, String from);

    /** Whether every output value is the bias plus the sum of its taps' products, which the lesson page writes out term by term. */
    boolean sumsProducts();

    /** One pre-activation output value as a formula, in the lesson page's notation ({@code out[oc][oh][ow] = } comes before it). */
    String formula();

    /** The words that open this layer's lesson chapter on {@code g}: what one step computes. */
    List<String> intro(OpGeometry g);

    /** This layer's own case-file fields (everything but op, activation, expected and tolerance), in file order. */
    void write(CaseFields.Writer out);

    /** The input channels of output channel {@code oc}'s group: {@code C / groups} of them, in order. */
    static List<Integer> group(int oc, int outputs, int channels, int groups) {
        int group = oc / (outputs / groups);
        List<Integer> list = new ArrayList<>();
        for (int ic = group * (channels / groups); ic < (group + 1) * (channels / groups); ic++) {
            list.add(ic);
        }
        return list;
    }
}
