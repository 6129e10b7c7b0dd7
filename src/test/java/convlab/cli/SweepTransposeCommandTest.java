package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sweep --op conv_transpose2d}. */
class SweepTransposeCommandTest {

    @TempDir
    Path dir;

    @Test
    void sweepsTransposedConfigurationsAndReportsTheirFeatures() throws Exception {
        Cli.Run r = Cli.run("sweep", "--op", "conv_transpose2d", "--count", "20", "--seed", "3", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isIn(0, 1);
        assertThat(r.out()).contains("20 configurations in");
        assertThat(Files.readString(dir.resolve("report.md"))).contains("| output padding |").contains("| same, stride outruns the kernel |")
                .doesNotContain("| padding reflect |");
        Cli.Run bad = Cli.run("sweep", "--op", "pool", "--count", "2", "--out", dir.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("expected one of conv2d, conv_transpose2d");
    }
}
