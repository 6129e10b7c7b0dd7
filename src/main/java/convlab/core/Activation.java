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

    public static Activation parse(String s) {
        return Names.parse(values(), s);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
