package convlab.core;

/** A (height, width) pair: strides, dilations, kernel sizes. */
public record Hw(int h, int w) {

    public static Hw of(int both) {
        return new Hw(both, both);
    }

    /** Whether both values are at least {@code min}. */
    public boolean atLeast(int min) {
        return h >= min && w >= min;
    }

    @Override
    public String toString() {
        return h + "x" + w;
    }
}
