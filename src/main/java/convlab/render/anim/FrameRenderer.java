package convlab.render.anim;

import convlab.core.Conv2d;
import convlab.core.Geometry;
import convlab.core.Tap;
import convlab.render.ColorMap;
import convlab.render.Scale;
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
import java.util.List;

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

    static final Color BG = Color.WHITE;
    static final Color INK = new Color(0x1f, 0x1f, 0x1f);
    static final Color MUTED = new Color(0x80, 0x80, 0x80);
    static final Color GRID = new Color(0xd0, 0xd0, 0xd0);
    static final Color BORDER = new Color(0x50, 0x50, 0x50);
    static final Color HATCH = new Color(0xb0, 0xb0, 0xb0);
    static final Color ACCENT = new Color(0xff, 0x7f, 0x00);
    static final Color ACCENT_TEXT = new Color(0xc8, 0x50, 0x00);
    static final Color SIDE_FRONT = new Color(0xa0, 0xa0, 0xa0);
    static final Color SIDE_RIGHT = new Color(0xc8, 0xc8, 0xc8);
    static final Color CONNECTOR = new Color(0xb4, 0xb4, 0xb4);
    /** An output cell not computed yet. */
    static final Color BLANK = BG;
    /** The sum box's background. */
    static final Color BOX = new Color(0xf6, 0xf6, 0xf6);

    private final Animation a;
    private final FrameLayout l;
    private final Geometry g;
    private final boolean stack;
    private final Area inputGaps;
    /** Cells at least this many pixels on a side get grid lines between them. */
    static final int GRID_LINES_FROM = 10;
    /** Coverage steps of anti-aliased text: 0, 1/4, ..., 1. */
    static final int TEXT_LEVELS = 4;

    /** The image being drawn into, for {@link #text}. */
    private BufferedImage target;

    private BufferedImage canvas;
    private long filledThrough = -1;

    FrameRenderer(Animation animation) {
        this.a = animation;
        this.l = animation.layout();
        this.g = animation.geometry();
        this.stack = l.style() == Style.STACK;
        this.inputGaps = stack ? gaps(l) : null;
    }

    /** Frame {@code frame} as a new RGB image. */
    BufferedImage render(int frame) {
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
                }
            }
        } finally {
            cg.dispose();
        }
        filledThrough = through;

        BufferedImage img = new BufferedImage(canvas.getWidth(), canvas.getHeight(), BufferedImage.TYPE_INT_RGB);
        int[] from = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
        int[] to = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(from, 0, to, 0, from.length);
        this.target = img;
        Graphics2D gr = img.createGraphics();
        try {
            plain(gr);
            if (plan.isHold(frame)) {
                drawHold(gr, frame);
            } else {
                drawStep(gr, frame, a.values(frame));
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
            text(gr, a.subtitle(), FrameLayout.MARGIN, l.subtitleBaseline(), FrameLayout.SUBTITLE, MUTED);
            String[] headers = a.headers();
            text(gr, headers[0], l.inputX(), l.headerBaseline(), FrameLayout.HEADER, INK);
            text(gr, headers[2], l.sumsX(), l.headerBaseline(), FrameLayout.HEADER, INK);
            text(gr, headers[3], l.combineX(), l.headerBaseline(), FrameLayout.HEADER, INK);
            text(gr, headers[4], l.outputX(), l.headerBaseline(), FrameLayout.HEADER, INK);

            if (stack) {
                connectors(gr, inputGrids(), CONNECTOR);
                connectors(gr, outputGrids(), CONNECTOR);
            }
            for (int c = 0; c < g.c(); c++) {
                drawInput(gr, c);
                label(gr, l.inputGrid(c), l.labelsBeside() ? "c" + c : "channel " + c);
            }
            for (int o = 0; o < g.o(); o++) {
                Grid og = l.outputGrid(o);
                for (int r = 0; r < og.rows(); r++) {
                    for (int col = 0; col < og.cols(); col++) {
                        cell(gr, og, r, col, BLANK);
                    }
                }
                slab(gr, og);
                outlineMap(gr, og);
                label(gr, og, l.labelsBeside() ? "o" + o : "output channel " + o + " (filter " + o + ")", true);
            }
            legend(gr, l.inputX(), l.inputW(), "input values", a.inputScale());
            legend(gr, l.kernelX(), l.kernelW(), "weights (all filters)", a.kernelScale());
            legend(gr, l.outputX(), l.outputW(), "output values", a.outputScale());
        } finally {
            gr.dispose();
        }
        return img;
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
        boolean numbers = l.inputNumbers();
        for (int r = 0; r < ig.rows(); r++) {
            for (int col = 0; col < ig.cols(); col++) {
                double v = a.paddedValue(c, r, col);
                boolean pad = a.isPadding(r, col);
                Color fill = CellColors.of(a.inputScale(), v);
                cell(gr, ig, r, col, fill);
                if (pad) {
                    hatch(gr, ig.cell(r, col));
                }
                if (numbers) {
                    String t = Numbers.format(v);
                    if (pad) {
                        // Clear the hatching behind the value so it reads.
                        gr.setFont(FrameLayout.CELL);
                        FontMetrics fm = gr.getFontMetrics();
                        Point center = ig.center(r, col);
                        int w = fm.stringWidth(t) + 2;
                        int h = fm.getAscent();
                        gr.setColor(fill);
                        gr.fillRect(center.x - w / 2, center.y - h / 2 - 1, w, h + 1);
                    }
                    cellText(gr, ig, r, col, t, pad ? padText(fill) : ColorMap.textOn(fill));
                }
            }
        }
        slab(gr, ig);
        if (!g.pads().isZero()) {
            gr.setColor(BORDER);
            gr.setStroke(new BasicStroke(2));
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
        double v = a.outputValue(oc, oh, ow);
        Color fill = CellColors.of(a.outputScale(), v);
        Grid og = l.outputGrid(oc);
        cell(gr, og, oh, ow, fill);
        if (l.outputNumbers()) {
            cellText(gr, og, oh, ow, Numbers.format(v), ColorMap.textOn(fill));
        }
    }

    // ---------------------------------------------------------------- per frame

    private void drawStep(Graphics2D gr, int frame, StepValues s) {
        FramePlan.Position p = s.position();
        title(gr, frame, "filter " + p.oc() + " (" + (p.oc() + 1) + " of " + g.o() + "),  output position (" + p.oh() + ", " + p.ow() + ")");
        text(gr, a.kernelHeader(p.oc()), l.kernelX(), l.headerBaseline(), FrameLayout.HEADER, INK);

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
                Rectangle kb = l.kernelGrid(c).bounds();
                text(gr, "(other group)", l.kernelX() + l.labelGutter(), kb.y + kb.height / 2 + 4, FrameLayout.LABEL, MUTED);
            }
        }
        for (int ic = 0; ic < cgCount; ic++) {
            int c = s.channel(ic);
            drawKernel(gr, p.oc(), ic, c);
            highlightField(gr, c, s.taps(ic));
            Grid kg = l.kernelGrid(c);
            int midY = kg.bounds().y + kg.bounds().height / 2;
            int opX = l.inputX() + l.inputW() + (l.kernelX() - l.inputX() - l.inputW()) / 2;
            centered(gr, "\u00d7", opX, midY + 7, FrameLayout.SYMBOL, INK);
            text(gr, "= " + Numbers.format(s.partial(ic)), l.sumsX(), midY + 5, FrameLayout.MONO_BOLD, INK);
        }
        int resultY = drawBox(gr, Captions.box(s, a.boxNumberWidth()), true);

        // The output: its channel outlined, the cell being written, and an arrow from the box to its row.
        Grid og = l.outputGrid(p.oc());
        gr.setColor(ACCENT);
        gr.setStroke(new BasicStroke(2));
        Rectangle ob = og.bounds();
        if (stack) {
            gr.draw(og.outline());
        } else {
            gr.drawRect(ob.x - 3, ob.y - 3, ob.width + 6, ob.height + 6);
        }
        twoTone(gr, List.of(atLeast(og.cell(p.oh(), p.ow()), 8)), stack ? 2 : 3);
        Rectangle box = l.combineBox();
        Point target = og.center(p.oh(), p.ow());
        if (stack) {
            // To the middle of the slice's left edge (its label sits on the right).
            Point back = og.corner(0, 0);
            Point front = og.corner(og.rows(), 0);
            arrow(gr, box.x + box.width + 2, resultY, (back.x + front.x) / 2 - 6, (back.y + front.y) / 2);
        } else {
            arrow(gr, box.x + box.width + 2, resultY, ob.x - 8, target.y);
        }

        caption(gr, a.captions().caption(s));
    }

    private void drawHold(Graphics2D gr, int frame) {
        title(gr, frame, "layer done: " + g.o() + " output channel" + (g.o() == 1 ? "" : "s") + " of " + g.oh() + "\u00d7" + g.ow());
        text(gr, a.kernelHeader(-1), l.kernelX(), l.headerBaseline(), FrameLayout.HEADER, INK);
        Rectangle kb = l.kernelGrid(0).bounds();
        text(gr, "every filter has", l.kernelX() + l.labelGutter(), kb.y + 14, FrameLayout.LABEL, MUTED);
        text(gr, "visited every position", l.kernelX() + l.labelGutter(), kb.y + 28, FrameLayout.LABEL, MUTED);
        caption(gr, Captions.done(g.o(), g.oh(), g.ow(), a.outputRange(), a.layer().spec().activation(),
                a.plan().sampled(), a.plan().totalSteps()));
    }

    private void title(Graphics2D gr, int frame, String what) {
        String t = a.options().title();
        String full = t.isEmpty() ? what : t + ":  " + what;
        text(gr, full, FrameLayout.MARGIN, l.titleBaseline(), FrameLayout.TITLE, INK);
        String counter = "frame " + (frame + 1) + " / " + a.plan().frameCount();
        gr.setFont(FrameLayout.SUBTITLE);
        int w = gr.getFontMetrics().stringWidth(counter);
        text(gr, counter, l.width() - FrameLayout.MARGIN - w, l.titleBaseline(), FrameLayout.SUBTITLE, MUTED);
    }

    private void drawKernel(Graphics2D gr, int oc, int ic, int c) {
        Grid kg = l.kernelGrid(c);
        for (int r = 0; r < kg.rows(); r++) {
            for (int col = 0; col < kg.cols(); col++) {
                double w = a.layer().weights().get(oc, ic, r, col);
                Color fill = CellColors.of(a.kernelScale(), w);
                cell(gr, kg, r, col, fill);
                if (l.kernelNumbers()) {
                    cellText(gr, kg, r, col, Numbers.format(w), ColorMap.textOn(fill));
                }
            }
        }
        slab(gr, kg);
        gr.setColor(ACCENT);
        if (stack) {
            gr.setStroke(new BasicStroke(2));
            gr.draw(kg.outline());
        } else {
            // Just outside the slice, clear of the values printed in its edge cells.
            Rectangle b = kg.bounds();
            gr.setStroke(new BasicStroke(3));
            gr.drawRect(b.x - 2, b.y - 2, b.width + 4, b.height + 4);
        }
        gr.setStroke(new BasicStroke(1));
        label(gr, kg, l.labelsBeside() ? "w" + c : "w[" + oc + ", " + ic + "]");
    }

    /** The taps of one channel outlined, and with dilation the span they cover dashed. */
    private void highlightField(Graphics2D gr, int c, List<Tap> taps) {
        Grid ig = l.inputGrid(c);
        int pt = g.pads().top();
        int pl = g.pads().left();
        int r0 = Integer.MAX_VALUE, c0 = Integer.MAX_VALUE, r1 = -1, c1 = -1;
        for (Tap t : taps) {
            r0 = Math.min(r0, t.ih() + pt);
            c0 = Math.min(c0, t.iw() + pl);
            r1 = Math.max(r1, t.ih() + pt);
            c1 = Math.max(c1, t.iw() + pl);
        }
        boolean dilated = g.spec().dilation().h() > 1 || g.spec().dilation().w() > 1;
        if (dilated) {
            gr.setColor(ACCENT);
            gr.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
            gr.draw(ig.span(r0, c0, r1, c1));
        }
        int size = ig.minCellSize();
        List<Shape> outlines = new java.util.ArrayList<>();
        if (size >= 12) {
            for (Tap t : taps) {
                outlines.add(ig.cell(t.ih() + pt, t.iw() + pl));
            }
            twoTone(gr, outlines, 2);
        } else {
            // Small cells: the field's outline, and each tap's own outline where there is room for one.
            outlines.add(atLeast(ig.span(r0, c0, r1, c1), 8));
            twoTone(gr, outlines, 2);
            if (size >= 5) {
                gr.setColor(ACCENT);
                for (Tap t : taps) {
                    gr.draw(ig.cell(t.ih() + pt, t.iw() + pl));
                }
            }
        }
        gr.setStroke(new BasicStroke(1));
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

    /** Stack style: the kernel block's edges running between consecutive slices of the field. */
    private void pillars(Graphics2D gr, StepValues s) {
        if (s.channelsPerGroup() < 2) {
            return;
        }
        int pt = g.pads().top();
        int pl = g.pads().left();
        List<Tap> taps = s.taps(0);
        int r0 = Integer.MAX_VALUE, c0 = Integer.MAX_VALUE, r1 = -1, c1 = -1;
        for (Tap t : taps) {
            r0 = Math.min(r0, t.ih() + pt);
            c0 = Math.min(c0, t.iw() + pl);
            r1 = Math.max(r1, t.ih() + pt);
            c1 = Math.max(c1, t.iw() + pl);
        }
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
        int y = box.y + 8 + l.combineLineHeight() - 4;
        int resultY = y;
        for (int i = 0; i < lines.size(); i++) {
            boolean result = i == lines.size() - 1;
            text(gr, lines.get(i), box.x + 10, y, FrameLayout.MONO_BOLD, result ? ACCENT_TEXT : INK);
            resultY = y - 5;
            y += l.combineLineHeight();
        }
        return resultY;
    }

    private void caption(Graphics2D gr, List<Captions.Line> lines) {
        int y = l.captionTop() + l.captionLineHeight() - 4;
        gr.setFont(FrameLayout.MONO);
        FontMetrics fm = gr.getFontMetrics();
        for (Captions.Line line : lines) {
            int x = FrameLayout.MARGIN;
            for (Captions.Span s : line.spans()) {
                text(gr, s.text(), x, y, FrameLayout.MONO, s.muted() ? MUTED : INK);
                x += fm.stringWidth(s.text());
            }
            y += l.captionLineHeight();
        }
    }

    private void arrow(Graphics2D gr, int x0, int y0, int x1, int y1) {
        gr.setColor(ACCENT);
        gr.setStroke(new BasicStroke(2));
        double ang = Math.atan2(y1 - y0, x1 - x0);
        int bx = (int) Math.round(x1 - 8 * Math.cos(ang));
        int by = (int) Math.round(y1 - 8 * Math.sin(ang));
        gr.drawLine(x0, y0, bx, by);
        Polygon head = new Polygon();
        head.addPoint(x1, y1);
        head.addPoint((int) Math.round(x1 - 11 * Math.cos(ang - 0.45)), (int) Math.round(y1 - 11 * Math.sin(ang - 0.45)));
        head.addPoint((int) Math.round(x1 - 11 * Math.cos(ang + 0.45)), (int) Math.round(y1 - 11 * Math.sin(ang + 0.45)));
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

    private void cellText(Graphics2D gr, Grid grid, int r, int c, String s, Color color) {
        gr.setFont(FrameLayout.CELL);
        FontMetrics fm = gr.getFontMetrics();
        Point center = grid.center(r, c);
        gr.setColor(color);
        gr.drawString(s, center.x - (fm.stringWidth(s) - 1) / 2, center.y + fm.getAscent() / 2 - 1);
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
            text(gr, s, backRight.x + 8, (backRight.y + frontRight.y) / 2 + 4, FrameLayout.LABEL, MUTED);
        } else if (beside) {
            gr.setFont(FrameLayout.LABEL);
            int w = gr.getFontMetrics().stringWidth(s);
            Point front = grid.corner(grid.rows(), 0);
            int x = Math.min(front.x, b.x) - w - 6;
            text(gr, s, Math.max(0, x), b.y + b.height / 2 + 4, FrameLayout.LABEL, MUTED);
        } else {
            gr.setColor(BG);
            gr.setFont(FrameLayout.LABEL);
            FontMetrics fm = gr.getFontMetrics();
            gr.fillRect(b.x, b.y - fm.getHeight() - 2, Math.max(b.width, fm.stringWidth(s)) + 2, fm.getHeight());
            text(gr, s, b.x, b.y - fm.getDescent() - 3, FrameLayout.LABEL, MUTED);
        }
    }

    private void legend(Graphics2D gr, int x, int colW, String name, Scale scale) {
        int y = l.legendTop();
        int bw = Math.max(60, Math.min(colW, 200));
        text(gr, name, x, y + 10, FrameLayout.LABEL, INK);
        int barY = y + 15;
        for (int i = 0; i < bw; i++) {
            double v = scale.lo() + (scale.hi() - scale.lo()) * i / (bw - 1.0);
            gr.setColor(CellColors.of(scale, v));
            gr.drawLine(x + i, barY, x + i, barY + 10);
        }
        gr.setColor(BORDER);
        gr.drawRect(x, barY, bw, 10);
        int ty = barY + 22;
        text(gr, Numbers.format(scale.lo()), x, ty, FrameLayout.SMALL, MUTED);
        gr.setFont(FrameLayout.SMALL);
        String hi = Numbers.format(scale.hi());
        text(gr, hi, x + bw - gr.getFontMetrics().stringWidth(hi), ty, FrameLayout.SMALL, MUTED);
        if (scale.diverging()) {
            centered(gr, "0", x + bw / 2, ty, FrameLayout.SMALL, MUTED);
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
        if (s.isEmpty()) {
            return;
        }
        FontMetrics fm = gr.getFontMetrics(font);
        int pad = 3;
        int w = fm.stringWidth(s) + 2 * pad + font.getSize();
        int h = fm.getHeight() + 2 * pad;
        BufferedImage mask = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D mg = mask.createGraphics();
        try {
            mg.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            mg.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
            mg.setFont(font);
            mg.setColor(Color.WHITE);
            mg.drawString(s, pad, pad + fm.getAscent());
        } finally {
            mg.dispose();
        }
        byte[] cov = ((DataBufferByte) mask.getRaster().getDataBuffer()).getData();
        int[] px = ((DataBufferInt) target.getRaster().getDataBuffer()).getData();
        int tw = target.getWidth();
        int ox = x - pad;
        int oy = y - fm.getAscent() - pad;
        int tr = color.getRed(), tg = color.getGreen(), tb = color.getBlue();
        for (int j = 0; j < h; j++) {
            int ty = oy + j;
            if (ty < 0 || ty >= target.getHeight()) {
                continue;
            }
            for (int i = 0; i < w; i++) {
                int c = cov[j * w + i] & 0xff;
                int tx = ox + i;
                if (c == 0 || tx < 0 || tx >= target.getWidth()) {
                    continue;
                }
                int level = (int) Math.round(c / 255.0 * TEXT_LEVELS);
                if (level == 0) {
                    continue;
                }
                double f = level / (double) TEXT_LEVELS;
                int bg = px[ty * tw + tx];
                int r = (int) Math.round(((bg >> 16) & 0xff) * (1 - f) + tr * f);
                int g = (int) Math.round(((bg >> 8) & 0xff) * (1 - f) + tg * f);
                int b = (int) Math.round((bg & 0xff) * (1 - f) + tb * f);
                px[ty * tw + tx] = (r << 16) | (g << 8) | b;
            }
        }
    }

    private void centered(Graphics2D gr, String s, int cx, int y, Font font, Color color) {
        gr.setFont(font);
        int w = gr.getFontMetrics().stringWidth(s);
        text(gr, s, cx - w / 2, y, font, color);
    }
}
