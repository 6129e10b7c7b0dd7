package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.ConvLayer;
import convlab.core.Tensor;
import convlab.engine.Engine;
import convlab.engine.LayerRun;
import convlab.verify.CaseResult;
import convlab.verify.Verdict;
import convlab.verify.Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** verify against hostile cases (issue 10, classes 3, 4, 7, 8, 10, 11 and 14), through picocli in this JVM. */
class VerifyRobustnessTest {

    @TempDir
    Path dir;

    /** verify without engines or figures: what the name, batch and budget rules need, in milliseconds. */
    private static Cli.Run quick(Path in, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("verify", in.toString(), "--out", out.toString(), "--engines", "none", "--no-figures"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static void oneLinePerProblem(Cli.Run r, int problems) {
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(problems);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception in");
    }

    @Test
    void aCaseNamedDotDotWritesNothingOutsideOut() throws Exception {
        Path cases = dir.resolve("cases");
        CaseDirs.valid(Files.createDirectories(cases.resolve("evil")), "\"name\": \"..\"");
        CaseDirs.valid(Files.createDirectories(cases.resolve("good")), "");
        Path out = dir.resolve("work/out");
        Cli.Run r = quick(cases, out);
        assertThat(r.exit()).isEqualTo(2);
        oneLinePerProblem(r, 1);
        assertThat(r.err()).contains("field 'name'").contains("\"..\"");
        assertThat(CaseDirs.filesOutside(dir.resolve("work"), out)).isEmpty();
        assertThat(out.resolve("good/reference.npy")).exists();
        assertThat(out.resolve("reference.npy")).doesNotExist();
    }

    @Test
    void namesThatCollideWithTheReportOrAreTooLongOrTakenTwiceAreReportedNotOverwritten() throws Exception {
        Path cases = dir.resolve("cases");
        CaseDirs.valid(Files.createDirectories(cases.resolve("a")), "\"name\": \"report.html\"");
        CaseDirs.valid(Files.createDirectories(cases.resolve("b")), "\"name\": \"" + "x".repeat(5000) + "\"");
        CaseDirs.valid(Files.createDirectories(cases.resolve("c")), "\"name\": \"same\", \"stride\": 1");
        CaseDirs.valid(Files.createDirectories(cases.resolve("d")), "\"name\": \"SAME\", \"stride\": 2");
        Path out = dir.resolve("out");
        Cli.Run r = quick(cases, out);
        assertThat(r.exit()).isEqualTo(2);
        oneLinePerProblem(r, 3);
        assertThat(r.err()).contains("the report writes those").contains("1 to 100 characters")
                .contains("\"SAME\" is already the name of " + cases.resolve("c/case.json"));
        assertThat(out.resolve("report.html")).isRegularFile();
        assertThat(Files.readString(out.resolve("report.json"))).contains("\"invalid\" : 3").contains("\"agree\" : 1");
        // The first "same" keeps its stride-1 output (3x3), not the stride-2 one (2x2).
        assertThat(convlab.io.Npy.read(out.resolve("same/reference.npy")).shape()).containsExactly(1, 3, 3, 3);
    }

    @Test
    void oneBadCaseNeverStopsTheBatchAndTheReportIsAlwaysWritten() throws Exception {
        Path cases = dir.resolve("cases");
        Path badNpy = Files.createDirectories(cases.resolve("a-bad-descr"));
        CaseDirs.valid(badNpy, "");
        Files.write(badNpy.resolve("x.npy"), convlab.io.NpyHostileBytes.npy("{'descr': '', 'fortran_order': False, 'shape': (1, 2, 5, 5), }", new byte[400]));
        // H = 0 with padding 1: a valid case with an output of 2x5 rows, whose input cannot be drawn.
        CaseDirs.write(Files.createDirectories(cases.resolve("b-h0")), new int[] {1, 2, 0, 5}, new int[] {3, 2, 1, 1}, "\"padding\": 1");
        CaseDirs.valid(Files.createDirectories(cases.resolve("c-good")), "");
        Path out = dir.resolve("out");
        Cli.Run r = Cli.run("verify", cases.toString(), "--out", out.toString(), "--engines", "none");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        oneLinePerProblem(r, 1);
        assertThat(r.err()).contains("a-bad-descr").contains("'descr'");
        assertThat(r.out()).contains("b-h0                         nothing compared").contains("c-good                       nothing compared");
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("No figure of layer 1").contains("field &#39;input&#39;".replace("&#39;", "'")).contains("1x2x0x5");
        assertThat(convlab.io.Npy.read(out.resolve("b-h0/reference.npy")).shape()).containsExactly(1, 3, 2, 7);
    }

    /** An engine with a bug: it throws, which no real engine (GuardedEngine) may do. */
    static final class ThrowingEngine implements Engine {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public String description() {
            return "throws";
        }

        @Override
        public List<LayerRun> run(Tensor input, List<? extends convlab.core.Layer> layers) {
            throw new IllegalStateException("boom in the engine");
        }
    }

    @Test
    void anUnexpectedExceptionInOneCaseIsRecordedAgainstItWithItsTraceLogged() throws Exception {
        Path out = dir.resolve("out");
        Path file = CaseDirs.valid(Files.createDirectories(dir.resolve("c")), "");
        CaseResult r = VerifyCommand.verifyOne(new Verifier(List.of(new ThrowingEngine())), file, new LinkedHashMap<>(), out);
        assertThat(r.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(r.problem()).contains(file.toString()).contains("a bug in convlab").contains("boom in the engine")
                .contains(out.resolve(Main.ERROR_LOG).toString()).doesNotContain("\n");
        assertThat(Files.readString(out.resolve(Main.ERROR_LOG))).contains("IllegalStateException: boom in the engine").contains("\tat ");
        assertThat(Verdict.ERROR.exitCode).isEqualTo(3);
    }

    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @CommandLine.Option(names = "--out")
        Path out;

        @CommandLine.Option(names = "--error")
        boolean error;

        @Override
        public Integer call() {
            if (error) {
                throw new StackOverflowError("deep");
            }
            throw new NullPointerException("a bug");
        }
    }

    @Test
    void aBugAnywhereIsExitThreeWithOneLineAndTheTraceInTheOutFolder() throws Exception {
        for (String flag : List.of("--out", "--error")) {
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine cl = Main.commandLine().addSubcommand(new Boom());
            cl.setErr(new java.io.PrintWriter(err)).setOut(new java.io.PrintWriter(new java.io.StringWriter()));
            int exit = flag.equals("--out") ? cl.execute("boom", "--out", dir.toString()) : cl.execute("boom", "--out", dir.toString(), "--error");
            assertThat(exit).isEqualTo(3);
            assertThat(err.toString().strip().lines()).hasSize(1);
            assertThat(err.toString()).contains("a bug in convlab").contains(dir.resolve(Main.ERROR_LOG).toString()).doesNotContain("\tat ");
        }
        assertThat(Files.readString(dir.resolve(Main.ERROR_LOG))).contains("NullPointerException: a bug").contains("StackOverflowError: deep");
        // Without --out the trace goes to a temporary file, still one line.
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = Main.commandLine().addSubcommand(new Boom()).setErr(new java.io.PrintWriter(err));
        assertThat(cl.execute("boom")).isEqualTo(3);
        assertThat(err.toString()).contains("convlab-error-").contains(".log");
    }

    @Test
    void outputsThatCannotBeWrittenAreOneLineAndExitTwoForEveryCommand() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        Path kase = CaseDirs.valid(Files.createDirectories(dir.resolve("c")), "");
        for (Path out : List.of(file, file.resolve("below"), Path.of("/proc/convlab-test/x"))) {
            List<List<String>> commands = List.of(
                    List.of("verify", kase.toString(), "--engines", "none", "--no-figures"),
                    List.of("demo", "--engines", "none"),
                    List.of("figure", kase.toString(), "--engines", "none"),
                    List.of("sweep", "--count", "2", "--engines", "none"),
                    List.of("animate", kase.toString()));
            for (List<String> command : commands) {
                List<String> args = new java.util.ArrayList<>(command);
                args.addAll(List.of("--out", out.toString()));
                Cli.Run r = Cli.run(args.toArray(String[]::new));
                assertThat(r.exit()).as("%s: %s%s", args, r.out(), r.err()).isEqualTo(2);
                oneLinePerProblem(r, 1);
                assertThat(r.err()).as(String.join(" ", args)).contains("cannot write " + out);
            }
        }
        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }

    @Test
    void tinyFilesThatAskForHugeTensorsAreRefusedNamingTheSize() throws Exception {
        Path a = CaseDirs.write(Files.createDirectories(dir.resolve("pad20000")), new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, "\"padding\": 20000");
        Path b = CaseDirs.write(Files.createDirectories(dir.resolve("padw")), new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1},
                "\"padding\": [0, 0, 1073741823, 1073741823]");
        for (Path kase : List.of(a, b)) {
            long t = System.nanoTime();
            Cli.Run r = quick(kase, dir.resolve("out"));
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            oneLinePerProblem(r, 1);
            assertThat(r.err()).contains(kase.toString()).contains("field 'padding'").contains("size budget").contains("--max-elements");
            assertThat(System.nanoTime() - t).as("refused before allocating").isLessThan(5_000_000_000L);
        }
        Cli.Run raised = quick(a, dir.resolve("out"), "--max-elements", "10");
        assertThat(raised.err()).contains("budget of 10 elements");
        Cli.Run small = quick(CaseDirs.valid(Files.createDirectories(dir.resolve("ok")), ""), dir.resolve("out"));
        assertThat(small.exit()).as("the default budget is back after a run that lowered it: " + small.err()).isZero();
    }

    @Test
    void aHugePngIsRefusedFromItsHeaderBeforeDecoding() throws Exception {
        Path png = Files.write(dir.resolve("huge.png"), HugePng.bytes(20000, 20000));
        Path kase = Files.createDirectories(dir.resolve("img"));
        CaseDirs.valid(kase, "");
        Files.writeString(kase.resolve("case.json"), "{\"input\": \"../huge.png\", \"weights\": \"preset:sobel-x\"}");
        Cli.Run r = quick(kase, dir.resolve("out"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("huge.png").contains("20000x20000 pixels").contains("size budget");
        Cli.Run f = Cli.run("figure", "--image", png.toString(), "--max-size", "0", "--engines", "none", "--out", dir.resolve("fig").toString());
        assertThat(f.exit()).isEqualTo(2);
        oneLinePerProblem(f, 1);
        assertThat(f.err()).contains("size budget").contains("--max-size");
    }

    @Test
    void anEmptyFigureNamesTheFileAndTheField() throws Exception {
        Path kase = CaseDirs.write(Files.createDirectories(dir.resolve("h0")), new int[] {1, 2, 0, 5}, new int[] {3, 2, 1, 1}, "\"padding\": 1");
        Cli.Run r = Cli.run("figure", kase.toString(), "--engines", "none", "--out", dir.resolve("fig").toString());
        assertThat(r.exit()).isEqualTo(2);
        oneLinePerProblem(r, 1);
        assertThat(r.err()).contains(kase.toString()).contains("field 'input'").contains("1x2x0x5");
    }

    @Test
    void anUnreadableDirectoryInTheCaseTreeIsOneLineAndExitTwo() throws Exception {
        Path cases = Files.createDirectories(dir.resolve("tree"));
        CaseDirs.valid(Files.createDirectories(cases.resolve("good")), "");
        Path locked = Files.createDirectories(cases.resolve("locked"));
        Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "running as root: permissions do not lock a directory");
            Cli.Run r = quick(cases, dir.resolve("out"));
            assertThat(r.exit()).isEqualTo(2);
            oneLinePerProblem(r, 1);
            assertThat(r.err()).contains(locked.toString()).contains("permission denied");
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
