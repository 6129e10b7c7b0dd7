package convlab.engine;

import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Layer;
import convlab.core.OpGeometry;
import convlab.core.Padding;
import convlab.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's layer API: a {@link MultiLayerNetwork} with one {@link ConvolutionLayer} per convlab layer (NCHW input type,
 * {@code ConvolutionMode.Same} for {@code same}, else {@code Truncate} with the layer's symmetric padding, the layer's
 * activation, {@code hasBias(false)} for layers without bias), network data type float64 for float64 input and
 * float32 otherwise, weights set through the parameter table ({@code W} as {@code [O, C, KH, KW]}, {@code b} as
 * {@code [O]}), then {@code feedForward(input, false)} once for every layer's activations.
 *
 * <p>Depthwise layers (groups = C) are {@code DepthwiseConvolution2D}s, their {@code W} set as
 * {@code [KH, KW, C, multiplier]}. What DL4J cannot express is {@link LayerRun.Status#UNSUPPORTED} rather than
 * composed: other groups, asymmetric padding, and padding modes other than zeros when the layer pads at all. The network holds the
 * layers before the first unsupported one; later layers are not run. ND4J's platform helpers are left on (ND4J's
 * default); DL4J 1.0.0-M2.1 attaches no oneDNN helper to its layers, which each run's notes report.
 *
 * <p>Pooling layers join the same network as {@code SubsamplingLayer}s (plus an {@code ActivationLayer} when they
 * have an activation), so a conv, pool, conv stack is one network and one feedForward: see {@link Dl4jPooling}.
 */
final class Dl4jEngine extends GuardedEngine {

    @Override
    public String name() {
        return "dl4j";
    }

    @Override
    public String description() {
        return "DL4J MultiLayerNetwork of ConvolutionLayers (Deconvolution2D for conv_transpose2d; NCHW), weights set through the parameter table, feedForward in inference mode";
    }

    @Override
    List<LayerRun> runChecked(Tensor input, List<? extends Layer> layers) {
        LayerRun[] runs = new LayerRun[layers.size()];
        if (input.rank() != 4) {
            return Nd4jRuntime.allFailed(layers, "Expected an input of rank 4 [N, C, H, W], but found shape " + input.shapeString());
        }
        Plan plan = plan(input, layers);
        int supported = plan.supported();
        String why = plan.why();
        List<Padding.Sides> pads = plan.pads();
        for (int i = supported; i < runs.length; i++) {
            runs[i] = LayerRun.unsupported(i == supported ? why : "not run: layer " + (supported + 1) + " is unsupported");
        }
        if (supported > 0) {
            List<LayerRun> done = runNetwork(input, layers.subList(0, supported), pads);
            for (int i = 0; i < supported; i++) {
                runs[i] = done.get(i);
            }
        }
        return List.of(runs);
    }

    /** How many leading layers DL4J can express ({@code why} not, for the next one), and their resolved padding. */
    record Plan(int supported, String why, List<Padding.Sides> pads) {
    }

    /** Decides which leading layers DL4J can express, following the spatial size through the stack. */
    static Plan plan(Tensor input, List<? extends Layer> layers) {
        int supported = layers.size();
        String why = null;
        int[] shape = input.shape();
        List<Padding.Sides> pads = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            try {
                why = Dl4jOp.of(layer).unsupportedBecause(layer, shape);
            } catch (Geometry.ShapeException e) {
                why = null; // the reference rejects this layer; DL4J is still asked, and what it says is the finding
            }
            if (why != null) {
                supported = i;
                break;
            }
            try {
                OpGeometry g = layer.geometry(shape);
                pads.add(g.pads());
                shape = g.outputShape();
            } catch (Geometry.ShapeException e) {
                // the reference rejects this layer; DL4J is still asked, and what it says is the finding
                pads.add(Dl4jOp.of(layer).padsOf(layer, shape));
            }
        }
        return new Plan(supported, why, pads);
    }

    @Override
    List<GradRun> backwardChecked(Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
        return Dl4jBackward.run(input, layers, gradOutput);
    }

    /** Why {@code ConvolutionLayer} cannot take this layer on an input of {@code h x w}, or null when it can. */
    static String unsupportedBecause(ConvLayer layer, int h, int w) {
        ConvSpec s = layer.spec();
        if (s.groups() > 1 && !isDepthwise(layer)) {
            return "DL4J has ConvolutionLayer (groups=1) and DepthwiseConvolution2D (groups = input channels), but found groups="
                    + s.groups() + " with " + layer.channelsPerGroup() + " input channels per group";
        }
        Padding padding = s.padding();
        Padding.Sides sides = Geometry.pads(layer, h, w);
        if (!padding.equals(Padding.same()) && !sides.isSymmetric()) {
            return "DL4J ConvolutionLayer pads symmetrically (one size for top and bottom, one for left and right; ConvolutionMode.Same"
                    + " puts an odd pixel bottom/right), but found padding " + padding + (padding.isSame() ? " (" + sides + ")" : "");
        }
        if (s.paddingMode() != convlab.core.PaddingMode.ZEROS && !sides.isZero()) {
            return "DL4J ConvolutionLayer pads with zeros only, but found paddingMode=" + s.paddingMode() + " with padding " + padding;
        }
        return null;
    }

    /** Runs layers that {@link #unsupportedBecause} accepted: one network, one feedForward. */
    private static List<LayerRun> runNetwork(Tensor input, List<? extends Layer> layers, List<Padding.Sides> pads) {
        DType computeIn = input.dtype();
        DataType type = Nd4jRuntime.nd4jType(computeIn);
        int n = layers.size();
        return Nd4jRuntime.withHelpers(true, () -> {
            List<LayerRun> runs = new ArrayList<>();
            long t0 = System.nanoTime();
            try {
                int[] first = new int[n]; // the network layer each convlab layer starts at
                int[] last = new int[n]; // and the one whose activation is its output
                MultiLayerNetwork net = build(input, layers, pads, type, first, last);
                INDArray x = Nd4jRuntime.toNd4j(input, type);
                long f0 = System.nanoTime();
                List<INDArray> acts = net.feedForward(x, false);
                long nanos = System.nanoTime() - f0;
                if (acts.size() != last[n - 1] + 2) {
                    throw new IllegalStateException("Expected feedForward to return the input and " + (last[n - 1] + 1)
                            + " layer activations, but found " + acts.size() + " arrays");
                }
                for (int i = 0; i < n; i++) {
                    List<String> notes = new ArrayList<>(Dl4jOp.of(layers.get(i)).notes(layers.get(i), pads.get(i)));
                    LayerHelper helper = net.getLayer(first[i]).getHelper();
                    notes.add(helper == null
                            ? "no layer helper attached (DL4J's built-in implementation; no oneDNN)"
                            : "layer helper " + helper.getClass().getSimpleName());
                    if (n > 1) {
                        notes.add("DL4J ran the " + n + " layers in one feedForward of " + (nanos / 1000)
                                + " us; nanos is that time split evenly");
                    }
                    runs.add(LayerRun.ok(Nd4jRuntime.toTensor(acts.get(last[i] + 1), computeIn), computeIn, notes, nanos / n));
                }
            } catch (Throwable e) {
                long nanos = System.nanoTime() - t0;
                runs.clear();
                if (n > 1) {
                    // DL4J's messages rarely name the layer: find it by running the network without the last layer.
                    List<LayerRun> prefix = runNetwork(input, layers.subList(0, n - 1), pads);
                    runs.addAll(prefix);
                    int failed = 0;
                    for (int i = 0; i < prefix.size() && failed == 0; i++) {
                        failed = prefix.get(i).status() == LayerRun.Status.OK ? 0 : i + 1;
                    }
                    runs.add(failed == 0 ? LayerRun.error(Nd4jRuntime.message(e), nanos) : LayerRun.error("not run: layer " + failed + " failed", 0));
                } else {
                    runs.add(LayerRun.error(Nd4jRuntime.message(e), nanos));
                }
            }
            return runs;
        });
    }

    /** How a conv2d layer was expressed: its convolution mode and padding, and depthwise when it is. */
    static List<String> notes(ConvLayer layer, Padding.Sides pads) {
        ConvSpec s = layer.spec();
        List<String> notes = new ArrayList<>();
        notes.add(s.padding().equals(Padding.same())
                ? "ConvolutionMode.Same"
                : "ConvolutionMode.Truncate, padding (" + pads.top() + ", " + pads.left() + ")"
                + (s.padding().isSame() ? ": " + s.padding() + " resolved by convlab" : ""));
        if (isDepthwise(layer)) {
            notes.add("groups=" + s.groups() + " as DepthwiseConvolution2D (depth multiplier "
                    + layer.filters() / s.groups() + "), W set as [KH, KW, C, multiplier]");
        }
        return notes;
    }

    /**
     * One network for the stack; {@code first[i]} and {@code last[i]} receive the network layers convlab layer i
     * became (a pooling layer with an activation is two).
     */
    static MultiLayerNetwork build(Tensor input, List<? extends Layer> layers, List<Padding.Sides> pads, DataType type,
            int[] first, int[] last) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(type).seed(0).list();
        int next = 0;
        for (int i = 0; i < layers.size(); i++) {
            first[i] = next;
            for (org.deeplearning4j.nn.conf.layers.Layer l : Dl4jOp.of(layers.get(i)).layers(layers.get(i), pads.get(i))) {
                list.layer(next++, l);
            }
            last[i] = next - 1;
        }
        MultiLayerConfiguration conf = list
                .setInputType(InputType.convolutional(input.dim(2), input.dim(3), input.dim(1), CNN2DFormat.NCHW))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int k = 0; k < layers.size(); k++) {
            Layer layer = layers.get(k);
            if (layer.weights() == null) {
                continue;
            }
            int i = first[k];
            Tensor weights = Dl4jOp.of(layer).paramW(layer);
            // setParam does not check shapes (it copies a [2, 4, 3, 3] array into a [2, 3, 3, 3] parameter without a
            // word), and setInputType replaces nIn with the channels it derives: check here, or DL4J would run on
            // part of the weights.
            long[] wShape = net.getLayer(i).getParam("W").shape();
            long[] expected = Arrays.stream(weights.shape()).asLongStream().toArray();
            if (!Arrays.equals(wShape, expected)) {
                throw new IllegalArgumentException("Expected DL4J's W parameter of layer " + (k + 1) + " to have the weights' shape "
                        + Arrays.toString(expected) + ", but DL4J built it as " + Arrays.toString(wShape)
                        + " from the channels it derived from the input");
            }
            net.getLayer(i).setParam("W", Nd4jRuntime.toNd4j(weights, type));
            if (layer.bias() != null) {
                INDArray b = Nd4jRuntime.toNd4j(layer.bias(), type);
                long[] shape = net.getLayer(i).getParam("b").shape();
                net.getLayer(i).setParam("b", b.reshape(shape));
            }
        }
        return net;
    }

    /** A conv2d layer as {@code ConvolutionLayer}, or {@code DepthwiseConvolution2D} for groups = C, padded by {@code pads}. */
    static org.deeplearning4j.nn.conf.layers.Layer configure(ConvLayer layer, Padding.Sides pads) {
        ConvSpec s = layer.spec();
        boolean same = s.padding().equals(Padding.same());
        int[] kernel = {layer.kernel().h(), layer.kernel().w()};
        int[] stride = {s.stride().h(), s.stride().w()};
        int[] padding = {same ? 0 : pads.top(), same ? 0 : pads.left()};
        ConvolutionMode mode = same ? ConvolutionMode.Same : ConvolutionMode.Truncate;
        ConvolutionLayer.BaseConvBuilder<?> b = isDepthwise(layer)
                ? new DepthwiseConvolution2D.Builder(kernel, stride, padding).depthMultiplier(layer.filters() / s.groups()).nIn(s.groups())
                : new ConvolutionLayer.Builder(kernel, stride, padding).nIn(layer.channelsPerGroup());
        return b.nOut(layer.filters())
                .dilation(s.dilation().h(), s.dilation().w())
                .convolutionMode(mode)
                .hasBias(layer.bias() != null)
                .activation(activation(s.activation()))
                .build();
    }

    /** Depthwise: one input channel per group, groups = C (with a channel multiplier when O = k*C). */
    static boolean isDepthwise(ConvLayer layer) {
        return layer.spec().groups() > 1 && layer.channelsPerGroup() == 1;
    }

    /**
     * The weights in the layout of DL4J's {@code W} parameter: {@code [O, C, KH, KW]} for ConvolutionLayer;
     * {@code [KH, KW, C, m]} for DepthwiseConvolution2D, where filter {@code c*m + j} (PyTorch's order for groups = C)
     * is DL4J's {@code W[.][.][c][j]}.
     */
    static Tensor paramW(ConvLayer layer) {
        if (!isDepthwise(layer)) {
            return layer.weights();
        }
        Tensor w = layer.weights();
        int c = layer.spec().groups();
        int m = layer.filters() / c;
        return Tensor.fill(w.dtype(), new int[] {layer.kernel().h(), layer.kernel().w(), c, m},
                i -> w.get(i[2] * m + i[3], 0, i[0], i[1]));
    }

    static Activation activation(convlab.core.Activation a) {
        return switch (a) {
            case NONE -> Activation.IDENTITY;
            case RELU -> Activation.RELU;
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
        };
    }
}
