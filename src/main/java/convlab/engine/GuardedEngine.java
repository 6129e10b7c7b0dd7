package convlab.engine;

import convlab.core.Budget;
import convlab.core.ConvLayer;
import convlab.core.Geometry;
import convlab.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine whose {@link #run} never throws and never makes a native call that could crash the JVM: before
 * anything reaches ND4J, every layer's input, weights, output and padded input are checked here, in one place.
 * A tensor with no elements (N, C, O, OH or OW of 0: a bias on an empty output makes libnd4j die of SIGFPE, which
 * no catch can stop) or one over the {@link Budget} makes every layer {@link LayerRun.Status#UNSUPPORTED}, with the
 * reason; anything {@link #runChecked} throws becomes an error run per layer.
 */
abstract class GuardedEngine implements Engine {

    @Override
    public final List<LayerRun> run(Tensor input, List<ConvLayer> layers) {
        try {
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
    static String refusal(Tensor input, List<ConvLayer> layers) {
        int[] shape = input.shape();
        for (int k = 0; k < layers.size(); k++) {
            ConvLayer layer = layers.get(k);
            Geometry g;
            try {
                g = Geometry.of(shape, layer);
            } catch (RuntimeException impossible) {
                return null;
            }
            String where = layers.size() == 1 ? "" : "layer " + (k + 1) + ": ";
            int[] out = g.outputShape();
            String empty = empty("input", shape) != null ? empty("input", shape)
                    : empty("weights", layer.weights().shape()) != null ? empty("weights", layer.weights().shape()) : empty("output", out);
            if (empty != null) {
                return "not run: " + where + empty + " (zero-size tensors never reach ND4J: a bias on an empty output crashes the JVM "
                        + "with SIGFPE in libnd4j 1.0.0-M2.1); the reference gives the empty output";
            }
            long paddedH = (long) g.h() + g.pads().top() + g.pads().bottom();
            long paddedW = (long) g.w() + g.pads().left() + g.pads().right();
            try {
                Budget.checkShape(where + "the padded input (" + g.n() + "x" + g.c() + "x" + paddedH + "x" + paddedW + ")", g.n(), g.c(), paddedH, paddedW);
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
    abstract List<LayerRun> runChecked(Tensor input, List<ConvLayer> layers);
}
