package convlab.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import convlab.verify.Sweep;
import convlab.verify.SweepSampler;
import convlab.verify.Outcome;
import convlab.verify.SweepMatrix;
import java.util.Locale;

/** The report of a sweep: an engine x feature matrix of agree / disagree / error / unsupported counts, and the failures. */
public final class SweepReport implements Report {

    private final RunInfo info;
    private final Sweep.Result result;

    public SweepReport(RunInfo info, Sweep.Result result) {
        this.info = info;
        this.result = result;
    }

    @Override
    public String json() {
        ObjectNode root = Json.root(info);
        root.put("seed", result.seed()).put("count", result.count()).put("planned", result.planned())
                .put("finished", result.finished()).put("seconds", result.nanos() / 1e9);
        ObjectNode m = root.putObject("matrix");
        SweepMatrix matrix = result.matrix();
        for (String engine : matrix.engines()) {
            ObjectNode e = m.putObject(engine);
            for (String feature : matrix.features(engine)) {
                ObjectNode f = e.putObject(feature);
                matrix.cell(engine, feature).forEach((outcome, n) -> f.put(outcome.toString(), n));
            }
        }
        var failures = root.putArray("failures");
        for (Sweep.Failure f : result.failures()) {
            ObjectNode n = failures.addObject();
            n.put("name", f.name()).put("folder", f.folder().toString());
            var feats = n.putArray("features");
            f.features().forEach(feats::add);
            ObjectNode en = n.putObject("engines");
            f.engines().forEach(en::put);
        }
        ObjectNode unwritten = root.putObject("failuresWithoutFolder");
        result.unwritten().forEach(unwritten::put);
        return Json.pretty(root);
    }

    /** "1000" when finished, "420 of 1000 (interrupted or still running)" when not. */
    private String progress() {
        return result.finished() ? Integer.toString(result.count())
                : result.count() + " of " + result.planned() + " (a partial report: interrupted or still running)";
    }

    private String unwrittenNote() {
        int n = result.unwrittenTotal();
        return n == 0 ? "" : " " + n + " more failed without a folder (at most " + Sweep.FOLDERS_PER_FEATURE
                + " folders per feature); by feature: " + result.unwritten();
    }

    private String cell(String engine, String feature) {
        return String.join(" / ", result.matrix().cell(engine, feature).values().stream().map(String::valueOf).toList());
    }

    @Override
    public String markdown() {
        StringBuilder md = new StringBuilder("# " + info.title("convlab sweep report") + "\n\n");
        md.append(progress()).append(" configurations, seed ").append(result.seed()).append(", ")
                .append(String.format(Locale.ROOT, "%.1f s", result.nanos() / 1e9)).append(" · convlab ").append(info.convlabVersion()).append(" · ")
                .append(info.frameworkVersion()).append("\n\nCells: agree / disagree / error / unsupported (configurations with that feature).\n\n");
        md.append("| feature |");
        result.engines().forEach(e -> md.append(" ").append(e).append(" |"));
        md.append("\n|---|");
        result.engines().forEach(e -> md.append("---|"));
        md.append("\n");
        for (String f : result.features()) {
            md.append("| ").append(f).append(" |");
            result.engines().forEach(e -> md.append(" ").append(cell(e, f)).append(" |"));
            md.append("\n");
        }
        md.append("\n## Failures (").append(result.failures().size()).append(")\n\nEach folder reproduces with `./convlab verify <folder>`.")
                .append(unwrittenNote()).append("\n\n");
        for (Sweep.Failure f : result.failures()) {
            md.append("- `").append(f.folder()).append("`: ");
            f.engines().forEach((e, s) -> md.append(e).append(" ").append(s.replace("|", "\\|").replace("\n", " ")).append("; "));
            md.append("\n");
        }
        return md.toString();
    }

    @Override
    public String html() {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(VerifyReport.esc(info.title("convlab sweep report"))).append("</title><style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ddd;padding:4px 8px}th{background:#f4f4f4;text-align:left}")
                .append("td.n{text-align:center;white-space:nowrap}.ok{background:#e3f4e3}.bad{background:#fbdada}.err{background:#fde7c8}.un{background:#ececec}")
                .append(".meta{color:#666}li{margin:.3em 0}code{font-size:.9em}</style></head><body>\n");
        h.append("<h1>").append(VerifyReport.esc(info.title("convlab sweep report"))).append("</h1><p class=\"meta\">").append(progress()).append(" configurations · seed ").append(result.seed())
                .append(" · ").append(String.format(Locale.ROOT, "%.1f s", result.nanos() / 1e9)).append(" · convlab ").append(VerifyReport.esc(info.convlabVersion()))
                .append(" · ").append(VerifyReport.esc(info.frameworkVersion())).append(" · JDK ").append(VerifyReport.esc(info.jdk()))
                .append(" · ").append(VerifyReport.esc(info.date())).append("</p>\n");
        h.append("<p>Each cell counts the configurations with that feature: <span class=\"ok\">agree</span> / <span class=\"bad\">disagree</span> / "
                + "<span class=\"err\">error</span> / <span class=\"un\">unsupported</span>. The cell's colour is its worst non-zero outcome.</p>\n");
        h.append("<table><thead><tr><th>feature</th>");
        result.engines().forEach(e -> h.append("<th>").append(VerifyReport.esc(e)).append("</th>"));
        h.append("</tr></thead><tbody>\n");
        for (String f : result.features()) {
            h.append("<tr><td>").append(VerifyReport.esc(f)).append("</td>");
            for (String e : result.engines()) {
                SweepMatrix m = result.matrix();
                String cls = m.count(e, f, Outcome.DISAGREE) > 0 ? "bad" : m.count(e, f, Outcome.ERROR) > 0 ? "err"
                        : m.count(e, f, Outcome.UNSUPPORTED) > 0 ? "un" : "ok";
                h.append("<td class=\"n ").append(cls).append("\">").append(cell(e, f)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n<h2>Failures (").append(result.failures().size())
                .append(")</h2><p>Each folder reproduces with <code>./convlab verify FOLDER</code>; its <code>diagnosis.txt</code> lists the taps of the worst element and what the probe found.")
                .append(VerifyReport.esc(unwrittenNote())).append("</p><ul>\n");
        for (Sweep.Failure f : result.failures()) {
            h.append("<li><code>").append(VerifyReport.esc(f.folder().toString())).append("</code> (").append(VerifyReport.esc(String.join(", ", f.features().subList(1, f.features().size()))))
                    .append(")<ul>");
            f.engines().forEach((e, s) -> h.append("<li><b>").append(VerifyReport.esc(e)).append("</b>: ").append(VerifyReport.esc(s)).append("</li>"));
            h.append("</ul></li>\n");
        }
        h.append("</ul></body></html>\n");
        return h.toString();
    }
}
