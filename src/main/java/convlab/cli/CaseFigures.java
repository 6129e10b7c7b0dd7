package convlab.cli;

import convlab.verify.CaseResult;
import java.util.List;

/** The figures of a verified case, one PNG per layer, for embedding in reports. */
final class CaseFigures {

    private CaseFigures() {
    }

    static List<byte[]> pngs(CaseResult r) {
        return List.of();
    }
}
