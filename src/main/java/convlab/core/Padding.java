package convlab.core;

import java.util.Locale;

/**
 * How much to pad each side of the input: {@link Valid} (none), {@link Same} (output = ceil(in / stride); the odd
 * pixel goes bottom/right as TensorFlow, Keras, ONNX SAME_UPPER and PyTorch do, or top/left for ONNX SAME_LOWER),
 * or {@link Explicit} sizes. {@link #resolve} turns any of them into four numbers; {@link #parse} and
 * {@link #toString} are the one text form (case files, the command line, reports).
 */
public sealed interface Padding permits Padding.Valid, Padding.Same, Padding.Explicit {

    /** No padding. */
    record Valid() implements Padding {
        @Override
        public String toString() {
            return "valid";
        }
    }

    /** Output = ceil(in / stride); {@code lower} puts the odd pixel top/left (ONNX SAME_LOWER), else bottom/right. */
    record Same(boolean lower) implements Padding {
        @Override
        public String toString() {
            return lower ? "same_lower" : "same";
        }
    }

    /** Rows added on top and bottom, columns on the left and right. */
    record Explicit(int top, int bottom, int left, int right) implements Padding {
        public Explicit {
            if (top < 0 || bottom < 0 || left < 0 || right < 0) {
                throw new IllegalArgumentException("Expected padding sizes >= 0, but found [" + top + ", " + bottom + ", " + left + ", " + right + "]");
            }
        }

        /** The form a case file uses: {@code 1}, {@code [2, 1]} or {@code [0, 2, 1, 0]}. */
        @Override
        public String toString() {
            if (top == bottom && left == right) {
                return top == left ? Integer.toString(top) : "[" + top + ", " + left + "]";
            }
            return "[" + top + ", " + bottom + ", " + left + ", " + right + "]";
        }
    }

    static Padding valid() {
        return new Valid();
    }

    static Padding same() {
        return new Same(false);
    }

    static Padding sameLower() {
        return new Same(true);
    }

    /** {@code p} on all four sides. */
    static Padding symmetric(int p) {
        return new Explicit(p, p, p, p);
    }

    /** {@code ph} above and below, {@code pw} left and right. */
    static Padding of(int ph, int pw) {
        return new Explicit(ph, ph, pw, pw);
    }

    static Padding explicit(int top, int bottom, int left, int right) {
        return new Explicit(top, bottom, left, right);
    }

    /** Whether the padding is explicit, or same; valid is neither. */
    default boolean isSame() {
        return this instanceof Same;
    }

    /** Whether top equals bottom and left equals right whatever the input (valid, or explicit and symmetric). */
    default boolean isSymmetric() {
        return this instanceof Valid || (this instanceof Explicit e && e.top() == e.bottom() && e.left() == e.right());
    }

    /**
     * The four sides for an input of {@code inH x inW}; for {@code same} this is where the work happens. Exact: a
     * size that does not fit an int throws {@link ArithmeticException}.
     */
    default Sides resolve(int inH, int inW, Hw kernel, Hw stride, Hw dilation) {
        if (this instanceof Explicit e) {
            return new Sides(e.top(), e.bottom(), e.left(), e.right());
        }
        if (this instanceof Same s) {
            int padH = sameTotal(inH, kernel.h(), stride.h(), dilation.h());
            int padW = sameTotal(inW, kernel.w(), stride.w(), dilation.w());
            int small = padH / 2;
            int smallW = padW / 2;
            return s.lower()
                    ? new Sides(padH - small, small, padW - smallW, smallW)
                    : new Sides(small, padH - small, smallW, padW - smallW);
        }
        return new Sides(0, 0, 0, 0);
    }

    /** Total {@code same} padding on one axis: max((ceil(in/s) - 1)*s + (k-1)*d + 1 - in, 0), in exact arithmetic. */
    static int sameTotal(int in, int k, int s, int d) {
        long out = -Math.floorDiv(-(long) in, (long) s);
        long span = Math.addExact(Math.multiplyExact((long) k - 1, (long) d), 1L);
        long total = Math.addExact(Math.multiplyExact(Math.max(out - 1, 0), (long) s), span) - in;
        return Math.toIntExact(Math.max(total, 0));
    }

    /** Resolved padding: rows added on top and bottom, columns on the left and right. */
    record Sides(int top, int bottom, int left, int right) {
        public boolean isZero() {
            return top == 0 && bottom == 0 && left == 0 && right == 0;
        }

        public boolean isSymmetric() {
            return top == bottom && left == right;
        }

        /** {@code [top, bottom, left, right]}. */
        public int[] toArray() {
            return new int[] {top, bottom, left, right};
        }

        @Override
        public String toString() {
            return "top=" + top + " bottom=" + bottom + " left=" + left + " right=" + right;
        }
    }

    /**
     * Reads the text forms: {@code valid}, {@code same}, {@code same_lower}, {@code p}, {@code [ph, pw]} or
     * {@code [top, bottom, left, right]} (case files), and the command line's {@code 2x1} and {@code 0,1,1,0}.
     * Throws IllegalArgumentException saying what was expected.
     */
    static Padding parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "valid":
                return valid();
            case "same":
                return same();
            case "same_lower":
                return sameLower();
            default:
                break;
        }
        String body = t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t;
        String[] parts = body.split(body.contains("x") ? "x" : ",", -1);
        if (parts.length == 1 || parts.length == 2 || parts.length == 4) {
            int[] p = new int[parts.length];
            try {
                for (int i = 0; i < p.length; i++) {
                    p[i] = Integer.parseInt(parts[i].trim());
                    if (p[i] < 0) {
                        p = null;
                        break;
                    }
                }
            } catch (NumberFormatException e) {
                p = null;
            }
            if (p != null) {
                return p.length == 1 ? symmetric(p[0]) : p.length == 2 ? of(p[0], p[1]) : explicit(p[0], p[1], p[2], p[3]);
            }
        }
        throw new IllegalArgumentException(EXPECTED + ", but found \"" + text + "\"");
    }

    /** What {@link #parse} takes, for messages. */
    String EXPECTED = "expected valid, same, same_lower, an int >= 0, [ph, pw] or [top, bottom, left, right]";
}
