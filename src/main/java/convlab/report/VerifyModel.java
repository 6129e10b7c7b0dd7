package convlab.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import convlab.core.Describe;
import convlab.core.Gradients;
import convlab.core.Tensor;
import convlab.engine.LayerRun;
import convlab.verify.CaseResult;
import convlab.verify.CaseResult.EngineCheck;
import convlab.verify.CaseResult.LayerCheck;
import convlab.verify.Comparison;
import convlab.verify.GradientResult;
import convlab.verify.GradientResult.EngineGradients;
import convlab.verify.GradientResult.LayerGradients;
import convlab.verify.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verify report's one model, built from the case results: {@code report.json} is this record printed by Jackson
 * (components marked {@code @JsonIgnore} left out, null ones too), {@code report.md} and {@code report.html} are it
 * rendered by {@code verify.md.mustache} and {@code verify.html.mustache}. Every cell's text is worked out here,
 * once, for both templates; the templates only lay it out and the engine escapes it.
 */
record VerifyModel(String convlab, String frameworks, String jdk, String date, String verdict, List<RunInfo.EngineInfo> engines,
                   Map<String, Object> summary, List<CaseModel> cases,
                   @JsonIgnore String title, @JsonIgnore String verdictText, @JsonIgnore long agree, @JsonIgnore long disagree,
                   @JsonIgnore long invalid, @JsonIgnore String agreement, @JsonIgnore String agreementPlain,
                   @JsonIgnore int problemColspan, @JsonIgnore boolean anyGradients, @JsonIgnore List<GradientRow> gradientRows,
                   @JsonIgnore String counts) {

    /** One case: where it came from and, unless it has a problem, its layers and gradients. */
    record CaseModel(String name, String file, String verdict, String problem, String source, String layout, Double timeMs,
                     List<LayerModel> layers, GradientsModel gradients,
                     @JsonIgnore List<CaseExtras.Note> notes, @JsonIgnore List<FigureModel> gradientFigures,
                     @JsonIgnore List<CodeModel> code) {
    }

    /** One layer: its configuration and shapes, the reference against the expected output, and every engine. */
    record LayerModel(int layer, String config, String op, String inputShape, String weightShape, String outputShape, String verdict,
                      double referenceTimeMs, ComparisonModel referenceVsExpected, List<EngineModel> engines,
                      @JsonIgnore String shapes, @JsonIgnore String referenceTime, @JsonIgnore String expectedText,
                      @JsonIgnore String expectedClass, @JsonIgnore FigureModel figure) {
    }

    /** One engine on one layer: its status (agree, disagree, unsupported, error), run and comparisons. */
    record EngineModel(String engine, String status, double timeMs, String computedIn, String message, List<String> notes,
                       String diagnosis, ComparisonModel vsReference, ComparisonModel vsExpected,
                       @JsonIgnore String summaryCell, @JsonIgnore String shortCell, @JsonIgnore String vsReferenceText,
                       @JsonIgnore String time, @JsonIgnore String notesText) {
    }

    /** A comparison: the numbers for machines, and its one-line summary for people. */
    record ComparisonModel(boolean agree, double maxAbs, double maxRel, List<Integer> worstIndex, double worstActual, double worstExpected,
                           double worstRatio, boolean roundingBound, long mismatches, long total, ToleranceModel tolerance, String problem,
                           @JsonIgnore String summary, @JsonIgnore String verdictClass) {

        static ComparisonModel of(Comparison c) {
            return c == null ? null : new ComparisonModel(c.agree(), c.maxAbs(), c.maxRel(), c.worst(), c.worstActual(), c.worstExpected(),
                    c.worstRatio(), c.bounded(), c.mismatches(), c.total(), new ToleranceModel(c.tolerance().abs(), c.tolerance().rel()),
                    c.problem().isEmpty() ? null : c.problem(), c.summary(), c.agree() ? "agree" : "disagree");
        }
    }

    record ToleranceModel(double abs, double rel) {
    }

    /** A figure in the HTML: the layer it shows, the PNG it links to and the thumbnail it shows, with its size. */
    record FigureModel(int layer, String href, String thumb, int width, int height) {

        static FigureModel of(FigureFile f) {
            return new FigureModel(f.layer(), f.href(), f.thumb(), f.width(), f.height());
        }
    }

    /** One layer as code in each framework ({@link Explainer}'s snippets). */
    record CodeModel(int layer, List<Snippet> snippets) {
    }

    /** A case's gradient check: where dL/dy came from and, per layer, every gradient compared. */
    record GradientsModel(String verdict, String gradOutput, Long seed, String gradOutputShape, List<GradLayerModel> layers,
                          @JsonIgnore List<KindRow> kindRows) {
    }

    record GradLayerModel(int layer, String verdict, double referenceTimeMs, Map<String, String> shapes,
                          Map<String, ComparisonModel> referenceVsExpected, List<GradEngineModel> engines,
                          @JsonIgnore String referenceTime) {
    }

    record GradEngineModel(String engine, String status, double timeMs, String computedIn, String message, List<String> notes,
                           Map<String, ComparisonModel> vsReference, Map<String, ComparisonModel> vsExpected,
                           @JsonIgnore String statusText, @JsonIgnore String time, @JsonIgnore String notesText) {
    }

    /** One layer's one gradient (dL/dx, dL/dw or dL/db): the reference against the expected one, and each engine's cell. */
    record KindRow(int layer, String kind, String shape, String expected, String expectedClass, List<Cell> cells) {
    }

    /** A table cell: its class (the colour), its title (the tooltip) and its text. */
    record Cell(String cls, String title, String text) {
    }

    /** A row of the gradients summary in Markdown: one case's {@link KindRow}. */
    record GradientRow(String caseName, KindRow row) {
    }

    /** The agreement rule, as both reports state it; formulas between backquotes (code in Markdown, plain in HTML). */
    static final String AGREEMENT = "Agreement: `|a - r| <= abs + rel*|r| + 2*n*eps*sum|x*w|` for every element, where n is the number of "
            + "terms summed (C/groups x KH x KW), eps the machine epsilon of the narrower type (2^-23 for float32, 2^-52 for float64) "
            + "and `sum|x*w|` the sum of the absolute products over that element's taps (in layer k > 1 also `sum|w|*|a'-r'|`, "
            + "what the engine's previous layer already differed); a float32 result is compared with the reference rounded to float32; "
            + "NaN agrees only with NaN, an infinity only with the same infinity, -0.0 equals +0.0. "
            + "The worst element is the one furthest past its own tolerance. "
            + "Times are one call each, wall clock, not a benchmark (bench/ measures speed): an engine's first call in a run also "
            + "pays for its start-up and JIT warm-up (cold), and the reference's first layer pays for the JVM's; later cases run warm.";

    /** The model of a run from its cases' summaries ({@link #caseModel}), made as each case finished. */
    static VerifyModel of(RunInfo info, List<CaseModel> models, Map<Verdict, Long> counts, Verdict verdict, String verdictText,
                          Map<String, Map<String, Integer>> engineCounts) {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) {
            summary.put(v.toString(), counts.getOrDefault(v, 0L));
        }
        summary.put("engines", engineCounts);
        List<GradientRow> gradientRows = new ArrayList<>();
        for (CaseModel m : models) {
            if (m.gradients() != null) {
                m.gradients().kindRows().forEach(r -> gradientRows.add(new GradientRow(m.name(), r)));
            }
        }
        long errors = counts.getOrDefault(Verdict.ERROR, 0L);
        long agree = counts.getOrDefault(Verdict.AGREE, 0L);
        long disagree = counts.getOrDefault(Verdict.DISAGREE, 0L);
        long invalid = counts.getOrDefault(Verdict.INVALID, 0L);
        boolean nothing = verdictText.equals("nothing compared");
        String countsText = nothing
                ? agree + " case(s) ran with no engine and no expected output to compare with" + (invalid == 0 ? "" : ", " + invalid + " invalid")
                : agree + " agree, " + disagree + " disagree, " + invalid + " invalid" + (errors == 0 ? "" : ", " + errors + " internal error");
        return new VerifyModel(info.convlabVersion(), info.frameworkVersion(), info.jdk(), info.date(), verdict.toString(), info.engines(),
                summary, models, info.title("convlab verify report"), verdictText, agree, disagree, invalid,
                AGREEMENT, AGREEMENT.replace("`", ""),
                1 + info.engines().size(), models.stream().anyMatch(m -> m.gradients() != null), gradientRows, countsText);
    }

    /** One case's summary: every number and text the reports show of it, and no tensor. */
    static CaseModel caseModel(CaseResult c, CaseExtras extras) {
        if (!c.problem().isEmpty()) {
            return new CaseModel(c.name(), c.file().toString(), c.verdict().toString(), c.problem(), null, null, null, null, null,
                    List.of(), List.of(), List.of());
        }
        List<LayerModel> layers = new ArrayList<>();
        for (LayerCheck l : c.layers()) {
            ComparisonModel rx = ComparisonModel.of(l.referenceVsExpected());
            List<EngineModel> engines = l.engines().stream().map(VerifyModel::engineModel).toList();
            FigureModel figure = extras.figures().stream().filter(f -> f.layer() == l.index() + 1).findFirst().map(FigureModel::of).orElse(null);
            layers.add(new LayerModel(l.index() + 1, Describe.layer(l.geometry(), l.layer()), l.layer().op().toString(),
                    Tensor.shapeString(l.geometry().inputShape()),
                    l.geometry().weightShape() == null ? null : Tensor.shapeString(l.geometry().weightShape()),
                    Tensor.shapeString(l.geometry().outputShape()), l.verdict().toString(), l.referenceNanos() / 1e6, rx, engines,
                    Describe.shapes(l.geometry()), Describe.ms(l.referenceNanos()), rx == null ? "no expected output" : rx.summary(),
                    rx == null ? "none" : rx.verdictClass(), figure));
        }
        return new CaseModel(c.name(), c.file().toString(), c.verdict().toString(), null, c.kase().source(), c.kase().layout().toString(),
                c.nanos() / 1e6, layers, gradientsModel(c.gradients()), extras.notes(), extras.gradientFigures().stream().map(FigureModel::of).toList(),
                extras.frameworkCode() ? code(c) : List.of());
    }

    /** Each layer of a case as PyTorch, TensorFlow/Keras and DL4J code. */
    private static List<CodeModel> code(CaseResult c) {
        List<Explainer.Explanation> explained = Explainer.explain(c.kase().input().shape(), c.kase().convLayers(), c.kase().layout());
        List<CodeModel> code = new ArrayList<>();
        for (int k = 0; k < explained.size(); k++) {
            code.add(new CodeModel(k + 1, explained.get(k).snippets()));
        }
        return code;
    }

    private static EngineModel engineModel(EngineCheck e) {
        String message = e.run().message();
        List<String> notes = new ArrayList<>();
        if (!e.diagnosis().isEmpty()) {
            notes.add("probe: " + e.diagnosis());
        }
        notes.addAll(e.run().notes());
        return new EngineModel(e.engine(), e.outcome().toString(), e.run().nanos() / 1e6, typeName(e.run().computedIn()),
                message.isEmpty() ? null : message, e.run().notes(), e.diagnosis().isEmpty() ? null : e.diagnosis(),
                ComparisonModel.of(e.vsReference()), ComparisonModel.of(e.vsExpected()), summaryCell(e), shortCell(e),
                e.vsReference() == null ? message : e.vsReference().summary(), Describe.ms(e.run().nanos()), String.join("; ", notes));
    }

    /** What the Markdown summary says about one engine on one layer. */
    private static String summaryCell(EngineCheck e) {
        if (e.run().status() != LayerRun.Status.OK) {
            return e.outcome() + ": " + e.run().message();
        }
        return e.outcome() + " (" + Describe.num(e.vsReference().maxAbs()) + ")";
    }

    /** What the HTML summary says about one engine on one layer: a long message cut to 110 characters. */
    private static String shortCell(EngineCheck e) {
        if (e.run().status() != LayerRun.Status.OK) {
            return e.outcome() + shortMessage(e.run().message());
        }
        return e.outcome() + " " + Describe.num(e.vsReference().maxAbs());
    }

    private static String shortMessage(String m) {
        return m.isEmpty() ? "" : ": " + (m.length() > 110 ? m.substring(0, 107) + "..." : m);
    }

    private static String typeName(Object computedIn) {
        return computedIn == null ? null : computedIn.toString();
    }

    // gradients

    private static GradientsModel gradientsModel(GradientResult g) {
        if (g == null) {
            return null;
        }
        List<GradLayerModel> layers = new ArrayList<>();
        List<KindRow> rows = new ArrayList<>();
        for (LayerGradients l : g.layers()) {
            Map<String, String> shapes = new LinkedHashMap<>();
            for (Gradients.Kind k : kinds(l)) {
                shapes.put(k.toString(), k.of(l.reference()).shapeString());
            }
            List<GradEngineModel> engines = new ArrayList<>();
            for (EngineGradients e : l.engines()) {
                String m = e.run().message();
                engines.add(new GradEngineModel(e.engine(), e.status(), e.run().nanos() / 1e6, typeName(e.run().computedIn()),
                        m.isEmpty() ? null : m, e.run().notes(), byKind(e.vsReference()), byKind(e.vsExpected()),
                        e.status() + (m.isEmpty() ? "" : ": " + m), Describe.ms(e.run().nanos()), String.join("; ", e.run().notes())));
            }
            layers.add(new GradLayerModel(l.index() + 1, l.verdict().toString(), l.referenceNanos() / 1e6, shapes, byKind(l.referenceVsExpected()), engines,
                    Describe.ms(l.referenceNanos())));
            for (Gradients.Kind k : kinds(l)) {
                Comparison c = l.referenceVsExpected().get(k);
                List<Cell> cells = new ArrayList<>();
                for (EngineGradients e : l.engines()) {
                    Comparison ec = e.vsReference().get(k);
                    String cls = e.run().status() != LayerRun.Status.OK ? e.status() : ec == null || ec.agree() ? "agree" : "disagree";
                    cells.add(new Cell(cls, String.join("; ", e.run().notes()), gradientCell(e, k)));
                }
                rows.add(new KindRow(l.index() + 1, k.toString(), k.of(l.reference()).shapeString(),
                        c == null ? "no expected gradient" : c.summary(), c == null ? "none" : c.agree() ? "agree" : "disagree", cells));
            }
        }
        return new GradientsModel(g.verdict().toString(), g.source(), g.seed(), g.gradOutput().shapeString(), layers, rows);
    }

    /** The gradients this layer has: dL/dx, and dL/dw and dL/db where the layer has weights and a bias. */
    private static List<Gradients.Kind> kinds(LayerGradients l) {
        return Arrays.stream(Gradients.Kind.values()).filter(k -> k.of(l.reference()) != null).toList();
    }

    /** Comparisons by gradient, in the order dL/dx, dL/dw, dL/db. */
    private static Map<String, ComparisonModel> byKind(Map<Gradients.Kind, Comparison> comparisons) {
        Map<String, ComparisonModel> m = new LinkedHashMap<>();
        for (Gradients.Kind k : Gradients.Kind.values()) {
            if (comparisons.containsKey(k)) {
                m.put(k.toString(), ComparisonModel.of(comparisons.get(k)));
            }
        }
        return m;
    }

    private static String gradientCell(EngineGradients e, Gradients.Kind k) {
        if (e.run().status() != LayerRun.Status.OK) {
            return e.status() + shortMessage(e.run().message());
        }
        Comparison c = e.vsReference().get(k);
        return c == null ? "" : (c.agree() ? "agree " : "disagree ") + Describe.num(c.maxAbs());
    }
}
