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

    /** The scale that fits every finite value of the given tensors (infinities clamp to the ends). */
    public static Scale fitting(Tensor... tensors) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Tensor t : tensors) {
            if (t == null) {
                continue;
            }
            for (int i = 0; i < t.size(); i++) {
                double v = t.flat(i);
                if (Double.isFinite(v)) { // NaN has its own grey; an infinity would flatten every other colour
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
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

    /**
     * A diverging scale centred on zero that fits every non-NaN, finite value of the given tensors, whatever their
     * sign: for differences, where zero means agreement. All zeros (or no numbers) give {@code [-1, 1]}.
     */
    public static Scale symmetric(Tensor... tensors) {
        double m = 0;
        for (Tensor t : tensors) {
            if (t == null) {
                continue;
            }
            for (int i = 0; i < t.size(); i++) {
                double v = Math.abs(t.flat(i));
                if (Double.isFinite(v)) {
                    m = Math.max(m, v);
                }
            }
        }
        return new Scale(m > 0 ? -m : -1, m > 0 ? m : 1, ColorMap.RDBU);
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

    /** The colour at the top of the scale, which {@code hi} and anything above it get. */
    public Color top() {
        return map.high();
    }

    /** The colour at the bottom of the scale, which {@code lo} and anything below it get. */
    public Color bottom() {
        return map.low();
    }

    /** The colour a zero value gets on a diverging scale: the map's middle. */
    public Color neutral() {
        return map.at(0.5);
    }

    /** Like {@code RdBu [-2.1, 2.1]}, for captions. */
    public String describe() {
        return (diverging() ? "RdBu" : "viridis") + " [" + Compact.format(lo) + ", " + Compact.format(hi) + "]";
    }
}
