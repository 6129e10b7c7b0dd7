package convlab.report;

import com.samskivert.mustache.Template;
import convlab.verify.CaseResult.EngineCheck;
import convlab.verify.CaseResult.LayerCheck;
import convlab.verify.CaseResult;
import convlab.verify.Verdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of a {@code verify} run in three forms, from one model ({@link VerifyModel}): {@code report.json} (for
 * machines), {@code report.md} (for pull requests) and {@code report.html} (its figures PNG files beside it, linked
 * and shown as thumbnails), the last two rendered by templates. A {@link Builder} takes each case as it finishes and
 * keeps only its summary, so a run of any number of cases holds no case's tensors or images.
 */
public final class VerifyReport extends Report.OfModel {

    private static final Template MARKDOWN = Templates.markdown("verify.md.mustache");
    private static final Template HTML = Templates.html("verify.html.mustache");

    private final Verdict verdict;
    private final String verdictText;
    private final Map<String, Map<String, Integer>> engineCounts;

    private VerifyReport(Builder b) {
        super(VerifyModel.of(b.info, b.models, b.counts, b.verdict, verdictText(b), b.engineCounts), MARKDOWN, HTML);
        this.verdict = b.verdict;
        this.verdictText = verdictText(b);
        this.engineCounts = b.engineCounts;
    }

    private static String verdictText(Builder b) {
        return b.compared || b.verdict == Verdict.INVALID ? b.verdict.toString() : "nothing compared";
    }

    /** The cases of a run, one at a time, in the order the report lists them. */
    public static final class Builder {
        private final RunInfo info;
        private final List<VerifyModel.CaseModel> models = new ArrayList<>();
        private final Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        private final Map<String, Map<String, Integer>> engineCounts = new LinkedHashMap<>();
        private Verdict verdict = Verdict.AGREE;
        private boolean compared;

        public Builder(RunInfo info) {
            this.info = info;
            for (RunInfo.EngineInfo e : info.engines()) {
                Map<String, Integer> m = new LinkedHashMap<>();
                for (String s : List.of("agree", "disagree", "unsupported", "error")) {
                    m.put(s, 0);
                }
                engineCounts.put(e.name(), m);
            }
        }

        /** Adds a case with what its section shows besides its tables; the result itself is not kept. */
        public Builder add(CaseResult c, CaseExtras extras) {
            models.add(VerifyModel.caseModel(c, extras));
            counts.merge(c.verdict(), 1L, Long::sum);
            verdict = verdict.worst(c.verdict());
            compared |= c.compared();
            for (LayerCheck l : c.layers()) {
                for (EngineCheck e : l.engines()) {
                    engineCounts.computeIfAbsent(e.engine(), k -> new LinkedHashMap<>()).merge(e.outcome().toString(), 1, Integer::sum);
                }
            }
            return this;
        }

        public VerifyReport build() {
            return new VerifyReport(this);
        }
    }

    public Verdict verdict() {
        return verdict;
    }

    /** The verdict in words: {@code nothing compared} when no valid case compared anything, else {@link #verdict()}. */
    public String verdictText() {
        return verdictText;
    }

    /** Per engine, how many layers ended in each status: agree, disagree, unsupported, error. */
    public Map<String, Map<String, Integer>> engineCounts() {
        return engineCounts;
    }
}
