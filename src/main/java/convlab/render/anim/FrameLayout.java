package convlab.render.anim;

import convlab.core.Geometry;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/**
 * Where everything sits in a frame of one layer's animation; every frame of the layer shares it. Columns from left
 * to right: the input channels (drawn padded), the filter's kernel slices (one per input channel, on the channel's
 * row), each channel's partial sum, the box adding them up with the bias and applying the activation, and the output
 * channels. Below them: the colour scales and the caption that spells the sum out.
 *
 * <p>Tests use {@link #outputCell}, {@link #outputSample} and {@link #inputSample} to find a cell's pixels in a
 * decoded GIF: a sample point is a pixel that shows the cell's fill colour, clear of its value text and of the
 * highlight outlines (guaranteed when the cell is at least 8 pixels on a side).
 */
public final class FrameLayout {

    static final int MARGIN = 18;
    static final int NUMBER_CELL = 30;
    static final int MAX_NUMBER_SIDE = 12;
    static final int PANEL_BUDGET = 300;
    static final int ROWS_BUDGET = 840;
    static final int MAX_ROWS_BUDGET = 1400;
    /** Panels with more input channels or filters than this put short labels beside the maps. */
    static final int COMPACT_ABOVE = 4;
    static final int COMPACT_GAP = 8;
    static final int ROW_GAP = 14;
    static final int STACK_GAP = 16;
    static final int SLAB_THICKNESS = 5;
    static final double STACK_CELL_HEIGHT = 0.5;
    static final double STACK_SKEW = 0.45;

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font HEADER = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Font CELL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    static final Font MONO = new Font(Font.MONOSPACED, Font.PLAIN, 12);
    static final Font MONO_BOLD = new Font(Font.MONOSPACED, Font.BOLD, 13);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    static final Font SYMBOL = new Font(Font.SANS_SERIF, Font.BOLD, 20);

    private final Style style;
    private final Geometry geometry;
    private final int width;
    private final int height;
    private final Grid[] input;
    private final Grid[] kernel;
    private final Grid[] output;
    private final boolean inputNumbers;
    private final boolean kernelNumbers;
    private final boolean outputNumbers;
    private final int titleBaseline;
    private final int subtitleBaseline;
    private final int headerBaseline;
    private final int inputX;
    private final int kernelX;
    private final int sumsX;
    private final int combineX;
    private final int outputX;
    private final int inputW;
    private final int kernelW;
    private final int sumsW;
    private final int combineW;
    private final int outputW;
    private final Rectangle combineBox;
    private final int legendTop;
    private final int captionTop;
    private final int captionLineHeight;
    private final int combineLineHeight;
    private final int labelGutter;
    private final boolean compact;

    /**
     * Lays out a frame.
     *
     * @param captionLines  the most caption lines any frame has
     * @param captionWidth  the widest caption line in pixels (in {@link #MONO})
     * @param combineLines  the most lines the sum box holds
     * @param combineWidth  the widest line of the sum box in pixels (in {@link #MONO_BOLD})
     * @param headers       the column headers, to make room for them: input, kernel, sums, combine, output
     * @param subtitle      the longest title line, to make room for it (in {@link #TITLE})
     */
    FrameLayout(Style style, Geometry g, int captionLines, int captionWidth, int combineLines, int combineWidth,
            String[] headers, String subtitle) {
        this.style = style;
        this.geometry = g;
        Graphics2D m = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            int hp = g.h() + g.pads().top() + g.pads().bottom();
            int wp = g.w() + g.pads().left() + g.pads().right();
            int kh = g.kernel().h();
            int kw = g.kernel().w();
            int channels = g.c();
            boolean stack = style == Style.STACK;
            FontMetrics labelFm = m.getFontMetrics(LABEL);
            // Many maps: short labels beside them instead of above, closer rows, and a taller frame.
            compact = !stack && (channels > COMPACT_ABOVE || g.o() > COMPACT_ABOVE);
            boolean beside = stack || compact;
            int labelH = beside ? 0 : labelFm.getHeight() + 2;
            labelGutter = beside ? labelFm.stringWidth("c" + Math.max(channels, g.o()) + "0") + 8 : 0;
            int rowGap = stack ? STACK_GAP : compact ? COMPACT_GAP : ROW_GAP;
            int budget = Math.min(MAX_ROWS_BUDGET, Math.max(ROWS_BUDGET, Math.max(channels, g.o()) * 64));

            // Cell sizes: numbers need room; many channels share the rows' height budget.
            int perRow = budget / channels - labelH - rowGap;
            Size in = cellSize(hp, wp, perRow, stack);
            Size k = cellSize(kh, kw, Math.max(in.rowHeight(hp, stack), 1), stack);
            if (!stack && k.numbers && in.numbers) {
                k = new Size(Math.min(k.cell, in.cell), true);
            }
            int perOut = Math.max(budget, channels * (in.rowHeight(hp, stack) + labelH + rowGap)) / g.o() - labelH - rowGap;
            Size out = cellSize(g.oh(), g.ow(), perOut, stack);
            if (!stack && out.numbers && in.numbers) {
                out = new Size(in.cell, true);
            }
            inputNumbers = in.numbers;
            kernelNumbers = k.numbers;
            outputNumbers = out.numbers;

            int[] inSize = in.footprint(hp, wp, stack);
            int[] kSize = k.footprint(kh, kw, stack);
            int[] outSize = out.footprint(g.oh(), g.ow(), stack);

            FontMetrics hfm = m.getFontMetrics(HEADER);
            FontMetrics monoFm = m.getFontMetrics(MONO_BOLD);
            inputW = Math.max(labelGutter + inSize[0], hfm.stringWidth(headers[0]));
            kernelW = Math.max(labelGutter + kSize[0], hfm.stringWidth(headers[1]));
            sumsW = Math.max(monoFm.stringWidth("= -0.00e+00"), hfm.stringWidth(headers[2]));
            combineW = Math.max(combineWidth + 20, hfm.stringWidth(headers[3]));
            outputW = Math.max(labelGutter + outSize[0], hfm.stringWidth(headers[4]));

            int gapOp = 40;
            int gapSum = 24;
            int gapCombine = 26;
            int gapArrow = 46;
            inputX = MARGIN;
            kernelX = inputX + inputW + gapOp;
            sumsX = kernelX + kernelW + gapSum;
            combineX = sumsX + sumsW + gapCombine;
            outputX = combineX + combineW + gapArrow;
            int contentRight = outputX + outputW;

            // Vertical: title, subtitle, headers, rows, scales, caption.
            FontMetrics tfm = m.getFontMetrics(TITLE);
            FontMetrics sfm = m.getFontMetrics(SUBTITLE);
            titleBaseline = MARGIN + tfm.getAscent();
            subtitleBaseline = titleBaseline + tfm.getDescent() + 4 + sfm.getAscent();
            headerBaseline = subtitleBaseline + sfm.getDescent() + 16 + hfm.getAscent();
            int rowsTop = headerBaseline + hfm.getDescent() + 10;

            int rowH = Math.max(inSize[1], kSize[1]);
            input = new Grid[channels];
            kernel = new Grid[channels];
            int y = rowsTop;
            for (int c = 0; c < channels; c++) {
                int top = y + labelH;
                int inTop = top + (rowH - inSize[1]) / 2;
                int kTop = top + (rowH - kSize[1]) / 2;
                input[c] = in.grid(hp, wp, inputX + labelGutter, inTop, stack);
                kernel[c] = k.grid(kh, kw, kernelX + labelGutter, kTop, stack);
                y = top + rowH + rowGap;
            }
            int rowsBottom = y - rowGap;
            output = new Grid[g.o()];
            y = rowsTop;
            for (int o = 0; o < g.o(); o++) {
                output[o] = out.grid(g.oh(), g.ow(), outputX, y + labelH, stack); // stack labels go on the right
                y += labelH + outSize[1] + rowGap;
            }
            int outBottom = y - rowGap;

            combineLineHeight = monoFm.getHeight() + 3;
            int boxH = combineLines * combineLineHeight + 16;
            int boxTop = Math.max(rowsTop, rowsTop + (rowsBottom - rowsTop - boxH) / 2);
            combineBox = new Rectangle(combineX, boxTop, combineW, boxH);

            int regionBottom = Math.max(Math.max(rowsBottom, outBottom), combineBox.y + combineBox.height);
            legendTop = regionBottom + 18;
            int legendH = 12 + m.getFontMetrics(SMALL).getHeight() + m.getFontMetrics(LABEL).getHeight() + 4;
            FontMetrics cfm = m.getFontMetrics(MONO);
            captionLineHeight = cfm.getHeight() + 2;
            captionTop = legendTop + legendH + 14;
            height = captionTop + captionLines * captionLineHeight + MARGIN;
            int titleW = tfm.stringWidth(subtitle) + 160;
            width = Math.max(Math.max(contentRight, captionWidth + MARGIN), titleW) + MARGIN;
        } finally {
            m.dispose();
        }
    }

    /** A cell size for an {@code r x c} map and whether values fit in its cells. */
    private record Size(double cell, boolean numbers) {
        int[] footprint(int r, int c, boolean stack) {
            if (!stack) {
                return new int[] {(int) Math.round(cell * c), (int) Math.round(cell * r)};
            }
            int w = (int) Math.round(cell * c + r * cell * STACK_SKEW);
            int h = (int) Math.round(r * cell * STACK_CELL_HEIGHT) + SLAB_THICKNESS;
            return new int[] {w, h};
        }

        int rowHeight(int r, boolean stack) {
            return stack ? (int) Math.round(r * cell * STACK_CELL_HEIGHT) + SLAB_THICKNESS : (int) Math.round(cell * r);
        }

        Grid grid(int r, int c, int x, int y, boolean stack) {
            if (!stack) {
                return Grid.flat(r, c, x, y, (int) Math.round(cell * c), (int) Math.round(cell * r));
            }
            return Grid.oblique(r, c, x, y, cell, cell * STACK_CELL_HEIGHT, cell * STACK_SKEW);
        }
    }

    /**
     * Panels: maps up to {@value #MAX_NUMBER_SIDE} cells a side get {@value #NUMBER_CELL}-pixel cells with their values
     * printed; larger ones shrink to fit {@value #PANEL_BUDGET} pixels (down to fractions of a pixel a cell, which
     * then samples the map). Stack: 26-pixel-wide cells for small maps, shrinking the same way; never numbers.
     * {@code maxHeight} caps the map's drawn height (rows of many channels share the frame's height).
     */
    private static Size cellSize(int r, int c, int maxHeight, boolean stack) {
        int side = Math.max(r, c);
        double heightFactor = stack ? STACK_CELL_HEIGHT : 1.0;
        double fit = maxHeight / (r * heightFactor);
        if (!stack && side <= MAX_NUMBER_SIDE && fit >= NUMBER_CELL) {
            return new Size(NUMBER_CELL, true);
        }
        double cell = Math.min(stack ? 26 : 22, PANEL_BUDGET / (double) side);
        cell = Math.min(cell, fit);
        if (cell >= 2) {
            cell = Math.floor(cell);
        }
        return new Size(Math.max(cell, 0.25), false);
    }

    public Style style() {
        return style;
    }

    public Geometry geometry() {
        return geometry;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Input channel {@code c}, padded: row {@code ph} and column {@code pw} count from the top-left padding cell. */
    public Grid inputGrid(int c) {
        return input[c];
    }

    /** The kernel slice drawn on input channel {@code c}'s row (whichever filter is computing). */
    public Grid kernelGrid(int c) {
        return kernel[c];
    }

    /** Output channel {@code oc}. */
    public Grid outputGrid(int oc) {
        return output[oc];
    }

    public Polygon outputCell(int oc, int oh, int ow) {
        return output[oc].cell(oh, ow);
    }

    /** A pixel showing output cell {@code (oc, oh, ow)}'s fill: blank until computed, then the value's colour. */
    public Point outputSample(int oc, int oh, int ow) {
        return sample(output[oc], oh, ow, outputNumbers);
    }

    /** A pixel showing padded input cell {@code (c, ph, pw)}'s fill colour. */
    public Point inputSample(int c, int ph, int pw) {
        return sample(input[c], ph, pw, inputNumbers);
    }

    /** A pixel showing kernel cell {@code (kh, kw)}'s fill on input channel {@code c}'s row. */
    public Point kernelSample(int c, int kh, int kw) {
        return sample(kernel[c], kh, kw, kernelNumbers);
    }

    private static Point sample(Grid g, int r, int c, boolean numbers) {
        Point center = g.center(r, c);
        if (!numbers) {
            return center;
        }
        // Above the value text, below the cell's top edge and any outline drawn on it.
        return new Point(center.x, g.corner(r, c).y + 5);
    }

    public boolean inputNumbers() {
        return inputNumbers;
    }

    public boolean kernelNumbers() {
        return kernelNumbers;
    }

    public boolean outputNumbers() {
        return outputNumbers;
    }

    int titleBaseline() {
        return titleBaseline;
    }

    int subtitleBaseline() {
        return subtitleBaseline;
    }

    int headerBaseline() {
        return headerBaseline;
    }

    int inputX() {
        return inputX;
    }

    int kernelX() {
        return kernelX;
    }

    int sumsX() {
        return sumsX;
    }

    int combineX() {
        return combineX;
    }

    int outputX() {
        return outputX;
    }

    int inputW() {
        return inputW;
    }

    int kernelW() {
        return kernelW;
    }

    int sumsW() {
        return sumsW;
    }

    int combineW() {
        return combineW;
    }

    int outputW() {
        return outputW;
    }

    Rectangle combineBox() {
        return new Rectangle(combineBox);
    }

    int combineLineHeight() {
        return combineLineHeight;
    }

    int legendTop() {
        return legendTop;
    }

    int captionTop() {
        return captionTop;
    }

    int captionLineHeight() {
        return captionLineHeight;
    }

    int labelGutter() {
        return labelGutter;
    }

    /** Whether labels sit beside the maps ({@code c0}, {@code w0}, {@code o0}) rather than above them. */
    boolean labelsBeside() {
        return style == Style.STACK || compact;
    }
}
