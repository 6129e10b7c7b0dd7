package convlab.core;

import java.util.Locale;

/** What a padded cell holds: PyTorch's four {@code padding_mode}s. */
public enum PaddingMode {
    /** Zero outside the input. */
    ZEROS,
    /** The input mirrored about its edge cell, which is not repeated: {@code -1 -> 1}. */
    REFLECT,
    /** The edge cell repeated: {@code -1 -> 0}. */
    REPLICATE,
    /** The input wrapped around: {@code -1 -> H-1}. */
    CIRCULAR;

    /**
     * The input row (or column) that a padded coordinate {@code i} reads, for an axis of length {@code n},
     * or -1 when the cell is a zero.
     */
    public int source(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        return switch (this) {
            case ZEROS -> -1;
            case REFLECT -> i < 0 ? -i : 2 * (n - 1) - i;
            case REPLICATE -> i < 0 ? 0 : n - 1;
            case CIRCULAR -> Math.floorMod(i, n);
        };
    }

    /**
     * The value a padded input holds at row {@code ih}, column {@code iw} of channel {@code c} (unpadded
     * coordinates; outside {@code 0..H-1} or {@code 0..W-1} is the padding): the one padded read of the core.
     */
    public double read(Tensor input, int n, int c, int ih, int iw, int H, int W) {
        int row = source(ih, H);
        int col = source(iw, W);
        return row < 0 || col < 0 ? 0.0 : input.get(n, c, row, col);
    }

    public static PaddingMode parse(String s) {
        return Names.parse(values(), s);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
