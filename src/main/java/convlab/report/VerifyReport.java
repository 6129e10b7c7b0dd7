package convlab.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import convlab.core.Describe;
import convlab.engine.LayerRun;
import convlab.verify.CaseResult.EngineCheck;
import convlab.verify.CaseResult.LayerCheck;
import convlab.verify.CaseResult;
import convlab.verify.Comparison;
import convlab.verify.Verdict;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of a {@code verify} run in three forms, from one model: {@code report.json} (for machines),
 * {@code report.md} (for pull requests) and a self-contained {@code report.html} (figures embedded as data URIs).
 */
public final class VerifyReport implements Report {

    private final RunInfo info;
    private final List<CaseResult> cases;
    private final Map<String, List<byte[]>> figures;
    private final Map<String, String> extras;

    /**
     * @param figures PNG figures per case name, one per layer (may be empty)
     * @param extras  HTML fragments per case name shown after its tables (for example framework code), already escaped
     */
    public VerifyReport(RunInfo info, List<CaseResult> cases, Map<String, List<byte[]>> figures, Map<String, String> extras) {
        this.info = info;
        this.cases = List.copyOf(cases);
        this.figures = figures;
        this.extras = extras;
    }

    /** The agreement rule, as both reports state it; formulas between backquotes (code in Markdown, plain in HTML). */
    static final String AGREEMENT = "Agreement: `|a - r| <= abs + rel*|r| + 2*n*eps*sum|x*w|` for every element, where n is the number of "
            + "terms summed (C/groups x KH x KW), eps the machine epsilon of the narrower type (2^-23 for float32, 2^-52 for float64) "
            + "and `sum|x*w|` the sum of the absolute products over that element's taps (in layer k > 1 also `sum|w|*|a'-r'|`, "
            + "what the engine's previous layer already differed); a float32 result is compared with the reference rounded to float32; "
            + "NaN agrees only with NaN, an infinity only with the same infinity, -0.0 equals +0.0. "
            + "The worst element is the one furthest past its own tolerance.";

    public Verdict verdict() {
        Verdict v = Verdict.AGREE;
        for (CaseResult c : cases) {
            v = v.worst(c.verdict());
        }
        return v;
    }

    /** The verdict in words: {@code nothing compared} when no valid case compared anything, else {@link #verdict()}. */
    public String verdictText() {
        boolean compared = cases.stream().anyMatch(CaseResult::compared);
        return compared || verdict() == Verdict.INVALID ? verdict().toString() : "nothing compared";
    }

    /** Per engine, how many layers ended in each status: agree, disagree, unsupported, error. */
    public Map<String, Map<String, Integer>> engineCounts() {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (RunInfo.EngineInfo e : info.engines()) {
            Map<String, Integer> m = new LinkedHashMap<>();
            for (String s : List.of("agree", "disagree", "unsupported", "error")) {
                m.put(s, 0);
            }
            counts.put(e.name(), m);
        }
        for (CaseResult c : cases) {
            for (LayerCheck l : c.layers()) {
                for (EngineCheck e : l.engines()) {
                    counts.computeIfAbsent(e.engine(), k -> new LinkedHashMap<>()).merge(e.outcome().toString(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    // JSON

    @Override
    public String json() {
        ObjectNode root = Json.root(info);
        root.put("verdict", verdict().toString());
        ArrayNode engines = root.putArray("engines");
        info.engines().forEach(e -> engines.addObject().put("name", e.name()).put("description", e.description()));
        ObjectNode summary = root.putObject("summary");
        for (Verdict v : Verdict.values()) {
            summary.put(v.toString(), cases.stream().filter(c -> c.verdict() == v).count());
        }
        ObjectNode perEngine = summary.putObject("engines");
        engineCounts().forEach((name, m) -> {
            ObjectNode n = perEngine.putObject(name);
            m.forEach(n::put);
        });
        ArrayNode arr = root.putArray("cases");
        for (CaseResult c : cases) {
            ObjectNode cn = arr.addObject();
            cn.put("name", c.name()).put("file", c.file().toString()).put("verdict", c.verdict().toString());
            if (!c.problem().isEmpty()) {
                cn.put("problem", c.problem());
                continue;
            }
            cn.put("source", c.kase().source()).put("layout", c.kase().layout().toString()).put("timeMs", c.nanos() / 1e6);
            ArrayNode layers = cn.putArray("layers");
            for (LayerCheck l : c.layers()) {
                ObjectNode ln = layers.addObject();
                ln.put("layer", l.index() + 1).put("config", Describe.layer(l.geometry(), l.layer())).put("op", l.layer().op().toString());
                ln.put("inputShape", shape(l.geometry().inputShape()));
                if (l.geometry().weightShape() != null) {
                    ln.put("weightShape", shape(l.geometry().weightShape()));
                }
                ln.put("outputShape", shape(l.geometry().outputShape()));
                ln.put("verdict", l.verdict().toString()).put("referenceTimeMs", l.referenceNanos() / 1e6);
                if (l.referenceVsExpected() != null) {
                    comparison(ln.putObject("referenceVsExpected"), l.referenceVsExpected());
                }
                ArrayNode en = ln.putArray("engines");
                for (EngineCheck e : l.engines()) {
                    ObjectNode o = engineRun(en, e.engine(), e.outcome().toString(), e.run().nanos(), e.run().computedIn(), e.run().message(),
                            e.run().notes());
                    if (!e.diagnosis().isEmpty()) {
                        o.put("diagnosis", e.diagnosis());
                    }
                    if (e.vsReference() != null) {
                        comparison(o.putObject("vsReference"), e.vsReference());
                    }
                    if (e.vsExpected() != null) {
                        comparison(o.putObject("vsExpected"), e.vsExpected());
                    }
                }
            }
            GradientSections.json(cn, c.gradients());
        }
        return Json.pretty(root);
    }

    /** One engine's run as a JSON object added to {@code engines}: name, status, time, type, message and notes. */
    static ObjectNode engineRun(ArrayNode engines, String engine, String status, long nanos, convlab.core.DType computedIn, String message,
                                List<String> notes) {
        ObjectNode o = engines.addObject();
        o.put("engine", engine).put("status", status).put("timeMs", nanos / 1e6);
        if (computedIn != null) {
            o.put("computedIn", computedIn.toString());
        }
        if (!message.isEmpty()) {
            o.put("message", message);
        }
        ArrayNode arr = o.putArray("notes");
        notes.forEach(arr::add);
        return o;
    }

    static void comparison(ObjectNode n, Comparison c) {
        n.put("agree", c.agree());
        putNumber(n, "maxAbs", c.maxAbs());
        putNumber(n, "maxRel", c.maxRel());
        ArrayNode w = n.putArray("worstIndex");
        c.worst().forEach(w::add);
        putNumber(n, "worstActual", c.worstActual());
        putNumber(n, "worstExpected", c.worstExpected());
        putNumber(n, "worstRatio", c.worstRatio());
        n.put("roundingBound", c.bounded());
        n.put("mismatches", c.mismatches()).put("total", c.total());
        n.putObject("tolerance").put("abs", c.tolerance().abs()).put("rel", c.tolerance().rel());
        if (!c.problem().isEmpty()) {
            n.put("problem", c.problem());
        }
    }

    /** JSON has no NaN or infinity: those become strings. */
    private static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.put(key, Double.toString(v));
        }
    }

    private static String shape(int[] s) {
        return convlab.core.Tensor.shapeString(s);
    }

    // Markdown

    @Override
    public String markdown() {
        StringBuilder md = new StringBuilder("# " + info.title("convlab verify report") + "\n\n");
        md.append("convlab ").append(info.convlabVersion()).append(" · ").append(info.frameworkVersion()).append(" · JDK ")
                .append(info.jdk()).append(" · ").append(info.date()).append("\n\n");
        md.append("**Verdict: ").append(verdictText()).append("** (").append(count(Verdict.AGREE)).append(" agree, ")
                .append(count(Verdict.DISAGREE)).append(" disagree, ").append(count(Verdict.INVALID)).append(" invalid")
                .append(count(Verdict.ERROR) == 0 ? "" : ", " + count(Verdict.ERROR) + " internal error").append(")\n\n");
        md.append(AGREEMENT).append("\n\n");
        md.append("| case | layer | verdict | reference vs expected |");
        info.engines().forEach(e -> md.append(" ").append(e.name()).append(" |"));
        md.append("\n|---|---|---|---|");
        info.engines().forEach(e -> md.append("---|"));
        md.append("\n");
        for (CaseResult c : cases) {
            if (!c.problem().isEmpty()) {
                md.append("| ").append(c.name()).append(" | | ").append(c.verdict()).append(" | ").append(mdCell(c.problem())).append(" |");
                info.engines().forEach(e -> md.append(" |"));
                md.append("\n");
                continue;
            }
            for (LayerCheck l : c.layers()) {
                md.append("| ").append(c.name()).append(" | ").append(l.index() + 1).append(" | ").append(l.verdict()).append(" | ")
                        .append(l.referenceVsExpected() == null ? "no expected output" : mdCell(l.referenceVsExpected().summary())).append(" |");
                for (EngineCheck e : l.engines()) {
                    md.append(" ").append(mdCell(engineCell(e))).append(" |");
                }
                md.append("\n");
            }
        }
        md.append("\n").append(GradientSections.markdownSummary(cases, info.engines()));
        md.append("## Engines\n\n");
        info.engines().forEach(e -> md.append("- **").append(e.name()).append("**: ").append(e.description()).append("\n"));
        md.append("\n## Cases\n");
        for (CaseResult c : cases) {
            md.append("\n### ").append(c.name()).append(" — ").append(c.verdict()).append("\n\n");
            if (!c.problem().isEmpty()) {
                md.append(c.problem()).append("\n");
                continue;
            }
            if (!c.kase().source().isEmpty()) {
                md.append("Source: ").append(c.kase().source()).append("\n\n");
            }
            for (LayerCheck l : c.layers()) {
                md.append("Layer ").append(l.index() + 1).append(": ").append(Describe.layer(l.geometry(), l.layer())).append("; ")
                        .append(Describe.shapes(l.geometry())).append("\n\n");
                md.append("| engine | status | vs reference | vs expected | computed in | time | notes |\n|---|---|---|---|---|---|---|\n");
                md.append("| reference | | | ").append(l.referenceVsExpected() == null ? "" : mdCell(l.referenceVsExpected().summary()))
                        .append(" | float64 | ").append(Describe.ms(l.referenceNanos())).append(" | |\n");
                for (EngineCheck e : l.engines()) {
                    md.append("| ").append(e.engine()).append(" | ").append(e.outcome().toString()).append(" | ")
                            .append(e.vsReference() == null ? mdCell(e.run().message()) : mdCell(e.vsReference().summary())).append(" | ")
                            .append(e.vsExpected() == null ? "" : mdCell(e.vsExpected().summary())).append(" | ")
                            .append(e.run().computedIn() == null ? "" : e.run().computedIn()).append(" | ")
                            .append(Describe.ms(e.run().nanos())).append(" | ").append(mdCell(String.join("; ", notesOf(e)))).append(" |\n");
                }
                md.append("\n");
            }
            md.append(GradientSections.markdownCase(c.gradients()));
        }
        return md.toString();
    }

    private long count(Verdict v) {
        return cases.stream().filter(c -> c.verdict() == v).count();
    }

    /** What a summary cell says about one engine on one layer. */
    static String engineCell(EngineCheck e) {
        if (e.run().status() != LayerRun.Status.OK) {
            return e.outcome().toString() + ": " + e.run().message();
        }
        return e.outcome().toString() + " (" + Describe.num(e.vsReference().maxAbs()) + ")";
    }

    static String mdCell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    // HTML

    @Override
    public String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(info.title("convlab verify report"))).append("</title>\n<style>\n")
                .append(CSS).append("</style></head><body>\n");
        h.append("<h1>").append(esc(info.title("convlab verify report"))).append("</h1>\n<p class=\"meta\">convlab ").append(esc(info.convlabVersion())).append(" · ")
                .append(esc(info.frameworkVersion())).append(" · JDK ").append(esc(info.jdk())).append(" · ").append(esc(info.date())).append("</p>\n");
        h.append("<p class=\"verdict ").append(verdict()).append("\">Verdict: ").append(verdictText()).append(" — ")
                .append(count(Verdict.AGREE)).append(" agree, ").append(count(Verdict.DISAGREE)).append(" disagree, ")
                .append(count(Verdict.INVALID)).append(" invalid</p>\n");
        h.append("<p class=\"legend\">Each engine's output is compared with the reference core (float64) and with the case's expected output; "
                + "the number in a cell is the largest absolute difference from the reference. ").append(esc(AGREEMENT.replace("`", ""))).append("</p>\n");
        h.append("<h2>Summary</h2>\n<table class=\"summary\"><thead><tr><th>case</th><th>layer</th><th>verdict</th><th>reference vs expected</th>");
        info.engines().forEach(e -> h.append("<th>").append(esc(e.name())).append("</th>"));
        h.append("</tr></thead><tbody>\n");
        for (CaseResult c : cases) {
            if (!c.problem().isEmpty()) {
                h.append("<tr><td><a href=\"#").append(esc(c.name())).append("\">").append(esc(c.name())).append("</a></td><td></td>")
                        .append("<td class=\"").append(c.verdict()).append("\">").append(c.verdict()).append("</td><td colspan=\"").append(1 + info.engines().size()).append("\">")
                        .append(esc(c.problem())).append("</td></tr>\n");
                continue;
            }
            for (LayerCheck l : c.layers()) {
                h.append("<tr><td><a href=\"#").append(esc(c.name())).append("\">").append(esc(c.name())).append("</a></td><td>")
                        .append(l.index() + 1).append("</td><td class=\"").append(l.verdict()).append("\">").append(l.verdict()).append("</td>");
                Comparison rx = l.referenceVsExpected();
                h.append(rx == null ? "<td class=\"none\">no expected output</td>"
                        : "<td class=\"" + (rx.agree() ? "agree" : "disagree") + "\">" + esc(rx.summary()) + "</td>");
                for (EngineCheck e : l.engines()) {
                    h.append("<td class=\"").append(e.outcome().toString()).append("\" title=\"").append(esc(e.run().message())).append("\">")
                            .append(esc(shortCell(e))).append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        h.append("</tbody></table>\n").append(GradientSections.htmlSummary(cases, info.engines())).append("<h2>Engines</h2>\n<ul>\n");
        info.engines().forEach(e -> h.append("<li><b>").append(esc(e.name())).append("</b>: ").append(esc(e.description())).append("</li>\n"));
        h.append("</ul>\n");
        for (CaseResult c : cases) {
            h.append("<section id=\"").append(esc(c.name())).append("\"><h2>").append(esc(c.name())).append(" <span class=\"")
                    .append(c.verdict()).append("\">").append(c.verdict()).append("</span></h2>\n");
            h.append("<p class=\"file\">").append(esc(c.file().toString())).append("</p>\n");
            if (!c.problem().isEmpty()) {
                h.append("<p class=\"").append(c.verdict()).append("\">").append(esc(c.problem())).append("</p></section>\n");
                continue;
            }
            if (!c.kase().source().isEmpty()) {
                h.append("<p>Expected output from: <code>").append(esc(c.kase().source())).append("</code></p>\n");
            }
            List<byte[]> figs = figures.getOrDefault(c.name(), List.of());
            for (LayerCheck l : c.layers()) {
                h.append("<h3>Layer ").append(l.index() + 1).append("</h3>\n<p>").append(esc(Describe.layer(l.geometry(), l.layer())))
                        .append("<br><span class=\"shapes\">").append(esc(Describe.shapes(l.geometry()))).append(" · data layout ")
                        .append(c.kase().layout()).append("</span></p>\n");
                h.append("<table><thead><tr><th>engine</th><th>status</th><th>vs reference</th><th>vs expected</th><th>computed in</th><th>time</th><th>notes</th></tr></thead><tbody>\n");
                Comparison rx = l.referenceVsExpected();
                h.append("<tr><td>reference</td><td></td><td></td><td class=\"").append(rx == null ? "none" : rx.agree() ? "agree" : "disagree")
                        .append("\">").append(rx == null ? "no expected output" : esc(rx.summary())).append("</td><td>float64</td><td>")
                        .append(Describe.ms(l.referenceNanos())).append("</td><td></td></tr>\n");
                for (EngineCheck e : l.engines()) {
                    h.append("<tr><td>").append(esc(e.engine())).append("</td><td class=\"").append(e.outcome().toString()).append("\">").append(e.outcome().toString())
                            .append("</td><td>").append(e.vsReference() == null ? "<span class=\"msg\">" + esc(e.run().message()) + "</span>" : esc(e.vsReference().summary()))
                            .append("</td><td>").append(e.vsExpected() == null ? "" : esc(e.vsExpected().summary()))
                            .append("</td><td>").append(e.run().computedIn() == null ? "" : e.run().computedIn())
                            .append("</td><td>").append(Describe.ms(e.run().nanos())).append("</td><td>")
                            .append(esc(String.join("; ", notesOf(e)))).append("</td></tr>\n");
                }
                h.append("</tbody></table>\n");
                if (l.index() < figs.size() && figs.get(l.index()) != null) {
                    byte[] png = figs.get(l.index());
                    h.append("<div class=\"figwrap\"><img class=\"figure\" alt=\"figure of layer ").append(l.index() + 1)
                            .append("\" width=\"").append(Math.round(pngWidth(png) * 0.6)).append("\" src=\"data:image/png;base64,")
                            .append(Base64.getEncoder().encodeToString(png)).append("\"></div>\n");
                }
            }
            h.append(GradientSections.htmlCase(c.gradients(), info.engines()));
            String extra = extras.get(c.name());
            if (extra != null) {
                h.append(extra).append("\n");
            }
            h.append("</section>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** A PNG's width from its IHDR chunk (bytes 16 to 19, big-endian). */
    static int pngWidth(byte[] png) {
        return ((png[16] & 0xff) << 24) | ((png[17] & 0xff) << 16) | ((png[18] & 0xff) << 8) | (png[19] & 0xff);
    }

    private static String shortCell(EngineCheck e) {
        if (e.run().status() != LayerRun.Status.OK) {
            String m = e.run().message();
            return e.outcome().toString() + (m.isEmpty() ? "" : ": " + (m.length() > 110 ? m.substring(0, 107) + "..." : m));
        }
        return e.outcome().toString() + " " + Describe.num(e.vsReference().maxAbs());
    }

    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
            h1{margin-bottom:.2em} .meta,.file,.shapes{color:#666;font-size:.9em}
            table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em} th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f4f4f4} .agree{background:#e3f4e3} .disagree{background:#fbdada} .error{background:#fde7c8}
            .unsupported{background:#ececec;color:#555} .invalid{background:#f6d0f0} .none{color:#888}
            .verdict{font-size:1.2em;font-weight:600;padding:.4em .8em;display:inline-block;border-radius:4px}
            h2 span{font-size:.6em;padding:2px 8px;border-radius:4px;vertical-align:middle}
            .msg{font-family:ui-monospace,monospace;font-size:.85em} img.figure{max-width:none;height:auto;border:1px solid #eee;margin:.5em 0} .figwrap{overflow-x:auto}
            section{border-top:2px solid #eee;margin-top:1.5em} pre{background:#f7f7f7;padding:.6em;overflow-x:auto;font-size:.85em}
            """;

    /** An engine's notes, and first the probe's diagnosis when it disagreed. */
    private static List<String> notesOf(CaseResult.EngineCheck e) {
        List<String> n = new ArrayList<>();
        if (!e.diagnosis().isEmpty()) {
            n.add("probe: " + e.diagnosis());
        }
        n.addAll(e.run().notes());
        return n;
    }
}
