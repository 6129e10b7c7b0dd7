package convlab.render;

import java.util.Locale;

/**
 * The one way a value (an input, a weight, a partial sum, an output) is printed, in figures and animations alike:
 * two decimals below 10 ({@code 1.02}, {@code -0.80}), one below 100, none below 10000, then {@code 1.2e+04};
 * never more than about 7 characters. Differences between engines are not values: they print with {@link Compact}.
 */
public final class Numbers {

    private Numbers() {
    }

    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        String s;
        if (a < 9.995) {
            s = String.format(Locale.ROOT, "%.2f", v);
        } else if (a < 99.95) {
            s = String.format(Locale.ROOT, "%.1f", v);
        } else if (a < 9999.5) {
            s = String.format(Locale.ROOT, "%.0f", v);
        } else {
            s = String.format(Locale.ROOT, "%.1e", v);
        }
        // A value that rounds to zero prints as zero, whatever its sign.
        return s.matches("-0(\\.0+)?") ? s.substring(1) : s;
    }

    /** {@code s} right-aligned in {@code width} characters. */
    public static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
