package convlab.render;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
        if (a >= 9999.5) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        // What String.format's %.2f, %.1f and %.0f print (they round the shortest decimal form of the double half up,
        // as BigDecimal.valueOf and HALF_UP do), in a third of the time: a figure prints hundreds of values, twice.
        // BigDecimal has no negative zero, so a value that rounds to zero prints as zero, whatever its sign.
        int decimals = a < 9.995 ? 2 : a < 99.95 ? 1 : 0;
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    /** {@code s} right-aligned in {@code width} characters. */
    public static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
