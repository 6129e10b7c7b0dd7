package convlab.render;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;

/**
 * Short labels for numbers in cells and on colour bars: two significant digits in plain notation for magnitudes in
 * [0.001, 100) ({@code 0.12}, {@code -1.3}, {@code 0.0042}), whole numbers from 100 to 9999, and scientific notation
 * outside that ({@code 1.2e-07}, {@code 3e+05}). Locale independent.
 */
public final class Compact {

    private Compact() {
    }

    public static String format(double v) {
        return format(v, false);
    }

    /** Like {@link #format(double)} but with one significant digit in scientific notation ({@code -2e-08}). */
    public static String tight(double v) {
        return format(v, true);
    }

    private static String format(double v, boolean tight) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 100) {
            String s = new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros().toPlainString();
            // rounding may carry to 100 (99.7 -> 1.0E+2): toPlainString keeps it plain
            return s;
        }
        if (a >= 100 && a < 9999.5) {
            return Long.toString(Math.round(v));
        }
        String s = String.format(Locale.ROOT, tight ? "%.0e" : "%.1e", v);
        return s.replace(".0e", "e");
    }

    /** A {@link NumberFormat} over {@link #format} for JFreeChart axes; values within {@code zero} of 0 print as 0. */
    static NumberFormat numberFormat(double zero) {
        return new NumberFormat() {
            @Override
            public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
                return toAppendTo.append(Compact.format(Math.abs(number) <= zero ? 0.0 : number));
            }

            @Override
            public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
                return format((double) number, toAppendTo, pos);
            }

            @Override
            public Number parse(String source, ParsePosition parsePosition) {
                throw new UnsupportedOperationException("labels are not parsed");
            }
        };
    }
}
