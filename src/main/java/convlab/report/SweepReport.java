package convlab.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.samskivert.mustache.Template;
import convlab.verify.Outcome;
import convlab.verify.Sweep;
import convlab.verify.SweepMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a sweep: an engine x feature matrix of agree / disagree / error / unsupported counts, and the
 * failures. One model ({@link SweepModel}) gives all three forms: JSON by Jackson, Markdown and HTML by templates.
 */
public final class SweepReport extends Report.OfModel {

    private static final Template MARKDOWN = Templates.markdown("sweep.md.mustache");
    private static final Template HTML = Templates.html("sweep.html.mustache");

    public SweepReport(RunInfo info, Sweep.Result result) {
        super(SweepModel.of(info, result), MARKDOWN, HTML);
    }

    /**
     * The sweep report's model: what {@code report.json} holds (engine -> feature -> outcome -> count, the failures
     * and the failures without a folder) and, for the templates only, the rows and lines as people read them.
     */
    record SweepModel(String convlab, String frameworks, String jdk, String date, String op, long seed, boolean gradients, ShardModel shard,
                      int count, int planned, boolean finished,
                      double seconds, Map<String, Map<String, Map<String, Integer>>> matrix, List<FailureModel> failures,
                      Map<String, Integer> failuresWithoutFolder,
                      @JsonIgnore String title, @JsonIgnore String progress, @JsonIgnore String shardNote, @JsonIgnore String time, @JsonIgnore String unwrittenNote,
                      @JsonIgnore List<String> engines, @JsonIgnore List<FeatureRow> rows) {

        static SweepModel of(RunInfo info, Sweep.Result result) {
            SweepMatrix m = result.matrix();
            Map<String, Map<String, Map<String, Integer>>> matrix = new LinkedHashMap<>();
            for (String engine : m.engines()) {
                Map<String, Map<String, Integer>> e = new LinkedHashMap<>();
                for (String feature : m.features(engine)) {
                    Map<String, Integer> f = new LinkedHashMap<>();
                    m.cell(engine, feature).forEach((outcome, n) -> f.put(outcome.toString(), n));
                    e.put(feature, f);
                }
                matrix.put(engine, e);
            }
            List<FeatureRow> rows = new ArrayList<>();
            for (String f : result.features()) {
                List<MatrixCell> cells = new ArrayList<>();
                for (String e : result.engines()) {
                    String cls = m.count(e, f, Outcome.DISAGREE) > 0 ? "bad" : m.count(e, f, Outcome.ERROR) > 0 ? "err"
                            : m.count(e, f, Outcome.UNSUPPORTED) > 0 ? "un" : "ok";
                    cells.add(new MatrixCell(cls, String.join(" / ", m.cell(e, f).values().stream().map(String::valueOf).toList())));
                }
                rows.add(new FeatureRow(f, cells));
            }
            List<FailureModel> failures = result.failures().stream().map(f -> new FailureModel(f.index(), f.name(), f.folder().toString(), f.features(),
                    f.engines(), String.join(", ", f.features().subList(1, f.features().size())),
                    f.engines().entrySet().stream().map(e -> new EngineLine(e.getKey(), e.getValue())).toList())).toList();
            Sweep.Plan plan = result.plan();
            String progress = result.finished() ? Integer.toString(result.count())
                    : result.count() + " of " + result.planned() + " (a partial report: interrupted or still running)";
            String shardNote = plan.shard().n() == 1 ? "" : ", shard " + plan.shard() + " (configurations " + plan.first() + " to "
                    + (plan.end() - 1) + " of " + plan.count() + "; convlab sweep merge combines the shards)";
            int unwritten = result.unwrittenTotal();
            String unwrittenNote = unwritten == 0 ? "" : " " + unwritten + " more failed without a folder (at most " + Sweep.FOLDERS_PER_FEATURE
                    + " folders per feature); by feature: " + result.unwritten();
            return new SweepModel(info.convlabVersion(), info.frameworkVersion(), info.jdk(), info.date(), plan.op().toString(), result.seed(),
                    plan.gradients(), new ShardModel(plan.shard().k(), plan.shard().n(), plan.count(), plan.first(), plan.end()), result.count(),
                    result.planned(), result.finished(), result.nanos() / 1e9, matrix, failures, result.unwritten(),
                    info.title("convlab sweep report"), progress, shardNote, String.format(Locale.ROOT, "%.1f s", result.nanos() / 1e9), unwrittenNote,
                    result.engines(), rows);
        }
    }

    /**
     * Which slice of which sweep this report holds: shard {@code k} of {@code n} of a sweep of {@code sweepCount}
     * configurations, indices {@code first} to {@code end - 1} ({@code 1/1}: the whole sweep).
     */
    record ShardModel(int k, int n, int sweepCount, int first, int end) {
    }

    /** One feature's row: a cell per engine, coloured by its worst non-zero outcome. */
    record FeatureRow(String feature, List<MatrixCell> cells) {
    }

    /** Counts as {@code agree / disagree / error / unsupported}, and the colour class. */
    record MatrixCell(String cls, String text) {
    }

    /** A failing configuration written as a folder; {@code featureList} leaves out the first feature (the op). */
    record FailureModel(int index, String name, String folder, List<String> features, Map<String, String> engines,
                        @JsonIgnore String featureList, @JsonIgnore List<EngineLine> engineLines) {
    }

    /** One engine's one line on a failure. */
    record EngineLine(String engine, String text) {
    }
}
