package convlab.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The backward pass of any layer of the family, and of a stack. Each layer gives its own ({@link Layer#backward}):
 * conv2d its formula-shaped {@link Conv2dBackward}, the others theirs read off their taps ({@link TapBackward}).
 */
public final class Backward {

    private Backward() {
    }

    /** One layer's gradients over an NCHW input, given {@code dL/dy} of its activated output (NCHW, its output's shape). */
    public static Gradients of(Layer layer, Tensor input, Tensor gradOutput) {
        return layer.backward(input, gradOutput);
    }

    /**
     * A stack's gradients, one per layer in order: {@code gradOutput} is dL/dy of the last layer's activated output;
     * layer k's upstream gradient is layer k+1's gradient for its input (the chain rule through the stack).
     */
    public static List<Gradients> all(Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
        List<Tensor> inputs = new ArrayList<>();
        Tensor x = input;
        for (Layer layer : layers) {
            inputs.add(x);
            x = layer.forward(x).activated();
        }
        Gradients[] grads = new Gradients[layers.size()];
        Tensor dy = gradOutput;
        for (int k = layers.size() - 1; k >= 0; k--) {
            grads[k] = of(layers.get(k), inputs.get(k), dy);
            dy = grads[k].gradInput();
        }
        return List.of(grads);
    }

    /** Throws {@link Geometry.ShapeException} naming both shapes unless dy has the output's shape. */
    static void checkGradOutput(OpGeometry g, Tensor gradOutput) {
        if (gradOutput == null || !Arrays.equals(gradOutput.shape(), g.outputShape())) {
            throw new Geometry.ShapeException("Expected the output gradient dL/dy to have the output's shape " + Tensor.shapeString(g.outputShape())
                    + " (NCHW), but found " + (gradOutput == null ? "none" : gradOutput.shapeString()));
        }
    }
}
