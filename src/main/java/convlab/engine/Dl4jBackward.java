package convlab.engine;

import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Gradients;
import convlab.core.Layer;
import convlab.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The backward pass of {@link Dl4jEngine}: the same {@link MultiLayerNetwork} (weights set through the parameter
 * table, gradient views initialised), each layer's {@code activate(input, training=true)} in order so that it keeps
 * its input, then {@code backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces())} layer by layer from the last
 * with {@code epsilon = dL/dy}: each returns the {@code W} and {@code b} gradients and the epsilon for the layer
 * below, which is the gradient for this layer's input (a depthwise layer's {@code W} gradient comes in
 * {@code DepthwiseConvolution2D}'s layout and is read back as OIHW; {@code Deconvolution2D}'s is {@code [C, O, KH, KW]},
 * IOHW as the core's). A pooling layer is its {@code SubsamplingLayer} (no parameters: dL/dx alone), followed by its
 * {@code ActivationLayer} when it has an activation, so both backpropagate, the activation first. Every layer must
 * be one DL4J can express (the gradient of any layer needs every layer above it); otherwise all are
 * {@code unsupported}.
 */
final class Dl4jBackward {

    private Dl4jBackward() {
    }

    /** The W gradient in OIHW: as it is for ConvolutionLayer; the inverse of {@link Dl4jEngine#paramW} for a depthwise layer. */
    static Tensor oihw(ConvLayer layer, Tensor gw) {
        if (!Dl4jEngine.isDepthwise(layer)) {
            return gw;
        }
        int m = layer.filters() / layer.spec().groups();
        return Tensor.fill(gw.dtype(), layer.weights().shape(), i -> gw.get(i[2], i[3], i[0] / m, i[0] % m));
    }

    static List<GradRun> run(Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
        int n = layers.size();
        FrameworkInfo info = Nd4jRuntime.start();
        if (!info.started()) {
            return GradRun.allFailed(n, n - 1, "ND4J did not start: " + info.startError());
        }
        if (input.rank() != 4) {
            return GradRun.allFailed(n, n - 1, "Expected an input of rank 4 [N, C, H, W], but found shape " + input.shapeString());
        }
        Dl4jEngine.Plan plan = Dl4jEngine.plan(input, layers);
        if (plan.supported() < n) {
            return GradRun.allUnsupported(n, plan.supported(), plan.why());
        }
        DType computeIn = input.dtype();
        DataType type = Nd4jRuntime.nd4jType(computeIn);
        return Nd4jRuntime.withHelpers(true, () -> {
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            MultiLayerNetwork net;
            int[] first = new int[n]; // the network layer each convlab layer starts at
            int[] last = new int[n]; // and the one whose activation is its output (a pooling layer with an activation is two)
            try {
                Nd4jBackward.refuseEmpty(Nd4jRuntime.toNd4j(input, type), "the input");
                net = Dl4jEngine.build(input, layers, plan.pads(), type, first, last);
                net.initGradientsView();
                INDArray a = Nd4jRuntime.toNd4j(input, type);
                for (int j = 0; j <= last[n - 1]; j++) {
                    a = net.getLayer(j).activate(a, true, mgr);
                }
            } catch (Throwable e) {
                return GradRun.allFailed(n, n - 1, "forward pass: " + Nd4jRuntime.message(e));
            }
            GradRun[] runs = new GradRun[n];
            INDArray eps = Nd4jRuntime.toNd4j(gradOutput, type);
            for (int k = n - 1; k >= 0; k--) {
                long t0 = System.nanoTime();
                try {
                    Nd4jBackward.refuseEmpty(eps, "the output gradient of layer " + (k + 1));
                    List<String> notes = new ArrayList<>();
                    Gradient grad = null;
                    for (int j = last[k]; j >= first[k]; j--) {
                        Pair<Gradient, INDArray> p = net.getLayer(j).backpropGradient(eps, mgr);
                        grad = p.getFirst();
                        eps = p.getSecond().dup();
                        notes.add(0, net.getLayer(j).getClass().getSimpleName() + ".backpropGradient");
                    }
                    long nanos = System.nanoTime() - t0;
                    notes.set(notes.size() - 1, notes.get(notes.size() - 1) + ", layer " + (k + 1) + " of " + n);
                    Layer layer = layers.get(k);
                    INDArray gw = grad.getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY);
                    INDArray gb = grad.getGradientFor(ConvolutionParamInitializer.BIAS_KEY);
                    Tensor weights = layer.weights() == null ? null
                            : Dl4jOp.of(layer).weightsGradient(layer, Nd4jRuntime.toTensor(gw, computeIn), notes);
                    runs[k] = GradRun.ok(new Gradients(Nd4jRuntime.toTensor(eps, computeIn), weights,
                            layer.bias() == null || gb == null ? null : Nd4jRuntime.toTensor(gb.reshape(gb.length()), computeIn)),
                            computeIn, notes, nanos);
                } catch (Throwable e) {
                    runs[k] = GradRun.error(Nd4jRuntime.message(e), System.nanoTime() - t0);
                    for (int j = k - 1; j >= 0; j--) {
                        runs[j] = GradRun.error("not run: layer " + (k + 1) + " failed", 0);
                    }
                    break;
                }
            }
            return new ArrayList<>(List.of(runs));
        });
    }
}
