package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The teaching half of convlab works on a machine where ND4J's native libraries are missing (a platform the pom has
 * no native build for): each test runs {@code convlab.cli.Main} in a fresh JVM whose class path is this one's minus
 * every platform-classified jar (nd4j-native's, openblas's and javacpp's natives). {@code explain}, {@code figure
 * --engines none} and {@code animate} never start ND4J (its factory class is never loaded); {@code verify} still
 * checks the reference against the expected output and reports each ND4J/DL4J engine as an error saying why ND4J did
 * not start, while the pure-Java {@code im2col} engine still runs and agrees.
 */
class WithoutNativesTest {

    /** A jar with a platform classifier: {@code nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar}, ... */
    private static final Pattern NATIVE_JAR = Pattern.compile(".*-(linux|macosx|windows|android|ios)-[^" + Pattern.quote(File.separator) + "]*\\.jar");
    private static final String ND4J_FACTORY = "org.nd4j.linalg.factory.Nd4j";
    private static final String CASE = "data/golden/torch_classic/case.json";

    private static String classPath;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err, String loadedClasses) {
    }

    @BeforeAll
    static void classPathWithoutNatives() {
        List<String> all = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> kept = all.stream().filter(p -> !NATIVE_JAR.matcher(p).matches()).toList();
        assertThat(all.size() - kept.size()).as("native jars left out of %s", all).isGreaterThanOrEqualTo(3);
        classPath = String.join(File.pathSeparator, kept);
    }

    @Test
    void explainNeverStartsNd4j() throws Exception {
        Run r = run("explain", "--input", "3x8x8", "--filters", "2", "--kernel", "3");
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("Output shape: 1x2x6x6 (NCHW)");
        assertThat(r.loadedClasses()).doesNotContain(ND4J_FACTORY + " ");
    }

    @Test
    void figureWithoutEnginesNeverStartsNd4j() throws Exception {
        assertWritesWithoutNd4j(".png", "figure", CASE, "--engines", "none", "--format", "png");
    }

    @Test
    void animateNeverStartsNd4j() throws Exception {
        assertWritesWithoutNd4j(".gif", "animate", CASE);
    }

    /** The command, given {@code --out}, exits 0, writes a file ending in {@code extension} and never loads ND4J. */
    private void assertWritesWithoutNd4j(String extension, String... args) throws Exception {
        Path out = dir.resolve(args[0]);
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--out", out.toString()));
        Run r = run(command.toArray(String[]::new));
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isZero();
        assertThat(filesUnder(out)).anyMatch(p -> p.toString().endsWith(extension));
        assertThat(r.loadedClasses()).doesNotContain(ND4J_FACTORY + " ");
    }

    @Test
    void verifyReportsTheEnginesUnavailableAndStillChecksTheReference() throws Exception {
        Path out = dir.resolve("verify");
        Run r = run("verify", CASE, "--no-figures", "--out", out.toString());
        assertThat(r.exit()).as("exit code (the reference and im2col agree; the ND4J engines produced no numbers); stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("reference vs expected OK", "nd4j error", "nd4j-onednn error", "dl4j error", "im2col agree");
        String report = Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8);
        assertThat(report).contains("ND4J 1.0.0-M2.1 did not start: ", "| nd4j | error | ND4J did not start: ");
        assertThat(r.loadedClasses()).as("the class log sees ND4J when it is started").contains(ND4J_FACTORY + " ");
    }

    /** {@code verify --engines im2col} cross-checks with convlab's own engine and never loads ND4J, report included. */
    @Test
    void verifyWithIm2colAloneNeverStartsNd4j() throws Exception {
        Path out = dir.resolve("verify-im2col");
        Run r = run("verify", CASE, "--engines", "im2col", "--gradients", "--no-figures", "--out", out.toString());
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("im2col agree");
        assertThat(Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8)).contains("no ND4J or DL4J engine run");
        assertThat(r.loadedClasses()).doesNotContain(ND4J_FACTORY + " ");
    }

    /** Runs the command line in a fresh JVM without the native jars, logging which classes it loaded. */
    private Run run(String... args) throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Path classLog = Files.createTempFile(dir, "classes", ".log");
        List<String> command = new ArrayList<>(List.of(java, "-Djava.awt.headless=true",
                "-Xlog:class+load=info:file=" + classLog, "-cp", classPath, Main.class.getName()));
        command.addAll(List.of(args));
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("convlab %s finished", String.join(" ", args)).isTrue();
        return new Run(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8),
                Files.readString(classLog, StandardCharsets.UTF_8));
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }
}
