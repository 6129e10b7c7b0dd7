package convlab.cli;

import convlab.io.Case;
import java.io.PrintWriter;

/** A loaded case's warnings (input read, but maybe not as its author meant), one line each on stderr. */
final class CaseWarnings {

    private CaseWarnings() {
    }

    static void print(Case c, PrintWriter err) {
        if (c == null) {
            return;
        }
        for (String w : c.warnings()) {
            err.println("convlab: warning: " + w);
        }
        err.flush();
    }
}
