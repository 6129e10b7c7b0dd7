package convlab.render;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Describe;
import convlab.core.Geometry;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.engine.LayerRun;
import convlab.io.Images;
import convlab.render.FigureLayout.Group;
import convlab.render.FigureLayout.Kind;
import convlab.verify.Comparison;
import convlab.verify.Verifier;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one layer's figure shows, before any of it is placed: the maps of each section (input channels, kernels,
 * outputs, each engine's difference from the reference and, where it disagrees, its output), the colour scale of
 * each group, the bias labels and every line of text. {@link FigureBuilder} places it; nothing here depends on sizes.
 *
 * <p>Whether an engine agrees, and by how much over the whole output, is the verifier's {@link Comparison} (the
 * same verdict the report gives), not recomputed here; the figure computes only the per-cell differences it draws,
 * against the reference as the engine's type holds it ({@link Verifier#rounded}), as the verifier compares.
 */
final class FigureModel {

    /** One map to draw: title lines, size, values (row-major), and optionally a picture instead of cells. */
    static final class MapView {
        final List<String> title;
        final Kind kind;
        final Group group;
        final int rows;
        final int cols;
        final double[] values;
        final BufferedImage picture;

        MapView(List<String> title, Kind kind, Group group, int rows, int cols, double[] values, BufferedImage picture) {
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

        boolean anyNaN() {
            if (values != null) {
                for (double x : values) {
                    if (Double.isNaN(x)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * One engine beside the reference: its maps ({@code [filter][0]} its output, {@code [filter][1]} its difference)
     * or, when it has no comparable output, the problem to print in their place. The output of an engine that agrees
     * with the reference is not drawn ({@code [filter][0]} null): it would be the reference's outputs again, and its
     * difference map says where and by how much it departs from them.
     */
    record EngineView(EngineResult result, MapView[][] maps, String problem) {
        boolean ok() {
            return problem == null;
        }

        /** How many map columns the engine takes: its difference, and its output when it disagrees (2 for a problem's box). */
        int columns() {
            return ok() && maps.length > 0 && maps[0][0] == null ? 1 : 2;
        }
    }

    /** A section's name and the lines of its caption, unwrapped. */
    record SectionText(String name, List<String> caption) {
    }

    final ConvLayer layer;
    final Activation activation;
    final int c;
    final int h;
    final int w;
    final int filters;
    final int cg;
    final int kh;
    final int kw;
    final int oh;
    final int ow;
    final int cShown;
    final int oShown;
    final int cgShown;
    final Map<Group, Scale> scales = new EnumMap<>(Group.class);
    final List<MapView> inputMaps = new ArrayList<>();
    final MapView[][] kernelMaps;
    final MapView[][] outputMaps;
    final List<EngineView> engines = new ArrayList<>();
    /** {@code b=...} beside each drawn filter, or empty without a bias. */
    final List<String> biasLabels = new ArrayList<>();
    /** The figure's title (or ""), the layer in words, and a line of shapes. */
    final String title;
    final String config;
    final String detail;
    final List<SectionText> sections = new ArrayList<>();

    private FigureModel(FigureData d, FigureOptions o) {
        layer = d.layer();
        int b = o.batchIndex();
        Tensor input = d.input().slice(b);
        Tensor pre = d.reference().preActivation().slice(b);
        Tensor act = d.reference().activated().slice(b);
        activation = layer.spec().activation();
        boolean twoOutputs = activation != Activation.NONE;
        c = input.dim(0);
        h = input.dim(1);
        w = input.dim(2);
        filters = layer.filters();
        cg = layer.channelsPerGroup();
        int og = filters / layer.spec().groups();
        kh = layer.kernel().h();
        kw = layer.kernel().w();
        oh = pre.dim(1);
        ow = pre.dim(2);
        cShown = Math.min(c, o.maxChannels());
        oShown = Math.min(filters, o.maxChannels());
        cgShown = Math.min(cg, o.maxChannels());

        Scale inScale = Scale.fitting(input);
        Scale kScale = Scale.fitting(layer.weights());
        Scale outScale = Scale.fitting(pre, act);
        scales.put(Group.INPUT, inScale);
        scales.put(Group.KERNELS, kScale);
        scales.put(Group.OUTPUTS, outScale);

        BufferedImage picture = d.image() != null ? d.image()
                : d.rgbInput() ? Images.toImage(d.input().slice(b).reshape(1, c, h, w)) : null;
        if (picture != null) {
            inputMaps.add(new MapView(List.of(d.image() != null ? "input image" : "input as RGB"), Kind.IMAGE,
                    Group.INPUT, h, w, null, picture));
        }
        for (int i = 0; i < cShown; i++) {
            inputMaps.add(new MapView(List.of("input c=" + i), Kind.HEATMAP, Group.INPUT, h, w, channel(input, i), null));
        }
        kernelMaps = new MapView[oShown][cgShown];
        for (int oc = 0; oc < oShown; oc++) {
            Tensor filter = layer.weights().slice(oc);
            for (int ic = 0; ic < cgShown; ic++) {
                int absolute = (oc / og) * cg + ic;
                kernelMaps[oc][ic] = new MapView(List.of("kernel o=" + oc + " c=" + absolute), Kind.HEATMAP,
                        Group.KERNELS, kh, kw, channel(filter, ic), null);
            }
        }
        outputMaps = new MapView[oShown][twoOutputs ? 2 : 1];
        for (int oc = 0; oc < oShown; oc++) {
            if (twoOutputs) {
                outputMaps[oc][0] = new MapView(List.of("output o=" + oc + " (pre-" + activation + ")"), Kind.HEATMAP,
                        Group.OUTPUTS, oh, ow, channel(pre, oc), null);
                outputMaps[oc][1] = new MapView(List.of("output o=" + oc + " (" + activation + ")"), Kind.HEATMAP,
                        Group.OUTPUTS, oh, ow, channel(act, oc), null);
            } else {
                outputMaps[oc][0] = new MapView(List.of("output o=" + oc), Kind.HEATMAP, Group.OUTPUTS, oh, ow,
                        channel(act, oc), null);
            }
        }
        if (layer.bias() != null) {
            for (int oc = 0; oc < oShown; oc++) {
                biasLabels.add("b=" + Numbers.format(layer.bias(oc)));
            }
        }

        List<Tensor> diffTensors = new ArrayList<>();
        List<String> verdicts = new ArrayList<>();
        for (EngineResult e : d.engines()) {
            Tensor reference = d.reference().activated();
            Comparison cmp = comparable(e.run(), reference) ? comparison(e, reference) : null; // made once, read twice
            engines.add(view(e, reference, b, diffTensors, cmp));
            verdicts.add(verdict(e, cmp));
        }
        if (!diffTensors.isEmpty()) {
            scales.put(Group.DIFFERENCES, Scale.symmetric(diffTensors.toArray(new Tensor[0])));
        }

        title = d.title();
        config = "layer " + (d.layerIndex() + 1) + ": " + Describe.conv2d(Geometry.of(d.input().shape(), layer), layer);
        detail = "input " + d.input().shapeString() + " (" + d.input().dtype() + ") -> output "
                + d.reference().activated().shapeString() + ", bias " + (layer.bias() == null ? "none" : "yes")
                + ", drawing batch item " + b + " of " + d.input().dim(0);
        sections.add(new SectionText("input", List.of(
                cShown < c ? c + " channels of " + h + "x" + w + ", first " + cShown + " drawn"
                        : c + (c == 1 ? " channel" : " channels") + " of " + h + "x" + w,
                "colours: " + inScale.describe() + nanNote(inputMaps))));
        sections.add(new SectionText("kernels", List.of(
                filters + (filters == 1 ? " filter" : " filters") + " x " + cg + (cg == 1 ? " channel" : " channels")
                        + ", " + kh + "x" + kw + (layer.spec().groups() > 1 ? ", groups=" + layer.spec().groups() : "")
                        + (layer.bias() == null ? ", no bias" : ", bias beside each row"),
                "colours: " + kScale.describe() + nanNote(flatten(kernelMaps)))));
        sections.add(new SectionText("outputs", List.of(
                filters + (filters == 1 ? " channel" : " channels") + " of " + oh + "x" + ow
                        + (twoOutputs ? ", before and after " + activation : ""),
                "colours: " + outScale.describe() + nanNote(flatten(outputMaps)))));
        if (!engines.isEmpty()) {
            Scale diffScale = scales.get(Group.DIFFERENCES);
            List<String> lines = new ArrayList<>();
            boolean outputsDrawn = engines.stream().anyMatch(v -> v.ok() && v.columns() == 2);
            lines.add("engine - reference" + (diffScale != null ? " (" + diffScale.describe() + ")" : "")
                    + (outputsDrawn ? "; a disagreeing engine's output first, in the outputs' colours"
                            : "; an engine that agrees is drawn by its difference alone"));
            lines.addAll(verdicts);
            sections.add(new SectionText("cross-check", lines));
        }
    }

    static FigureModel of(FigureData d, FigureOptions o) {
        return new FigureModel(d, o);
    }

    /**
     * The engine's maps for batch item {@code b}, adding its whole difference tensor to {@code diffs}; {@code cmp} is
     * its comparison with the reference, null when the run has no output of the reference's shape.
     */
    private EngineView view(EngineResult e, Tensor reference, int b, List<Tensor> diffs, Comparison cmp) {
        LayerRun run = e.run();
        if (run.status() != LayerRun.Status.OK) {
            String msg = run.message() == null || run.message().isBlank() ? "(no message)" : run.message();
            return new EngineView(e, null, msg);
        }
        Tensor out = run.output();
        if (!Arrays.equals(out.shape(), reference.shape())) {
            return new EngineView(e, null, "The output has shape " + out.shapeString() + ", but the reference has "
                    + reference.shapeString() + ", so they cannot be compared.");
        }
        Tensor item = out.slice(b);
        Tensor ref = Verifier.rounded(reference, computedIn(run, reference)).slice(b);
        int n = oh * ow;
        double[] all = new double[filters * n];
        for (int i = 0; i < all.length; i++) {
            all[i] = diff(item.flat(i), ref.flat(i));
        }
        diffs.add(Tensor.of(new int[] {filters, oh, ow}, all));
        boolean agrees = cmp.agree();
        MapView[][] maps = new MapView[oShown][2];
        String name = e.engineName();
        for (int oc = 0; oc < oShown; oc++) {
            double[] channelDiffs = Arrays.copyOfRange(all, oc * n, (oc + 1) * n);
            maps[oc][0] = agrees ? null : new MapView(List.of(name + " o=" + oc), Kind.HEATMAP, Group.OUTPUTS, oh, ow,
                    channel(item, oc), null);
            maps[oc][1] = new MapView(List.of(name + " - reference o=" + oc, maxDiffText(channelDiffs)), Kind.HEATMAP,
                    Group.DIFFERENCES, oh, ow, channelDiffs, null);
        }
        return new EngineView(e, maps, null);
    }

    /**
     * The caption line of one engine: its status, and for a comparable run the verifier's verdict over the whole
     * output (every batch item), computed here only for an engine result that came without one.
     */
    private static String verdict(EngineResult e, Comparison cmp) {
        String name = e.engineName();
        if (cmp == null) {
            return name + ": " + e.run().status();
        }
        String max = "max |diff| = " + (cmp.maxAbs() == 0 ? "0" : String.format(Locale.ROOT, "%.1e", cmp.maxAbs()));
        return cmp.agree()
                ? name + ": agrees with the reference, " + max + " over the whole output"
                : name + ": DISAGREES, " + cmp.problem() + ", " + max;
    }

    /** Whether the run has an output of the reference's shape, to compare with it. */
    private static boolean comparable(LayerRun run, Tensor reference) {
        return run.status() == LayerRun.Status.OK && Arrays.equals(run.output().shape(), reference.shape());
    }

    /** The verifier's comparison of a comparable run with the reference, made here when the result came without one. */
    private static Comparison comparison(EngineResult e, Tensor reference) {
        DType computed = computedIn(e.run(), reference);
        return e.vsReference() != null ? e.vsReference()
                : Comparison.of(e.run().output(), Verifier.rounded(reference, computed), Tolerance.forType(computed));
    }

    /** The type the engine computed in (the reference's when it does not say). */
    private static DType computedIn(LayerRun run, Tensor reference) {
        return run.computedIn() == null ? reference.dtype() : run.computedIn();
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

    /** {@code max |diff| = 1.2e-07}, with how many cells are NaN on one side only. */
    static String maxDiffText(double[] diffs) {
        double max = 0;
        int nan = 0;
        for (double v : diffs) {
            if (Double.isNaN(v)) {
                nan++;
            } else {
                max = Math.max(max, Math.abs(v));
            }
        }
        String s = "max |diff| = " + (max == 0 ? "0" : String.format(Locale.ROOT, "%.1e", max));
        return nan == 0 ? s : s + ", " + nan + " NaN mismatch" + (nan == 1 ? "" : "es");
    }

    private static double[] channel(Tensor chw, int c) {
        int n = chw.dim(1) * chw.dim(2);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = chw.flat(c * n + i);
        }
        return v;
    }

    private static String nanNote(List<MapView> maps) {
        for (MapView m : maps) {
            if (m.anyNaN()) {
                return "; grey cells are NaN";
            }
        }
        return "";
    }

    static List<MapView> flatten(MapView[][] grid) {
        List<MapView> all = new ArrayList<>();
        for (MapView[] row : grid) {
            for (MapView v : row) {
                if (v != null) {
                    all.add(v);
                }
            }
        }
        return all;
    }
}
