package convlab.render;

import java.awt.Color;

/**
 * Colour maps by piecewise-linear interpolation between anchor colours: {@link #VIRIDIS} (perceptual, sequential)
 * for non-negative data and {@link #RDBU} (diverging, blue below zero, white at zero, red above) for signed data.
 */
public enum ColorMap {
    VIRIDIS(0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725),
    RDBU(0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f);

    /** What a NaN cell is drawn in: a grey no value in either map takes. */
    public static final Color NAN = new Color(0x9a, 0x9a, 0x9a);

    private final int[] anchors;

    ColorMap(int... anchors) {
        this.anchors = anchors;
    }

    /** The colour at position {@code t} in [0, 1] (clamped); NaN gives {@link #NAN}. */
    public Color at(double t) {
        if (Double.isNaN(t)) {
            return NAN;
        }
        double x = Math.max(0, Math.min(1, t)) * (anchors.length - 1);
        int i = Math.min((int) Math.floor(x), anchors.length - 2);
        double f = x - i;
        int a = anchors[i];
        int b = anchors[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
    }

    /** The colour at the bottom of the scale. */
    public Color low() {
        return new Color(anchors[0]);
    }

    /** The colour at the top of the scale. */
    public Color high() {
        return new Color(anchors[anchors.length - 1]);
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
    }

    /** Black or white, whichever reads better on {@code background} (by relative luminance). */
    public static Color textOn(Color background) {
        double lum = 0.2126 * linear(background.getRed()) + 0.7152 * linear(background.getGreen())
                + 0.0722 * linear(background.getBlue());
        return lum > 0.22 ? Color.BLACK : Color.WHITE;
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
