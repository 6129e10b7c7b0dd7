package convlab.core;

/** The element type a tensor was stored in. The core always computes in float64. */
public enum DType {
    FLOAT32, FLOAT64;

    /** Rounds a value to what this type can hold. */
    public double round(double v) {
        return this == FLOAT32 ? (float) v : v;
    }

    /** The wider of two types: float64 if either is float64. */
    public static DType wider(DType a, DType b) {
        return a == FLOAT64 || b == FLOAT64 ? FLOAT64 : FLOAT32;
    }

    @Override
    public String toString() {
        return this == FLOAT32 ? "float32" : "float64";
    }
}
