package convlab.cli;

import convlab.core.Op;
import convlab.engine.Engine;
import convlab.io.AtomicFiles;
import convlab.ops.Ops;
import convlab.report.RunInfo;
import convlab.report.SweepReport;
import convlab.verify.Sweep;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import convlab.verify.Outcome;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code convlab sweep --count N --seed S --out DIR}: random configurations through every engine. */
@Command(name = "sweep", mixinStandardHelpOptions = true, subcommands = SweepMergeCommand.class,
        description = {"Random configurations through every engine: which features each handles.", "",
                "Draws N random valid configurations, runs the reference and every engine on random data, and writes an",
                "engine x feature matrix (report.html, .md, .json, rewritten as results arrive) and disagreements and errors",
                "as case folders under DIR/failures/ that `convlab verify` reproduces, with a diagnosis.txt (at most 3 per",
                "feature; the rest are counted). Prints an estimate of the time after the first 20 configurations.", "",
                "Over many machines: run `sweep --shard K/N` for K = 1..N (the same other options, each its own --out), then "
                        + "`sweep merge DIR... --out DIR` writes the report the unsharded sweep writes."},
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

    /** The estimate is printed after this many configurations. */
    static final int ESTIMATE_AFTER = 20;
    static final long REPORT_EVERY_NANOS = 5_000_000_000L;

    /** 45 s, 12 min, 3.2 h. */
    static String duration(double seconds) {
        if (seconds < 90) {
            return String.format(Locale.ROOT, "%.0f s", Math.max(1, seconds));
        }
        return seconds < 5400 ? String.format(Locale.ROOT, "%.0f min", seconds / 60) : String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
    @Option(names = "--op", paramLabel = "OP", description = {"Which op's configurations: conv2d (default; every 4th a pooling layer), conv_transpose2d,",
            "max_pool2d or avg_pool2d (that pooling alone)."})
    String op = "conv2d";

    @Option(names = "--gradients", description = {"Check each configuration's backward pass too (dL/dx, dL/dw, dL/db from a random dL/dy",
            "drawn from --seed): one more column per engine, \"<engine> grad\"."})
    boolean gradients;

    @Option(names = "--shard", paramLabel = "K/N", description = "Run only the K-th of N slices of the configurations, K from 1 to N "
            + "(contiguous ranges of indices; `sweep merge` combines the N outputs). Default: 1/1, all of them.")
    String shard = "1/1";

    @Override
    public Integer call() {
        if (count < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--count: expected an int >= 1, but found " + count);
        }
        Op chosen = Op.parse(op.toLowerCase(java.util.Locale.ROOT));
        Sweep.Plan plan;
        try {
            plan = new Sweep.Plan(Ops.sweep(chosen), seed, count, gradients, Sweep.Shard.parse(shard));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--shard: " + e.getMessage());
        }
        PrintWriter o = spec.commandLine().getOut();
        AtomicFiles.directory(out);
        List<Engine> engines = engineOptions.engines();
        RunInfo info = VerifyCommand.runInfo(engines, spec.qualifiedName());
        long started = System.nanoTime();
        Sweep.Result result;
        int planned = plan.size();
        try (Progress bar = Progress.start("sweep", planned)) {
            IntConsumer progress = done -> {
                bar.stepTo(done);
                if (done == Math.min(planned, ESTIMATE_AFTER) && planned > done) {
                    double perCase = (System.nanoTime() - started) / 1e9 / done;
                    o.printf(Locale.ROOT, "estimated time: %s for %d configurations (%.1f ms each over the first %d)%n",
                            duration(perCase * planned), planned, perCase * 1e3, done);
                    o.flush();
                }
            };
            // The report is rewritten every few seconds as results arrive, so an interrupted sweep leaves one.
            result = Sweep.run(plan, engines, out, progress, partial -> new SweepReport(info, partial).writeAll(out), REPORT_EVERY_NANOS);
        }
        return summary(o, result, out);
    }

    /** Prints each engine's counts and where the failures and report are; the exit code: 1 when some engine disagreed. */
    static int summary(PrintWriter o, Sweep.Result result, Path out) {
        long disagreements = result.engines().stream().mapToLong(e -> result.count(e, "all", Outcome.DISAGREE)).sum();
        for (String e : result.engines()) {
            o.printf(Locale.ROOT, "%-17s agree %4d  disagree %4d  error %4d  unsupported %4d%n", e, result.count(e, "all", Outcome.AGREE),
                    result.count(e, "all", Outcome.DISAGREE), result.count(e, "all", Outcome.ERROR), result.count(e, "all", Outcome.UNSUPPORTED));
        }
        o.printf(Locale.ROOT, "%d configurations in %.1f s; %d failure folder(s) under %s%s; report: %s%n", result.count(), result.nanos() / 1e9,
                result.failures().size(), out.resolve("failures"),
                result.unwrittenTotal() == 0 ? "" : " and " + result.unwrittenTotal() + " more failure(s) counted without a folder (at most "
                        + Sweep.FOLDERS_PER_FEATURE + " per feature)", out.resolve("report.html"));
        o.flush();
        return disagreements > 0 ? Main.DISAGREE : Main.AGREE;
    }
}
