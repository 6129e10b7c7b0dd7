package convlab.cli;

import convlab.core.Gradients;
import convlab.io.AtomicFiles;
import convlab.core.Layout;
import convlab.core.WeightsLayout;
import convlab.engine.Engine;
import convlab.engine.Engines;
import convlab.engine.LayerRun;
import convlab.io.CaseFiles;
import convlab.io.CaseNames;
import convlab.io.InvalidInputException;
import convlab.io.Npy;
import convlab.report.CaseExtras;
import convlab.report.FigureFile;
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
        if (!noFigures) {
            CaseFigures.warmUp();
        }
        List<Engine> engines = engineOptions.engines();
        AtomicFiles.directory(out);
        Verifier verifier = gradients ? new Verifier(engines).withGradients(gradientSeed) : new Verifier(engines);
        VerifyReport.Builder report = new VerifyReport.Builder(runInfo(engines, spec.qualifiedName()));
        Map<String, Path> taken = new LinkedHashMap<>();
        // Cases are verified and their figures drawn on every core (an --engine-command starts a process per layer);
        // each is then named, written and reported in order, and only its summary is kept. At most WINDOW cases per
        // thread are under way at once, so memory stays flat however many cases the run has.
        int threads = Math.min(files.size(), Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "convlab-verify");
            t.setDaemon(true);
            return t;
        });
        List<Future<Verified>> verified = new ArrayList<>(java.util.Collections.nCopies(files.size(), null));
        int submitted = 0;
        for (int i = 0; i < files.size(); i++) {
            for (; submitted < files.size() && submitted <= i + WINDOW * threads; submitted++) {
                Path f = files.get(submitted);
                verified.set(submitted, pool.submit(() -> verifyAndDraw(verifier, f, out)));
            }
            Verified v = await(verified.set(i, null), files.get(i), out);
            CaseResult r = finish(v.result(), files.get(i), taken, out);
            CaseWarnings.print(r.kase(), err);
            CaseExtras x = CaseExtras.NONE;
            if (r.problem().isEmpty()) {
                if (!noFigures) {
                    x = figures(r, v, err);
                    if (!v.gradientFigures().isEmpty()) {
                        x = x.withGradientFigures(CaseFigures.writeGradients(r, v.gradientFigures(), out.resolve(r.name())));
                    }
                }
            } else {
                err.println("convlab: " + Main.oneLine(r.problem()));
                err.flush();
            }
            report.add(r, x);
            o.println(line(r));
            o.flush();
        }
        pool.shutdown();
        int count = files.size();
        VerifyReport done = report.build();
        done.writeAll(out);
        o.println("wrote " + out.resolve("report.html") + ", report.md, report.json and outputs for " + count + " case(s)");
        o.println("verdict: " + done.verdictText());
        o.flush();
        err.flush();
        return done.verdict().exitCode;
    }

    /** Cases under way per thread: enough to keep every core busy while results are written in order. */
    private static final int WINDOW = 2;

    /**
     * A verified case and, unless figures are off or it has a problem, its figures and gradient figures encoded (or
     * why they failed), on the worker that verified it; the ordered writer only writes them.
     */
    private record Verified(CaseResult result, List<CaseFigures.Encoded> figures, List<CaseFigures.GradientPng> gradientFigures,
                            Throwable figureError) {
    }

    private Verified verifyAndDraw(Verifier verifier, Path file, Path out) {
        CaseResult r = verifyGuarded(verifier, file, out);
        if (noFigures || !r.problem().isEmpty()) {
            return new Verified(r, List.of(), List.of(), null);
        }
        try {
            return new Verified(r, CaseFigures.encode(r), CaseFigures.encodeGradients(r), null);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return new Verified(r, List.of(), List.of(), e);
        }
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

    private static Verified await(Future<Verified> f, Path file, Path out) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verified(CaseResult.error(CaseFiles.defaultName(file), file, file + ": interrupted"), List.of(), List.of(), null);
        } catch (ExecutionException e) {
            return new Verified(CaseResult.error(CaseFiles.defaultName(file), file, internal(file + ": ", e.getCause(), out)), List.of(), List.of(), null);
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

    /**
     * The case's figures for the report, written beside its outputs; a layer that cannot be drawn, or whose drawing
     * failed, gets a note instead.
     */
    private CaseExtras figures(CaseResult r, Verified v, PrintWriter err) {
        CaseExtras x = CaseExtras.NONE;
        if (v.figureError() != null) {
            String line = internal(r.file() + ": figure: ", v.figureError(), out);
            err.println("convlab: " + line);
            return x.withNote(new CaseExtras.Note(true, "No figures: " + line));
        }
        x = x.withFigures(CaseFigures.write(v.figures(), out.resolve(r.name())));
        for (int k = 0; k < r.layers().size(); k++) {
            String why = CaseFigures.missing(r, k);
            if (why != null) {
                x = x.withNote(new CaseExtras.Note(false, "No figure of layer " + (k + 1) + ": " + why));
            }
        }
        return x;
    }

    /** The run's versions, date and engines, and the command that made it ({@code convlab demo}: the reports' title). */
    static RunInfo runInfo(List<Engine> engines, String command) {
        String frameworks = Engines.needNd4j(engines) ? Engines.nd4jVersion() : "no ND4J or DL4J engine run"; // im2col and command engines alone never start ND4J
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
