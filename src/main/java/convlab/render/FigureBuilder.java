package convlab.render;

import convlab.engine.LayerRun;
import convlab.render.FigureLayout.Group;
import convlab.render.FigureLayout.Kind;
import convlab.render.FigureLayout.Panel;
import convlab.render.FigureModel.EngineView;
import convlab.render.FigureModel.MapView;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The layout of one layer's figure: places what {@link FigureModel} holds, left to right as the computation flows
 * (input, kernels, outputs, cross-check), records each panel in a {@link FigureLayout}, and queues what to paint
 * where ({@link FigurePainter}, {@link Charts}, {@link Text} do the painting). All sizes are figure units;
 * {@code zoom} shrinks the cells when the figure would be too large, and the model is made once for every zoom tried.
 */
final class FigureBuilder {

    static final double MARGIN = 24;
    static final double SECTION_GAP = 48;
    static final double COL_GAP = 14;
    static final double ROW_GAP = 18;
    static final double TITLE_GAP = 5;
    static final double BAR_GAP = 14;
    static final double AXIS_RIGHT = 4;
    /** Cell side for maps small enough to print values in. */
    static final double NUMBERED_CELL = 40;
    /** Below this side values are not printed even in small maps. */
    static final double MIN_NUMBERED_CELL = 26;
    /** The side a big map's panel aims at. */
    static final double BIG_SIDE = 288;
    /**
     * Maps without printed values and with more cells than this are drawn as one picture (nearest-neighbour, each
     * cell a block of whole pixels) rather than one rectangle per cell, which keeps SVGs small.
     */
    static final int RASTER_CELLS = 16 * 16;
    /** The largest figure side before the cells are shrunk. */
    static final double MAX_SIDE = 6000;
    static final double MIN_BAR = 100;
    static final double MAX_BAR = 320;

    private final FigureModel m;
    private final FigureOptions o;
    private final double zoom;

    private final List<Panel> panels = new ArrayList<>();
    private final Map<Group, Rectangle2D> bars = new EnumMap<>(Group.class);
    private final Map<Group, Scale> scales = new EnumMap<>(Group.class);
    private final List<Consumer<Graphics2D>> parts = new ArrayList<>();
    private double right;
    private double bottom;

    private FigureBuilder(FigureModel m, FigureOptions o, double zoom) {
        this.m = m;
        this.o = o;
        this.zoom = zoom;
    }

    static Figure build(FigureData d, FigureOptions o) {
        int items = d.input().dim(0);
        if (o.batchIndex() >= items) {
            throw new IllegalArgumentException("Expected a batch index below " + items + " (the input holds " + items
                    + " item(s)), but found " + o.batchIndex());
        }
        FigureModel model = FigureModel.of(d, o);
        double zoom = 1;
        while (true) {
            Figure f = new FigureBuilder(model, o, zoom).run();
            if ((f.width() <= MAX_SIDE && f.height() <= MAX_SIDE) || zoom < 0.2) {
                return f;
            }
            zoom *= 0.8;
        }
    }

    /** The cell side for a map and whether its values are printed. */
    private record Cells(double size, boolean numbered) {
    }

    private Cells cells(int rows, int cols) {
        int side = Math.max(rows, cols);
        double numbered = Math.floor(NUMBERED_CELL * zoom);
        if (side <= o.valueThreshold() && numbered >= MIN_NUMBERED_CELL) {
            return new Cells(numbered, true);
        }
        double c = BIG_SIDE * zoom / side;
        if (c >= 1) {
            c = Math.floor(c);
        }
        return new Cells(Math.min(c, numbered), false);
    }

    private Figure run() {
        FigureModel m = this.m;
        int h = m.h;
        int w = m.w;
        int kh = m.kh;
        int kw = m.kw;
        int oh = m.oh;
        int ow = m.ow;
        int c = m.c;
        int cg = m.cg;
        int filters = m.filters;
        int cShown = m.cShown;
        int oShown = m.oShown;
        int cgShown = m.cgShown;
        int outCols = m.outputMaps.length == 0 ? 1 : m.outputMaps[0].length;
        List<MapView> inputMaps = m.inputMaps;
        MapView[][] kernelMaps = m.kernelMaps;
        MapView[][] outputMaps = m.outputMaps;
        List<EngineView> engines = m.engines;
        Scale inScale = m.scales.get(Group.INPUT);
        Scale kScale = m.scales.get(Group.KERNELS);
        Scale outScale = m.scales.get(Group.OUTPUTS);
        Scale diffScale = m.scales.get(Group.DIFFERENCES);
        scales.putAll(m.scales);

        Cells inCells = cells(h, w);
        Cells kCells = cells(kh, kw);
        Cells oCells = cells(oh, ow);
        Font inFont = inCells.numbered() ? labelFont(inputMaps, inCells.size()) : null;
        Font kFont = kCells.numbered() ? labelFont(FigureModel.flatten(kernelMaps), kCells.size()) : null;
        List<MapView> outLike = new ArrayList<>(FigureModel.flatten(outputMaps));
        List<MapView> diffLike = new ArrayList<>();
        for (EngineView v : engines) {
            if (v.ok()) {
                for (MapView[] row : v.maps()) {
                    if (row[0] != null) {
                        outLike.add(row[0]);
                    }
                    diffLike.add(row[1]);
                }
            }
        }
        Font oFont = oCells.numbered() ? labelFont(outLike, oCells.size()) : null;
        Font dFont = oCells.numbered() ? labelFont(diffLike, oCells.size(), true) : null;

        // ---- widths of columns
        double inPlotW = w * inCells.size();
        double inPlotH = h * inCells.size();
        double kPlotW = kw * kCells.size();
        double kPlotH = kh * kCells.size();
        double oPlotW = ow * oCells.size();
        double oPlotH = oh * oCells.size();
        double inColW = Math.max(Charts.AXIS_LEFT + inPlotW + AXIS_RIGHT, maxTitle(inputMaps));
        double kColW = Math.max(Charts.AXIS_LEFT + kPlotW + AXIS_RIGHT, maxTitle(FigureModel.flatten(kernelMaps)));
        double oColW = Math.max(Charts.AXIS_LEFT + oPlotW + AXIS_RIGHT, maxTitle(FigureModel.flatten(outputMaps)));
        List<String> biasLabels = m.biasLabels;
        double biasW = 0;
        for (String s : biasLabels) {
            biasW = Math.max(biasW, Text.width(s, Text.BIAS) + 10);
        }
        double[] engineColW = new double[engines.size()];
        for (int i = 0; i < engines.size(); i++) {
            EngineView v = engines.get(i);
            double base = Charts.AXIS_LEFT + oPlotW + AXIS_RIGHT;
            engineColW[i] = v.ok() ? Math.max(base, maxTitle(FigureModel.flatten(v.maps()))) : Math.max(base, 160);
        }

        double inW = inColW + BAR_GAP + Charts.BAR_WIDTH;
        double kW = cgShown * kColW + (cgShown - 1) * COL_GAP + biasW + BAR_GAP + Charts.BAR_WIDTH;
        double oW = outCols * oColW + (outCols - 1) * COL_GAP + BAR_GAP + Charts.BAR_WIDTH;
        double xW = 0;
        for (int i = 0; i < engines.size(); i++) {
            xW += engines.get(i).columns() * (engineColW[i] + COL_GAP);
        }
        xW = engines.isEmpty() ? 0 : xW - COL_GAP + (diffScale != null ? BAR_GAP + Charts.BAR_WIDTH : 0);

        // ---- header
        List<Line> header = new ArrayList<>();
        if (!m.title.isBlank()) {
            header.add(new Line(m.title, Text.HEADER, Text.INK));
        }
        header.add(new Line(m.config, Text.CONFIG, Text.INK));
        header.add(new Line(m.detail, Text.DETAIL, Text.MUTED));
        double y = MARGIN;
        for (Line line : header) {
            double baseline = y + Text.ascent(line.font());
            Line l = line;
            double by = baseline;
            parts.add(g -> Text.draw(g, l.text(), l.font(), l.color(), MARGIN, by));
            right = Math.max(right, MARGIN + Text.width(line.text(), line.font()));
            y += Text.lineHeight(line.font()) + 3;
        }
        double headTop = y + 14;

        // ---- section heads
        double[] widths = {inW, kW, oW, xW};
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < m.sections.size(); i++) {
            sections.add(new Section(m.sections.get(i).name(), widths[i], m.sections.get(i).caption()));
        }
        double headH = 0;
        for (Section s : sections) {
            s.caption = new ArrayList<>();
            double wrapAt = Math.max(s.width, 300);
            for (String line : s.captionText) {
                s.caption.addAll(Text.wrap(line, Text.CAPTION, wrapAt));
            }
            s.width = Math.max(s.width, Text.maxWidth(s.caption, Text.CAPTION));
            headH = Math.max(headH, Text.lineHeight(Text.SECTION) + 4 + s.caption.size() * Text.lineHeight(Text.CAPTION));
        }
        double gridTop = headTop + headH + 16;
        double x = MARGIN;
        List<Double> separators = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            s.x = x;
            double sx = x;
            double ly = headTop + Text.ascent(Text.SECTION);
            parts.add(g -> Text.draw(g, s.name, Text.SECTION, Text.INK, sx, ly));
            double cy = headTop + Text.lineHeight(Text.SECTION) + 4;
            for (String line : s.caption) {
                double base = cy + Text.ascent(Text.CAPTION);
                parts.add(g -> Text.draw(g, line, Text.CAPTION, Text.MUTED, sx, base));
                cy += Text.lineHeight(Text.CAPTION);
            }
            x += s.width;
            if (i < sections.size() - 1) {
                separators.add(x + SECTION_GAP / 2);
                x += SECTION_GAP;
            }
        }
        right = Math.max(right, x);

        // ---- input: one column
        Section inSec = sections.get(0);
        double iy = gridTop;
        double inDataX = inSec.x + (inColW - Charts.AXIS_LEFT - inPlotW - AXIS_RIGHT) / 2 + Charts.AXIS_LEFT;
        double inTop = Double.NaN;
        double inBottom = gridTop;
        for (MapView map : inputMaps) {
            double titleH = map.title.size() * Text.lineHeight(Text.PANEL_TITLE) + TITLE_GAP;
            Rectangle2D cellsArea = new Rectangle2D.Double(inDataX, iy + titleH, inPlotW, inPlotH);
            if (Double.isNaN(inTop) && map.kind == Kind.HEATMAP) {
                inTop = cellsArea.getY();
            }
            addMap(map, cellsArea, inSec.x, inColW, inScale, inCells, inFont);
            inBottom = cellsArea.getMaxY();
            iy = cellsArea.getMaxY() + Charts.AXIS_BOTTOM + ROW_GAP;
        }
        if (cShown < c) {
            note("+ " + (c - cShown) + " more channels not drawn", inSec.x, inBottom + Charts.AXIS_BOTTOM + 6);
        }
        addBar(Group.INPUT, inScale, inSec.x + inColW + BAR_GAP, inTop, inBottom);

        // ---- rows shared by kernels, outputs and cross-check: row oc holds filter oc everywhere
        int titleLines = diffLike.isEmpty() ? 1 : 2;
        double titleH = titleLines * Text.lineHeight(Text.PANEL_TITLE) + TITLE_GAP;
        double plotH = Math.max(kPlotH, oPlotH);
        double rowH = titleH + plotH + Charts.AXIS_BOTTOM + ROW_GAP;
        double gridBottom = gridTop + oShown * rowH - ROW_GAP;

        Section kSec = sections.get(1);
        double kTop = Double.NaN;
        double kBottom = gridTop;
        for (int oc = 0; oc < oShown; oc++) {
            double rowTop = gridTop + oc * rowH;
            double dataY = rowTop + titleH + (plotH - kPlotH) / 2;
            for (int ic = 0; ic < cgShown; ic++) {
                double colX = kSec.x + ic * (kColW + COL_GAP);
                double dataX = colX + (kColW - Charts.AXIS_LEFT - kPlotW - AXIS_RIGHT) / 2 + Charts.AXIS_LEFT;
                Rectangle2D cellsArea = new Rectangle2D.Double(dataX, dataY, kPlotW, kPlotH);
                addMap(kernelMaps[oc][ic], cellsArea, colX, kColW, kScale, kCells, kFont);
                if (Double.isNaN(kTop)) {
                    kTop = dataY;
                }
                kBottom = cellsArea.getMaxY();
            }
            if (!biasLabels.isEmpty()) {
                String s = biasLabels.get(oc);
                double bx = kSec.x + cgShown * kColW + (cgShown - 1) * COL_GAP + 6;
                double by = dataY + kPlotH / 2 + Text.capHeight(Text.BIAS) / 2;
                parts.add(g -> Text.draw(g, s, Text.BIAS, Text.INK, bx, by));
            }
        }
        double kGridRight = kSec.x + cgShown * kColW + (cgShown - 1) * COL_GAP + biasW;
        if (oShown < filters || cgShown < cg) {
            note((oShown < filters ? "+ " + (filters - oShown) + " more filters" : "")
                    + (oShown < filters && cgShown < cg ? ", " : "")
                    + (cgShown < cg ? "+ " + (cg - cgShown) + " more channels per filter" : "")
                    + " not drawn", kSec.x, gridBottom + Charts.AXIS_BOTTOM + 6);
        }
        addBar(Group.KERNELS, kScale, kGridRight + BAR_GAP, kTop, kBottom);

        Section oSec = sections.get(2);
        double oTop = gridTop + titleH + (plotH - oPlotH) / 2;
        for (int oc = 0; oc < oShown; oc++) {
            double dataY = gridTop + oc * rowH + titleH + (plotH - oPlotH) / 2;
            for (int j = 0; j < outCols; j++) {
                double colX = oSec.x + j * (oColW + COL_GAP);
                double dataX = colX + (oColW - Charts.AXIS_LEFT - oPlotW - AXIS_RIGHT) / 2 + Charts.AXIS_LEFT;
                addMap(outputMaps[oc][j], new Rectangle2D.Double(dataX, dataY, oPlotW, oPlotH), colX, oColW,
                        outScale, oCells, oFont);
            }
        }
        double oBottom = oTop + (oShown - 1) * rowH + oPlotH;
        if (oShown < filters) {
            note("+ " + (filters - oShown) + " more channels not drawn", oSec.x, gridBottom + Charts.AXIS_BOTTOM + 6);
        }
        addBar(Group.OUTPUTS, outScale, oSec.x + outCols * oColW + (outCols - 1) * COL_GAP + BAR_GAP, oTop, oBottom);

        if (!engines.isEmpty()) {
            Section xSec = sections.get(3);
            double colX = xSec.x;
            for (int i = 0; i < engines.size(); i++) {
                EngineView v = engines.get(i);
                MapView[][] em = v.maps();
                double cw = engineColW[i];
                if (!v.ok()) {
                    double boxX = colX + Charts.AXIS_LEFT;
                    double boxW = 2 * cw + COL_GAP - Charts.AXIS_LEFT - AXIS_RIGHT;
                    double boxH = Math.max(oBottom - oTop, 60);
                    addMessage(v, new Rectangle2D.Double(boxX, oTop, boxW, boxH), colX, 2 * cw + COL_GAP);
                } else {
                    int skip = 2 - v.columns(); // an engine that agrees has no output map
                    for (int oc = 0; oc < oShown; oc++) {
                        double dataY = gridTop + oc * rowH + titleH + (plotH - oPlotH) / 2;
                        for (int j = skip; j < 2; j++) {
                            double cx = colX + (j - skip) * (cw + COL_GAP);
                            double dataX = cx + (cw - Charts.AXIS_LEFT - oPlotW - AXIS_RIGHT) / 2 + Charts.AXIS_LEFT;
                            Scale s = j == 0 ? outScale : diffScale;
                            addMap(em[oc][j], new Rectangle2D.Double(dataX, dataY, oPlotW, oPlotH), cx, cw, s, oCells,
                                    j == 0 ? oFont : dFont);
                        }
                    }
                }
                colX += v.columns() * (cw + COL_GAP);
            }
            if (diffScale != null) {
                addBar(Group.DIFFERENCES, diffScale, colX - COL_GAP + BAR_GAP, oTop, oBottom);
            }
        }

        double sepTop = headTop;
        double sepBottom = bottom;
        for (double sx : separators) {
            parts.add(g -> FigurePainter.rule(g, sx, sepTop, sepBottom));
        }
        int width = (int) Math.ceil(right + MARGIN);
        int height = (int) Math.ceil(bottom + MARGIN);
        return new Figure(new FigureLayout(width, height, panels, bars), scales, parts);
    }

    private record Line(String text, Font font, Color color) {
    }

    private static final class Section {
        final String name;
        final List<String> captionText;
        double width;
        List<String> caption;
        double x;

        Section(String name, double width, List<String> captionText) {
            this.name = name;
            this.width = width;
            this.captionText = captionText;
        }
    }

    private static double maxTitle(List<MapView> maps) {
        double w = 0;
        for (MapView m : maps) {
            w = Math.max(w, m.titleWidth());
        }
        return w;
    }

    /** The largest font (11 down to 7) in which every value of these maps fits its cell, or null if none does. */
    private static Font labelFont(List<MapView> maps, double cell) {
        return labelFont(maps, cell, false);
    }

    private static Font labelFont(List<MapView> maps, double cell, boolean tight) {
        String widest = "";
        double widestW = 0;
        for (MapView m : maps) {
            if (m.values == null) {
                continue;
            }
            for (double v : m.values) {
                String s = tight ? Compact.tight(v) : Numbers.format(v);
                double sw = Text.width(s, Text.PANEL_TITLE);
                if (sw > widestW) {
                    widest = s;
                    widestW = sw;
                }
            }
        }
        for (float size = 11f; size >= 7f; size -= 0.5f) {
            Font f = Text.PANEL_TITLE.deriveFont(size);
            if (Text.width(widest, f) <= cell - 4 && Text.capHeight(f) <= cell - 6) {
                return f;
            }
        }
        return null;
    }

    private void note(String text, double x, double y) {
        double base = y + Text.ascent(Text.CAPTION);
        parts.add(g -> Text.draw(g, text, Text.CAPTION, Text.MUTED, x, base));
        bottom = Math.max(bottom, y + Text.lineHeight(Text.CAPTION));
        right = Math.max(right, x + Text.width(text, Text.CAPTION));
    }

    private void addBar(Group group, Scale scale, double x, double top, double cellsBottom) {
        if (Double.isNaN(top)) {
            return;
        }
        double h = Math.min(Math.max(cellsBottom - top, MIN_BAR), MAX_BAR);
        Rectangle2D area = new Rectangle2D.Double(x, top, Charts.BAR_WIDTH, h);
        bars.put(group, new Rectangle2D.Double(x, top, Charts.STRIP_WIDTH, h));
        parts.add(g -> Charts.colorBar(g, area, scale));
        right = Math.max(right, area.getMaxX());
        bottom = Math.max(bottom, area.getMaxY() + 6);
    }

    /** Adds a heatmap or picture panel whose cells fill {@code cellsArea}; its title is centred in its column. */
    private void addMap(MapView m, Rectangle2D cellsArea, double colX, double colW, Scale scale, Cells cells, Font font) {
        String title = String.join(", ", m.title);
        panels.add(new Panel(title, m.kind, m.group, cellsArea.getX(), cellsArea.getY(), cellsArea.getWidth(),
                cellsArea.getHeight(), m.rows, m.cols));
        drawTitle(m.title, cellsArea, colX, colW);
        BufferedImage raster = null;
        if (m.picture != null) {
            raster = FigurePainter.pictureRaster(m.picture, m.rows, m.cols, cells.size());
        } else if (!cells.numbered() && (long) m.rows * m.cols > RASTER_CELLS) {
            raster = FigurePainter.cellRaster(m.values, m.rows, m.cols, scale, cells.size());
        }
        BufferedImage r = raster;
        Font labels = m.picture == null && cells.numbered() ? font : null;
        boolean tight = m.group == Group.DIFFERENCES;
        parts.add(g -> Charts.heatmap(g, cellsArea, m.rows, m.cols, m.values, scale, labels, tight, r));
        right = Math.max(right, colX + colW);
        bottom = Math.max(bottom, cellsArea.getMaxY() + Charts.AXIS_BOTTOM);
    }

    private void drawTitle(List<String> lines, Rectangle2D above, double colX, double colW) {
        double lh = Text.lineHeight(Text.PANEL_TITLE);
        double descent = lh - Text.ascent(Text.PANEL_TITLE);
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i);
            double tw = Text.width(s, Text.PANEL_TITLE);
            double cx = Math.max(colX + tw / 2, Math.min(above.getCenterX(), colX + colW - tw / 2));
            double base = above.getY() - TITLE_GAP - (lines.size() - 1 - i) * lh - descent + 1;
            parts.add(g -> Text.drawCentred(g, s, Text.PANEL_TITLE, Text.INK, cx, base));
        }
    }

    /** A failed or incomparable engine: its status and message, wrapped, in a box where its maps would be. */
    private void addMessage(EngineView v, Rectangle2D box, double colX, double colW) {
        LayerRun run = v.result().run();
        String title = v.result().engineName() + ": " + run.status();
        panels.add(new Panel(title, Kind.MESSAGE, Group.DIFFERENCES, box.getX(), box.getY(), box.getWidth(),
                box.getHeight(), 0, 0));
        drawTitle(List.of(title), box, colX, colW);
        boolean error = run.status() != LayerRun.Status.UNSUPPORTED;
        String status = run.status() == LayerRun.Status.OK ? "not comparable" : run.status().name();
        double pad = FigurePainter.MESSAGE_PAD;
        List<String> lines = Text.wrap(v.problem(), Text.MESSAGE, box.getWidth() - 2 * pad);
        double lh = Text.lineHeight(Text.MESSAGE);
        double statusH = FigurePainter.messageStatusHeight();
        int fit = (int) Math.max(1, Math.floor((box.getHeight() - 2 * pad - statusH) / lh));
        if (lines.size() > fit) {
            lines = new ArrayList<>(lines.subList(0, fit));
            lines.set(fit - 1, "...");
        }
        List<String> shown = lines;
        parts.add(g -> FigurePainter.messageBox(g, box, error, status, shown));
        right = Math.max(right, colX + colW);
        bottom = Math.max(bottom, box.getMaxY() + 6);
    }
}
