package convlab.engine;

import convlab.core.Layer;
import convlab.core.Tensor;
import java.util.List;

/** A framework that runs a stack of layers of the convolution family on identical weights. */
public interface Engine {

    /** Short name used in reports and file names: {@code nd4j}, {@code nd4j-onednn}, {@code dl4j}. */
    String name();

    /** One sentence: what this engine calls. */
    String description();

    /**
     * Runs the layers over an NCHW input, each layer taking this engine's own output of the layer before.
     * Never throws: a config the engine cannot take is {@link LayerRun.Status#UNSUPPORTED}, a failure is
     * {@link LayerRun.Status#ERROR} with the framework's message. Returns one result per layer.
     */
    List<LayerRun> run(Tensor input, List<? extends Layer> layers);

    /**
     * The backward pass of the layers over an NCHW input: {@code gradOutput} is dL/dy of the last layer's activated
     * output (NCHW); returns one result per layer, each the gradients of L for that layer's input, weights and bias.
     * Never throws. An engine without a backward pass returns {@link LayerRun.Status#UNSUPPORTED} for every layer,
     * which is what this default does.
     */
    default List<GradRun> backward(Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
        return GradRun.allUnsupported(layers.size(), 0, name() + " has no backward pass");
    }
}
