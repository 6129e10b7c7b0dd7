package convlab.cli;

import convlab.core.Conv2dBackward;
import convlab.core.Gradients;
import convlab.core.Tensor;
import convlab.io.AtomicFiles;
import convlab.render.GradientFigure;
import convlab.core.Layout;
import convlab.core.WeightsLayout;
import convlab.engine.Engine;
import convlab.engine.Engines;
import convlab.engine.LayerRun;
import convlab.io.AtomicFiles;
import convlab.io.CaseFiles;
import convlab.io.CaseNames;
import convlab.io.InvalidInputException;
import convlab.io.Npy;
import convlab.report.CaseExtras;
import convlab.report.RunInfo;
import convlab.report.VerifyReport;
import convlab.verify.CaseResult;
import convlab.verify.GradientResult;
import convlab.verify.Verdict;
import convlab.verify.Verifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convlab verify PATH... --out DIR}: every case through the reference and every engine, compared. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check case files: the reference core and every engine, compared.", "",
                "Runs each case through the reference core and every engine, compares each with the reference and with the",
                "case's expected output, and writes the outputs (.npy) and report.json, report.md and report.html."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every case is valid and everything that produced numbers agrees", "1:something disagrees",
                "2:a case is invalid, the command line is wrong or an output cannot be written (the other cases still run)",
                "3:internal error: a bug in convlab (the trace goes to DIR/convlab-error.log; the other cases still run)"})
public final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Case files, or directories searched recursively for case.json and *.case.json.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write outputs and reports (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "verify");

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Option(names = "--no-figures", description = "Leave the per-layer figures out of report.html.")
    boolean noFigures;

    @Option(names = "--gradients", description = {"Check every case's backward pass too: dL/dx, dL/dw and dL/db of each layer, from the",
            "case's gradOutput or, without one, a random dL/dy drawn from --gradient-seed. (A case with gradOutput",
            "is checked either way.)"})
    boolean gradients;

    @Option(names = "--gradient-seed", paramLabel = "SEED", description = "Seed of the random dL/dy, uniform in [-1, 1) (default: ${DEFAULT-VALUE}).")
    long gradientSeed = 1;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> files;
        try {
            files = CaseFiles.find(paths);
        } catch (InvalidInputException e) {
            err.println("convlab: " + e.getMessage());
            return Main.INVALID;
        }
        if (files.isEmpty()) {
            err.println("convlab: no case files (case.json or *.case.json) found under " + paths);
            return Main.INVALID;
        }
        List<Engine> engines = engineOptions.engines();
        AtomicFiles.directory(out);
        Verifier verifier = gradients ? new Verifier(engines).withGradients(gradientSeed) : new Verifier(engines);
        List<CaseResult> results = new ArrayList<>();
        Map<String, CaseExtras> extras = new LinkedHashMap<>();
        Map<String, Path> taken = new LinkedHashMap<>();
        // Cases are verified on every core (an --engine-command starts a process per layer); their results are then
        // named, written and reported one at a time, in order.
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(files.size(), Runtime.getRuntime().availableProcessors()),
                r -> {
                    Thread t = new Thread(r, "convlab-verify");
                    t.setDaemon(true);
                    return t;
                });
        List<Future<CaseResult>> verified = new ArrayList<>();
        for (Path f : files) {
            verified.add(pool.submit(() -> verifyGuarded(verifier, f, out)));
        }
        pool.shutdown();
        for (int i = 0; i < files.size(); i++) {
            CaseResult r = finish(await(verified.get(i), files.get(i), out), files.get(i), taken, out);
            results.add(r);
            CaseWarnings.print(r.kase(), err);
            if (r.problem().isEmpty()) {
                if (!noFigures) {
                    CaseExtras x = figures(r, err);
                    extras.put(r.name(), r.gradients() == null ? x : x.withGradientFigures(gradientFigures(r, out.resolve(r.name()))));
                }
            } else {
                err.println("convlab: " + Main.oneLine(r.problem()));
                err.flush();
            }
            o.println(line(r));
            o.flush();
        }
        VerifyReport report = new VerifyReport(runInfo(engines, spec.qualifiedName()), results, extras);
        report.writeAll(out);
        o.println("wrote " + out.resolve("report.html") + ", report.md, report.json and outputs for " + results.size() + " case(s)");
        o.println("verdict: " + report.verdictText());
        o.flush();
        err.flush();
        return report.verdict().exitCode;
    }

    /**
     * One case, whatever goes wrong in it: invalid input and a taken name become an invalid result, a bug in convlab
     * an error result whose trace goes to {@code <out>/convlab-error.log}; only a failure to write outputs (a full
     * disk, no permission) stops the run, since nothing after it could be written either.
     */
    static CaseResult verifyOne(Verifier verifier, Path file, Map<String, Path> taken, Path out) {
        return finish(verifyGuarded(verifier, file, out), file, taken, out);
    }

    /** The verifier's result for one file; a bug in convlab becomes an error result whose trace is logged. */
    static CaseResult verifyGuarded(Verifier verifier, Path file, Path out) {
        try {
            return verifier.verify(file);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return CaseResult.error(CaseFiles.defaultName(file), file, internal(file + ": ", e, out));
        }
    }

    private static CaseResult await(Future<CaseResult> f, Path file, Path out) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CaseResult.error(CaseFiles.defaultName(file), file, file + ": interrupted");
        } catch (ExecutionException e) {
            return CaseResult.error(CaseFiles.defaultName(file), file, internal(file + ": ", e.getCause(), out));
        }
    }

    /** Checks the result's name against the run's and writes its outputs. */
    static CaseResult finish(CaseResult r, Path file, Map<String, Path> taken, Path out) {
        String name = r.name();
        try {
            if (r.verdict() == Verdict.INVALID || !r.problem().isEmpty()) {
                return r;
            }
            for (Map.Entry<String, Path> t : taken.entrySet()) {
                if (CaseNames.collide(t.getKey(), r.name())) {
                    return CaseResult.invalid(r.name(), file, file + ": field 'name': \"" + r.name() + "\" is already the name of "
                            + t.getValue() + " in this run; expected a name of its own (it names the output folder)");
                }
            }
            taken.put(r.name(), file);
            writeOutputs(r, out.resolve(r.name()));
            return r;
        } catch (AtomicFiles.OutputException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return CaseResult.error(name, file, internal(file + ": ", e, out));
        }
    }

    /** The one line an internal error gets; the trace goes to the error log. */
    static String internal(String where, Throwable e, Path out) {
        Path log = Main.writeTrace(e, out);
        return where + "internal error, a bug in convlab (" + Main.oneLine(String.valueOf(e)) + "); the full trace is in "
                + (log == null ? "no file (none could be written)" : log.toString());
    }

    /** The case's figures for the report; a layer that cannot be drawn, or whose drawing fails, gets a note instead. */
    private CaseExtras figures(CaseResult r, PrintWriter err) {
        CaseExtras x = CaseExtras.NONE;
        try {
            x = x.withFigures(CaseFigures.pngs(r));
            for (int k = 0; k < r.layers().size(); k++) {
                String why = CaseFigures.undrawable(r, k);
                if (why != null) {
                    x = x.withNote(new CaseExtras.Note(false, "No figure of layer " + (k + 1) + ": " + why));
                }
            }
        } catch (AtomicFiles.OutputException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            String line = internal(r.file() + ": figure: ", e, out);
            err.println("convlab: " + line);
            x = x.withNote(new CaseExtras.Note(true, "No figures: " + line));
        }
        return x;
    }

    /** The run's versions, date and engines, and the command that made it ({@code convlab demo}: the reports' title). */
    static RunInfo runInfo(List<Engine> engines, String command) {
        String frameworks = engines.isEmpty() ? "no framework engines run" : Engines.nd4jVersion();
        return new RunInfo(Main.version(), frameworks, System.getProperty("java.version"),
                ZonedDateTime.now().withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                engines.stream().map(e -> new RunInfo.EngineInfo(e.name(), e.description())).toList(), command);
    }

    /** {@code reference.npy} and one {@code <engine>.npy} per engine that produced numbers, in the case's layout. */
    static void writeOutputs(CaseResult r, Path dir) {
        for (CaseResult.LayerCheck l : r.layers()) {
            Path d = r.layers().size() == 1 ? dir : dir.resolve("layer" + (l.index() + 1));
            Npy.write(d.resolve("reference.npy"), r.kase().layout().fromNchw(l.reference().activated()));
            for (CaseResult.EngineCheck e : l.engines()) {
                if (e.run().status() == LayerRun.Status.OK) {
                    Npy.write(d.resolve(e.engine() + ".npy"), r.kase().layout().fromNchw(e.run().output()));
                }
            }
        }
        writeGradients(r, dir);
    }

    /**
     * {@code gradOutput.npy} (the dL/dy used) and, per layer, {@code gradInput/}, {@code gradWeights/} and
     * {@code gradBias/} each with {@code reference.npy} and one {@code <engine>.npy} per engine that produced
     * numbers: the input's gradient in the case's layout, the weights' in the layer's weights layout.
     */
    static void writeGradients(CaseResult r, Path dir) {
        GradientResult g = r.gradients();
        if (g == null) {
            return;
        }
        Layout layout = r.kase().layout();
        Npy.write(dir.resolve("gradOutput.npy"), layout.fromNchw(g.gradOutput()));
        for (GradientResult.LayerGradients l : g.layers()) {
            Path d = g.layers().size() == 1 ? dir : dir.resolve("layer" + (l.index() + 1));
            WeightsLayout wl = r.kase().layers().get(l.index()).weightsLayout();
            writeGradients(d, "reference", l.reference(), layout, wl);
            for (GradientResult.EngineGradients e : l.engines()) {
                if (e.run().status() == LayerRun.Status.OK) {
                    writeGradients(d, e.engine(), e.run().gradients(), layout, wl);
                }
            }
        }
    }

    private static void writeGradients(Path d, String who, Gradients g, Layout layout, WeightsLayout wl) {
        Npy.write(d.resolve("gradInput").resolve(who + ".npy"), layout.fromNchw(g.gradInput()));
        if (g.gradWeights() != null) {
            Npy.write(d.resolve("gradWeights").resolve(who + ".npy"), wl.fromOihw(g.gradWeights()));
        }
        if (g.gradBias() != null) {
            Npy.write(d.resolve("gradBias").resolve(who + ".npy"), g.gradBias());
        }
    }

    /**
     * Per layer, the heatmaps of delta, dL/dx, dL/dw and dL/db ({@link GradientFigure}) written as
     * {@code gradients.png} beside the layer's outputs; returns them for the report, one PNG per layer.
     */
    static List<byte[]> gradientFigures(CaseResult r, Path dir) {
        List<byte[]> pngs = new ArrayList<>();
        GradientResult g = r.gradients();
        for (GradientResult.LayerGradients l : g.layers()) {
            CaseResult.LayerCheck layer = r.layers().get(l.index());
            Tensor delta = Conv2dBackward.delta(layer.reference().preActivation(), layer.layer().activation(), g.gradOutputOf(l.index()));
            byte[] png = GradientFigure.png((r.layers().size() > 1 ? "Layer " + (l.index() + 1) + ": " : "") + "backward pass, sample 0 (reference)",
                    delta, l.reference());
            Path d = g.layers().size() == 1 ? dir : dir.resolve("layer" + (l.index() + 1));
            AtomicFiles.write(d.resolve("gradients.png"), o -> o.write(png));
            pngs.add(png);
        }
        return pngs;
    }

    /** One line per case: its verdict and, per layer, what each party said. */
    static String line(CaseResult r) {
        boolean nothing = r.verdict() != Verdict.INVALID && r.problem().isEmpty() && !r.compared();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %-9s", r.name(), nothing ? "nothing compared" : r.verdict()));
        if (!r.problem().isEmpty()) {
            return sb.toString().trim();
        }
        if (nothing && r.layers().stream().allMatch(l -> l.engines().isEmpty())) {
            return sb.append(" (no engine ran and no expected output: only the reference's numbers)").toString();
        }
        for (CaseResult.LayerCheck l : r.layers()) {
            if (r.layers().size() > 1) {
                sb.append(" [layer ").append(l.index() + 1).append("]");
            }
            if (l.referenceVsExpected() != null) {
                sb.append(" reference vs expected ").append(l.referenceVsExpected().summary()).append(";");
            }
            for (CaseResult.EngineCheck e : l.engines()) {
                sb.append(" ").append(e.engine()).append(" ").append(e.outcome().toString());
                if (e.vsReference() != null && !e.vsReference().agree()) {
                    sb.append(" (").append(e.vsReference().summary()).append(")");
                }
                sb.append(";");
            }
        }
        if (r.gradients() != null) {
            for (GradientResult.LayerGradients l : r.gradients().layers()) {
                sb.append(" [gradients").append(r.layers().size() > 1 ? " layer " + (l.index() + 1) : "").append("]");
                l.referenceVsExpected().forEach((k, c) -> {
                    if (!c.agree()) {
                        sb.append(" reference vs expected ").append(k).append(" ").append(c.summary()).append(";");
                    }
                });
                for (GradientResult.EngineGradients e : l.engines()) {
                    sb.append(" ").append(e.engine()).append(" ").append(e.status()).append(";");
                }
            }
        }
        return sb.toString();
    }
}
