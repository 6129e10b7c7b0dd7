package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Check your own convolution": the examples in examples/ as --engine-command engines on the golden
 * cases. The two honest ones agree everywhere; the buggy one is caught, and the report names the padding side.
 */
class ExamplesTest {

    @TempDir
    Path dir;

    @Test
    void theNumpyExampleAgreesOnEveryGoldenCase() {
        Cli.Run r = Cli.run("verify", "data/golden", "--engines", "none", "--no-figures", "--out", dir.toString(),
                "--engine-command", "mine=python3 examples/my_conv.py");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("torch_classic").contains("mine agree").doesNotContain("mine error").doesNotContain("mine disagree");
    }

    @Test
    void thePlainJavaExampleAgrees() {
        Cli.Run r = Cli.run("verify", "data/golden/tf_same_stride2_odd", "data/golden/torch_reflect", "data/golden/torch_avgpool_ceil_include", "data/golden/torch_small_cnn", "data/golden/transpose", "--engines", "none", "--no-figures",
                "--out", dir.toString(), "--engine-command", "java-mine=java examples/MyConv.java");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("java-mine agree").doesNotContain("java-mine error");
    }

    @Test
    void theBuggyExampleIsCaughtAndTheProbeNamesThePaddingSide() throws Exception {
        Cli.Run r = Cli.run("verify", "data/golden/tf_same_stride2", "data/golden/torch_classic", "--engines", "none", "--no-figures",
                "--out", dir.toString(), "--engine-command", "buggy=python3 examples/my_conv_buggy.py");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("buggy disagree").contains("buggy agree"); // torch_classic has no padding to get wrong
        assertThat(Files.readString(dir.resolve("report.md")))
                .contains("probe: ").contains("so it puts the extra padding row on the top instead of the bottom");
        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"diagnosis\"");
    }
}
