package convlab.cli;

import convlab.io.AtomicFiles;
import convlab.report.lesson.LessonModel;
import convlab.report.lesson.LessonPage;
import convlab.verify.CaseResult;
import convlab.verify.Verdict;
import convlab.verify.Verifier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convlab lesson CASE --out DIR}: the lesson page of a case, {@code DIR/index.html}. */
@Command(name = "lesson", mixinStandardHelpOptions = true,
        description = {"Make the lesson page of a case: every layer played step by step, any output cell explained.", "",
                "Writes DIR/index.html, one file that works offline: each layer's input channels, filters and outputs; a player "
                        + "that visits the output cells filter by filter; and for any clicked cell its receptive field in every input "
                        + "channel with the products, the per-channel sums, the bias and the activation. Between two layers a chapter "
                        + "shows layer k's maps restacked as layer k+1's input. The cross-check against the engines, and each layer in "
                        + "PyTorch, Keras and DL4J, are in a section that opens on a click."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:page written and everything that produced numbers agrees", "1:page written, something disagrees",
                "2:invalid case or command line (no page)"})
public final class LessonCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CASE", description = "A case file (JSON).")
    Path caseFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write index.html into (created if missing).")
    Path out;

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Verifier verifier = new Verifier(engineOptions.engines());
        CaseResult r = verifier.verify(caseFile);
        CaseWarnings.print(r.kase(), err);
        if (r.verdict() == Verdict.INVALID || !r.problem().isEmpty()) {
            err.println("convlab: " + Main.oneLine(r.problem()));
            err.flush();
            return r.verdict().exitCode;
        }
        for (int k = 0; k < r.layers().size(); k++) {
            if (!r.layers().get(k).layer().sumsProducts()) {
                err.println("convlab: " + caseFile + ": field '" + (r.layers().size() == 1 ? "op" : "layers[" + k + "].op") + "': "
                        + LessonModel.NO_POOLING);
                err.flush();
                return Main.INVALID;
            }
        }
        AtomicFiles.directory(out);
        Path page = out.resolve("index.html");
        LessonPage.write(LessonModel.of(r, Main.typed(spec)), page);
        o.printf(Locale.ROOT, "wrote %-40s %12s%n", page, Sizes.kb(Files.size(page)));
        o.println(VerifyCommand.line(r));
        o.println("open " + page);
        o.flush();
        return r.verdict().exitCode;
    }
}
