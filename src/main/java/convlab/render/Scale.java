package convlab.render;

import convlab.core.Tensor;
import java.awt.Color;

/**
 * A value range shared by a group of panels, with its colour map. Signed data gets a diverging map centred on zero
 * ({@code lo = -hi}); non-negative data a sequential map from its minimum to its maximum.
 */
public record Scale(double lo, double hi, ColorMap map) {

    public Scale {
        if (!(hi > lo)) {
            throw new IllegalArgumentException("Expected lo < hi, but found lo=" + lo + ", hi=" + hi);
        }
    }

    /** The scale that fits every non-NaN value of the given tensors. */
    public static Scale fitting(Tensor... tensors) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Tensor t : tensors) {
            if (t == null) {
                continue;
            }
            double[] r = t.range();
            if (!Double.isNaN(r[0])) {
                lo = Math.min(lo, r[0]);
                hi = Math.max(hi, r[1]);
            }
        }
        if (lo > hi) { // no numbers at all
            return new Scale(0, 1, ColorMap.VIRIDIS);
        }
        return of(lo, hi);
    }

    /** A diverging scale centred on zero when {@code lo < 0}, else sequential over {@code [lo, hi]}. */
    public static Scale of(double lo, double hi) {
        if (lo < 0) {
            double m = Math.max(Math.abs(lo), Math.abs(hi));
            return new Scale(-m, m, ColorMap.RDBU);
        }
        if (hi <= lo) {
            return new Scale(lo, lo + (lo == 0 ? 1 : Math.abs(lo)), ColorMap.VIRIDIS);
        }
        return new Scale(lo, hi, ColorMap.VIRIDIS);
    }

    public boolean diverging() {
        return map == ColorMap.RDBU;
    }

    /** Position of {@code v} in [0, 1] along the scale. */
    public double position(double v) {
        return (v - lo) / (hi - lo);
    }

    public Color color(double v) {
        return map.at(position(v));
    }
}
