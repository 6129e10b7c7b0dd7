package convlab.render;

import java.awt.Color;
import java.awt.Font;

/**
 * The one look of convlab's pictures, shared by the figures and the animations: the colours of ink, rules and
 * highlights, the fonts of every role at a given scale, and (through {@link Numbers} and {@link Scale}) one way to
 * print a value and one colour scale per quantity: inputs, weights, outputs before and after the activation (one
 * scale for both), and differences between engines.
 *
 * <p>A theme at scale {@code s} is the scale-1 theme with every font size and every length multiplied by {@code s}:
 * a slide at 1920x1080 is the same drawing as the default frame, laid out again with bigger type.
 */
public final class Theme {

    public static final String FAMILY = Font.SANS_SERIF;

    public static final Color BACKGROUND = Color.WHITE;
    /** Text and strong lines. */
    public static final Color INK = new Color(0x1f, 0x1f, 0x1f);
    /** Secondary text: subtitles, labels, padding's values. */
    public static final Color MUTED = new Color(0x5f, 0x5f, 0x5f);
    /** Lines between cells and rules between sections. */
    public static final Color RULE = new Color(0xd0, 0xd0, 0xd0);
    /** Map outlines. */
    public static final Color BORDER = new Color(0x50, 0x50, 0x50);
    /** The highlight: the receptive field, the cell being written, arrows. */
    public static final Color ACCENT = new Color(0xff, 0x7f, 0x00);
    /** The highlight as text on white (darker, so it reads). */
    public static final Color ACCENT_TEXT = new Color(0xc8, 0x50, 0x00);

    /** The default: sizes as the figures and the default GIF frames have them. */
    public static final Theme DEFAULT = new Theme(1.0);

    private final double scale;
    private final Font title;
    private final Font subtitle;
    private final Font header;
    private final Font label;
    private final Font cell;
    private final Font mono;
    private final Font monoBold;
    private final Font small;
    private final Font symbol;

    private Theme(double scale) {
        if (!(scale > 0 && scale <= 16)) {
            throw new IllegalArgumentException("Expected a theme scale in (0, 16], but found " + scale);
        }
        this.scale = scale;
        title = font(Font.BOLD, 17);
        subtitle = font(Font.PLAIN, 12);
        header = font(Font.BOLD, 13);
        label = font(Font.PLAIN, 11);
        cell = font(Font.PLAIN, 11);
        mono = new Font(Font.MONOSPACED, Font.PLAIN, 1).deriveFont((float) (12 * scale));
        monoBold = new Font(Font.MONOSPACED, Font.BOLD, 1).deriveFont((float) (13 * scale));
        small = font(Font.PLAIN, 10);
        symbol = font(Font.BOLD, 20);
    }

    /** The theme with every size multiplied by {@code scale}. */
    public static Theme scaled(double scale) {
        return scale == 1.0 ? DEFAULT : new Theme(scale);
    }

    private Font font(int style, double size) {
        return new Font(FAMILY, style, 1).deriveFont((float) (size * scale));
    }

    public double scale() {
        return scale;
    }

    /** A length of {@code n} scale-1 pixels at this scale, rounded to whole pixels (at least 1 when {@code n > 0}). */
    public int px(double n) {
        int p = (int) Math.round(n * scale);
        return n > 0 ? Math.max(1, p) : p;
    }

    /** The frame's title line. */
    public Font title() {
        return title;
    }

    /** The line under the title: the layer in words. */
    public Font subtitle() {
        return subtitle;
    }

    /** Column headers. */
    public Font header() {
        return header;
    }

    /** Map labels and notes. */
    public Font label() {
        return label;
    }

    /** The values printed in cells. */
    public Font cell() {
        return cell;
    }

    /** Captions that spell sums out (monospaced so columns of numbers line up). */
    public Font mono() {
        return mono;
    }

    /** The sum box. */
    public Font monoBold() {
        return monoBold;
    }

    /** Colour-bar ticks and the frame counter. */
    public Font small() {
        return small;
    }

    /** The operators between columns ({@code x}). */
    public Font symbol() {
        return symbol;
    }
}
