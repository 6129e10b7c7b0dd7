package convlab.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import convlab.core.Describe;
import convlab.core.Gradients;
import convlab.core.Tensor;
import convlab.engine.LayerRun;
import convlab.verify.CaseResult;
import convlab.verify.Comparison;
import convlab.verify.GradientResult;
import convlab.verify.GradientResult.EngineGradients;
import convlab.verify.GradientResult.LayerGradients;
import java.util.List;

/**
 * The gradients section of the verify report, in its three forms: per case, where dL/dy came from (the case's
 * {@code gradOutput} or a seeded random one, with its seed) and, per layer and gradient (dL/dx, dL/dw, dL/db),
 * the reference against the case's expected gradient and each engine against the reference.
 */
final class GradientSections {

    private GradientSections() {
    }

    static boolean any(List<CaseResult> cases) {
        return cases.stream().anyMatch(c -> c.gradients() != null);
    }

    // JSON

    static void json(ObjectNode caseNode, GradientResult g) {
        if (g == null) {
            return;
        }
        ObjectNode gn = caseNode.putObject("gradients");
        gn.put("verdict", g.verdict().toString()).put("gradOutput", g.source());
        if (g.seed() != null) {
            gn.put("seed", g.seed());
        }
        gn.put("gradOutputShape", g.gradOutput().shapeString());
        ArrayNode layers = gn.putArray("layers");
        for (LayerGradients l : g.layers()) {
            ObjectNode ln = layers.addObject();
            ln.put("layer", l.index() + 1).put("verdict", l.verdict().toString()).put("referenceTimeMs", l.referenceNanos() / 1e6);
            ObjectNode shapes = ln.putObject("shapes");
            for (Gradients.Kind k : Gradients.Kind.values()) {
                Tensor t = k.of(l.reference());
                if (t != null) {
                    shapes.put(k.toString(), t.shapeString());
                }
            }
            ObjectNode rx = ln.putObject("referenceVsExpected");
            l.referenceVsExpected().forEach((k, c) -> VerifyReport.comparison(rx.putObject(k.toString()), c));
            ArrayNode en = ln.putArray("engines");
            for (EngineGradients e : l.engines()) {
                ObjectNode o = VerifyReport.engineRun(en, e.engine(), e.status(), e.run().nanos(), e.run().computedIn(), e.run().message(),
                        e.run().notes());
                ObjectNode vr = o.putObject("vsReference");
                e.vsReference().forEach((k, c) -> VerifyReport.comparison(vr.putObject(k.toString()), c));
                ObjectNode vx = o.putObject("vsExpected");
                e.vsExpected().forEach((k, c) -> VerifyReport.comparison(vx.putObject(k.toString()), c));
            }
        }
    }

    // Markdown

    /** The summary table of every case's gradients, one row per layer and gradient; empty when none was checked. */
    static String markdownSummary(List<CaseResult> cases, List<RunInfo.EngineInfo> engines) {
        if (!any(cases)) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Gradients\n\n| case | layer | gradient | reference vs expected |");
        engines.forEach(e -> md.append(" ").append(e.name()).append(" |"));
        md.append("\n|---|---|---|---|");
        engines.forEach(e -> md.append("---|"));
        md.append("\n");
        for (CaseResult c : cases) {
            if (c.gradients() == null) {
                continue;
            }
            for (LayerGradients l : c.gradients().layers()) {
                for (Gradients.Kind k : kinds(l)) {
                    md.append("| ").append(c.name()).append(" | ").append(l.index() + 1).append(" | ").append(k).append(" | ")
                            .append(VerifyReport.mdCell(expectedCell(l, k))).append(" |");
                    for (EngineGradients e : l.engines()) {
                        md.append(" ").append(VerifyReport.mdCell(engineCell(e, k))).append(" |");
                    }
                    md.append("\n");
                }
            }
        }
        return md.append("\n").toString();
    }

    /** Per case: where dy came from, and per layer each engine's status, notes and time. */
    static String markdownCase(GradientResult g) {
        if (g == null) {
            return "";
        }
        StringBuilder md = new StringBuilder("Gradients (" + g.verdict() + ") from " + g.source() + ", dL/dy " + g.gradOutput().shapeString() + "\n\n");
        md.append("| layer | engine | status | computed in | time | notes |\n|---|---|---|---|---|---|\n");
        for (LayerGradients l : g.layers()) {
            md.append("| ").append(l.index() + 1).append(" | reference | | float64 | ").append(Describe.ms(l.referenceNanos())).append(" | |\n");
            for (EngineGradients e : l.engines()) {
                md.append("| ").append(l.index() + 1).append(" | ").append(e.engine()).append(" | ").append(e.status())
                        .append(e.run().message().isEmpty() ? "" : ": " + VerifyReport.mdCell(e.run().message())).append(" | ")
                        .append(e.run().computedIn() == null ? "" : e.run().computedIn()).append(" | ").append(Describe.ms(e.run().nanos()))
                        .append(" | ").append(VerifyReport.mdCell(String.join("; ", e.run().notes()))).append(" |\n");
            }
        }
        return md.append("\n").toString();
    }

    // HTML

    /** The summary of every case's gradients, one row per case and layer; empty when none was checked. */
    static String htmlSummary(List<CaseResult> cases, List<RunInfo.EngineInfo> engines) {
        if (!any(cases)) {
            return "";
        }
        StringBuilder h = new StringBuilder("<h2>Gradients</h2>\n<table class=\"summary\"><thead><tr><th>case</th><th>layer</th><th>verdict</th><th>dL/dy</th>");
        engines.forEach(e -> h.append("<th>").append(VerifyReport.esc(e.name())).append("</th>"));
        h.append("</tr></thead><tbody>\n");
        for (CaseResult c : cases) {
            if (c.gradients() == null) {
                continue;
            }
            for (LayerGradients l : c.gradients().layers()) {
                h.append("<tr><td><a href=\"#").append(VerifyReport.esc(c.name())).append("\">").append(VerifyReport.esc(c.name())).append("</a></td><td>")
                        .append(l.index() + 1).append("</td><td class=\"").append(l.verdict()).append("\">").append(l.verdict()).append("</td><td>")
                        .append(VerifyReport.esc(c.gradients().source())).append("</td>");
                for (EngineGradients e : l.engines()) {
                    h.append("<td class=\"").append(e.status()).append("\" title=\"").append(VerifyReport.esc(e.run().message())).append("\">")
                            .append(VerifyReport.esc(e.status())).append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        return h.append("</tbody></table>\n").toString();
    }

    /** Per case: the same as {@link #markdownCase} and the per-gradient comparisons, as one table. */
    static String htmlCase(GradientResult g, List<RunInfo.EngineInfo> engines) {
        if (g == null) {
            return "";
        }
        StringBuilder h = new StringBuilder("<h3>Gradients <span class=\"").append(g.verdict()).append("\">").append(g.verdict())
                .append("</span></h3>\n<p>dL/dy: ").append(VerifyReport.esc(g.source())).append(", shape ").append(g.gradOutput().shapeString())
                .append(" (NCHW). Each cell: the largest absolute difference from the reference's gradient.</p>\n");
        h.append("<table class=\"gradients\"><thead><tr><th>layer</th><th>gradient</th><th>shape</th><th>reference vs expected</th>");
        engines.forEach(e -> h.append("<th>").append(VerifyReport.esc(e.name())).append("</th>"));
        h.append("</tr></thead><tbody>\n");
        for (LayerGradients l : g.layers()) {
            for (Gradients.Kind k : kinds(l)) {
                Comparison rx = l.referenceVsExpected().get(k);
                h.append("<tr><td>").append(l.index() + 1).append("</td><td>").append(k).append("</td><td>")
                        .append(k.of(l.reference()).shapeString()).append("</td><td class=\"")
                        .append(rx == null ? "none" : rx.agree() ? "agree" : "disagree").append("\">").append(VerifyReport.esc(expectedCell(l, k)))
                        .append("</td>");
                for (EngineGradients e : l.engines()) {
                    Comparison c = e.vsReference().get(k);
                    String cls = e.run().status() != LayerRun.Status.OK ? e.status() : c == null || c.agree() ? "agree" : "disagree";
                    h.append("<td class=\"").append(cls).append("\" title=\"").append(VerifyReport.esc(String.join("; ", e.run().notes())))
                            .append("\">").append(VerifyReport.esc(engineCell(e, k))).append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        return h.append("</tbody></table>\n").toString();
    }

    // cells

    /** The gradients this layer has: dL/dx, and dL/dw and dL/db where the layer has weights and a bias. */
    private static List<Gradients.Kind> kinds(LayerGradients l) {
        return java.util.Arrays.stream(Gradients.Kind.values()).filter(k -> k.of(l.reference()) != null).toList();
    }

    private static String expectedCell(LayerGradients l, Gradients.Kind k) {
        Comparison c = l.referenceVsExpected().get(k);
        return c == null ? "no expected gradient" : c.summary();
    }

    private static String engineCell(EngineGradients e, Gradients.Kind k) {
        if (e.run().status() != LayerRun.Status.OK) {
            String m = e.run().message();
            return e.status() + (m.isEmpty() ? "" : ": " + (m.length() > 110 ? m.substring(0, 107) + "..." : m));
        }
        Comparison c = e.vsReference().get(k);
        return c == null ? "" : (c.agree() ? "agree " : "disagree ") + Describe.num(c.maxAbs());
    }
}
