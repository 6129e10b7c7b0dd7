package convlab.render;

import convlab.core.Describe;
import convlab.core.Pool2d;
import convlab.core.PoolGeometry;
import convlab.core.PoolLayer;
import convlab.core.Tap;
import convlab.core.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * One pooling window drawn from its taps: the input channel with its padding (and any ceil-mode cells past it), the
 * window of one output outlined, the cell max pooling picks marked (or, for average pooling, the cells the divisor
 * counts), and the output channel with that value marked. Everything shown comes from {@link PoolLayer#taps},
 * {@link Pool2d#winner}, {@link Pool2d#divisor} and {@link PoolLayer#forward}; headless and deterministic.
 */
public final class PoolFigure {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Where the marks go: the window and winner in red, the output cell in red too. */
    static final Color MARK = new Color(0xd6, 0x27, 0x28);
    static final Color PAD = new Color(0xee, 0xee, 0xee);
    static final Color EXTENSION = new Color(0xfa, 0xfa, 0xfa);
    private static final double CELL = 34;
    private static final double GAP = 48;
    private static final double MARGIN = 16;

    private PoolFigure() {
    }

    /** The caption's one line: how output {@code [n][c][oh][ow]} comes from its taps. */
    public static String caption(Tensor input, PoolLayer layer, int n, int c, int oh, int ow) {
        List<Tap> taps = layer.taps(input, n, c, oh, ow);
        double value = layer.reduce(taps, c);
        String at = String.format(Locale.ROOT, "out[%d][%d][%d][%d]", n, c, oh, ow);
        if (layer.isMax()) {
            Tap win = taps.get(Pool2d.winner(taps));
            return at + " = max of " + taps.size() + " window cells = " + Compact.format(value) + ", from input row " + win.ih()
                    + ", column " + win.iw() + (Double.isNaN(value) ? " (a NaN takes over)" : " (the first largest; padded cells hold -inf)");
        }
        double sum = 0;
        for (Tap t : taps) {
            sum += t.product();
        }
        int divisor = Pool2d.divisor(taps, layer.spec().countIncludePad());
        return at + " = " + Compact.format(sum) + " / " + divisor + " = " + Compact.format(value) + " (the divisor counts "
                + (layer.spec().countIncludePad() ? "input and padded cells" : "input cells only") + "; ceil-mode cells past the padding never count)";
    }

    /** The figure for output {@code [n][c][oh][ow]} of {@code layer} on {@code input}, at {@code scale} pixels per unit. */
    public static BufferedImage render(Tensor input, PoolLayer layer, int n, int c, int oh, int ow, double scale) {
        PoolGeometry g = layer.geometry(input.shape());
        if (n < 0 || n >= g.n() || c < 0 || c >= g.c() || oh < 0 || oh >= g.oh() || ow < 0 || ow >= g.ow()) {
            throw new IllegalArgumentException("Expected an output index inside " + Tensor.shapeString(g.outputShape()) + ", but found ["
                    + n + ", " + c + ", " + oh + ", " + ow + "]");
        }
        Tensor out = layer.forward(input).activated();
        int top = g.pads().top(), left = g.pads().left();
        int rows = g.h() + top + g.pads().bottom() + g.extraBottom();
        int cols = g.w() + left + g.pads().right() + g.extraRight();
        String title = layer.op() + ": " + Describe.pool(g, layer);
        String caption = caption(input, layer, n, c, oh, ow);
        String inLabel = "input channel " + c + " (padding in grey" + (g.extraBottom() + g.extraRight() > 0 ? ", ceil-mode cells past it in white" : "") + ")";
        String outLabel = "output channel " + c;
        // Each panel is as wide as the wider of its grid and its label, so a small input's label never runs into the output's.
        double inW = Math.max(cols * CELL, Text.width(inLabel, Text.PANEL_TITLE)), outW = Math.max(g.ow() * CELL, Text.width(outLabel, Text.PANEL_TITLE));
        double textW = Math.max(Text.width(title, Text.CONFIG), Text.width(caption, Text.DETAIL));
        double width = MARGIN * 2 + Math.max(inW + GAP + outW, textW);
        double gridTop = MARGIN + 3 * Text.lineHeight(Text.CONFIG) + Text.lineHeight(Text.PANEL_TITLE);
        double height = gridTop + Math.max(rows, g.oh()) * CELL + MARGIN + Text.lineHeight(Text.CAPTION);
        BufferedImage img = new BufferedImage((int) Math.ceil(width * scale), (int) Math.ceil(height * scale), BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = Text.canvas(img, scale);
        try {
            double y = MARGIN + Text.ascent(Text.CONFIG);
            Text.draw(gr, title, Text.CONFIG, Text.INK, MARGIN, y);
            Text.draw(gr, caption, Text.DETAIL, Text.INK, MARGIN, y + Text.lineHeight(Text.CONFIG));
            Text.draw(gr, inLabel, Text.PANEL_TITLE, Text.MUTED, MARGIN, gridTop - 4);
            Text.draw(gr, outLabel, Text.PANEL_TITLE, Text.MUTED, MARGIN + inW + GAP, gridTop - 4);
            Scale s = Scale.fitting(input, out);
            // the input, padded
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    int ih = r - top, iw = k - left;
                    Rectangle2D cell = new Rectangle2D.Double(MARGIN + k * CELL, gridTop + r * CELL, CELL, CELL);
                    if (g.inside(ih, iw)) {
                        valueCell(gr, cell, input.get(n, c, ih, iw), s);
                    } else {
                        gr.setColor(g.insidePadded(ih, iw) ? PAD : EXTENSION);
                        gr.fill(cell);
                        if (g.insidePadded(ih, iw)) {
                            Text.drawCentred(gr, layer.isMax() ? "-inf" : "0", Text.CAPTION, Text.MUTED, cell.getCenterX(), cell.getCenterY() + 4);
                        }
                    }
                    gr.setColor(Text.RULE);
                    gr.draw(cell);
                }
            }
            // the window's taps, and the winner or the counted cells
            List<Tap> taps = layer.taps(input, n, c, oh, ow);
            int winner = layer.isMax() ? Pool2d.winner(taps) : -1;
            for (int i = 0; i < taps.size(); i++) {
                Tap t = taps.get(i);
                Rectangle2D cell = new Rectangle2D.Double(MARGIN + (t.iw() + left) * CELL, gridTop + (t.ih() + top) * CELL, CELL, CELL);
                gr.setColor(MARK);
                gr.setStroke(new BasicStroke(i == winner ? 4f : 1.5f));
                gr.draw(i == winner ? cell : inset(cell, 3));
                if (!layer.isMax() && (layer.spec().countIncludePad() || !t.padding())) {
                    gr.fill(new Rectangle2D.Double(cell.getMaxX() - 9, cell.getY() + 4, 5, 5)); // counted in the divisor
                }
            }
            // the window's whole span, dashed: it also covers ceil-mode cells past the padding, which are not taps
            double spanH = (double) (g.kernel().h() - 1) * g.dilation().h() + 1, spanW = (double) (g.kernel().w() - 1) * g.dilation().w() + 1;
            gr.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
            gr.draw(new Rectangle2D.Double(MARGIN + (ow * g.stride().w()) * CELL, gridTop + (oh * g.stride().h()) * CELL, spanW * CELL, spanH * CELL));
            gr.setStroke(new BasicStroke(1f));
            // the output
            double ox = MARGIN + inW + GAP;
            for (int r = 0; r < g.oh(); r++) {
                for (int k = 0; k < g.ow(); k++) {
                    Rectangle2D cell = new Rectangle2D.Double(ox + k * CELL, gridTop + r * CELL, CELL, CELL);
                    valueCell(gr, cell, out.get(n, c, r, k), s);
                    gr.setColor(Text.RULE);
                    gr.draw(cell);
                }
            }
            gr.setColor(MARK);
            gr.setStroke(new BasicStroke(4f));
            gr.draw(new Rectangle2D.Double(ox + ow * CELL, gridTop + oh * CELL, CELL, CELL));
            Text.draw(gr, "colours: " + s.describe() + (layer.isMax() ? "; thick red: the cell max pooling picks" : "; red squares: cells the divisor counts"),
                    Text.CAPTION, Text.MUTED, MARGIN, height - MARGIN / 2);
        } finally {
            gr.dispose();
        }
        return img;
    }

    /**
     * The figure of the output worth showing for item {@code n}, channel 0: the last output when a ceil-mode window
     * reaches past the padding (the case that needs explaining), else output (0, 0), whose window meets the padding
     * first.
     */
    public static BufferedImage render(Tensor input, PoolLayer layer, int n, double scale) {
        PoolGeometry g = layer.geometry(input.shape());
        boolean corner = g.extraBottom() + g.extraRight() > 0;
        return render(input, layer, Math.max(0, Math.min(n, g.n() - 1)), 0, corner ? g.oh() - 1 : 0, corner ? g.ow() - 1 : 0, scale);
    }

    /** The figure as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the figure as a PNG, atomically. */
    public static void writePng(BufferedImage image, java.nio.file.Path file) {
        byte[] bytes = png(image);
        convlab.io.AtomicFiles.write(file, out -> out.write(bytes));
    }

    private static void valueCell(Graphics2D gr, Rectangle2D cell, double v, Scale s) {
        Color fill = Double.isNaN(v) ? ColorMap.NAN : s.color(v);
        gr.setColor(fill);
        gr.fill(cell);
        Text.drawCentred(gr, Compact.format(v), Text.CAPTION, ColorMap.textOn(fill), cell.getCenterX(), cell.getCenterY() + 4);
    }

    private static Rectangle2D inset(Rectangle2D r, double d) {
        return new Rectangle2D.Double(r.getX() + d, r.getY() + d, r.getWidth() - 2 * d, r.getHeight() - 2 * d);
    }
}
