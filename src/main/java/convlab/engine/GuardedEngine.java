package convlab.engine;

import convlab.core.Layer;
import convlab.core.Tensor;
import java.util.List;

/**
 * An engine whose {@link #run} and {@link #backward} never throw: when ND4J did not start every layer of a run is an
 * error saying why, and anything {@link #runChecked} or {@link #backwardChecked} throws becomes an error run per
 * layer.
 */
abstract class GuardedEngine implements Engine {

    @Override
    public final List<LayerRun> run(Tensor input, List<? extends Layer> layers) {
        try {
            FrameworkInfo info = Nd4jRuntime.start();
            if (!info.started()) {
                List<LayerRun> runs = new java.util.ArrayList<>();
                for (int i = 0; i < layers.size(); i++) {
                    runs.add(LayerRun.error("ND4J did not start: " + info.startError(), 0));
                }
                return runs;
            }
            return runChecked(input, layers);
        } catch (Throwable e) { // a bug here or an input the checks did not foresee: still never throw
            return Nd4jRuntime.allFailed(layers, Nd4jRuntime.message(e));
        }
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
