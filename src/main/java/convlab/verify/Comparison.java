package convlab.verify;

import convlab.core.Tensor;
import convlab.core.Tolerance;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How an actual tensor compares with an expected one under a tolerance: whether every element agrees
 * ({@link Tolerance#agrees}), the largest absolute and relative differences, where the worst element is (its index,
 * for NCHW data {@code (n, c, h, w)}), and how many elements disagree. A shape mismatch disagrees with a message.
 */
public record Comparison(boolean agree, double maxAbs, double maxRel, List<Integer> worst, double worstActual,
                         double worstExpected, long mismatches, long total, Tolerance tolerance, String problem) {

    public Comparison {
        worst = List.copyOf(worst);
    }

    public static Comparison of(Tensor actual, Tensor expected, Tolerance tol) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return new Comparison(false, Double.NaN, Double.NaN, List.of(), Double.NaN, Double.NaN, expected.size(),
                    expected.size(), tol, "shape mismatch: expected " + expected.shapeString() + ", but found " + actual.shapeString());
        }
        double maxAbs = 0;
        double maxRel = 0;
        int worst = -1;
        boolean worstIsNan = false;
        long mismatches = 0;
        for (int i = 0; i < actual.size(); i++) {
            double a = actual.flat(i);
            double e = expected.flat(i);
            boolean ok = tol.agrees(a, e);
            if (!ok) {
                mismatches++;
            }
            if (Double.isNaN(a) || Double.isNaN(e)) {
                if (!ok && !worstIsNan) { // a NaN where the other has a number is the worst kind of difference
                    worst = i;
                    worstIsNan = true;
                }
                continue;
            }
            double abs = Math.abs(a - e);
            double rel = abs == 0 ? 0 : (e == 0 ? Double.POSITIVE_INFINITY : abs / Math.abs(e));
            maxRel = Math.max(maxRel, rel);
            if (abs > maxAbs || worst < 0) {
                maxAbs = Math.max(maxAbs, abs);
                if (!worstIsNan) {
                    worst = i;
                }
            }
        }
        List<Integer> where = worst < 0 ? List.of() : Arrays.stream(actual.unravel(worst)).boxed().toList();
        double wa = worst < 0 ? Double.NaN : actual.flat(worst);
        double we = worst < 0 ? Double.NaN : expected.flat(worst);
        String problem = mismatches == 0 ? "" : mismatches + " of " + actual.size() + " values differ"
                + (worstIsNan ? " (NaN where a number was expected, or the reverse)" : "");
        return new Comparison(mismatches == 0, maxAbs, maxRel, where, wa, we, mismatches, actual.size(), tol, problem);
    }

    /** One line: {@code OK max|diff|=1.2e-16} or {@code NOT OK 3 of 72 values differ, max|diff|=0.5 at (0, 1, 2, 3)}. */
    public String summary() {
        if (!agree && maxAbs != maxAbs && worst.isEmpty()) {
            return "NOT OK " + problem;
        }
        String at = worst.isEmpty() || maxAbs == 0 ? "" : " at " + where();
        return (agree ? "OK" : "NOT OK " + problem + ",") + " max|diff|=" + fmt(maxAbs) + at;
    }

    /** The worst element's index as {@code (n, c, h, w)}. */
    public String where() {
        return worst.toString().replace('[', '(').replace(']', ')');
    }

    static String fmt(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.3g", v);
    }
}
