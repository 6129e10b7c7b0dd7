package convlab.core;

import java.util.Locale;

/**
 * The size budget: the most elements any one tensor may hold, checked before anything is allocated, so that a tiny
 * file (a 1x1 input with padding 20000, a .npy header claiming a huge shape, a 20000x20000 PNG) gets a message
 * instead of exhausting memory. The default is {@value #DEFAULT} (2^27) elements, 1 GiB of doubles; the
 * {@code --max-elements} option of every command raises or lowers it for one run.
 */
public final class Budget {

    /** 2^27 elements. */
    public static final long DEFAULT = 1L << 27;

    private static volatile long maxElements = DEFAULT;

    private Budget() {
    }

    /** The current limit in elements per tensor. */
    public static long maxElements() {
        return maxElements;
    }

    /** Sets the limit (for {@code --max-elements}); must be at least 1; above 2^31 - 9 it is capped there (a Java array's limit). */
    public static void setMaxElements(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("--max-elements: expected an int >= 1, but found " + limit);
        }
        maxElements = limit;
    }

    /**
     * Throws {@link Exceeded} naming the field and the size when a tensor of {@code elements} would exceed the
     * budget; a negative count means the product already overflowed a long and is reported as such.
     */
    public static void check(String field, long elements) {
        long limit = Math.min(maxElements, Integer.MAX_VALUE - 8); // a Java array holds at most about 2^31 elements
        if (elements < 0 || elements > limit) {
            String size = elements < 0 ? "more than 2^63" : String.format(Locale.ROOT, "%,d", elements);
            throw new Exceeded(String.format(Locale.ROOT,
                    "%s would hold %s elements, over the size budget of %,d elements per tensor (raise it with --max-elements)",
                    field, size, limit));
        }
    }

    /** The element count of a shape given as longs, or -1 when the product overflows a long or a dimension is negative. */
    public static long elements(long... shape) {
        for (long d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException overflow) {
                return -1;
            }
        }
        return n;
    }

    /** {@link #check} for a shape; a negative dimension (a size computed with overflow) is refused as such. */
    public static void checkShape(String field, long... shape) {
        for (long d : shape) {
            if (d < 0) {
                throw new Exceeded(field + " has a negative dimension " + d + "; expected sizes >= 0 (an integer overflow computed it)");
            }
        }
        check(field, elements(shape));
    }

    /** A tensor would be larger than the budget; the message names the field and the size. */
    public static final class Exceeded extends IllegalArgumentException {
        public Exceeded(String message) {
            super(message);
        }
    }
}
