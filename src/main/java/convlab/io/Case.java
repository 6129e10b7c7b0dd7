package convlab.io;

import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Layout;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.core.WeightsLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded case: an input (held as NCHW whatever its file layout), the layers to run over it, and for each layer
 * the expected output another framework produced (also NCHW), if any.
 */
public record Case(String name, Path file, String source, Tensor input, Layout layout, List<Step> layers) {

    public Case {
        layers = List.copyOf(layers);
    }

    /** One layer of a case, with the layout its weights came in and what to compare it against. */
    public record Step(ConvLayer layer, WeightsLayout weightsLayout, Tensor expected, Tolerance tolerance) {
    }

    public List<ConvLayer> convLayers() {
        return layers.stream().map(Step::layer).toList();
    }

    /** The type the case's own data came in: float64 if the input or any weights were float64. */
    public DType dtype() {
        DType t = input.dtype();
        for (Step s : layers) {
            t = DType.wider(t, s.layer().weights().dtype());
        }
        return t;
    }
}
