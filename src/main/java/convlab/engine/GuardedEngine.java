package convlab.engine;

import convlab.core.Budget;
import convlab.core.Layer;
import convlab.core.OpGeometry;
import convlab.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine whose {@link #run} and {@link #backward} never throw and never makes a native call that could crash the JVM. When ND4J did
 * not start, every layer is an error saying why. Before
 * anything reaches ND4J, every layer's input, weights, output and padded input are checked here, in one place.
 * A tensor with no elements (N, C, O, OH or OW of 0: a bias on an empty output makes libnd4j die of SIGFPE, which
 * no catch can stop) or one over the {@link Budget} makes every layer {@link LayerRun.Status#UNSUPPORTED}, with the
 * reason; anything {@link #runChecked} or {@link #backwardChecked} throws becomes an error run per layer.
 */
abstract class GuardedEngine implements Engine {

    @Override
    public final List<LayerRun> run(Tensor input, List<? extends Layer> layers) {
        try {
            FrameworkInfo info = Nd4jRuntime.start();
            if (!info.started()) {
                List<LayerRun> runs = new ArrayList<>();
                for (int i = 0; i < layers.size(); i++) {
                    runs.add(LayerRun.error("ND4J did not start: " + info.startError(), 0));
                }
                return runs;
            }
            String refusal = refusal(input, layers);
            if (refusal != null) {
                List<LayerRun> runs = new ArrayList<>();
                for (int k = 0; k < layers.size(); k++) {
                    runs.add(LayerRun.unsupported(refusal));
                }
                return runs;
            }
            return runChecked(input, layers);
        } catch (Throwable e) { // a bug here or an input the checks did not foresee: still never throw
            return Nd4jRuntime.allFailed(layers, Nd4jRuntime.message(e));
        }
    }

    /**
     * Why the engines will not take these layers, or null when they will. Layers whose geometry is impossible are
     * left to {@link #runChecked}, which reports the framework's own error.
     */
    static String refusal(Tensor input, List<? extends Layer> layers) {
        int[] shape = input.shape();
        for (int k = 0; k < layers.size(); k++) {
            Layer layer = layers.get(k);
            OpGeometry g;
            try {
                g = layer.geometry(shape);
            } catch (RuntimeException impossible) {
                return null;
            }
            String where = layers.size() == 1 ? "" : "layer " + (k + 1) + ": ";
            int[] out = g.outputShape();
            String empty = empty("input", shape) != null ? empty("input", shape)
                    : layer.weights() != null && empty("weights", layer.weights().shape()) != null ? empty("weights", layer.weights().shape())
                    : empty("output", out);
            if (empty != null) {
                return "not run: " + where + empty + " (zero-size tensors never reach ND4J: a bias on an empty output crashes the JVM "
                        + "with SIGFPE in libnd4j 1.0.0-M2.1); the reference gives the empty output";
            }
            long[] padded = g.paddedInputShape();
            try {
                Budget.checkShape(where + "the padded input (" + padded[0] + "x" + padded[1] + "x" + padded[2] + "x" + padded[3] + ")", padded);
                Budget.checkShape(where + "the output (" + Tensor.shapeString(out) + ")", out[0], out[1], out[2], out[3]);
            } catch (Budget.Exceeded e) {
                return "not run: " + e.getMessage();
            }
            shape = out;
        }
        return null;
    }

    private static String empty(String what, int[] shape) {
        for (int d : shape) {
            if (d == 0) {
                return "the " + what + " " + Tensor.shapeString(shape) + " has no elements";
            }
        }
        return null;
    }

    /** Runs the layers; may throw, which {@link #run} turns into error runs. */
    abstract List<LayerRun> runChecked(Tensor input, List<? extends Layer> layers);

    @Override
    public final List<GradRun> backward(Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
        try {
            return backwardChecked(input, layers, gradOutput);
        } catch (Throwable e) { // as run: never throw
            return GradRun.allFailed(layers == null ? 0 : layers.size(), layers == null ? 0 : layers.size() - 1, Nd4jRuntime.message(e));
        }
    }

    /** The backward pass; may throw, which {@link #backward} turns into error runs. By default: unsupported. */
    List<GradRun> backwardChecked(Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
        return Engine.super.backward(input, layers, gradOutput);
    }
}
