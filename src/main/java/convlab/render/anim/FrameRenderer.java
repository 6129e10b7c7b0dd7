package convlab.render.anim;

import convlab.core.Conv2d;
import convlab.core.Geometry;
import convlab.core.Tap;
import convlab.render.ColorMap;
import convlab.render.Numbers;
import convlab.render.Scale;
import convlab.render.Theme;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the frames of one {@link Animation}. Everything that never changes (the input maps, labels, scales) is drawn
 * once into a canvas; the output maps are filled into that canvas cell by cell as frames advance, so the frames of a
 * GIF cost a copy and a few overlays each. Fills, lines and the values printed in cells are drawn without
 * anti-aliasing so that colours stay exact; titles, labels and captions on plain backgrounds are anti-aliased with
 * coverage rounded to {@link #TEXT_LEVELS} steps, which adds only a few blends per text colour. A frame of a
 * convlab animation therefore has well under 256 colours (two maps of {@link CellColors#LEVELS}{@code + 1} steps,
 * a dozen interface colours, their text blends) and is written with an exact palette.
 * Not thread-safe: one renderer draws one frame at a time.
 */
final class FrameRenderer {

    static final Color BG = Theme.BACKGROUND;
    static final Color INK = Theme.INK;
    static final Color MUTED = Theme.MUTED;
    static final Color GRID = Theme.RULE;
    static final Color BORDER = Theme.BORDER;
    static final Color HATCH = new Color(0xb0, 0xb0, 0xb0);
    static final Color ACCENT = Theme.ACCENT;
    static final Color ACCENT_TEXT = Theme.ACCENT_TEXT;
    static final Color SIDE_FRONT = new Color(0xa0, 0xa0, 0xa0);
    static final Color SIDE_RIGHT = new Color(0xc8, 0xc8, 0xc8);
    static final Color CONNECTOR = new Color(0xb4, 0xb4, 0xb4);
    /** An output cell not computed yet. */
    static final Color BLANK = BG;
    /** The sum box's background. */
    static final Color BOX = new Color(0xf6, 0xf6, 0xf6);

    private final FrameModel a;
    private final FrameLayout l;
    private final Theme t;
    private final Geometry g;
    private final boolean stack;
    private final Area inputGaps;
    /** Cells at least this many pixels on a side (at scale 1) get grid lines between them. */
    static final int GRID_LINES_FROM = 10;
    /** Coverage steps of anti-aliased text: 0, 1/4, ..., 1. */
    static final int TEXT_LEVELS = 4;
    /**
     * Coverage steps of the values printed in cells: 1 (on or off, like aliased text) at the default size, so a frame
     * keeps an exact palette; 2 (one blend per fill) from {@link #SMOOTH_CELLS_FROM} times the default size, where
     * type is big enough for its edges to show (a GIF frame may then need its rarest blends mapped to the nearest
     * colour; PNG frames are exact).
     */
    private final int cellLevels;
    static final double SMOOTH_CELLS_FROM = 1.25;

    /** The image being drawn into, for {@link #text}. */
    private BufferedImage target;

    private BufferedImage canvas;
    private long filledThrough = -1;
    private final Map<String, Mask> masks = new HashMap<>();

    FrameRenderer(FrameModel model, FrameLayout layout) {
        this.a = model;
        this.l = layout;
        this.t = layout.theme();
        this.g = model.geometry();
        this.stack = l.style() == Style.STACK;
        this.inputGaps = stack ? gaps(l) : null;
        this.cellLevels = t.scale() >= SMOOTH_CELLS_FROM ? 2 : 1;
    }

    /** Frame {@code frame} as a new RGB image. */
    BufferedImage render(int frame) {
        return render(frame, null);
    }

    /**
     * Frame {@code frame}, drawn into {@code into} when that is an RGB image of the frame's size (its pixels all
     * replaced), else into a new one; returns the image drawn.
     */
    BufferedImage render(int frame, BufferedImage into) {
        FramePlan plan = a.plan();
        long through = plan.filledThrough(frame);
        if (canvas == null || through < filledThrough) {
            canvas = drawStatic();
            filledThrough = -1;
        }
        this.target = canvas;
        Graphics2D cg = canvas.createGraphics();
        try {
            plain(cg);
            for (long o = filledThrough + 1; o <= through; o++) {
                FramePlan.Position p = plan.at(o);
                fillOutput(cg, p.oc(), p.oh(), p.ow());
                boolean last = o == through || plan.at(o + 1).oc() != p.oc();
                if (last) {
                    outlineMap(cg, l.outputGrid(p.oc()));
                    if (l.preGrid(p.oc()) != null) {
                        outlineMap(cg, l.preGrid(p.oc()));
                    }
                }
            }
        } finally {
            cg.dispose();
        }
        filledThrough = through;

        BufferedImage img = into != null && into.getType() == BufferedImage.TYPE_INT_RGB && into.getWidth() == canvas.getWidth()
                && into.getHeight() == canvas.getHeight() ? into
                : new BufferedImage(canvas.getWidth(), canvas.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] from = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
        int[] to = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(from, 0, to, 0, from.length);
        this.target = img;
        Graphics2D gr = img.createGraphics();
        try {
            plain(gr);
            if (plan.isIntro(frame)) {
                drawIntro(gr, frame);
            } else if (plan.isHold(frame)) {
                drawHold(gr, frame);
            } else {
                int step = plan.step(frame);
                drawStep(gr, frame, a.steps().get(step), a.captions().get(step), a.boxes().get(step));
            }
        } finally {
            gr.dispose();
        }
        return img;
    }

    // ---------------------------------------------------------------- static parts

    private BufferedImage drawStatic() {
        BufferedImage img = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_INT_RGB);
        target = img;
        Graphics2D gr = img.createGraphics();
        try {
            plain(gr);
            gr.setColor(BG);
            gr.fillRect(0, 0, l.width(), l.height());
            text(gr, a.subtitle(), l.left(), l.subtitleBaseline(), t.subtitle(), MUTED);
            String[] headers = a.headers();
            for (int i : new int[] {FrameLayout.H_INPUT, FrameLayout.H_SUMS, FrameLayout.H_COMBINE, FrameLayout.H_PRE, FrameLayout.H_OUTPUT}) {
                Point at = l.headerAt(i);
                if (at != null) {
                    text(gr, headers[i], at.x, at.y, t.header(), INK);
                }
            }

            if (stack) {
                connectors(gr, inputGrids(), CONNECTOR);
                connectors(gr, outputGrids(), CONNECTOR);
            }
            for (int c = 0; c < g.c(); c++) {
                drawInput(gr, c);
                label(gr, l.inputGrid(c), l.labelsBeside() ? "c" + c : a.inputLabels()[c]);
            }
            for (int o = 0; o < g.o(); o++) {
                blankMap(gr, l.outputGrid(o));
                label(gr, l.outputGrid(o), l.labelsBeside() ? "o" + o
                        : (a.hasPre() ? "filter " + o + ", after " + a.activation() : "output channel " + o + " (filter " + o + ")"), true);
                Grid pg = l.preGrid(o);
                if (pg != null) {
                    blankMap(gr, pg);
                    label(gr, pg, l.labelsBeside() ? "z" + o : "filter " + o + ", before", true);
                }
            }
            legend(gr, l.legendX(0), l.legendW(0), "input values", a.inputScale());
            legend(gr, l.legendX(1), l.legendW(1), "weights (all filters)", a.kernelScale());
            legend(gr, l.legendX(2), l.legendW(2), a.hasPre() && l.preGrid(0) != null ? "outputs, before and after " + a.activation() : "output values", a.outputScale());
        } finally {
            gr.dispose();
        }
        return img;
    }

    private void blankMap(Graphics2D gr, Grid og) {
        for (int r = 0; r < og.rows(); r++) {
            for (int col = 0; col < og.cols(); col++) {
                cell(gr, og, r, col, BLANK);
            }
        }
        slab(gr, og);
        outlineMap(gr, og);
    }

    private Grid[] inputGrids() {
        Grid[] gs = new Grid[g.c()];
        for (int c = 0; c < gs.length; c++) {
            gs[c] = l.inputGrid(c);
        }
        return gs;
    }

    private Grid[] outputGrids() {
        Grid[] gs = new Grid[g.o()];
        for (int o = 0; o < gs.length; o++) {
            gs[o] = l.outputGrid(o);
        }
        return gs;
    }

    private void drawInput(Graphics2D gr, int c) {
        Grid ig = l.inputGrid(c);
        Font font = l.inputFont();
        for (int r = 0; r < ig.rows(); r++) {
            for (int col = 0; col < ig.cols(); col++) {
                double v = a.padded()[c][r][col];
                boolean pad = a.padding()[r][col];
                Color fill = CellColors.of(a.inputScale(), v);
                cell(gr, ig, r, col, fill);
                if (pad) {
                    hatch(gr, ig.cell(r, col));
                }
                if (font != null) {
                    String s = Numbers.format(v);
                    if (pad) {
                        // Clear the hatching behind the value so it reads.
                        FontMetrics fm = gr.getFontMetrics(font);
                        Point center = ig.center(r, col);
                        int w = fm.stringWidth(s) + 2;
                        int h = fm.getAscent();
                        gr.setColor(fill);
                        gr.fillRect(center.x - w / 2, center.y - h / 2 - 1, w, h + 1);
                    }
                    cellText(gr, ig, r, col, s, pad ? padText(fill) : ColorMap.textOn(fill), font);
                }
            }
        }
        slab(gr, ig);
        if (!g.pads().isZero()) {
            gr.setColor(BORDER);
            gr.setStroke(new BasicStroke(t.px(2)));
            gr.draw(ig.span(g.pads().top(), g.pads().left(), g.pads().top() + g.h() - 1, g.pads().left() + g.w() - 1));
            gr.setStroke(new BasicStroke(1));
        }
        outlineMap(gr, ig);
    }

    /** Padding's values are printed a little softer than the input's own. */
    private static Color padText(Color fill) {
        return ColorMap.textOn(fill) == Color.BLACK ? new Color(0x3c, 0x3c, 0x3c) : new Color(0xe6, 0xe6, 0xe6);
    }

    private void fillOutput(Graphics2D gr, int oc, int oh, int ow) {
        fillValue(gr, l.outputGrid(oc), oh, ow, a.reference().activated().get(0, oc, oh, ow));
        Grid pg = l.preGrid(oc);
        if (pg != null) {
            fillValue(gr, pg, oh, ow, a.reference().preActivation().get(0, oc, oh, ow));
        }
    }

    private void fillValue(Graphics2D gr, Grid grid, int r, int c, double v) {
        Color fill = CellColors.of(a.outputScale(), v);
        cell(gr, grid, r, c, fill);
        if (l.outputFont() != null) {
            cellText(gr, grid, r, c, Numbers.format(v), ColorMap.textOn(fill), l.outputFont());
        }
    }

    // ---------------------------------------------------------------- per frame

    private void drawStep(Graphics2D gr, int frame, StepValues s, List<Captions.Line> captionLines, List<String> box) {
        FramePlan.Position p = s.position();
        title(gr, frame, "filter " + p.oc() + " (" + (p.oc() + 1) + " of " + g.o() + "),  output position (" + p.oh() + ", " + p.ow() + ")");
        kernelHeader(gr, a.kernelHeader(p.oc()));

        int cgCount = s.channelsPerGroup();
        // Stack: the kernel block's pillars through the gaps between slices, drawn before the slices' outlines.
        if (stack) {
            pillars(gr, s);
            Grid[] ks = new Grid[cgCount];
            for (int ic = 0; ic < cgCount; ic++) {
                ks[ic] = l.kernelGrid(s.channel(ic));
            }
            connectors(gr, ks, CONNECTOR);
        }
        for (int c = 0; c < g.c(); c++) {
            boolean inGroup = c >= s.channel(0) && c <= s.channel(cgCount - 1);
            if (!inGroup) {
                Point at = l.otherGroupAt(c);
                text(gr, "(other group)", at.x, at.y, t.label(), MUTED);
            }
        }
        for (int ic = 0; ic < cgCount; ic++) {
            int c = s.channel(ic);
            drawKernel(gr, l.kernelGrid(c), p.oc(), ic, l.kernelFont());
            kernelOutline(gr, l.kernelGrid(c));
            label(gr, l.kernelGrid(c), l.labelsBeside() ? "w" + c : "w[" + p.oc() + ", " + ic + "]");
            boolean lens = !stack && !l.inputNumbers();
            highlightField(gr, c, s.taps(ic), lens);
            if (lens) {
                lens(gr, c, s.taps(ic));
            }
            Point times = l.timesAt(c);
            centered(gr, "\u00d7", times.x, times.y + t.px(7), t.symbol(), INK);
            Point at = l.partialAt(c);
            text(gr, "= " + Numbers.format(s.partial(ic)), at.x, at.y, t.monoBold(), INK);
        }
        int resultY = drawBox(gr, box, true);

        // The output: its channel outlined, the cell being written, and an arrow from the box to its row.
        Grid og = l.outputGrid(p.oc());
        Grid pg = l.preGrid(p.oc());
        Rectangle box0 = l.combineBox();
        if (stack) {
            outlineActive(gr, og);
            twoTone(gr, List.of(atLeast(og.cell(p.oh(), p.ow()), 8)), 2);
            // To the middle of the slice's left edge (its label sits on the right).
            Point back = og.corner(0, 0);
            Point front = og.corner(og.rows(), 0);
            Grid first = pg != null ? pg : og;
            Point fb = first.corner(0, 0);
            Point ff = first.corner(first.rows(), 0);
            arrow(gr, box0.x + box0.width + 2, resultY, (fb.x + ff.x) / 2 - t.px(6), (fb.y + ff.y) / 2);
            if (pg != null) {
                outlineActive(gr, pg);
                twoTone(gr, List.of(atLeast(pg.cell(p.oh(), p.ow()), 8)), 2);
                Point pr = pg.corner(pg.rows(), pg.cols());
                arrow(gr, pr.x + t.px(30), (pr.y + pg.corner(0, pg.cols()).y) / 2, (back.x + front.x) / 2 - t.px(6), (back.y + front.y) / 2);
            }
        } else {
            Grid first = pg != null ? pg : og;
            Point target = first.center(p.oh(), p.ow());
            arrow(gr, box0.x + box0.width + 2, resultY, first.bounds().x - t.px(8), target.y);
            if (pg != null) {
                outlineActive(gr, pg);
                twoTone(gr, List.of(atLeast(pg.cell(p.oh(), p.ow()), 8)), t.px(3));
                Rectangle pb = pg.bounds();
                Rectangle ob = og.bounds();
                int y = og.center(p.oh(), p.ow()).y;
                arrow(gr, pb.x + pb.width + t.px(6), y, ob.x - t.px(8), y);
                centered(gr, a.activation().toString(), (pb.x + pb.width + ob.x) / 2, y - t.px(8), t.small(), ACCENT_TEXT);
            }
            outlineActive(gr, og);
            twoTone(gr, List.of(atLeast(og.cell(p.oh(), p.ow()), 8)), t.px(3));
        }
        caption(gr, captionLines);
    }

    /** The map being written, outlined in the accent colour. */
    private void outlineActive(Graphics2D gr, Grid grid) {
        gr.setColor(ACCENT);
        gr.setStroke(new BasicStroke(t.px(2)));
        if (stack) {
            gr.draw(grid.outline());
        } else {
            Rectangle b = grid.bounds();
            int d = t.px(3);
            gr.drawRect(b.x - d, b.y - d, b.width + 2 * d, b.height + 2 * d);
        }
        gr.setStroke(new BasicStroke(1));
    }

    private void kernelHeader(Graphics2D gr, String s) {
        Point at = l.headerAt(FrameLayout.H_KERNEL);
        text(gr, s, at.x, at.y, t.header(), INK);
    }

    /** Layer k+1's first frame: layer k's output maps are this layer's input channels, one kernel slice each. */
    private void drawIntro(Graphics2D gr, int frame) {
        title(gr, frame, Animation.introTitle(a.fromLayer()));
        kernelHeader(gr, a.kernelHeader(0));
        for (int c = 0; c < g.c(); c++) {
            outlineActive(gr, l.inputGrid(c));
        }
        for (int ic = 0; ic < g.cg(); ic++) {
            Grid kg = l.kernelGrid(ic);
            drawKernel(gr, kg, 0, ic, l.kernelFont());
            kernelOutline(gr, kg);
            label(gr, kg, l.labelsBeside() ? "w" + ic : "w[0, " + ic + "]");
            Point times = l.timesAt(ic);
            centered(gr, "\u00d7", times.x, times.y + t.px(7), t.symbol(), INK);
        }
        caption(gr, a.intro());
    }

    private void drawHold(Graphics2D gr, int frame) {
        title(gr, frame, "layer done: " + g.o() + " output channel" + (g.o() == 1 ? "" : "s") + " of " + g.oh() + "\u00d7" + g.ow());
        if (l.arrangement() == FrameLayout.Arrangement.ROWS) {
            kernelHeader(gr, a.kernelHeader(-1));
            Rectangle kb = l.kernelGrid(0).bounds();
            int x = l.headerAt(FrameLayout.H_KERNEL).x + l.labelGutter();
            text(gr, "every filter has", x, kb.y + t.px(14), t.label(), MUTED);
            text(gr, "visited every position;", x, kb.y + t.px(28), t.label(), MUTED);
            text(gr, "each is drawn beside", x, kb.y + t.px(42), t.label(), MUTED);
            text(gr, "the map it made", x, kb.y + t.px(56), t.label(), MUTED);
        }
        // Every filter beside the map it made, with its bias.
        for (int o = 0; o < g.o(); o++) {
            Grid first = l.holdKernelGrid(o, 0);
            if (first == null) {
                continue;
            }
            Rectangle span = first.bounds();
            for (int ic = 0; ic < g.cg(); ic++) {
                Grid kg = l.holdKernelGrid(o, ic);
                Font f = kg.cellHeight() >= t.px(FrameLayout.NUMBER_CELL) - 1 ? l.kernelFont() : null;
                drawKernel(gr, kg, o, ic, f);
                outlineMap(gr, kg);
                span = span.union(kg.bounds());
            }
            String what = "w[" + o + "]" + (a.biases() == null ? "" : ",  b = " + Numbers.format(a.biases()[o]));
            text(gr, what, span.x, span.y + span.height + gr.getFontMetrics(t.label()).getAscent() + t.px(3), t.label(), INK);
            Grid target = l.preGrid(o) != null ? l.preGrid(o) : l.outputGrid(o);
            Rectangle tb = target.bounds();
            int y = span.y + span.height / 2;
            arrow(gr, span.x + span.width + t.px(6), y, tb.x - t.px(8), Math.max(tb.y + t.px(4), Math.min(y, tb.y + tb.height - t.px(4))));
        }
        caption(gr, a.done());
    }

    private void title(Graphics2D gr, int frame, String what) {
        String prefix = a.title();
        String full = prefix.isEmpty() ? what : prefix + ":  " + what;
        text(gr, full, l.left(), l.titleBaseline(), t.title(), INK);
        String counter = "frame " + (frame + 1) + " / " + a.plan().frameCount();
        int w = gr.getFontMetrics(t.subtitle()).stringWidth(counter);
        text(gr, counter, l.right() - w, l.titleBaseline(), t.subtitle(), MUTED);
    }

    /** Filter {@code oc}'s slice {@code ic} in {@code kg}, values printed in {@code font} (none when null). */
    private void drawKernel(Graphics2D gr, Grid kg, int oc, int ic, Font font) {
        for (int r = 0; r < kg.rows(); r++) {
            for (int col = 0; col < kg.cols(); col++) {
                double w = a.weights().get(oc, ic, r, col);
                Color fill = CellColors.of(a.kernelScale(), w);
                cell(gr, kg, r, col, fill);
                if (font != null) {
                    cellText(gr, kg, r, col, Numbers.format(w), ColorMap.textOn(fill), font);
                }
            }
        }
        slab(gr, kg);
    }

    private void kernelOutline(Graphics2D gr, Grid kg) {
        gr.setColor(ACCENT);
        if (stack) {
            gr.setStroke(new BasicStroke(2));
            gr.draw(kg.outline());
        } else {
            // Just outside the slice, clear of the values printed in its edge cells.
            Rectangle b = kg.bounds();
            int d = t.px(2);
            gr.setStroke(new BasicStroke(t.px(3)));
            gr.drawRect(b.x - d, b.y - d, b.width + 2 * d, b.height + 2 * d);
        }
        gr.setStroke(new BasicStroke(1));
    }

    /** The taps of one channel outlined, and with dilation the span they cover dashed. */
    private void highlightField(Graphics2D gr, int c, List<Tap> taps, boolean lens) {
        Grid ig = l.inputGrid(c);
        int pt = g.pads().top();
        int pl = g.pads().left();
        int[] field = field(taps);
        int r0 = field[0], c0 = field[1], r1 = field[2], c1 = field[3];
        boolean dilated = g.spec().dilation().h() > 1 || g.spec().dilation().w() > 1;
        if (dilated) {
            gr.setColor(ACCENT);
            gr.setStroke(new BasicStroke(t.px(2), BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {t.px(5), t.px(4)}, 0));
            gr.draw(ig.span(r0, c0, r1, c1));
        }
        int size = ig.minCellSize();
        List<Shape> outlines = new java.util.ArrayList<>();
        if (lens) {
            // The lens drawn over the field shows the taps; outline only the field it gathers them from.
            twoTone(gr, List.of(atLeast(ig.span(r0, c0, r1, c1), 8)), t.px(2));
        } else if (size >= 12) {
            for (Tap tap : taps) {
                outlines.add(ig.cell(tap.ih() + pt, tap.iw() + pl));
            }
            twoTone(gr, outlines, t.px(2));
        } else {
            // Small cells: the field's outline, and each tap's own outline where there is room for one.
            outlines.add(atLeast(ig.span(r0, c0, r1, c1), 8));
            twoTone(gr, outlines, t.px(2));
            if (size >= 5) {
                gr.setColor(ACCENT);
                for (Tap tap : taps) {
                    gr.draw(ig.cell(tap.ih() + pt, tap.iw() + pl));
                }
            }
        }
        gr.setStroke(new BasicStroke(1));
    }

    /**
     * Maps too big for values in their cells: the taps of one channel gathered into a magnified {@code KH x KW} grid
     * over the receptive field, with the values the caption cites (padding hatched), laid out like the kernel slice
     * they are multiplied by.
     */
    private void lens(Graphics2D gr, int c, List<Tap> taps) {
        Grid ig = l.inputGrid(c);
        int kh = g.kernel().h();
        int kw = g.kernel().w();
        int cell = t.px(FrameLayout.NUMBER_CELL);
        int pt = g.pads().top();
        int pl = g.pads().left();
        int sx = 0;
        int sy = 0;
        for (Tap tap : taps) {
            Point p = ig.center(tap.ih() + pt, tap.iw() + pl);
            sx += p.x;
            sy += p.y;
        }
        Rectangle bounds = ig.bounds();
        int w = kw * cell;
        int h = kh * cell;
        int x = Math.max(bounds.x - cell, Math.min(sx / taps.size() - w / 2, bounds.x + bounds.width + cell - w));
        int y = Math.max(bounds.y, Math.min(sy / taps.size() - h / 2, bounds.y + bounds.height - h));
        Grid lens = Grid.flat(kh, kw, x, y, w, h);
        for (Tap tap : taps) {
            Color fill = CellColors.of(a.inputScale(), tap.x());
            cell(gr, lens, tap.kh(), tap.kw(), fill);
            if (tap.padding()) {
                hatch(gr, lens.cell(tap.kh(), tap.kw()));
            }
            cellText(gr, lens, tap.kh(), tap.kw(), Numbers.format(tap.x()), tap.padding() ? padText(fill) : ColorMap.textOn(fill), t.cell());
        }
        twoTone(gr, List.of(lens.outline()), t.px(2));
    }

    /** The shape itself, or when it is smaller than {@code min} pixels across, a square of that size around it. */
    private static Shape atLeast(Polygon p, int min) {
        Rectangle b = p.getBounds();
        if (b.width >= min && b.height >= min) {
            return p;
        }
        int cx = b.x + b.width / 2;
        int cy = b.y + b.height / 2;
        return new Rectangle(cx - min / 2, cy - min / 2, min, min);
    }

    /** Outlines in the accent colour over a dark rim, so they read on any colour map. */
    private static void twoTone(Graphics2D gr, List<Shape> shapes, int width) {
        gr.setColor(INK);
        gr.setStroke(new BasicStroke(width + 2));
        for (Shape s : shapes) {
            gr.draw(s);
        }
        gr.setColor(ACCENT);
        gr.setStroke(new BasicStroke(width));
        for (Shape s : shapes) {
            gr.draw(s);
        }
        gr.setStroke(new BasicStroke(1));
    }

    /** The rows and columns the taps cover in the padded input: {@code {top, left, bottom, right}}, inclusive. */
    private int[] field(List<Tap> taps) {
        int pt = g.pads().top();
        int pl = g.pads().left();
        int r0 = Integer.MAX_VALUE, c0 = Integer.MAX_VALUE, r1 = -1, c1 = -1;
        for (Tap t : taps) {
            r0 = Math.min(r0, t.ih() + pt);
            c0 = Math.min(c0, t.iw() + pl);
            r1 = Math.max(r1, t.ih() + pt);
            c1 = Math.max(c1, t.iw() + pl);
        }
        return new int[] {r0, c0, r1, c1};
    }

    /** Stack style: the kernel block's edges running between consecutive slices of the field. */
    private void pillars(Graphics2D gr, StepValues s) {
        if (s.channelsPerGroup() < 2) {
            return;
        }
        List<Tap> taps = s.taps(0);
        int[] field = field(taps);
        int r0 = field[0], c0 = field[1], r1 = field[2], c1 = field[3];
        Shape oldClip = gr.getClip();
        gr.setClip(inputGaps);
        gr.setColor(ACCENT);
        gr.setStroke(new BasicStroke(2));
        for (int ic = 0; ic + 1 < s.channelsPerGroup(); ic++) {
            Grid top = l.inputGrid(s.channel(ic));
            Grid bottom = l.inputGrid(s.channel(ic + 1));
            int[][] corners = {{r0, c0}, {r0, c1 + 1}, {r1 + 1, c0}, {r1 + 1, c1 + 1}};
            for (int[] k : corners) {
                Point p = top.corner(k[0], k[1]);
                Point q = bottom.corner(k[0], k[1]);
                gr.drawLine(p.x, p.y, q.x, q.y + FrameLayout.SLAB_THICKNESS);
            }
        }
        gr.setStroke(new BasicStroke(1));
        gr.setClip(oldClip);
    }

    /** Draws the sum box; returns the middle of its last line, where the arrow to the output starts. */
    private int drawBox(Graphics2D gr, List<String> lines, boolean active) {
        Rectangle box = l.combineBox();
        gr.setColor(BOX);
        gr.fillRect(box.x, box.y, box.width, box.height);
        gr.setColor(active ? BORDER : GRID);
        gr.drawRect(box.x, box.y, box.width, box.height);
        int y = box.y + t.px(8) + l.combineLineHeight() - t.px(4);
        int resultY = y;
        for (int i = 0; i < lines.size(); i++) {
            boolean result = i == lines.size() - 1;
            text(gr, lines.get(i), box.x + t.px(10), y, t.monoBold(), result ? ACCENT_TEXT : INK);
            resultY = y - t.px(5);
            y += l.combineLineHeight();
        }
        return resultY;
    }

    private void caption(Graphics2D gr, List<Captions.Line> lines) {
        int y = l.captionTop() + l.captionLineHeight() - t.px(4);
        FontMetrics fm = gr.getFontMetrics(t.mono());
        for (Captions.Line line : lines) {
            int x = l.left();
            for (Captions.Span s : line.spans()) {
                text(gr, s.text(), x, y, t.mono(), s.muted() ? MUTED : INK);
                x += fm.stringWidth(s.text());
            }
            y += l.captionLineHeight();
        }
    }

    private void arrow(Graphics2D gr, int x0, int y0, int x1, int y1) {
        gr.setColor(ACCENT);
        gr.setStroke(new BasicStroke(t.px(2)));
        double ang = Math.atan2(y1 - y0, x1 - x0);
        double shaft = t.px(8);
        double len = t.px(11);
        int bx = (int) Math.round(x1 - shaft * Math.cos(ang));
        int by = (int) Math.round(y1 - shaft * Math.sin(ang));
        gr.drawLine(x0, y0, bx, by);
        Polygon head = new Polygon();
        head.addPoint(x1, y1);
        head.addPoint((int) Math.round(x1 - len * Math.cos(ang - 0.45)), (int) Math.round(y1 - len * Math.sin(ang - 0.45)));
        head.addPoint((int) Math.round(x1 - len * Math.cos(ang + 0.45)), (int) Math.round(y1 - len * Math.sin(ang + 0.45)));
        gr.fillPolygon(head);
        gr.setStroke(new BasicStroke(1));
    }

    // ---------------------------------------------------------------- cells and decorations

    private void cell(Graphics2D gr, Grid grid, int r, int c, Color fill) {
        Polygon p = grid.cell(r, c);
        gr.setColor(fill);
        gr.fillPolygon(p);
        if (grid.minCellSize() >= GRID_LINES_FROM) {
            gr.setColor(GRID);
            gr.drawPolygon(p);
        }
    }

    /** A value centred in its cell, anti-aliased over the cell's fill. */
    private void cellText(Graphics2D gr, Grid grid, int r, int c, String s, Color color, Font font) {
        FontMetrics fm = gr.getFontMetrics(font);
        Point center = grid.center(r, c);
        int capHeight = (int) Math.round(font.createGlyphVector(fm.getFontRenderContext(), "0").getVisualBounds().getHeight());
        text(gr, s, center.x - (fm.stringWidth(s) - 1) / 2, center.y + capHeight / 2, font, color, cellLevels);
    }

    private static void hatch(Graphics2D gr, Polygon cell) {
        Shape old = gr.getClip();
        gr.clip(cell);
        Rectangle b = cell.getBounds();
        gr.setColor(HATCH);
        int step = 6;
        // Lines of the same family in every cell: x + y constant, on multiples of the step.
        int start = ((b.x + b.y) / step) * step;
        for (int k = start; k <= b.x + b.width + b.y + b.height; k += step) {
            gr.drawLine(k - b.y, b.y, k - (b.y + b.height), b.y + b.height);
        }
        gr.setClip(old);
    }

    private void slab(Graphics2D gr, Grid grid) {
        if (!grid.oblique()) {
            return;
        }
        int t = FrameLayout.SLAB_THICKNESS;
        Point a0 = grid.corner(grid.rows(), 0);
        Point a1 = grid.corner(grid.rows(), grid.cols());
        Point b1 = grid.corner(0, grid.cols());
        Polygon front = new Polygon(new int[] {a0.x, a1.x, a1.x, a0.x}, new int[] {a0.y, a1.y, a1.y + t, a0.y + t}, 4);
        Polygon right = new Polygon(new int[] {a1.x, b1.x, b1.x, a1.x}, new int[] {a1.y, b1.y, b1.y + t, a1.y + t}, 4);
        gr.setColor(SIDE_FRONT);
        gr.fillPolygon(front);
        gr.setColor(SIDE_RIGHT);
        gr.fillPolygon(right);
        gr.setColor(BORDER);
        gr.drawPolygon(front);
        gr.drawPolygon(right);
    }

    private static void outlineMap(Graphics2D gr, Grid grid) {
        gr.setColor(BORDER);
        gr.drawPolygon(grid.outline());
    }

    /** Stack style: lines joining the corners of consecutive slices, so the slices read as one slab. */
    private static void connectors(Graphics2D gr, Grid[] slices, Color color) {
        gr.setColor(color);
        for (int i = 0; i + 1 < slices.length; i++) {
            Grid top = slices[i];
            Grid bottom = slices[i + 1];
            int[][] corners = {{0, 0}, {0, top.cols()}, {top.rows(), 0}, {top.rows(), top.cols()}};
            for (int[] k : corners) {
                Point p = top.corner(k[0], k[1]);
                Point q = bottom.corner(k[0], k[1]);
                gr.drawLine(p.x, p.y, q.x, q.y);
            }
        }
    }

    /** Everything outside the input slices (and their thickness), where the kernel block's pillars may show. */
    private static Area gaps(FrameLayout l) {
        Area all = new Area(new Rectangle(0, 0, l.width(), l.height()));
        for (int c = 0; c < l.geometry().c(); c++) {
            Polygon outline = l.inputGrid(c).outline();
            Area slice = new Area(outline);
            outline.translate(0, FrameLayout.SLAB_THICKNESS);
            slice.add(new Area(outline));
            all.subtract(slice);
        }
        return all;
    }

    private void label(Graphics2D gr, Grid grid, String s) {
        label(gr, grid, s, false);
    }

    private void label(Graphics2D gr, Grid grid, String s, boolean right) {
        Rectangle b = grid.bounds();
        boolean beside = l.labelsBeside();
        if (beside && right) {
            Point backRight = grid.corner(0, grid.cols());
            Point frontRight = grid.corner(grid.rows(), grid.cols());
            text(gr, s, backRight.x + t.px(8), (backRight.y + frontRight.y) / 2 + t.px(4), t.label(), MUTED);
        } else if (beside) {
            int w = gr.getFontMetrics(t.label()).stringWidth(s);
            Point front = grid.corner(grid.rows(), 0);
            int x = Math.min(front.x, b.x) - w - t.px(6);
            text(gr, s, Math.max(0, x), b.y + b.height / 2 + t.px(4), t.label(), MUTED);
        } else {
            gr.setColor(BG);
            FontMetrics fm = gr.getFontMetrics(t.label());
            gr.fillRect(b.x, b.y - fm.getHeight() - t.px(2), Math.max(b.width, fm.stringWidth(s)) + 2, fm.getHeight());
            text(gr, s, b.x, b.y - fm.getDescent() - t.px(3), t.label(), MUTED);
        }
    }

    private void legend(Graphics2D gr, int x, int colW, String name, Scale scale) {
        int y = l.legendTop();
        int bw = Math.max(t.px(60), Math.min(colW, t.px(200)));
        int barH = t.px(10);
        text(gr, name, x, y + t.px(10), t.label(), INK);
        int barY = y + t.px(15);
        for (int i = 0; i < bw; i++) {
            double v = scale.lo() + (scale.hi() - scale.lo()) * i / (bw - 1.0);
            gr.setColor(CellColors.of(scale, v));
            gr.drawLine(x + i, barY, x + i, barY + barH);
        }
        gr.setColor(BORDER);
        gr.drawRect(x, barY, bw, barH);
        int ty = barY + barH + gr.getFontMetrics(t.small()).getAscent() + t.px(2);
        text(gr, Numbers.format(scale.lo()), x, ty, t.small(), MUTED);
        String hi = Numbers.format(scale.hi());
        text(gr, hi, x + bw - gr.getFontMetrics(t.small()).stringWidth(hi), ty, t.small(), MUTED);
        if (scale.diverging()) {
            centered(gr, "0", x + bw / 2, ty, t.small(), MUTED);
        }
    }

    // ---------------------------------------------------------------- text

    private static void plain(Graphics2D gr) {
        gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
        gr.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
        gr.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    }

    /**
     * Text on a plain background, anti-aliased with coverage rounded to {@link #TEXT_LEVELS} steps: each text colour
     * adds only a few blends with the background, so frames keep exact palettes while the text stays smooth.
     */
    private void text(Graphics2D gr, String s, int x, int y, Font font, Color color) {
        text(gr, s, x, y, font, color, TEXT_LEVELS);
    }

    private void text(Graphics2D gr, String s, int x, int y, Font font, Color color, int levels) {
        if (s.isEmpty()) {
            return;
        }
        Mask mask = masks.computeIfAbsent(font.getFontName(Locale.ROOT) + "/" + font.getSize2D() + "/" + levels + "/" + s,
                k -> mask(gr, s, font, levels));
        int[] px = ((DataBufferInt) target.getRaster().getDataBuffer()).getData();
        int tw = target.getWidth();
        int ox = x - mask.pad;
        int oy = y - mask.ascent - mask.pad;
        int tr = color.getRed(), tg = color.getGreen(), tb = color.getBlue();
        for (int j = 0; j < mask.h; j++) {
            int ty = oy + j;
            if (ty < 0 || ty >= target.getHeight()) {
                continue;
            }
            for (int i = 0; i < mask.w; i++) {
                int level = mask.levels[j * mask.w + i];
                int tx = ox + i;
                if (level == 0 || tx < 0 || tx >= tw) {
                    continue;
                }
                double f = level / (double) levels;
                int bg = px[ty * tw + tx];
                int r = (int) Math.round(((bg >> 16) & 0xff) * (1 - f) + tr * f);
                int gg = (int) Math.round(((bg >> 8) & 0xff) * (1 - f) + tg * f);
                int b = (int) Math.round((bg & 0xff) * (1 - f) + tb * f);
                px[ty * tw + tx] = (r << 16) | (gg << 8) | b;
            }
        }
    }

    /** A string's coverage, rounded to a few steps. */
    private record Mask(int w, int h, int pad, int ascent, byte[] levels) {
    }

    private static Mask mask(Graphics2D gr, String s, Font font, int steps) {
        FontMetrics fm = gr.getFontMetrics(font);
        int pad = 3;
        int w = fm.stringWidth(s) + 2 * pad + (int) Math.ceil(font.getSize2D());
        int h = fm.getHeight() + 2 * pad;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D mg = img.createGraphics();
        try {
            mg.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            mg.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
            mg.setFont(font);
            mg.setColor(Color.WHITE);
            mg.drawString(s, pad, pad + fm.getAscent());
        } finally {
            mg.dispose();
        }
        byte[] cov = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] levels = new byte[cov.length];
        for (int i = 0; i < cov.length; i++) {
            levels[i] = (byte) Math.round((cov[i] & 0xff) / 255.0 * steps);
        }
        return new Mask(w, h, pad, fm.getAscent(), levels);
    }

    private void centered(Graphics2D gr, String s, int cx, int y, Font font, Color color) {
        int w = gr.getFontMetrics(font).stringWidth(s);
        text(gr, s, cx - w / 2, y, font, color);
    }
}
