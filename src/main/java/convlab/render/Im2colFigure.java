package convlab.render;

import convlab.core.ConvLayer;
import convlab.core.Describe;
import convlab.core.Geometry;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.core.Unfold;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * A conv2d layer as im2col's matrix product ({@link Unfold}), drawn the way a matrix product is taught: the column
 * matrix {@code cols} top right, the weight matrix {@code W} bottom left, and their product {@code out = W x cols + b}
 * where the rows of {@code W} meet the columns of {@code cols}. Row 0 of {@code W}, column 0 of {@code cols} and the
 * output they make are outlined: one output value is one row times one column. Batch item {@code n}, group 0; every
 * number is {@link Unfold}'s, and the product is checked against {@link convlab.core.Conv2d}'s output.
 */
public final class Im2colFigure {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** The most rows plus columns drawn ({@code K + P}); a bigger layer is refused with the reason. */
    public static final int MAX_SPAN = 600;
    private static final double MAX_WIDTH = 1500;
    private static final double MAX_CELL = 34;
    private static final double VALUES_FROM = 26; // cells at least this wide print their value
    private static final double MARGIN = 16;
    private static final double GAP = 14;

    private Im2colFigure() {
    }

    /** Why the figure of {@code layer} on {@code input} is not drawn, or null when it is. */
    public static String tooBig(Tensor input, ConvLayer layer) {
        Geometry g = Geometry.of(input.shape(), layer);
        int span = Unfold.rows(g) + Unfold.columns(g);
        return span <= MAX_SPAN ? null : String.format(Locale.ROOT, "its column matrix is %d x %d, more than the %d rows plus columns"
                + " the im2col figure draws (explain --im2col prints its corner)", Unfold.rows(g), Unfold.columns(g), MAX_SPAN);
    }

    /** The figure of batch item {@code n}, group 0, at {@code scale} pixels per unit. */
    public static BufferedImage render(Tensor input, ConvLayer layer, int n, double scale) {
        Geometry g = Geometry.of(input.shape(), layer);
        String big = tooBig(input, layer);
        if (big != null) {
            throw new IllegalArgumentException("Expected a layer small enough to draw, but " + big);
        }
        int k = Unfold.rows(g), p = Unfold.columns(g), og = g.og();
        Tensor cols = Unfold.columnMatrix(input, layer, n, 0);
        Tensor w = Unfold.weightMatrix(layer, 0);
        Tensor product = Unfold.product(input, layer, n);
        double cell = Math.max(2, Math.min(MAX_CELL, Math.floor(MAX_WIDTH / (k + p))));
        boolean values = cell >= VALUES_FROM;
        String title = "conv2d as im2col: out = W x cols + b (" + Describe.conv2d(g, layer) + ")";
        String caption = String.format(Locale.ROOT, "cols %d x %d: column (oh, ow) is that output's window, read in the order (c, kh, kw); W %d x %d:"
                + " one filter per row; out %d x %d: one output plane of %dx%d per row%s", k, p, og, k, og, p, g.oh(), g.ow(),
                layer.spec().groups() == 1 ? "" : " (group 0 of " + layer.spec().groups() + ")");
        String check = check(input, layer, n, product);
        double left = MARGIN + k * cell; // W is k cells wide: cols and out start where it ends
        double textTop = MARGIN;
        double gridTop = textTop + 3 * Text.lineHeight(Text.CONFIG) + Text.lineHeight(Text.PANEL_TITLE);
        double outTop = gridTop + k * cell + GAP + Text.lineHeight(Text.PANEL_TITLE);
        double width = Math.max(left + GAP + p * cell + MARGIN,
                2 * MARGIN + Math.max(Text.width(title, Text.CONFIG), Math.max(Text.width(caption, Text.DETAIL), Text.width(check, Text.DETAIL))));
        double height = outTop + og * cell + MARGIN + Text.lineHeight(Text.CAPTION);
        BufferedImage img = new BufferedImage((int) Math.ceil(width * scale), (int) Math.ceil(height * scale), BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = Text.canvas(img, scale);
        try {
            double y = textTop + Text.ascent(Text.CONFIG);
            Text.draw(gr, title, Text.CONFIG, Text.INK, MARGIN, y);
            Text.draw(gr, caption, Text.DETAIL, Text.INK, MARGIN, y + Text.lineHeight(Text.CONFIG));
            Text.draw(gr, check, Text.DETAIL, Text.INK, MARGIN, y + 2 * Text.lineHeight(Text.CONFIG));
            double colsX = left + GAP;
            Text.draw(gr, "cols [" + k + " x " + p + "]" + (zeroPadded(g, layer) ? " (grey: a zero of the padding)" : ""),
                    Text.PANEL_TITLE, Text.MUTED, colsX, gridTop - 4);
            Text.draw(gr, "W [" + og + " x " + k + "]", Text.PANEL_TITLE, Text.MUTED, MARGIN, outTop - 4);
            Text.draw(gr, "out [" + og + " x " + p + "] = W x cols" + (layer.bias() == null ? "" : " + b"), Text.PANEL_TITLE, Text.MUTED,
                    colsX, outTop - 4);
            // Row labels (c, kh, kw) in the space left of cols, above W, where they fit: which weight each row meets.
            if (cell >= 9) {
                for (int r = 0; r < k; r++) {
                    int[] kc = Unfold.kernelCell(g, r);
                    String label = "c" + kc[0] + " kh" + kc[1] + " kw" + kc[2];
                    double lw = Text.width(label, Text.TICK);
                    if (lw + 6 <= k * cell) {
                        Text.draw(gr, label, Text.TICK, Text.MUTED, colsX - 6 - lw, gridTop + r * cell + cell / 2 + 3);
                    }
                }
            }
            Scale colScale = Scale.fitting(cols), wScale = Scale.fitting(w), outScale = Scale.fitting(product);
            PaddingMode mode = layer.spec().paddingMode();
            for (int r = 0; r < k; r++) {
                for (int j = 0; j < p; j++) {
                    int[] t = Unfold.tap(g, 0, r, j);
                    boolean pad = mode.source(t[1], g.h()) < 0 || mode.source(t[2], g.w()) < 0;
                    Rectangle2D c = new Rectangle2D.Double(colsX + j * cell, gridTop + r * cell, cell, cell);
                    if (pad) {
                        gr.setColor(PoolFigure.PAD);
                        gr.fill(c);
                    } else {
                        valueCell(gr, c, cols.get(r, j), colScale, values);
                    }
                }
            }
            for (int o = 0; o < og; o++) {
                for (int r = 0; r < k; r++) {
                    valueCell(gr, new Rectangle2D.Double(MARGIN + r * cell, outTop + o * cell, cell, cell), w.get(o, r), wScale, values);
                }
                for (int j = 0; j < p; j++) {
                    valueCell(gr, new Rectangle2D.Double(colsX + j * cell, outTop + o * cell, cell, cell), product.get(o, j / g.ow(), j % g.ow()),
                            outScale, values);
                }
            }
            gr.setColor(PoolFigure.MARK);
            gr.setStroke(new BasicStroke(cell >= 8 ? 3f : 1.5f));
            gr.draw(new Rectangle2D.Double(colsX, gridTop, cell, k * cell));       // column 0 of cols
            gr.draw(new Rectangle2D.Double(MARGIN, outTop, k * cell, cell));       // row 0 of W
            gr.draw(new Rectangle2D.Double(colsX, outTop, cell, cell));            // out[0][0]
            Text.draw(gr, "colours, each matrix its own scale: cols " + colScale.describe() + "; W " + wScale.describe() + "; out "
                    + outScale.describe(), Text.CAPTION, Text.MUTED, MARGIN, height - MARGIN / 2);
        } finally {
            gr.dispose();
        }
        return img;
    }

    /** The figure's third line: the outlined row times column, and how far the whole product is from conv2d's loops. */
    static String check(Tensor input, ConvLayer layer, int n, Tensor product) {
        return String.format(Locale.ROOT, "batch item %d. Outlined: row 0 of W times column 0 of cols%s = out[0][0] = %s;"
                + " the largest difference from conv2d's loops over the whole product is %s", n, layer.bias() == null ? "" : " + b[0]",
                Numbers.format(product.flat(0)), Compact.format(maxDifference(product, layer.forward(input).preActivation(), n)));
    }

    private static boolean zeroPadded(Geometry g, ConvLayer layer) {
        return layer.spec().paddingMode() == PaddingMode.ZEROS && !g.pads().isZero();
    }

    /** The largest |product - conv2d| over batch item {@code n}'s output; a NaN both give is no difference (NaN in data is data). */
    private static double maxDifference(Tensor product, Tensor conv, int n) {
        double max = 0;
        for (int o = 0; o < product.dim(0); o++) {
            for (int i = 0; i < product.dim(1); i++) {
                for (int j = 0; j < product.dim(2); j++) {
                    double a = product.get(o, i, j), b = conv.get(n, o, i, j);
                    if (!(Double.isNaN(a) && Double.isNaN(b))) {
                        max = Math.max(max, Double.isNaN(a) || Double.isNaN(b) ? Double.POSITIVE_INFINITY : Math.abs(a - b));
                    }
                }
            }
        }
        return max;
    }

    private static void valueCell(Graphics2D gr, Rectangle2D cell, double v, Scale s, boolean values) {
        Color fill = Double.isNaN(v) ? ColorMap.NAN : s.color(v);
        gr.setColor(fill);
        gr.fill(cell);
        if (values) {
            Text.drawCentred(gr, Numbers.format(v), Text.TICK, ColorMap.textOn(fill), cell.getCenterX(), cell.getCenterY() + 3);
        }
    }
}
