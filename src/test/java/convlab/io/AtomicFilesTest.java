package convlab.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interrupts and failed writes (issue 10, classes 8 and 9): no litter, the old report set intact, one-line messages. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void sigtermWhileTheReportIsWrittenLeavesNoTempFilesAndTheOldSetIntact() throws Exception {
        for (String f : List.of("report.json", "report.md", "report.html")) {
            Files.writeString(dir.resolve(f), "old " + f);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowWriter.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("writing");
            assertThat(names().stream().filter(n -> n.endsWith(".tmp")).count()).as("temp files while writing").isEqualTo(3);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(names()).containsExactly("report.html", "report.json", "report.md");
        assertThat(Files.readString(dir.resolve("report.json"))).isEqualTo("old report.json");
        assertThat(Files.readString(dir.resolve("report.md"))).isEqualTo("old report.md");
    }

    @Test
    void aFullDiskIsOneLineNamingTheFileAndNothingIsLeftBehind() throws Exception {
        Path target = dir.resolve("report.html");
        Throwable t = catchThrowable(() -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw new FileSystemException(target.toString(), null, "No space left on device");
        }));
        assertThat(t).isInstanceOf(AtomicFiles.OutputException.class)
                .hasMessage("cannot write " + target + ": No space left on device (" + target + ")");
        assertThat(names()).isEmpty();
        assertThat(AtomicFiles.live()).isEmpty();
    }

    @Test
    void aWriteSetMovesNothingUntilEveryFileIsComplete() throws Exception {
        Files.writeString(dir.resolve("a"), "old a");
        Throwable t = catchThrowable(() -> AtomicFiles.writeAll(Map.of(
                dir.resolve("a"), out -> out.write("new a".getBytes(StandardCharsets.UTF_8)),
                dir.resolve("b"), out -> {
                    throw new java.io.IOException("disk gone");
                })));
        assertThat(t).hasMessageContaining("disk gone");
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("old a");
        assertThat(names()).containsExactly("a");
    }

    @Test
    void anOutFolderThatIsAFileOrVirtualIsSaidInOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThat(catchThrowable(() -> AtomicFiles.directory(file))).hasMessage("cannot write " + file + ": " + file + " exists and is not a directory");
        assertThat(catchThrowable(() -> AtomicFiles.directory(Path.of("/proc/convlab/x")))).hasMessageStartingWith("cannot write /proc/convlab/x: ");
        assertThat(AtomicFiles.directory(dir.resolve("new/sub"))).isDirectory();
        assertThat(names()).containsExactly("f", "new");
    }
}
