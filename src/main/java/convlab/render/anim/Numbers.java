package convlab.render.anim;

import java.util.Locale;

/** How frames print numbers: two decimals for small values, fewer as they grow, never more than about 7 characters. */
final class Numbers {

    private Numbers() {
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "nan";
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
    static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
