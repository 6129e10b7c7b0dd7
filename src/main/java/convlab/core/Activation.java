package convlab.core;

import java.util.Locale;

/** The element-wise function applied after the bias. */
public enum Activation {
    NONE, RELU, TANH, SIGMOID;

    public double apply(double x) {
        return switch (this) {
            case NONE -> x;
            case RELU -> x > 0 ? x : (Double.isNaN(x) ? x : 0.0);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
        };
    }

    /**
     * The derivative {@code act'(pre)} at a pre-activation value: relu 1 above zero and 0 at or below it (PyTorch's
     * and TensorFlow's choice at the kink), tanh {@code 1 - tanh(pre)^2}, sigmoid {@code s(pre) * (1 - s(pre))}.
     * At a NaN the derivative is NaN, except for none's, which is 1 everywhere (dy passes unchanged).
     */
    public double derivative(double pre) {
        if (this == NONE) {
            return 1.0;
        }
        if (Double.isNaN(pre)) {
            return pre;
        }
        return switch (this) {
            case NONE -> 1.0;
            case RELU -> pre > 0 ? 1.0 : 0.0;
            case TANH -> 1.0 - Math.tanh(pre) * Math.tanh(pre);
            case SIGMOID -> apply(pre) * (1.0 - apply(pre));
        };
    }

    public static Activation parse(String s) {
        return Names.parse(values(), s);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
