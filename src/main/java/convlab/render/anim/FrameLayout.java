package convlab.render.anim;

import convlab.core.Geometry;
import convlab.render.Theme;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/**
 * Where everything sits in a frame of one layer's animation; every frame of the layer shares it. Two arrangements:
 * {@link Arrangement#ROWS} (portrait, the default) has a row per input channel holding the channel (drawn padded),
 * the kernel slice on it and the channel's partial sum; {@link Arrangement#ACROSS} (landscape, for slides) turns
 * that into a column per channel, the kernel slice under the channel and the partial sum under the slice. Both then
 * have the box adding the partial sums up with the bias, the outputs before the activation (when the layer has one)
 * and the outputs, with the colour scales and the caption that spells the sum out below. Every length is the
 * {@link Theme}'s, so a layout at scale 2 is the default one twice as large.
 *
 * <p>Tests use {@link #outputCell}, {@link #outputSample} and {@link #inputSample} to find a cell's pixels in a
 * decoded GIF: a sample point is a pixel that shows the cell's fill colour, clear of its value text and of the
 * highlight outlines (guaranteed when the cell is at least 8 pixels on a side).
 */
public final class FrameLayout {

    /** How the channels of a frame are arranged. */
    public enum Arrangement {
        /** A row per input channel: the default, portrait frame. */
        ROWS,
        /** A column per input channel: a landscape frame, for slides. */
        ACROSS
    }

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
    /** The smallest type a forced value is printed in, in pixels. */
    static final float MIN_FORCED_TYPE = 6f;

    /**
     * What the layout must make room for.
     *
     * @param captionLines the most caption lines any frame has
     * @param captionChars the longest caption line, in characters of {@link Theme#mono()}
     * @param boxLines     the most lines the sum box holds
     * @param boxChars     the longest line of the sum box, in characters of {@link Theme#monoBold()}
     * @param headers      the column headers: input, kernel, sums, combine, before the activation, output
     * @param title        the longest title line (in {@link Theme#title()})
     * @param pre          whether the outputs before the activation get maps of their own
     * @param numbers      print values in every cell, shrinking the type to fit
     * @param inputLabel   the longest label of an input channel
     */
    record Content(int captionLines, int captionChars, int boxLines, int boxChars, String[] headers, String title,
                   boolean pre, boolean numbers, String inputLabel) {
        /** The same, without maps of the outputs before the activation. */
        Content withoutPre() {
            return new Content(captionLines, captionChars, boxLines, boxChars, headers, title, false, numbers, inputLabel);
        }
    }

    private final Style style;
    private final Arrangement arrangement;
    private final Theme theme;
    private final Geometry geometry;
    private final int width;
    private final int height;
    private final Grid[] input;
    private final Grid[] kernel;
    private final Grid[] output;
    private final Grid[] pre;
    private final Grid[][] holdKernel;
    private final Font inputFont;
    private final Font kernelFont;
    private final Font outputFont;
    private final int titleBaseline;
    private final int subtitleBaseline;
    private final int margin;
    private final Point[] headerAt;
    private final Point[] timesAt;
    private final Point[] partialAt;
    private final Point otherGroupAt;
    private final Rectangle combineBox;
    private final int[] legendX;
    private final int[] legendW;
    private final int legendTop;
    private final int captionTop;
    private final int captionLineHeight;
    private final int combineLineHeight;
    private final int labelGutter;
    private final boolean compact;

    /** Header indices into {@link Content#headers()} and {@link #headerAt}. */
    static final int H_INPUT = 0;
    static final int H_KERNEL = 1;
    static final int H_SUMS = 2;
    static final int H_COMBINE = 3;
    static final int H_PRE = 4;
    static final int H_OUTPUT = 5;

    /**
     * Lays out a frame at the theme's scale; with {@code canvasW > 0} the frame is {@code canvasW x canvasH} and the
     * drawing is centred on it (it must fit: see {@link #fit}).
     */
    FrameLayout(Style style, Arrangement arrangement, Theme t, Geometry g, Content content, int canvasW, int canvasH) {
        this(style, arrangement, t, g, content, 0, 0, canvasW, canvasH);
    }

    private FrameLayout(Style style, Arrangement arrangement, Theme t, Geometry g, Content content, int ox, int oy,
            int canvasW, int canvasH) {
        this.style = style;
        this.arrangement = style == Style.STACK ? Arrangement.ROWS : arrangement;
        // Landscape frames are slides: every gap a little tighter, so the maps and their values get the room.
        boolean across = this.arrangement == Arrangement.ACROSS;
        this.theme = t;
        this.geometry = g;
        String[] headers = content.headers();
        Graphics2D m = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            int hp = g.h() + g.pads().top() + g.pads().bottom();
            int wp = g.w() + g.pads().left() + g.pads().right();
            int kh = g.kernel().h();
            int kw = g.kernel().w();
            int channels = g.c();
            int o = g.o();
            boolean stack = style == Style.STACK;
            FontMetrics labelFm = m.getFontMetrics(t.label());
            FontMetrics hfm = m.getFontMetrics(t.header());
            FontMetrics monoFm = m.getFontMetrics(t.monoBold());
            FontMetrics tfm = m.getFontMetrics(t.title());
            FontMetrics sfm = m.getFontMetrics(t.subtitle());
            margin = t.px(across ? 12 : MARGIN);
            // Many maps: short labels beside them instead of above, closer rows, and a taller frame.
            compact = !stack && !across && (channels > COMPACT_ABOVE || o > COMPACT_ABOVE);
            boolean beside = stack || compact;
            int labelH = beside ? 0 : labelFm.getHeight() + t.px(2);
            labelGutter = beside ? labelFm.stringWidth("c" + Math.max(channels, o) + "0") + t.px(8) : 0;
            int rowGap = t.px(stack ? STACK_GAP : compact ? COMPACT_GAP : ROW_GAP);
            int budget = t.px(Math.min(MAX_ROWS_BUDGET, Math.max(ROWS_BUDGET, Math.max(channels, o) * 64)));

            titleBaseline = oy + margin + tfm.getAscent();
            subtitleBaseline = titleBaseline + tfm.getDescent() + t.px(4) + sfm.getAscent();
            int headerBaseline = subtitleBaseline + sfm.getDescent() + t.px(across ? 12 : 16) + hfm.getAscent();
            int rowsTop = headerBaseline + hfm.getDescent() + t.px(10);
            int inputX = ox + margin;
            headerAt = new Point[6];
            timesAt = new Point[channels];
            partialAt = new Point[channels];
            input = new Grid[channels];
            kernel = new Grid[channels];
            int partialW = monoFm.stringWidth("= -0.00e+00");
            int sumsX;
            int combineX;
            int combineW = Math.max(monoFm.charWidth('0') * content.boxChars() + t.px(20), hfm.stringWidth(headers[H_COMBINE]));
            int regionBottom;
            Size in;
            Size k;
            int bandTop = rowsTop;
            int bandBottom;
            int kernelLegendX;
            int kernelLegendW;
            int inputW;
            if (!across) {
                int perRow = budget / channels - labelH - rowGap;
                in = cellSize(hp, wp, perRow, stack, t, content.numbers());
                k = cellSize(kh, kw, Math.max(in.rowHeight(hp, stack), 1), stack, t, content.numbers());
                if (!stack && k.numbers && in.numbers) {
                    k = new Size(Math.min(k.cell, in.cell), true, in.font);
                }
                int[] inSize = in.footprint(hp, wp, stack);
                int[] kSize = k.footprint(kh, kw, stack);
                inputW = Math.max(labelGutter + inSize[0], hfm.stringWidth(headers[H_INPUT]));
                int kernelW = Math.max(labelGutter + kSize[0], hfm.stringWidth(headers[H_KERNEL]));
                int sumsW = Math.max(partialW, hfm.stringWidth(headers[H_SUMS]));
                int kernelX = inputX + inputW + t.px(40);
                sumsX = kernelX + kernelW + t.px(24);
                combineX = sumsX + sumsW + t.px(26);
                headerAt[H_INPUT] = new Point(inputX, headerBaseline);
                headerAt[H_KERNEL] = new Point(kernelX, headerBaseline);
                headerAt[H_SUMS] = new Point(sumsX, headerBaseline);
                int rowH = Math.max(inSize[1], kSize[1]);
                int y = rowsTop;
                for (int c = 0; c < channels; c++) {
                    int top = y + labelH;
                    input[c] = in.grid(hp, wp, inputX + labelGutter, top + (rowH - inSize[1]) / 2, stack);
                    kernel[c] = k.grid(kh, kw, kernelX + labelGutter, top + (rowH - kSize[1]) / 2, stack);
                    Rectangle kb = kernel[c].bounds();
                    int midY = kb.y + kb.height / 2;
                    timesAt[c] = new Point(inputX + inputW + t.px(20), midY);
                    partialAt[c] = new Point(sumsX, midY + monoFm.getAscent() / 2 - t.px(1));
                    y = top + rowH + rowGap;
                }
                bandBottom = y - rowGap;
                otherGroupAt = new Point(kernelX + labelGutter, 0);
                kernelLegendX = kernelX;
                kernelLegendW = kernelW;
            } else {
                int mapBudget = Math.max(t.px(60), Math.min(t.px(PANEL_BUDGET), t.px(ROWS_BUDGET) / 2));
                in = cellSize(hp, wp, mapBudget, false, t, content.numbers());
                k = cellSize(kh, kw, mapBudget / 2, false, t, content.numbers());
                if (k.numbers && in.numbers) {
                    k = new Size(Math.min(k.cell, in.cell), true, in.font);
                }
                int[] inSize = in.footprint(hp, wp, false);
                int[] kSize = k.footprint(kh, kw, false);
                int colW = Math.max(Math.max(inSize[0], kSize[0]), Math.max(partialW,
                        labelFm.stringWidth(content.inputLabel())));
                int gapCol = t.px(16);
                inputW = channels * colW + (channels - 1) * gapCol;
                inputW = Math.max(inputW, hfm.stringWidth(headers[H_INPUT]));
                headerAt[H_INPUT] = new Point(inputX, headerBaseline);
                int inTop = rowsTop + labelH;
                int inBottom = inTop + inSize[1];
                // The kernel's header right under the inputs, and each slice's x to its left: slides are short of height.
                int kHeaderBase = inBottom + t.px(10) + hfm.getAscent();
                int kTop = kHeaderBase + hfm.getDescent() + t.px(6) + labelH;
                headerAt[H_KERNEL] = new Point(inputX, kHeaderBase);
                int partialBase = kTop + kSize[1] + t.px(8) + monoFm.getAscent();
                for (int c = 0; c < channels; c++) {
                    int x = inputX + c * (colW + gapCol);
                    input[c] = in.grid(hp, wp, x + (colW - inSize[0]) / 2, inTop, false);
                    kernel[c] = k.grid(kh, kw, x + (colW - kSize[0]) / 2, kTop, false);
                    timesAt[c] = new Point(kernel[c].bounds().x - t.px(14), kTop + kSize[1] / 2);
                    partialAt[c] = new Point(x + (colW - partialW) / 2, partialBase);
                }
                bandBottom = partialBase + monoFm.getDescent();
                sumsX = inputX + inputW;
                combineX = sumsX + t.px(20);
                otherGroupAt = new Point(0, 0);
                kernelLegendX = channels > 1 ? inputX + colW + gapCol : inputX;
                kernelLegendW = colW;
                inputW = channels > 1 ? colW : inputW;
            }
            inputFont = in.font;
            kernelFont = k.font;

            // The sum box, then the outputs before and after the activation.
            headerAt[H_COMBINE] = new Point(combineX, headerBaseline);
            combineLineHeight = monoFm.getHeight() + t.px(3);
            int boxH = content.boxLines() * combineLineHeight + t.px(16);
            int preX = combineX + combineW + t.px(46);
            int bandH = Math.max(bandBottom - bandTop, 1);
            // Across: at most 3 filters a column, the columns side by side; rows: one column.
            int perColumn = across ? Math.min(o, 3) : o;
            int columns = (o + perColumn - 1) / perColumn;
            int outH = across ? bandH : Math.max(budget, bandH);
            if (across && Math.max(g.oh(), g.ow()) <= MAX_NUMBER_SIDE) {
                // Small outputs keep their values even when their column runs below the band.
                outH = Math.max(outH, perColumn * (labelH + rowGap + t.px(NUMBER_CELL) * g.oh()));
            }
            int perOut = Math.max(outH, 1) / perColumn - labelH - rowGap;
            Size out = cellSize(g.oh(), g.ow(), perOut, stack, t, content.numbers());
            if (!stack && out.numbers && in.numbers && !across) {
                out = new Size(in.cell, true, in.font);
            }
            int[] outSize = out.footprint(g.oh(), g.ow(), stack);
            outputFont = out.font;
            int preW = 0;
            pre = content.pre() ? new Grid[o] : null;
            if (content.pre()) {
                preW = Math.max(labelGutter + outSize[0], Math.max(hfm.stringWidth(headers[H_PRE]),
                        labelFm.stringWidth("filter " + (o - 1) + ", before")));
                headerAt[H_PRE] = new Point(preX, headerBaseline);
            }
            int outputW = Math.max(labelGutter + outSize[0], columns > 1
                    ? labelFm.stringWidth("output channel " + (o - 1) + " (filter " + (o - 1) + ")") : hfm.stringWidth(headers[H_OUTPUT]));
            int groupW = (content.pre() ? preW + t.px(46) : 0) + outputW + t.px(30);
            int outputX = preX + (content.pre() ? preW + t.px(46) : 0);
            headerAt[H_OUTPUT] = new Point(outputX, headerBaseline);
            output = new Grid[o];
            int y = rowsTop;
            int outBottomMax = rowsTop;
            for (int f = 0; f < o; f++) {
                if (f % perColumn == 0) {
                    y = rowsTop;
                }
                int gx = (f / perColumn) * groupW;
                if (pre != null) {
                    pre[f] = out.grid(g.oh(), g.ow(), preX + gx + labelGutter, y + labelH, stack);
                }
                output[f] = out.grid(g.oh(), g.ow(), outputX + gx + (stack ? 0 : labelGutter), y + labelH, stack);
                y += labelH + outSize[1] + rowGap;
                outBottomMax = Math.max(outBottomMax, y);
            }
            y = outBottomMax;
            int lastRight = outputX + (columns - 1) * groupW + outputW;
            int outBottom = y - rowGap;
            int boxTop = Math.max(rowsTop, rowsTop + (bandBottom - rowsTop - boxH) / 2);
            combineBox = new Rectangle(combineX, boxTop, combineW, boxH);

            // The finished layer: each filter beside its outputs, where the sums and the box were.
            int holdX0 = across ? combineX : sumsX;
            int holdW = combineX + combineW - holdX0;
            holdKernel = new Grid[o][g.cg()];
            int gap = t.px(6);
            int holdText = labelFm.getHeight() + t.px(2);
            double hc = Math.min(k.cell, Math.min((holdW - (g.cg() - 1) * gap) / (double) (g.cg() * kw),
                    Math.max(outSize[1] + labelH - holdText, 1) / (double) kh));
            if (hc >= 2) {
                hc = Math.floor(hc);
                int slicesW = (int) Math.round(g.cg() * kw * hc + (g.cg() - 1) * gap);
                for (int f = 0; f < perColumn; f++) {
                    int top = output[f].bounds().y - labelH;
                    for (int ic = 0; ic < g.cg(); ic++) {
                        int x = holdX0 + (holdW - slicesW) / 2 + (int) Math.round(ic * (kw * hc + gap));
                        holdKernel[f][ic] = Grid.flat(kh, kw, x, top, (int) Math.round(kw * hc), (int) Math.round(kh * hc));
                    }
                }
            }

            regionBottom = Math.max(Math.max(bandBottom, outBottom), combineBox.y + combineBox.height);
            legendTop = regionBottom + t.px(across ? 12 : 18);
            int legendH = t.px(12) + m.getFontMetrics(t.small()).getHeight() + labelFm.getHeight() + t.px(4);
            legendX = new int[] {inputX, kernelLegendX, content.pre() ? preX : outputX};
            legendW = new int[] {inputW, kernelLegendW, Math.min(lastRight - (content.pre() ? preX : outputX), t.px(200))};
            FontMetrics cfm = m.getFontMetrics(t.mono());
            captionLineHeight = cfm.getHeight() + t.px(2);
            captionTop = legendTop + legendH + t.px(across ? 10 : 14);
            int naturalH = captionTop + content.captionLines() * captionLineHeight + margin - oy;
            int contentRight = lastRight - ox;
            int titleW = tfm.stringWidth(content.title()) + t.px(160);
            int naturalW = Math.max(Math.max(contentRight, cfm.charWidth('0') * content.captionChars() + margin), titleW) + margin;
            width = canvasW > 0 ? canvasW : naturalW;
            height = canvasH > 0 ? canvasH : naturalH;
            this.naturalW = naturalW;
            this.naturalH = naturalH;
        } finally {
            m.dispose();
        }
    }

    private final int naturalW;
    private final int naturalH;

    /**
     * The layout of a frame of exactly {@code width x height}: the arrangement and the largest theme scale whose
     * drawing fits (landscape {@link Arrangement#ACROSS} unless {@link Arrangement#ROWS} gives bigger type), centred.
     *
     * @throws IllegalArgumentException when the drawing does not fit even at a tenth of the default size
     */
    static FrameLayout fit(Style style, Geometry g, Content content, int width, int height) {
        FrameLayout best = bestFit(style, g, content, width, height);
        // A slide's values must read from the back of a room: when the maps before the activation crowd the type in
        // the cells below a sixtieth of the height, they go (the sum box still shows each value before the activation).
        if (content.pre() && (best == null || best.cellType() < height / 60f)) {
            FrameLayout without = bestFit(style, g, content.withoutPre(), width, height);
            if (without != null && (best == null || without.cellType() > best.cellType())) {
                best = without;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("Expected a frame size the layer fits in, but " + width + "x" + height
                    + " is too small for " + g.c() + " input channels of " + g.h() + "x" + g.w() + " and " + g.o() + " filters");
        }
        return best;
    }

    /** The best-fitting layout with this content, or null when none fits. */
    private static FrameLayout bestFit(Style style, Geometry g, Content content, int width, int height) {
        FrameLayout best = null;
        double bestScale = 0;
        for (Arrangement a : style == Style.STACK ? new Arrangement[] {Arrangement.ROWS} : Arrangement.values()) {
            double lo = 0.1;
            double hi = 8;
            if (!fits(style, a, lo, g, content, width, height)) {
                continue;
            }
            for (int i = 0; i < 14; i++) {
                double mid = (lo + hi) / 2;
                if (fits(style, a, mid, g, content, width, height)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            // ACROSS is the slide's own arrangement: ROWS must win clearly.
            double s = Math.floor(lo * 100) / 100;
            if (best == null || s > bestScale * (a == Arrangement.ROWS ? 1.15 : 1)) {
                FrameLayout natural = new FrameLayout(style, a, Theme.scaled(s), g, content, 0, 0);
                best = natural.centred(width, height, content);
                bestScale = s;
            }
        }
        return best;
    }

    /** The size of the smallest type printed in a map's cells, in pixels (0 when no map prints values). */
    public float cellType() {
        float min = Float.MAX_VALUE;
        for (Font f : new Font[] {inputFont, kernelFont, outputFont}) {
            if (f != null) {
                min = Math.min(min, f.getSize2D());
            }
        }
        return min == Float.MAX_VALUE ? 0 : min;
    }

    private static boolean fits(Style style, Arrangement a, double s, Geometry g, Content content, int width, int height) {
        FrameLayout l = new FrameLayout(style, a, Theme.scaled(s), g, content, 0, 0);
        return l.naturalW <= width && l.naturalH <= height;
    }

    /** This drawing, centred on a {@code width x height} canvas (at least its own size). */
    FrameLayout centred(int width, int height, Content content) {
        int w = Math.max(width, naturalW);
        int h = Math.max(height, naturalH);
        return new FrameLayout(style, arrangement, theme, geometry, content, (w - naturalW) / 2, (h - naturalH) / 2, w, h);
    }

    /** A cell size for an {@code r x c} map, whether values fit in its cells, and the type they are printed in. */
    private record Size(double cell, boolean numbers, Font font) {
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
     * Panels: maps up to {@value #MAX_NUMBER_SIDE} cells a side get {@value #NUMBER_CELL}-pixel cells (at the theme's
     * scale) with their values printed; larger ones shrink to fit {@value #PANEL_BUDGET} pixels (down to fractions of
     * a pixel a cell, which then samples the map), and print values only when {@code force}d, in type shrunk to fit.
     * Stack: 26-pixel-wide cells for small maps, shrinking the same way; never numbers. {@code maxHeight} caps the
     * map's drawn height (rows of many channels share the frame's height).
     */
    private static Size cellSize(int r, int c, int maxHeight, boolean stack, Theme t, boolean force) {
        int side = Math.max(r, c);
        double heightFactor = stack ? STACK_CELL_HEIGHT : 1.0;
        double fit = maxHeight / (r * heightFactor);
        int numberCell = t.px(NUMBER_CELL);
        if (!stack && side <= MAX_NUMBER_SIDE && fit >= numberCell) {
            return new Size(numberCell, true, t.cell());
        }
        double cell = Math.min(t.px(stack ? 26 : 22), t.px(PANEL_BUDGET) / (double) side);
        cell = Math.min(cell, fit);
        if (cell >= 2) {
            cell = Math.floor(cell);
        }
        cell = Math.max(cell, 0.25);
        if (force && !stack) {
            float size = (float) Math.min(t.cell().getSize2D(), t.cell().getSize2D() * cell / numberCell);
            if (size >= MIN_FORCED_TYPE) {
                return new Size(cell, true, t.cell().deriveFont(size));
            }
        }
        return new Size(cell, false, null);
    }

    public Style style() {
        return style;
    }

    public Arrangement arrangement() {
        return arrangement;
    }

    public Theme theme() {
        return theme;
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

    /** The kernel slice drawn for input channel {@code c} (whichever filter is computing). */
    public Grid kernelGrid(int c) {
        return kernel[c];
    }

    /** Output channel {@code oc}. */
    public Grid outputGrid(int oc) {
        return output[oc];
    }

    /** Output channel {@code oc} before the activation, or null when the layer has none. */
    public Grid preGrid(int oc) {
        return pre == null ? null : pre[oc];
    }

    /** Filter {@code oc}'s slice {@code ic} in the finished layer's frame, or null when there is no room for it. */
    public Grid holdKernelGrid(int oc, int ic) {
        return holdKernel[oc][ic];
    }

    public Polygon outputCell(int oc, int oh, int ow) {
        return output[oc].cell(oh, ow);
    }

    /** A pixel showing output cell {@code (oc, oh, ow)}'s fill: blank until computed, then the value's colour. */
    public Point outputSample(int oc, int oh, int ow) {
        return sample(output[oc], oh, ow, outputFont != null);
    }

    /** A pixel showing cell {@code (oc, oh, ow)} of the output before the activation. */
    public Point preSample(int oc, int oh, int ow) {
        return sample(pre[oc], oh, ow, outputFont != null);
    }

    /** A pixel showing padded input cell {@code (c, ph, pw)}'s fill colour. */
    public Point inputSample(int c, int ph, int pw) {
        return sample(input[c], ph, pw, inputFont != null);
    }

    /** A pixel showing kernel cell {@code (kh, kw)}'s fill on input channel {@code c}'s row. */
    public Point kernelSample(int c, int kh, int kw) {
        return sample(kernel[c], kh, kw, kernelFont != null);
    }

    private Point sample(Grid g, int r, int c, boolean numbers) {
        Point center = g.center(r, c);
        if (!numbers) {
            return center;
        }
        // Above the value text, below the cell's top edge and any outline drawn on it.
        return new Point(center.x, g.corner(r, c).y + Math.max(4, (int) Math.round(g.cellHeight() / 6)));
    }

    public boolean inputNumbers() {
        return inputFont != null;
    }

    public boolean kernelNumbers() {
        return kernelFont != null;
    }

    public boolean outputNumbers() {
        return outputFont != null;
    }

    /** The type of the values in the input's cells, or null when they are not printed. */
    public Font inputFont() {
        return inputFont;
    }

    public Font kernelFont() {
        return kernelFont;
    }

    public Font outputFont() {
        return outputFont;
    }

    int titleBaseline() {
        return titleBaseline;
    }

    int subtitleBaseline() {
        return subtitleBaseline;
    }

    int margin() {
        return margin;
    }

    /** The left end of the drawing (it is centred on a larger canvas). */
    int left() {
        return headerAt[H_INPUT].x;
    }

    /** The right end of the drawing. */
    int right() {
        return left() + naturalW - 2 * margin;
    }

    /** Where header {@code i} ({@link #H_INPUT} ...) starts on its baseline, or null when this arrangement has none. */
    Point headerAt(int i) {
        return headerAt[i] == null ? null : new Point(headerAt[i]);
    }

    /** The centre of the {@code x} between input channel {@code c} and its kernel slice. */
    Point timesAt(int c) {
        return new Point(timesAt[c]);
    }

    /** Where channel {@code c}'s partial sum starts on its baseline. */
    Point partialAt(int c) {
        return new Point(partialAt[c]);
    }

    /** Where "(other group)" goes for channel {@code c}. */
    Point otherGroupAt(int c) {
        Rectangle kb = kernel[c].bounds();
        return arrangement == Arrangement.ROWS ? new Point(otherGroupAt.x, kb.y + kb.height / 2 + theme.px(4))
                : new Point(kb.x, kb.y + kb.height / 2);
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

    /** Left end of legend {@code i}: 0 inputs, 1 weights, 2 outputs. */
    int legendX(int i) {
        return legendX[i];
    }

    int legendW(int i) {
        return legendW[i];
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
