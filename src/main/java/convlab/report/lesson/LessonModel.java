package convlab.report.lesson;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import convlab.core.Activation;
import convlab.core.Describe;
import convlab.core.Layer;
import convlab.core.OpGeometry;
import convlab.core.Padding;
import convlab.core.Tap;
import convlab.core.Tensor;
import convlab.engine.LayerRun;
import convlab.render.ColorMap;
import convlab.render.Scale;
import convlab.report.Explainer;
import convlab.report.lesson.Lesson.Boundary;
import convlab.report.lesson.Lesson.Cell;
import convlab.report.lesson.Lesson.Chapter;
import convlab.report.lesson.Lesson.CheckLayer;
import convlab.report.lesson.Lesson.CheckRow;
import convlab.report.lesson.Lesson.CodeLayer;
import convlab.report.lesson.Lesson.CrossCheck;
import convlab.report.lesson.Lesson.Filter;
import convlab.report.lesson.Lesson.Grid;
import convlab.report.lesson.Lesson.LayerChapter;
import convlab.report.lesson.Lesson.OutputMap;
import convlab.report.lesson.Lesson.Row;
import convlab.verify.CaseResult;
import convlab.verify.CaseResult.EngineCheck;
import convlab.verify.CaseResult.LayerCheck;
import convlab.verify.Comparison;
import convlab.verify.Verdict;
import java.awt.Color;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Lesson} from a verified case: for every layer, batch item 0, every output cell's taps from
 * {@link Layer#taps}, so the page explains each value by the terms the reference summed. Works from each layer's
 * geometry and taps; only the words of a chapter's introduction depend on the op.
 */
public final class LessonModel {

    /** The most taps a page embeds (about 40 bytes each): past this the page would be too heavy to open. */
    public static final long MAX_TAPS = 400_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private LessonModel() {
    }

    /** Thrown when a case has more taps than {@link #MAX_TAPS}; the message says how many and what to do. */
    public static final class TooLargeException extends IllegalArgumentException {
        public TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * The lesson of a valid case. {@code command} is the command line that made it (the page's title says it).
     *
     * @throws TooLargeException when the case's layers have more than {@link #MAX_TAPS} taps on batch item 0
     */
    public static Lesson of(CaseResult r, String command) {
        if (r.verdict() == Verdict.INVALID) {
            throw new IllegalArgumentException("Expected a valid case, but " + r.name() + " is invalid: " + r.problem());
        }
        long taps = 0;
        for (LayerCheck l : r.layers()) {
            int[] out = l.geometry().outputShape();
            taps += (long) out[1] * out[2] * out[3] * tapsPerCell(l);
        }
        if (taps > MAX_TAPS) {
            throw new TooLargeException(r.file() + ": the case has " + taps + " taps on batch item 0, more than a lesson page holds ("
                    + MAX_TAPS + "); use a smaller input or fewer filters");
        }
        List<Chapter> chapters = new ArrayList<>();
        ObjectNode data = JSON.createObjectNode();
        data.put("case", r.name());
        ArrayNode layersJson = data.putArray("layers");
        int n = r.layers().size();
        for (int k = 0; k < n; k++) {
            LayerCheck l = r.layers().get(k);
            Tensor input = k == 0 ? r.kase().input() : r.layers().get(k - 1).reference().activated();
            LayerChapter chapter = layerChapter(l, input, layersJson.addObject());
            chapters.add(new Chapter("layer" + (k + 1), chapters.size() + 1, "Layer " + (k + 1), List.of(chapter), List.of()));
            if (k + 1 < n) {
                Boundary b = boundary(l, r.layers().get(k + 1));
                chapters.add(new Chapter("boundary" + (k + 1), chapters.size() + 1, "From layer " + (k + 1) + " to layer " + (k + 2),
                        List.of(), List.of(b)));
            }
        }
        String source = r.kase().source() == null ? "" : r.kase().source();
        return new Lesson("convlab lesson: " + r.name(), command, r.name(), source, chapters, crossCheck(r), scriptJson(data));
    }

    private static int tapsPerCell(LayerCheck l) {
        int[] w = l.geometry().weightShape();
        return w == null ? l.geometry().kernel().h() * l.geometry().kernel().w() : w[1] * w[2] * w[3];
    }

    // A layer

    private static LayerChapter layerChapter(LayerCheck l, Tensor input, ObjectNode json) {
        Layer layer = l.layer();
        OpGeometry g = l.geometry();
        int k = l.index() + 1;
        int[] in = g.inputShape();
        int[] out = g.outputShape();
        int c = in[1];
        int o = out[1];
        int oh = out[2];
        int ow = out[3];
        Padding.Sides pads = g.pads();
        Tensor pre = l.reference().preActivation();
        Tensor act = l.reference().activated();
        Tensor weights = layer.weights();
        Tensor bias = layer.bias();

        json.put("k", k).put("op", layer.op().toString()).put("reduce", "sum").put("activation", layer.activation().toString());
        json.putPOJO("inputShape", new int[] {c, in[2], in[3]});
        json.putPOJO("outputShape", new int[] {o, oh, ow});
        json.putPOJO("pads", pads.toArray());
        json.set("input", nested(input, 0));
        if (weights != null) {
            json.set("weights", JSON.valueToTree(nested4(weights)));
        }
        ArrayNode b = json.putArray("bias");
        for (int oc = 0; oc < o; oc++) {
            b.add(bias == null ? 0.0 : bias.flat(oc));
        }
        json.set("pre", nested(pre, 0));
        json.set("act", nested(act, 0));

        // Every output cell's taps, filter by filter, in the formula's order: [c, ic, kh, kw, ih, iw, padding, x, w].
        Map<String, Double> padValues = new HashMap<>();
        ArrayNode tapsJson = json.putArray("taps");
        for (int oc = 0; oc < o; oc++) {
            ArrayNode rows = tapsJson.addArray();
            for (int y = 0; y < oh; y++) {
                ArrayNode cols = rows.addArray();
                for (int x = 0; x < ow; x++) {
                    ArrayNode cell = cols.addArray();
                    for (Tap t : layer.taps(input, 0, oc, y, x)) {
                        cell.addArray().add(t.c()).add(t.ic()).add(t.kh()).add(t.kw()).add(t.ih()).add(t.iw()).add(t.padding() ? 1 : 0)
                                .add(t.x()).add(t.w());
                        if (t.padding()) {
                            padValues.put(t.c() + "," + t.ih() + "," + t.iw(), t.x());
                        }
                    }
                }
            }
        }

        Scale inScale = Scale.fitting(input);
        List<Grid> inputs = new ArrayList<>();
        int inPx = cellPx(in[3] + pads.left() + pads.right());
        for (int ch = 0; ch < c; ch++) {
            List<Row> rows = new ArrayList<>();
            for (int ih = -pads.top(); ih < in[2] + pads.bottom(); ih++) {
                List<Cell> cells = new ArrayList<>();
                for (int iw = -pads.left(); iw < in[3] + pads.right(); iw++) {
                    String key = k + "," + ch + "," + ih + "," + iw;
                    boolean inside = ih >= 0 && ih < in[2] && iw >= 0 && iw < in[3];
                    if (inside) {
                        cells.add(cell("data-in", key, input.get(0, ch, ih, iw), inScale, inPx, ""));
                    } else {
                        Double v = padValues.get(ch + "," + ih + "," + iw);
                        cells.add(new Cell("data-in", key, v == null ? "" : full(v), v == null ? "" : text(v, inPx), "#f4f4f4", "#888888", "pad"));
                    }
                }
                rows.add(new Row(cells));
            }
            inputs.add(new Grid("channel " + ch, inPx, inPx >= 28, rows));
        }

        List<Filter> filters = new ArrayList<>();
        if (weights != null) {
            Scale wScale = Scale.fitting(weights);
            int kh = weights.dim(2);
            int kw = weights.dim(3);
            int wPx = kernelPx(kw);
            for (int oc = 0; oc < o; oc++) {
                List<Grid> slices = new ArrayList<>();
                for (int ic = 0; ic < weights.dim(1); ic++) {
                    List<Row> rows = new ArrayList<>();
                    for (int y = 0; y < kh; y++) {
                        List<Cell> cells = new ArrayList<>();
                        for (int x = 0; x < kw; x++) {
                            cells.add(cell("data-w", k + "," + oc + "," + ic + "," + y + "," + x, weights.get(oc, ic, y, x), wScale, wPx, ""));
                        }
                        rows.add(new Row(cells));
                    }
                    slices.add(new Grid("w[" + oc + "][" + ic + "]", wPx, wPx >= 28, rows));
                }
                filters.add(new Filter(oc, slices, bias == null ? "no bias" : "bias " + text(bias.flat(oc), 100)));
            }
        }

        // Each map on its own scale: the activated maps then look here as they do as the next layer's input.
        Scale preScale = Scale.fitting(pre);
        Scale actScale = Scale.fitting(act);
        int outPx = cellPx(ow);
        List<OutputMap> outputs = new ArrayList<>();
        for (int oc = 0; oc < o; oc++) {
            List<Grid> before = layer.activation() == Activation.NONE ? List.of()
                    : List.of(outputGrid("data-pre", k, oc, pre, preScale, outPx, "before " + layer.activation()));
            outputs.add(new OutputMap(oc, before, outputGrid("data-output", k, oc, act, actScale, outPx, "out[" + oc + "]")));
        }
        int steps = o * oh * ow;
        return new LayerChapter(k, layer.op().toString(), Describe.layer(g, layer), Describe.shapes(g), intro(l), formula(layer),
                inputs, filters, outputs, steps, steps - 1, layer.activation().toString());
    }

    private static Grid outputGrid(String attr, int k, int oc, Tensor t, Scale scale, int px, String label) {
        List<Row> rows = new ArrayList<>();
        for (int y = 0; y < t.dim(2); y++) {
            List<Cell> cells = new ArrayList<>();
            for (int x = 0; x < t.dim(3); x++) {
                cells.add(cell(attr, k + "," + oc + "," + y + "," + x, t.get(0, oc, y, x), scale, px, attr.equals("data-output") ? "out" : "pre"));
            }
            rows.add(new Row(cells));
        }
        return new Grid(label, px, px >= 28, rows);
    }

    /** Pooling reduces its taps by max or mean, which the page's explanation (a sum) does not show yet. */
    public static final String NO_POOLING = "the lesson page explains layers whose outputs are sums of taps (conv2d, conv_transpose2d);"
            + " pooling (max or mean of a window) has no chapter yet: use figure or animate for it";

    /** The words that open a layer's chapter: what one step computes, for this op. */
    private static List<String> intro(LayerCheck l) {
        explained(l.layer());
        return l.layer().intro(l.geometry());
    }

    private static String formula(Layer layer) {
        explained(layer);
        return wrap(layer.activation(), layer.formula());
    }

    /** Throws {@link #NO_POOLING} unless the page can explain the layer: its outputs are sums of its taps' products. */
    private static void explained(Layer layer) {
        if (!layer.sumsProducts()) {
            throw new IllegalArgumentException(NO_POOLING);
        }
    }

    private static String wrap(Activation a, String sum) {
        return "out[oc][oh][ow] = " + (a == Activation.NONE ? sum : a + "( " + sum + " )");
    }

    // The boundary between two layers

    private static Boundary boundary(LayerCheck from, LayerCheck to) {
        int k = from.index() + 1;
        int[] out = from.geometry().outputShape();
        int filters = out[1];
        int[] w = to.geometry().weightShape();
        List<String> text = new ArrayList<>();
        text.add("Layer " + k + " had " + filters + " filter" + (filters == 1 ? "" : "s") + ", so it wrote " + filters + " map" + (filters == 1 ? "" : "s")
                + " of " + out[2] + "x" + out[3] + ", one per filter. Stacked, they are layer " + (k + 1) + "'s input: " + filters + " channel"
                + (filters == 1 ? "" : "s") + " of " + out[2] + "x" + out[3] + ", where layer " + k + " read " + from.geometry().inputShape()[1]
                + ".");
        Scale scale = Scale.fitting(from.reference().activated());
        int px = cellPx(out[3]);
        List<Grid> maps = new ArrayList<>();
        for (int oc = 0; oc < filters; oc++) {
            maps.add(outputGrid("data-map", k, oc, from.reference().activated(), scale, px, "layer " + k + " out[" + oc + "] = layer " + (k + 1) + " channel " + oc));
        }
        List<Grid> kernel = new ArrayList<>();
        String kernelLabel = "";
        if (w != null) {
            Tensor weights = to.layer().weights();
            boolean grouped = w[1] != filters;
            text.add("A filter of layer " + (k + 1) + " must cover every channel it reads, so its kernel is " + w[1] + "x" + w[2] + "x" + w[3] + ": "
                    + (grouped ? w[1] + " deep, its group's share of the " + filters + " channels (groups " + (filters / w[1]) + ")."
                            : "as deep as layer " + k + " had filters (" + filters + "). Had layer " + k + " used 8 filters, each layer-" + (k + 1)
                                    + " kernel would be " + w[2] + "x" + w[3] + "x8."));
            text.add("That is why depth grows layer by layer: the number of filters of one layer is the depth of the next layer's kernels.");
            Scale ws = Scale.fitting(weights);
            int wPx = kernelPx(w[3]);
            for (int ic = 0; ic < w[1]; ic++) {
                List<Row> rows = new ArrayList<>();
                for (int y = 0; y < w[2]; y++) {
                    List<Cell> cells = new ArrayList<>();
                    for (int x = 0; x < w[3]; x++) {
                        double v = weights.get(0, ic, y, x);
                        Color bg = color(ws, v);
                        cells.add(new Cell("data-kernel", (k + 1) + ",0," + ic + "," + y + "," + x, full(v), text(v, wPx), hex(bg), hex(ColorMap.textOn(bg)), ""));
                    }
                    rows.add(new Row(cells));
                }
                kernel.add(new Grid("w[0][" + ic + "]", wPx, wPx >= 28, rows));
            }
            kernelLabel = "layer " + (k + 1) + ", filter 0: " + w[1] + " slices of " + w[2] + "x" + w[3];
        }
        return new Boundary(k, k + 1, text, maps, kernel, kernelLabel);
    }

    // The cross-check

    private static CrossCheck crossCheck(CaseResult r) {
        List<CheckLayer> layers = new ArrayList<>();
        Set<String> agree = new LinkedHashSet<>();
        Set<String> disagree = new LinkedHashSet<>();
        double largest = 0;
        for (LayerCheck l : r.layers()) {
            List<CheckRow> rows = new ArrayList<>();
            rows.add(new CheckRow("reference", "computed", "", "", "", Describe.ms(l.referenceNanos()), "the teaching loops, float64"));
            if (l.referenceVsExpected() != null) {
                rows.add(row("reference vs expected", l.referenceVsExpected().agree() ? "agree" : "disagree", l.referenceVsExpected(), 0,
                        "the case's expected output"));
                (l.referenceVsExpected().agree() ? agree : disagree).add(EXPECTED);
                largest = Math.max(largest, l.referenceVsExpected().maxAbs());
            }
            for (EngineCheck e : l.engines()) {
                if (e.run().status() == LayerRun.Status.OK) {
                    rows.add(row(e.engine(), e.outcome().toString(), e.vsReference(), e.run().nanos(), String.join("; ", e.run().notes())));
                    (e.verdict() == Verdict.AGREE ? agree : disagree).add(e.engine());
                    largest = Math.max(largest, e.vsReference() == null ? 0 : e.vsReference().maxAbs());
                } else {
                    rows.add(new CheckRow(e.engine(), e.outcome().toString(), "", "", "", "", e.run().message()));
                }
            }
            layers.add(new CheckLayer(l.index() + 1, Describe.layer(l.geometry(), l.layer()), rows));
        }
        agree.removeAll(disagree);
        boolean compared = r.compared();
        String summary = !compared ? "nothing compared" : summary(agree, disagree, largest);
        List<CodeLayer> code = new ArrayList<>();
        if (r.kase().allConv2d()) {
            var explained = Explainer.explain(r.kase());
            for (int k = 0; k < explained.size(); k++) {
                code.add(new CodeLayer(k + 1, explained.get(k).snippets()));
            }
        }
        return new CrossCheck(summary, compared, layers, code);
    }

    private static final String EXPECTED = "the case's expected output";

    /** {@code nd4j, dl4j agree with the reference; so does the case's expected output (largest difference 4.4e-16)}. */
    private static String summary(Set<String> agree, Set<String> disagree, double largest) {
        List<String> engines = agree.stream().filter(a -> !a.equals(EXPECTED)).toList();
        List<String> parts = new ArrayList<>();
        if (!disagree.isEmpty()) {
            parts.add(String.join(", ", disagree) + (disagree.size() == 1 ? " disagrees" : " disagree") + " with the reference");
        }
        if (!engines.isEmpty()) {
            parts.add(String.join(", ", engines) + (engines.size() == 1 ? " agrees" : " agree") + " with the reference");
        }
        if (agree.contains(EXPECTED)) {
            parts.add("the reference matches " + EXPECTED);
        }
        return String.join("; ", parts) + (disagree.isEmpty() ? " (largest difference " + Describe.num(largest) + ")" : "");
    }

    private static CheckRow row(String party, String status, Comparison c, long nanos, String note) {
        if (c == null) {
            return new CheckRow(party, status, "", "", "", nanos == 0 ? "" : Describe.ms(nanos), note);
        }
        return new CheckRow(party, status, Describe.num(c.maxAbs()), Describe.num(c.maxRel()), c.maxAbs() == 0 ? "" : c.where(),
                nanos == 0 ? "" : Describe.ms(nanos), note);
    }

    // Cells, numbers, JSON

    private static Cell cell(String attr, String key, double v, Scale scale, int px, String cls) {
        Color bg = color(scale, v);
        return new Cell(attr, key, full(v), text(v, px), hex(bg), hex(ColorMap.textOn(bg)), cls);
    }

    private static Color color(Scale scale, double v) {
        return Double.isNaN(v) ? ColorMap.NAN : scale.color(v);
    }

    /** Cell size in pixels: large enough to print a value on small maps, smaller on large ones. */
    static int cellPx(int columns) {
        return Math.max(8, Math.min(34, 300 / Math.max(1, columns)));
    }

    /** Kernel cells: a little smaller than a map's, so a filter's slices sit beside the input. */
    static int kernelPx(int columns) {
        return Math.max(16, Math.min(30, 300 / Math.max(1, columns)));
    }

    /** A value in full precision, the same in every locale: {@code data-value}. */
    static String full(double v) {
        return Double.toString(v);
    }

    /** A value as a cell prints it: two decimals, or as few characters as fit when large or tiny. */
    static String text(double v, int px) {
        if (px < 28) {
            return "";
        }
        if (Double.isNaN(v) || v == 0 || Double.isInfinite(v)) {
            return Describe.num(v);
        }
        double a = Math.abs(v);
        if (a >= 0.01 && a < 100) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (a >= 100 && a < 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        // Short enough for a small cell: -6e-3, 2e4.
        return String.format(Locale.ROOT, "%.0e", v).replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
    }

    private static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    /** {@code t[n]} as {@code [C][H][W]}. */
    private static ArrayNode nested(Tensor t, int n) {
        ArrayNode a = JSON.createArrayNode();
        for (int c = 0; c < t.dim(1); c++) {
            ArrayNode rows = a.addArray();
            for (int y = 0; y < t.dim(2); y++) {
                ArrayNode cols = rows.addArray();
                for (int x = 0; x < t.dim(3); x++) {
                    cols.add(t.get(n, c, y, x));
                }
            }
        }
        return a;
    }

    private static double[][][][] nested4(Tensor t) {
        double[][][][] a = new double[t.dim(0)][t.dim(1)][t.dim(2)][t.dim(3)];
        for (int i = 0; i < t.dim(0); i++) {
            for (int j = 0; j < t.dim(1); j++) {
                for (int y = 0; y < t.dim(2); y++) {
                    for (int x = 0; x < t.dim(3); x++) {
                        a[i][j][y][x] = t.get(i, j, y, x);
                    }
                }
            }
        }
        return a;
    }

    /**
     * The data as JSON safe inside {@code <script type="application/json">}: {@code <}, {@code >} and {@code &} are
     * written as {@code \u003c} and so on, so no string in it can close the element.
     */
    static String scriptJson(ObjectNode data) {
        try {
            ObjectMapper m = new ObjectMapper();
            m.getFactory().setCharacterEscapes(new ScriptEscapes());
            return m.writeValueAsString(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class ScriptEscapes extends CharacterEscapes {
        private final int[] table = standardAsciiEscapesForJSON();

        ScriptEscapes() {
            table['<'] = ESCAPE_STANDARD;
            table['>'] = ESCAPE_STANDARD;
            table['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
