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
}
