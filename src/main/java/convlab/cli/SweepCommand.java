package convlab.cli;

import convlab.engine.Engine;
import convlab.report.SweepReport;
import convlab.verify.Sweep;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code convlab sweep --count N --seed S --out DIR}: random configurations through every engine. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Random configurations through every engine: which features each handles.", "",
                "Draws N random valid configurations, runs the reference and every engine on random data, and writes an",
                "engine x feature matrix (report.html, .md, .json) and every disagreement or error as a case folder under",
                "DIR/failures/ that `convlab verify` reproduces, with a diagnosis.txt."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every engine agreed wherever it produced numbers", "1:some engine disagreed", "2:invalid command line"})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--count", description = "How many configurations (default: ${DEFAULT-VALUE}).")
    int count = 1000;

    @Option(names = "--seed", description = "Seed; the same seed gives the same configurations (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the report and failures (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "sweep");

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Override
    public Integer call() {
        if (count < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--count: expected an int >= 1, but found " + count);
        }
        PrintWriter o = spec.commandLine().getOut();
        List<Engine> engines = engineOptions.engines();
        Sweep.Result result;
        try (Progress bar = Progress.start("sweep", count)) {
            result = Sweep.run(seed, count, engines, out, bar::stepTo);
        }
        new SweepReport(VerifyCommand.runInfo(engines, spec.qualifiedName()), result).writeAll(out);
        long disagreements = result.failures().stream().filter(f -> f.engines().values().stream().anyMatch(s -> s.startsWith("disagree"))).count();
        for (String e : result.engines()) {
            var all = result.matrix().get(e).get("all");
            o.printf(Locale.ROOT, "%-12s agree %4d  disagree %4d  error %4d  unsupported %4d%n", e, all.get("agree"), all.get("disagree"), all.get("error"), all.get("unsupported"));
        }
        o.printf(Locale.ROOT, "%d configurations in %.1f s; %d failure folder(s) under %s; report: %s%n", count, result.nanos() / 1e9,
                result.failures().size(), out.resolve("failures"), out.resolve("report.html"));
        o.flush();
        return disagreements > 0 ? Main.DISAGREE : Main.AGREE;
    }
}
