package convlab.core;

/**
 * A layer's gradients of a loss L, given the upstream gradient {@code dL/dy} of its activated output: {@code dL/dx}
 * for its input (NCHW, the input's shape), {@code dL/dw} for its weights (the op's core layout, OIHW for conv2d;
 * null for an op without weights) and {@code dL/db} for its bias (null without a bias).
 */
public record Gradients(Tensor gradInput, Tensor gradWeights, Tensor gradBias) {

    public Gradients {
        if (gradInput == null) {
            throw new IllegalArgumentException("Expected a gradient for the input, but found null");
        }
        if (gradBias != null && gradBias.rank() != 1) {
            throw new IllegalArgumentException("Expected a rank-1 bias gradient, but found shape " + gradBias.shapeString());
        }
    }

    /** The three gradients as float64 (the reference's type) or float32, rounded. */
    public Gradients as(DType type) {
        return new Gradients(gradInput.as(type), gradWeights == null ? null : gradWeights.as(type), gradBias == null ? null : gradBias.as(type));
    }

    /** Which of the three gradients; {@link #toString} is the name used in case files' fields and output folders. */
    public enum Kind {
        INPUT("gradInput"), WEIGHTS("gradWeights"), BIAS("gradBias");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** This gradient of {@code g}, or null when it has none (no weights, no bias). */
        public Tensor of(Gradients g) {
            return switch (this) {
                case INPUT -> g.gradInput();
                case WEIGHTS -> g.gradWeights();
                case BIAS -> g.gradBias();
            };
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
