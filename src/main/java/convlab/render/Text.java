package convlab.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures' fonts (in {@link Theme}'s family and colours) and text measured in one fixed rendering context, so the layout does not depend on where the figure is
 * drawn (PNG or SVG) and the same input always gives the same geometry.
 */
final class Text {

    private Text() {
    }

    static final FontRenderContext FRC = new FontRenderContext(null, true, true);

    static final String FAMILY = Theme.FAMILY;
    static final Font HEADER = new Font(FAMILY, Font.BOLD, 18);
    static final Font CONFIG = new Font(FAMILY, Font.PLAIN, 13);
    static final Font DETAIL = new Font(FAMILY, Font.PLAIN, 12);
    static final Font SECTION = new Font(FAMILY, Font.BOLD, 15);
    static final Font CAPTION = new Font(FAMILY, Font.PLAIN, 11);
    static final Font PANEL_TITLE = new Font(FAMILY, Font.PLAIN, 11);
    static final Font TICK = new Font(FAMILY, Font.PLAIN, 9);
    static final Font BIAS = new Font(FAMILY, Font.PLAIN, 11);
    static final Font MESSAGE = new Font(Font.MONOSPACED, Font.PLAIN, 11);
    static final Font STATUS = new Font(FAMILY, Font.BOLD, 12);

    static final Color INK = Theme.INK;
    static final Color MUTED = Theme.MUTED;
    static final Color RULE = Theme.RULE;

    static double width(String s, Font f) {
        return s.isEmpty() ? 0 : f.getStringBounds(s, FRC).getWidth();
    }

    static double maxWidth(List<String> lines, Font f) {
        double w = 0;
        for (String s : lines) {
            w = Math.max(w, width(s, f));
        }
        return w;
    }

    /** Distance between baselines. */
    static double lineHeight(Font f) {
        LineMetrics m = f.getLineMetrics("Xg", FRC);
        return Math.ceil(m.getAscent() + m.getDescent() + m.getLeading());
    }

    static double ascent(Font f) {
        return f.getLineMetrics("Xg", FRC).getAscent();
    }

    /** Height of the digits and capitals above the baseline, for centring numbers in cells. */
    static double capHeight(Font f) {
        return f.createGlyphVector(FRC, "0").getVisualBounds().getHeight();
    }

    /**
     * A rendering hint: with {@link Boolean#TRUE} the figure is drawn without its text (a thumbnail too small to
     * read it; see {@link Figures#thumbnail}). {@link #draw} and the charts' tick and cell labels look for it.
     */
    static final RenderingHints.Key OMIT = new RenderingHints.Key(0x636c7478) {
        @Override
        public boolean isCompatibleValue(Object value) {
            return value instanceof Boolean;
        }
    };

    /** Whether {@code g} draws the figure without text ({@link #OMIT}). */
    static boolean omitted(Graphics2D g) {
        return g.getRenderingHint(OMIT) == Boolean.TRUE;
    }

    static void draw(Graphics2D g, String s, Font f, Color c, double x, double baseline) {
        if (s.isEmpty() || omitted(g)) {
            return;
        }
        g.setFont(f);
        g.setPaint(c);
        g.drawString(s, (float) x, (float) baseline);
    }

    static void drawCentred(Graphics2D g, String s, Font f, Color c, double cx, double baseline) {
        draw(g, s, f, c, cx - width(s, f) / 2, baseline);
    }

    /**
     * Breaks text into lines no wider than {@code max}: at spaces where it can, inside a word where it must.
     * Newlines in the text are kept.
     */
    static List<String> wrap(String text, Font f, double max) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.strip().split("\\R", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.strip().split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                String candidate = line.length() == 0 ? word : line + " " + word;
                if (width(candidate, f) <= max) {
                    line.setLength(0);
                    line.append(candidate);
                    continue;
                }
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                String rest = word;
                while (width(rest, f) > max && rest.length() > 1) {
                    int cut = rest.length() - 1;
                    while (cut > 1 && width(rest.substring(0, cut), f) > max) {
                        cut--;
                    }
                    lines.add(rest.substring(0, cut));
                    rest = rest.substring(cut);
                }
                line.append(rest);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * A white canvas of {@code width x height} layout units at {@code scale} pixels per unit, drawn on in layout
     * units, text antialiased and with fractional metrics (text measured with {@link #FRC} is as wide when drawn);
     * the caller disposes of it. Every pixel is filled, not the width rounded down.
     */
    static Graphics2D canvas(BufferedImage img, double scale) {
        Graphics2D gr = img.createGraphics();
        gr.scale(scale, scale);
        gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        gr.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        gr.setColor(Color.WHITE);
        gr.fill(new java.awt.geom.Rectangle2D.Double(0, 0, img.getWidth() / scale, img.getHeight() / scale));
        return gr;
    }
}
