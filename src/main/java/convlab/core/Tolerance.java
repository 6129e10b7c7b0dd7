package convlab.core;

/**
 * When two values agree: {@code |a - e| <= abs + rel * |e|}, and NaN agrees only with NaN.
 * Defaults by element type: float64 {@code abs=1e-9, rel=1e-9}; float32 {@code abs=1e-5, rel=1e-4}.
 */
public record Tolerance(double abs, double rel) {

    public Tolerance {
        if (!(abs >= 0) || !(rel >= 0)) {
            throw new IllegalArgumentException("Expected abs >= 0 and rel >= 0, but found abs=" + abs + ", rel=" + rel);
        }
    }

    public static final Tolerance FLOAT64 = new Tolerance(1e-9, 1e-9);
    public static final Tolerance FLOAT32 = new Tolerance(1e-5, 1e-4);

    /** The default for comparing against values stored or computed in {@code type}. */
    public static Tolerance forType(DType type) {
        return type == DType.FLOAT32 ? FLOAT32 : FLOAT64;
    }

    /** The looser of two tolerances, field by field. */
    public Tolerance loosest(Tolerance other) {
        return new Tolerance(Math.max(abs, other.abs), Math.max(rel, other.rel));
    }

    public boolean agrees(double actual, double expected) {
        if (Double.isNaN(actual) || Double.isNaN(expected)) {
            return Double.isNaN(actual) && Double.isNaN(expected);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return actual == expected;
        }
        return Math.abs(actual - expected) <= abs + rel * Math.abs(expected);
    }

    @Override
    public String toString() {
        return "Tolerance(abs=" + abs + ", rel=" + rel + ")";
    }
}
