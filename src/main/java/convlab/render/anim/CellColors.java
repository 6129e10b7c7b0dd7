package convlab.render.anim;

import convlab.render.ColorMap;
import convlab.render.Scale;
import java.awt.Color;

/**
 * The colour a cell is filled with: the static figures' {@link Scale} and {@link ColorMap}, with the position on the
 * scale snapped to one of {@link #LEVELS}{@code + 1} evenly spaced steps. Two maps of 65 steps stay well inside a
 * GIF's 256-colour palette, so every frame is written with an exact palette (no dithering, no guessed colours), and
 * zero on a diverging scale is step 32, the map's exact centre. Neighbouring steps differ by 1/64 of the scale.
 */
public final class CellColors {

    /** Steps along a colour map, minus one. Even, so a diverging scale's zero falls on a step. */
    public static final int LEVELS = 64;

    private CellColors() {
    }

    /** The snapped colour of {@code v} on {@code scale}; NaN gives {@link ColorMap#NAN}. */
    public static Color of(Scale scale, double v) {
        double t = scale.position(v);
        if (Double.isNaN(t)) {
            return ColorMap.NAN;
        }
        double clamped = Math.max(0, Math.min(1, t));
        return scale.map().at(Math.round(clamped * LEVELS) / (double) LEVELS);
    }
}
