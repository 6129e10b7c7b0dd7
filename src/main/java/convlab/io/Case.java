package convlab.io;

import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Layer;
import convlab.core.Layout;
import convlab.core.Op;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.core.WeightsLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded case: an input (held as NCHW whatever its file layout), the layers to run over it, and for each layer
 * the expected output another framework produced (also NCHW), if any. {@code gradOutput}, if given, is dL/dy of the
 * last layer's activated output (NCHW), from which the gradients are computed. {@code warnings} are one line each,
 * about input that was read but may not mean what its author meant (a weight shape that fits both weight layouts).
 */
public record Case(String name, Path file, String source, Tensor input, Layout layout, List<Step> layers, Tensor gradOutput,
                   List<String> warnings) {

    public Case {
        layers = List.copyOf(layers);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A case with nothing to warn about. */
    public Case(String name, Path file, String source, Tensor input, Layout layout, List<Step> layers, Tensor gradOutput) {
        this(name, file, source, input, layout, layers, gradOutput, List.of());
    }

    /** A case without an output gradient. */
    public Case(String name, Path file, String source, Tensor input, Layout layout, List<Step> layers) {
        this(name, file, source, input, layout, layers, null);
    }

    /**
     * One layer of a case, with the layout its weights came in and what to compare it against: the expected output
     * (NCHW) and, each optional, the expected gradients for its input (NCHW), weights (OIHW) and bias.
     */
    public record Step(Layer layer, WeightsLayout weightsLayout, Tensor expected, Tolerance tolerance,
                       Tensor expectedGradInput, Tensor expectedGradWeights, Tensor expectedGradBias) {

        public Step(Layer layer, WeightsLayout weightsLayout, Tensor expected, Tolerance tolerance) {
            this(layer, weightsLayout, expected, tolerance, null, null, null);
        }

        public Step withExpectedGradInput(Tensor gradInput) {
            return new Step(layer, weightsLayout, expected, tolerance, gradInput, expectedGradWeights, expectedGradBias);
        }

        /** The same step with these expected weight (in the op's core layout) and bias gradients. */
        public Step withExpectedParameterGradients(Tensor gradWeights, Tensor gradBias) {
            return new Step(layer, weightsLayout, expected, tolerance, expectedGradInput, gradWeights, gradBias);
        }

        /** Whether the case gives any expected gradient for this layer. */
        public boolean hasExpectedGradients() {
            return expectedGradInput != null || expectedGradWeights != null || expectedGradBias != null;
        }
    }

    /** Every layer, in order. */
    public List<Layer> layerList() {
        return layers.stream().map(Step::layer).toList();
    }

    /** Whether every layer is a conv2d (the figures and animations draw those). */
    public boolean allConv2d() {
        return layers.stream().allMatch(s -> s.layer().op() == Op.CONV2D);
    }

    /** Every layer as a conv2d; throws IllegalArgumentException naming the first layer of another op. */
    public List<ConvLayer> convLayers() {
        for (int k = 0; k < layers.size(); k++) {
            if (!(layers.get(k).layer() instanceof ConvLayer)) {
                throw new IllegalArgumentException(file + ": layer " + (k + 1) + " is " + layers.get(k).layer().op()
                        + ", which this command does not draw yet (it draws conv2d)");
            }
        }
        return layers.stream().map(s -> (ConvLayer) s.layer()).toList();
    }

    /** The type the case's own data came in: float64 if the input or any weights were float64. */
    public DType dtype() {
        DType t = input.dtype();
        for (Step s : layers) {
            if (s.layer().weights() != null) {
                t = DType.wider(t, s.layer().weights().dtype());
            }
        }
        return t;
    }
}
