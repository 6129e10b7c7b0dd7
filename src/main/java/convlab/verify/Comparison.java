package convlab.verify;

import convlab.core.Tensor;
import convlab.core.Tolerance;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How an actual tensor compares with an expected one: whether every element agrees, the largest absolute and
 * relative differences, which element most exceeds its own tolerance (its index in the tensor's order, NCHW for data,
 * printed with {@link #axes} in the case's layout),
 * and how many elements disagree. Element {@code i} agrees when
 * {@code |a - e| <= abs + rel * |e| + slack[i]}, where the optional slack is the rounding error the computation may
 * make ({@link ErrorBound}); NaN agrees only with NaN and an infinity only with the same infinity; -0.0 equals +0.0.
 * {@code worstRatio} is the worst element's {@code |a - e|} over its own allowance (above 1 means it disagrees).
 * A shape mismatch disagrees with a message.
 */
public record Comparison(boolean agree, double maxAbs, double maxRel, List<Integer> worst, double worstActual,
                         double worstExpected, double worstRatio, long mismatches, long total, Tolerance tolerance,
                         boolean bounded, String problem, Axes axes) {

    public Comparison {
        worst = List.copyOf(worst);
        axes = axes == null ? Axes.byRank(worst.isEmpty() ? 4 : worst.size()) : axes;
    }

    /** A comparison whose positions print by rank (NCHW names for rank 4). */
    public Comparison(boolean agree, double maxAbs, double maxRel, List<Integer> worst, double worstActual, double worstExpected,
            double worstRatio, long mismatches, long total, Tolerance tolerance, boolean bounded, String problem) {
        this(agree, maxAbs, maxRel, worst, worstActual, worstExpected, worstRatio, mismatches, total, tolerance, bounded, problem, null);
    }

    /** The same comparison, its positions printed with these axes (the case's layout). */
    public Comparison withAxes(Axes a) {
        return new Comparison(agree, maxAbs, maxRel, worst, worstActual, worstExpected, worstRatio, mismatches, total, tolerance,
                bounded, problem, a);
    }

    public static Comparison of(Tensor actual, Tensor expected, Tolerance tol) {
        return of(actual, expected, tol, null);
    }

    /** As {@link #of(Tensor, Tensor, Tolerance)}, each element allowed {@code slack.flat(i)} more (null: none). */
    public static Comparison of(Tensor actual, Tensor expected, Tolerance tol, Tensor slack) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return new Comparison(false, Double.NaN, Double.NaN, List.of(), Double.NaN, Double.NaN, Double.POSITIVE_INFINITY,
                    expected.size(), expected.size(), tol, slack != null,
                    "shape mismatch: expected " + expected.shapeString() + ", but found " + actual.shapeString());
        }
        double maxAbs = 0;
        double maxRel = 0;
        int worst = -1;
        double worstRatio = -1;
        boolean worstIsNan = false;
        long mismatches = 0;
        for (int i = 0; i < actual.size(); i++) {
            double a = actual.flat(i);
            double e = expected.flat(i);
            double extra = slack == null ? 0 : slack.flat(i);
            boolean ok = agrees(a, e, tol, extra);
            if (!ok) {
                mismatches++;
            }
            if (Double.isNaN(a) || Double.isNaN(e) || Double.isInfinite(a) || Double.isInfinite(e)) {
                if (!ok && !worstIsNan) { // a NaN or infinity where the other has a number is the worst kind of difference
                    worst = i;
                    worstIsNan = true;
                    worstRatio = Double.POSITIVE_INFINITY;
                }
                continue;
            }
            double abs = Math.abs(a - e);
            double rel = abs == 0 ? 0 : (e == 0 ? Double.POSITIVE_INFINITY : abs / Math.abs(e));
            maxRel = Math.max(maxRel, rel);
            maxAbs = Math.max(maxAbs, abs);
            double allowed = tol.abs() + tol.rel() * Math.abs(e) + extra;
            double ratio = abs == 0 ? 0 : (allowed == 0 ? Double.POSITIVE_INFINITY : abs / allowed);
            if (!worstIsNan && (ratio > worstRatio || worst < 0)) {
                worst = i;
                worstRatio = ratio;
            }
        }
        List<Integer> where = worst < 0 ? List.of() : Arrays.stream(actual.unravel(worst)).boxed().toList();
        double wa = worst < 0 ? Double.NaN : actual.flat(worst);
        double we = worst < 0 ? Double.NaN : expected.flat(worst);
        String problem = mismatches == 0 ? "" : mismatches + " of " + actual.size() + " values differ"
                + (worstIsNan ? " (NaN or infinity where the other has a number, or the reverse)" : "");
        return new Comparison(mismatches == 0, maxAbs, maxRel, where, wa, we, Math.max(0, worstRatio), mismatches, actual.size(),
                tol, slack != null, problem);
    }

    /** One element: {@link Tolerance#agrees} widened by {@code slack}. */
    static boolean agrees(double a, double e, Tolerance tol, double slack) {
        if (Double.isNaN(a) || Double.isNaN(e) || Double.isInfinite(a) || Double.isInfinite(e)) {
            return tol.agrees(a, e);
        }
        return Math.abs(a - e) <= tol.abs() + tol.rel() * Math.abs(e) + slack;
    }

    /**
     * One line: {@code OK max|diff|=1.2e-16} or
     * {@code NOT OK 3 of 72 values differ, max|diff|=0.5, worst n=0, c=1, h=2, w=3: 1.5 vs 1 (12x its tolerance)}.
     */
    public String summary() {
        if (!agree && maxAbs != maxAbs && worst.isEmpty()) {
            return "NOT OK " + problem;
        }
        if (agree) {
            return "OK max|diff|=" + fmt(maxAbs) + (worst.isEmpty() || maxAbs == 0 ? "" : " at " + where());
        }
        String ratio = Double.isInfinite(worstRatio) ? "" : " (" + fmt(worstRatio) + "x its tolerance)";
        return "NOT OK " + problem + ", max|diff|=" + fmt(maxAbs) + ", worst " + where() + ": " + worstActual + " vs "
                + worstExpected + ratio;
    }

    /** The worst element's position in the case's layout, e.g. {@code n=0, h=1, w=0, c=0} for NHWC data. */
    public String where() {
        return axes.format(worst);
    }

    static String fmt(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.3g", v);
    }
}
