package convlab.core;

/**
 * How much to pad each side of the input: {@code valid} (none), {@code same} (output = ceil(in / stride),
 * the odd pixel going bottom/right as TensorFlow, Keras, ONNX SAME_UPPER and PyTorch do), or explicit sizes.
 */
public record Padding(Kind kind, int top, int bottom, int left, int right) {

    public enum Kind { VALID, SAME, EXPLICIT }

    public Padding {
        if (kind == null) {
            throw new IllegalArgumentException("Expected a padding kind, but found null");
        }
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("Expected padding sizes >= 0, but found [" + top + ", " + bottom + ", " + left + ", " + right + "]");
        }
    }

    public static Padding valid() {
        return new Padding(Kind.VALID, 0, 0, 0, 0);
    }

    public static Padding same() {
        return new Padding(Kind.SAME, 0, 0, 0, 0);
    }

    /** {@code p} on all four sides. */
    public static Padding symmetric(int p) {
        return new Padding(Kind.EXPLICIT, p, p, p, p);
    }

    /** {@code ph} above and below, {@code pw} left and right. */
    public static Padding of(int ph, int pw) {
        return new Padding(Kind.EXPLICIT, ph, ph, pw, pw);
    }

    public static Padding explicit(int top, int bottom, int left, int right) {
        return new Padding(Kind.EXPLICIT, top, bottom, left, right);
    }

    /** Whether top equals bottom and left equals right once resolved (always true for valid). */
    public boolean isSymmetric() {
        return kind != Kind.SAME && top == bottom && left == right;
    }

    /** The four sides for an input of {@code inH x inW}; for {@code same} this is where the work happens. */
    public Sides resolve(int inH, int inW, Hw kernel, Hw stride, Hw dilation) {
        return switch (kind) {
            case VALID -> new Sides(0, 0, 0, 0);
            case EXPLICIT -> new Sides(top, bottom, left, right);
            case SAME -> {
                int padH = sameTotal(inH, kernel.h(), stride.h(), dilation.h());
                int padW = sameTotal(inW, kernel.w(), stride.w(), dilation.w());
                yield new Sides(padH / 2, padH - padH / 2, padW / 2, padW - padW / 2);
            }
        };
    }

    /** Total {@code same} padding on one axis: max((ceil(in/s) - 1)*s + (k-1)*d + 1 - in, 0). */
    public static int sameTotal(int in, int k, int s, int d) {
        int out = ceilDiv(in, s);
        return Math.max((out - 1) * s + (k - 1) * d + 1 - in, 0);
    }

    static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** Resolved padding: rows added on top and bottom, columns on the left and right. */
    public record Sides(int top, int bottom, int left, int right) {
        public boolean isZero() {
            return top == 0 && bottom == 0 && left == 0 && right == 0;
        }

        public boolean isSymmetric() {
            return top == bottom && left == right;
        }

        @Override
        public String toString() {
            return "top=" + top + " bottom=" + bottom + " left=" + left + " right=" + right;
        }
    }

    /** The form a case file uses: {@code valid}, {@code same}, {@code 1}, {@code [2, 1]} or {@code [0, 2, 1, 0]}. */
    @Override
    public String toString() {
        return switch (kind) {
            case VALID -> "valid";
            case SAME -> "same";
            case EXPLICIT -> top == bottom && left == right
                    ? (top == left ? Integer.toString(top) : "[" + top + ", " + left + "]")
                    : "[" + top + ", " + bottom + ", " + left + ", " + right + "]";
        };
    }
}
