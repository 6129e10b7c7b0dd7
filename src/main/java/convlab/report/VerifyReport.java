package convlab.report;

import com.samskivert.mustache.Template;
import convlab.verify.CaseResult.EngineCheck;
import convlab.verify.CaseResult.LayerCheck;
import convlab.verify.CaseResult;
import convlab.verify.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of a {@code verify} run in three forms, from one model ({@link VerifyModel}): {@code report.json} (for
 * machines), {@code report.md} (for pull requests) and a self-contained {@code report.html} (figures embedded as data
 * URIs), the last two rendered by templates.
 */
public final class VerifyReport implements Report {

    private static final Template MARKDOWN = Templates.markdown("verify.md.mustache");
    private static final Template HTML = Templates.html("verify.html.mustache");

    private final RunInfo info;
    private final List<CaseResult> cases;
    private final VerifyModel model;

    /** @param extras per case name, what its section shows besides its tables (figures, notes, code); a case may have none */
    public VerifyReport(RunInfo info, List<CaseResult> cases, Map<String, CaseExtras> extras) {
        this.info = info;
        this.cases = List.copyOf(cases);
        this.model = VerifyModel.of(info, this.cases, verdict(), verdictText(), engineCounts(), extras);
    }

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

    @Override
    public String json() {
        return Json.pretty(model);
    }

    @Override
    public String markdown() {
        return MARKDOWN.execute(model);
    }

    @Override
    public String html() {
        return HTML.execute(model);
    }
}
