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
import convlab.io.CaseFiles;
import convlab.io.InvalidInputException;
import convlab.io.Npy;
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
                "2:a case is invalid or the command line is wrong (the other cases still run)"})
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
        Verifier verifier = gradients ? new Verifier(engines).withGradients(gradientSeed) : new Verifier(engines);
        List<CaseResult> results = new ArrayList<>();
        Map<String, List<byte[]>> figures = new LinkedHashMap<>();
        Map<String, String> gradientFigures = new LinkedHashMap<>();
        for (Path f : files) {
            CaseResult r = verifier.verify(f);
            results.add(r);
            if (r.verdict() == Verdict.INVALID) {
                err.println("convlab: " + r.problem());
            } else {
                writeOutputs(r, out.resolve(r.name()));
                if (!noFigures) {
                    figures.put(r.name(), CaseFigures.pngs(r));
                    if (r.gradients() != null) {
                        gradientFigures.put(r.name(), gradientFigures(r, out.resolve(r.name())));
                    }
                }
            }
            o.println(line(r));
        }
        VerifyReport report = new VerifyReport(runInfo(engines), results, figures, gradientFigures);
        report.writeAll(out);
        o.println("wrote " + out.resolve("report.html") + ", report.md, report.json and outputs for " + results.size() + " case(s)");
        o.println("verdict: " + report.verdict());
        o.flush();
        return report.verdict().exitCode;
    }

    static RunInfo runInfo(List<Engine> engines) {
        String frameworks = engines.isEmpty() ? "no framework engines run" : Engines.nd4jVersion();
        return new RunInfo(Main.version(), frameworks, System.getProperty("java.version"),
                ZonedDateTime.now().withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                engines.stream().map(e -> new RunInfo.EngineInfo(e.name(), e.description())).toList());
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
     * {@code gradients.png} beside the layer's outputs; returns them as an HTML fragment for the report.
     */
    static String gradientFigures(CaseResult r, Path dir) {
        StringBuilder h = new StringBuilder("<h3>Gradient heatmaps</h3>\n");
        GradientResult g = r.gradients();
        for (GradientResult.LayerGradients l : g.layers()) {
            CaseResult.LayerCheck layer = r.layers().get(l.index());
            Tensor delta = Conv2dBackward.delta(layer.reference().preActivation(), layer.layer().activation(), g.gradOutputOf(l.index()));
            byte[] png = GradientFigure.png((r.layers().size() > 1 ? "Layer " + (l.index() + 1) + ": " : "") + "backward pass, sample 0 (reference)",
                    delta, l.reference());
            Path d = g.layers().size() == 1 ? dir : dir.resolve("layer" + (l.index() + 1));
            AtomicFiles.write(d.resolve("gradients.png"), o -> o.write(png));
            h.append("<div class=\"figwrap\"><img class=\"figure\" alt=\"gradient heatmaps of layer ").append(l.index() + 1)
                    .append("\" src=\"data:image/png;base64,").append(java.util.Base64.getEncoder().encodeToString(png)).append("\"></div>\n");
        }
        return h.toString();
    }

    /** One line per case: its verdict and, per layer, what each party said. */
    static String line(CaseResult r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %-9s", r.name(), r.verdict()));
        if (r.verdict() == Verdict.INVALID) {
            return sb.toString().trim();
        }
        for (CaseResult.LayerCheck l : r.layers()) {
            if (r.layers().size() > 1) {
                sb.append(" [layer ").append(l.index() + 1).append("]");
            }
            if (l.referenceVsExpected() != null) {
                sb.append(" reference vs expected ").append(l.referenceVsExpected().summary()).append(";");
            }
            for (CaseResult.EngineCheck e : l.engines()) {
                sb.append(" ").append(e.engine()).append(" ").append(e.status());
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
