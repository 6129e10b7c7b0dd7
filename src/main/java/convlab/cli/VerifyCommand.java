package convlab.cli;

import convlab.engine.Engine;
import convlab.engine.Engines;
import convlab.engine.LayerRun;
import convlab.io.CaseFiles;
import convlab.io.InvalidInputException;
import convlab.io.Npy;
import convlab.report.RunInfo;
import convlab.report.VerifyReport;
import convlab.verify.CaseResult;
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
        Verifier verifier = new Verifier(engines);
        List<CaseResult> results = new ArrayList<>();
        Map<String, List<byte[]>> figures = new LinkedHashMap<>();
        for (Path f : files) {
            CaseResult r = verifier.verify(f);
            results.add(r);
            if (r.verdict() == Verdict.INVALID) {
                err.println("convlab: " + r.problem());
            } else {
                writeOutputs(r, out.resolve(r.name()));
                if (!noFigures) {
                    figures.put(r.name(), CaseFigures.pngs(r));
                }
            }
            o.println(line(r));
        }
        VerifyReport report = new VerifyReport(runInfo(engines, spec.qualifiedName()), results, figures, Map.of());
        report.writeAll(out);
        o.println("wrote " + out.resolve("report.html") + ", report.md, report.json and outputs for " + results.size() + " case(s)");
        o.println("verdict: " + report.verdictText());
        o.flush();
        return report.verdict().exitCode;
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
    }

    /** One line per case: its verdict and, per layer, what each party said. */
    static String line(CaseResult r) {
        boolean nothing = r.verdict() != Verdict.INVALID && !r.compared();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-28s %-9s", r.name(), nothing ? "nothing compared" : r.verdict()));
        if (r.verdict() == Verdict.INVALID) {
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
                sb.append(" ").append(e.engine()).append(" ").append(e.status());
                if (e.vsReference() != null && !e.vsReference().agree()) {
                    sb.append(" (").append(e.vsReference().summary()).append(")");
                }
                sb.append(";");
            }
        }
        return sb.toString();
    }
}
