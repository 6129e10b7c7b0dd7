package convlab.render;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.Describe;
import convlab.core.Geometry;
import convlab.core.Tensor;
import convlab.engine.LayerRun;
import convlab.io.Images;
import convlab.render.FigureLayout.Group;
import convlab.render.FigureLayout.Kind;
import convlab.render.FigureLayout.Panel;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Lays one layer's figure out, left to right as the computation flows (input, kernels, outputs, cross-check), and
 * records what to draw where. All sizes are figure units; {@code zoom} shrinks the cells when the figure would be
 * too large.
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

    private static final Color ERROR_FILL = new Color(0xfd, 0xec, 0xea);
    private static final Color ERROR_INK = new Color(0xb0, 0x1c, 0x1c);
    private static final Color UNSUPPORTED_FILL = new Color(0xf4, 0xf4, 0xf4);
    private static final Color UNSUPPORTED_INK = new Color(0x8a, 0x5a, 0x00);

    private final FigureData d;
    private final FigureOptions o;
    private final double zoom;

    private final List<Panel> panels = new ArrayList<>();
    private final Map<Group, Rectangle2D> bars = new EnumMap<>(Group.class);
    private final Map<Group, Scale> scales = new EnumMap<>(Group.class);
    private final List<Consumer<Graphics2D>> parts = new ArrayList<>();
    private double right;
    private double bottom;

    private FigureBuilder(FigureData d, FigureOptions o, double zoom) {
        this.d = d;
        this.o = o;
        this.zoom = zoom;
    }

    static Figure build(FigureData d, FigureOptions o) {
        int items = d.input().dim(0);
        if (o.batchIndex() >= items) {
            throw new IllegalArgumentException("Expected a batch index below " + items + " (the input holds " + items
                    + " item(s)), but found " + o.batchIndex());
        }
        double zoom = 1;
        while (true) {
            Figure f = new FigureBuilder(d, o, zoom).run();
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

    /** What one engine's run looks like next to the reference, for the drawn batch item. */
    private record EngineView(EngineResult result, Tensor item, double[][] diffs, double[] channelMax,
                              int[] channelNanMismatch, double maxAll, int nanMismatchAll, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private EngineView view(EngineResult e, Tensor reference, int b) {
        LayerRun run = e.run();
        if (run.status() != LayerRun.Status.OK) {
            String msg = run.message() == null || run.message().isBlank() ? "(no message)" : run.message();
            return new EngineView(e, null, null, null, null, Double.NaN, 0, msg);
        }
        Tensor out = run.output();
        if (!Arrays.equals(out.shape(), reference.shape())) {
            return new EngineView(e, null, null, null, null, Double.NaN, 0, "The output has shape " + out.shapeString()
                    + ", but the reference has " + reference.shapeString() + ", so they cannot be compared.");
        }
        double maxAll = 0;
        int nanAll = 0;
        for (int i = 0; i < out.size(); i++) {
            double diff = diff(out.flat(i), reference.flat(i));
            if (Double.isNaN(diff)) {
                nanAll++;
            } else {
                maxAll = Math.max(maxAll, Math.abs(diff));
            }
        }
        Tensor item = out.slice(b);
        Tensor ref = reference.slice(b);
        int oc = ref.dim(0);
        int n = ref.dim(1) * ref.dim(2);
        double[][] diffs = new double[oc][n];
        double[] channelMax = new double[oc];
        int[] channelNan = new int[oc];
        for (int c = 0; c < oc; c++) {
            for (int i = 0; i < n; i++) {
                double diff = diff(item.flat(c * n + i), ref.flat(c * n + i));
                diffs[c][i] = diff;
                if (Double.isNaN(diff)) {
                    channelNan[c]++;
                } else {
                    channelMax[c] = Math.max(channelMax[c], Math.abs(diff));
                }
            }
        }
        return new EngineView(e, item, diffs, channelMax, channelNan, maxAll, nanAll, null);
    }

    /** engine - reference; 0 where both are NaN or the same infinity, NaN where only one is NaN. */
    static double diff(double engine, double reference) {
        if (Double.isNaN(engine) || Double.isNaN(reference)) {
            return Double.isNaN(engine) && Double.isNaN(reference) ? 0.0 : Double.NaN;
        }
        if (engine == reference) {
            return 0.0;
        }
        return engine - reference;
    }

    static String maxDiffText(double max, int nanMismatches) {
        String s = "max |diff| = " + (max == 0 ? "0" : String.format(Locale.ROOT, "%.1e", max));
        return nanMismatches == 0 ? s : s + ", " + nanMismatches + " NaN mismatch" + (nanMismatches == 1 ? "" : "es");
    }

    /** One map to draw: title lines, size, values (row-major), and optionally a picture instead of cells. */
    private static final class Map2 {
        final List<String> title;
        final Kind kind;
        final Group group;
        final int rows;
        final int cols;
        final double[] values;
        final BufferedImage picture;

        Map2(List<String> title, Kind kind, Group group, int rows, int cols, double[] values, BufferedImage picture) {
            this.title = title;
            this.kind = kind;
            this.group = group;
            this.rows = rows;
            this.cols = cols;
            this.values = values;
            this.picture = picture;
        }

        double titleWidth() {
            return Text.maxWidth(title, Text.PANEL_TITLE);
        }
    }

    private static double[] channel(Tensor chw, int c) {
        int n = chw.dim(1) * chw.dim(2);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = chw.flat(c * n + i);
        }
        return v;
    }

    private static boolean anyNaN(double[] v) {
        for (double x : v) {
            if (Double.isNaN(x)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ the layout

    private Figure run() {
        ConvLayer layer = d.layer();
        int b = o.batchIndex();
        Tensor input = d.input().slice(b);
        Tensor pre = d.reference().preActivation().slice(b);
        Tensor act = d.reference().activated().slice(b);
        Activation activation = layer.spec().activation();
        boolean twoOutputs = activation != Activation.NONE;
        int c = input.dim(0);
        int h = input.dim(1);
        int w = input.dim(2);
        int filters = layer.filters();
        int cg = layer.channelsPerGroup();
        int og = filters / layer.spec().groups();
        int kh = layer.kernel().h();
        int kw = layer.kernel().w();
        int oh = pre.dim(1);
        int ow = pre.dim(2);
        int max = o.maxChannels();
        int cShown = Math.min(c, max);
        int oShown = Math.min(filters, max);
        int cgShown = Math.min(cg, max);

        Scale inScale = Scale.fitting(input);
        Scale kScale = Scale.fitting(layer.weights());
        Scale outScale = Scale.fitting(pre, act);
        scales.put(Group.INPUT, inScale);
        scales.put(Group.KERNELS, kScale);
        scales.put(Group.OUTPUTS, outScale);

        List<EngineView> engines = new ArrayList<>();
        for (EngineResult e : d.engines()) {
            engines.add(view(e, d.reference().activated(), b));
        }
        List<Tensor> diffTensors = new ArrayList<>();
        for (EngineView v : engines) {
            if (v.ok()) {
                double[] all = new double[filters * oh * ow];
                for (int oc = 0; oc < filters; oc++) {
                    System.arraycopy(v.diffs()[oc], 0, all, oc * oh * ow, oh * ow);
                }
                diffTensors.add(Tensor.of(new int[] {filters, oh, ow}, all));
            }
        }
        Scale diffScale = diffTensors.isEmpty() ? null : Scale.symmetric(diffTensors.toArray(new Tensor[0]));
        if (diffScale != null) {
            scales.put(Group.DIFFERENCES, diffScale);
        }

        // ---- the maps
        List<Map2> inputMaps = new ArrayList<>();
        BufferedImage picture = d.image() != null ? d.image()
                : d.rgbInput() ? Images.toImage(d.input().slice(b).reshape(1, c, h, w)) : null;
        if (picture != null) {
            inputMaps.add(new Map2(List.of(d.image() != null ? "input image" : "input as RGB"), Kind.IMAGE,
                    Group.INPUT, h, w, null, picture));
        }
        for (int i = 0; i < cShown; i++) {
            inputMaps.add(new Map2(List.of("input c=" + i), Kind.HEATMAP, Group.INPUT, h, w, channel(input, i), null));
        }
        Map2[][] kernelMaps = new Map2[oShown][cgShown];
        for (int oc = 0; oc < oShown; oc++) {
            Tensor filter = layer.weights().slice(oc);
            for (int ic = 0; ic < cgShown; ic++) {
                int absolute = (oc / og) * cg + ic;
                kernelMaps[oc][ic] = new Map2(List.of("kernel o=" + oc + " c=" + absolute), Kind.HEATMAP,
                        Group.KERNELS, kh, kw, channel(filter, ic), null);
            }
        }
        int outCols = twoOutputs ? 2 : 1;
        Map2[][] outputMaps = new Map2[oShown][outCols];
        for (int oc = 0; oc < oShown; oc++) {
            if (twoOutputs) {
                outputMaps[oc][0] = new Map2(List.of("output o=" + oc + " (pre-" + activation + ")"), Kind.HEATMAP,
                        Group.OUTPUTS, oh, ow, channel(pre, oc), null);
                outputMaps[oc][1] = new Map2(List.of("output o=" + oc + " (" + activation + ")"), Kind.HEATMAP,
                        Group.OUTPUTS, oh, ow, channel(act, oc), null);
            } else {
                outputMaps[oc][0] = new Map2(List.of("output o=" + oc), Kind.HEATMAP, Group.OUTPUTS, oh, ow,
                        channel(act, oc), null);
            }
        }
        // per engine: [oShown][2] maps, or null when it has a message instead
        List<Map2[][]> engineMaps = new ArrayList<>();
        for (EngineView v : engines) {
            if (!v.ok()) {
                engineMaps.add(null);
                continue;
            }
            String name = v.result().engineName();
            Map2[][] m = new Map2[oShown][2];
            for (int oc = 0; oc < oShown; oc++) {
                m[oc][0] = new Map2(List.of(name + " o=" + oc), Kind.HEATMAP, Group.OUTPUTS, oh, ow,
                        channel(v.item(), oc), null);
                m[oc][1] = new Map2(List.of(name + " - reference o=" + oc,
                        maxDiffText(v.channelMax()[oc], v.channelNanMismatch()[oc])), Kind.HEATMAP,
                        Group.DIFFERENCES, oh, ow, v.diffs()[oc], null);
            }
            engineMaps.add(m);
        }

        Cells inCells = cells(h, w);
        Cells kCells = cells(kh, kw);
        Cells oCells = cells(oh, ow);
        Font inFont = inCells.numbered() ? labelFont(inputMaps, inCells.size()) : null;
        Font kFont = kCells.numbered() ? labelFont(flatten(kernelMaps), kCells.size()) : null;
        List<Map2> outLike = new ArrayList<>(flatten(outputMaps));
        List<Map2> diffLike = new ArrayList<>();
        for (Map2[][] m : engineMaps) {
            if (m != null) {
                for (Map2[] row : m) {
                    outLike.add(row[0]);
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
        double kColW = Math.max(Charts.AXIS_LEFT + kPlotW + AXIS_RIGHT, maxTitle(flatten(kernelMaps)));
        double oColW = Math.max(Charts.AXIS_LEFT + oPlotW + AXIS_RIGHT, maxTitle(flatten(outputMaps)));
        List<String> biasLabels = new ArrayList<>();
        double biasW = 0;
        if (layer.bias() != null) {
            for (int oc = 0; oc < oShown; oc++) {
                String s = "b=" + Numbers.format(layer.bias(oc));
                biasLabels.add(s);
                biasW = Math.max(biasW, Text.width(s, Text.BIAS) + 10);
            }
        }
        double[] engineColW = new double[engines.size()];
        for (int i = 0; i < engines.size(); i++) {
            Map2[][] m = engineMaps.get(i);
            double base = Charts.AXIS_LEFT + oPlotW + AXIS_RIGHT;
            if (m == null) {
                engineColW[i] = Math.max(base, 160);
            } else {
                List<Map2> all = flatten(m);
                engineColW[i] = Math.max(base, maxTitle(all));
            }
        }

        double inW = inColW + BAR_GAP + Charts.BAR_WIDTH;
        double kW = cgShown * kColW + (cgShown - 1) * COL_GAP + biasW + BAR_GAP + Charts.BAR_WIDTH;
        double oW = outCols * oColW + (outCols - 1) * COL_GAP + BAR_GAP + Charts.BAR_WIDTH;
        double xW = 0;
        for (double cw : engineColW) {
            xW += 2 * cw + 2 * COL_GAP;
        }
        xW = engines.isEmpty() ? 0 : xW - COL_GAP + (diffScale != null ? BAR_GAP + Charts.BAR_WIDTH : 0);

        // ---- header
        List<Line> header = new ArrayList<>();
        if (!d.title().isBlank()) {
            header.add(new Line(d.title(), Text.HEADER, Text.INK));
        }
        header.add(new Line("layer " + (d.layerIndex() + 1) + ": " + Describe.conv2d(Geometry.of(d.input().shape(), layer), layer),
                Text.CONFIG, Text.INK));
        header.add(new Line("input " + d.input().shapeString() + " (" + d.input().dtype() + ") -> output "
                + d.reference().activated().shapeString() + ", bias " + (layer.bias() == null ? "none" : "yes")
                + ", drawing batch item " + b + " of " + d.input().dim(0), Text.DETAIL, Text.MUTED));
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
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("input", inW, List.of(
                cShown < c ? c + " channels of " + h + "x" + w + ", first " + cShown + " drawn"
                        : c + (c == 1 ? " channel" : " channels") + " of " + h + "x" + w,
                "colours: " + inScale.describe() + nanNote(inputMaps))));
        sections.add(new Section("kernels", kW, List.of(
                filters + (filters == 1 ? " filter" : " filters") + " x " + cg + (cg == 1 ? " channel" : " channels")
                        + ", " + kh + "x" + kw + (layer.spec().groups() > 1 ? ", groups=" + layer.spec().groups() : "")
                        + (layer.bias() == null ? ", no bias" : ", bias beside each row"),
                "colours: " + kScale.describe() + nanNote(flatten(kernelMaps)))));
        sections.add(new Section("outputs", oW, List.of(
                filters + (filters == 1 ? " channel" : " channels") + " of " + oh + "x" + ow
                        + (twoOutputs ? ", before and after " + activation : ""),
                "colours: " + outScale.describe() + nanNote(flatten(outputMaps)))));
        if (!engines.isEmpty()) {
            List<String> lines = new ArrayList<>();
            lines.add("engine output (outputs' colours), engine - reference"
                    + (diffScale != null ? " (" + diffScale.describe() + ")" : ""));
            for (EngineView v : engines) {
                String name = v.result().engineName();
                LayerRun run = v.result().run();
                lines.add(v.ok() ? name + ": " + run.status() + ", " + maxDiffText(v.maxAll(), v.nanMismatchAll())
                        + " over the whole output"
                        : name + ": " + run.status());
            }
            sections.add(new Section("cross-check", xW, lines));
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
        for (Map2 m : inputMaps) {
            double titleH = m.title.size() * Text.lineHeight(Text.PANEL_TITLE) + TITLE_GAP;
            Rectangle2D cellsArea = new Rectangle2D.Double(inDataX, iy + titleH, inPlotW, inPlotH);
            if (Double.isNaN(inTop) && m.kind == Kind.HEATMAP) {
                inTop = cellsArea.getY();
            }
            addMap(m, cellsArea, inSec.x, inColW, inScale, inCells, inFont);
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
                Map2[][] m = engineMaps.get(i);
                double cw = engineColW[i];
                if (m == null) {
                    double boxX = colX + Charts.AXIS_LEFT;
                    double boxW = 2 * cw + COL_GAP - Charts.AXIS_LEFT - AXIS_RIGHT;
                    double boxH = Math.max(oBottom - oTop, 60);
                    addMessage(v, new Rectangle2D.Double(boxX, oTop, boxW, boxH), colX, 2 * cw + COL_GAP);
                } else {
                    for (int oc = 0; oc < oShown; oc++) {
                        double dataY = gridTop + oc * rowH + titleH + (plotH - oPlotH) / 2;
                        for (int j = 0; j < 2; j++) {
                            double cx = colX + j * (cw + COL_GAP);
                            double dataX = cx + (cw - Charts.AXIS_LEFT - oPlotW - AXIS_RIGHT) / 2 + Charts.AXIS_LEFT;
                            Scale s = j == 0 ? outScale : diffScale;
                            addMap(m[oc][j], new Rectangle2D.Double(dataX, dataY, oPlotW, oPlotH), cx, cw, s, oCells,
                                    j == 0 ? oFont : dFont);
                        }
                    }
                }
                colX += 2 * cw + 2 * COL_GAP;
            }
            if (diffScale != null) {
                addBar(Group.DIFFERENCES, diffScale, colX - COL_GAP + BAR_GAP, oTop, oBottom);
            }
        }

        double sepTop = headTop;
        double sepBottom = bottom;
        for (double sx : separators) {
            parts.add(g -> {
                g.setPaint(Text.RULE);
                g.setStroke(new BasicStroke(1f));
                g.draw(new Line2D.Double(sx, sepTop, sx, sepBottom));
            });
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

    private static String nanNote(List<Map2> maps) {
        for (Map2 m : maps) {
            if (m.values != null && anyNaN(m.values)) {
                return "; grey cells are NaN";
            }
        }
        return "";
    }

    private static List<Map2> flatten(Map2[][] grid) {
        List<Map2> all = new ArrayList<>();
        for (Map2[] row : grid) {
            all.addAll(Arrays.asList(row));
        }
        return all;
    }

    private static double maxTitle(List<Map2> maps) {
        double w = 0;
        for (Map2 m : maps) {
            w = Math.max(w, m.titleWidth());
        }
        return w;
    }

    /** The largest font (11 down to 7) in which every value of these maps fits its cell, or null if none does. */
    private static Font labelFont(List<Map2> maps, double cell) {
        return labelFont(maps, cell, false);
    }

    private static Font labelFont(List<Map2> maps, double cell, boolean tight) {
        String widest = "";
        double widestW = 0;
        for (Map2 m : maps) {
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
    private void addMap(Map2 m, Rectangle2D cellsArea, double colX, double colW, Scale scale, Cells cells, Font font) {
        String title = String.join(", ", m.title);
        panels.add(new Panel(title, m.kind, m.group, cellsArea.getX(), cellsArea.getY(), cellsArea.getWidth(),
                cellsArea.getHeight(), m.rows, m.cols));
        drawTitle(m.title, cellsArea, colX, colW);
        BufferedImage raster = null;
        if (m.picture != null) {
            raster = pictureRaster(m.picture, m.rows, m.cols, cells.size());
        } else if (!cells.numbered() && (long) m.rows * m.cols > RASTER_CELLS) {
            raster = cellRaster(m.values, m.rows, m.cols, scale, cells.size());
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
        Color fill = error ? ERROR_FILL : UNSUPPORTED_FILL;
        Color ink = error ? ERROR_INK : UNSUPPORTED_INK;
        String status = run.status() == LayerRun.Status.OK ? "not comparable" : run.status().name();
        double pad = 8;
        List<String> lines = Text.wrap(v.problem(), Text.MESSAGE, box.getWidth() - 2 * pad);
        double lh = Text.lineHeight(Text.MESSAGE);
        double statusH = Text.lineHeight(Text.STATUS) + 4;
        int fit = (int) Math.max(1, Math.floor((box.getHeight() - 2 * pad - statusH) / lh));
        if (lines.size() > fit) {
            lines = new ArrayList<>(lines.subList(0, fit));
            lines.set(fit - 1, "...");
        }
        List<String> shown = lines;
        parts.add(g -> {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setPaint(fill);
            g.fill(box);
            g.setPaint(ink);
            g.setStroke(new BasicStroke(1f));
            g.draw(box);
            double base = box.getY() + pad + Text.ascent(Text.STATUS);
            Text.draw(g, status, Text.STATUS, ink, box.getX() + pad, base);
            base += statusH - Text.ascent(Text.STATUS) + Text.ascent(Text.MESSAGE);
            for (String line : shown) {
                Text.draw(g, line, Text.MESSAGE, Text.INK, box.getX() + pad, base);
                base += lh;
            }
        });
        right = Math.max(right, colX + colW);
        bottom = Math.max(bottom, box.getMaxY() + 6);
    }

    /** The cells as an image, each cell k x k pixels (k about the cell size), for big maps. */
    private static BufferedImage cellRaster(double[] values, int rows, int cols, Scale scale, double cell) {
        int k = (int) Math.max(1, Math.round(cell));
        BufferedImage img = new BufferedImage(cols * k, rows * k, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int rgb = scale.color(values[r * cols + c]).getRGB();
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        img.setRGB(c * k + dx, r * k + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    /**
     * A picture as an opaque RGB image the size the panel shows it: each pixel k x k when it has the map's size,
     * else resampled to the panel.
     */
    private static BufferedImage pictureRaster(BufferedImage picture, int rows, int cols, double cell) {
        int k = (int) Math.max(1, Math.round(cell));
        boolean sameSize = picture.getWidth() == cols && picture.getHeight() == rows;
        int w = sameSize ? cols * k : (int) Math.max(1, Math.round(cols * cell));
        int h = sameSize ? rows * k : (int) Math.max(1, Math.round(rows * cell));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setPaint(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, sameSize
                    ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(picture, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return img;
    }
}
