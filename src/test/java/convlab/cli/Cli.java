package convlab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs convlab's command line in the test JVM and captures what it printed (picocli's "Testing your application"). */
final class Cli {

    private Cli() {
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
