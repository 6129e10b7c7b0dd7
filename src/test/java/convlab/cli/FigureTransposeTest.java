package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.DType;
import convlab.core.Tensor;
import convlab.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code figure} on a case whose layers are not all conv2d: the conv2d layers keep their numbers; the others are named. */
class FigureTransposeTest {

    @TempDir
    Path dir;

    @Test
    void aConv2dAfterATransposeIsDrawnAsLayer2AndTheTransposeIsNamed() throws Exception {
        Npy.write(dir.resolve("x.npy"), Tensor.fill(DType.FLOAT64, new int[] {1, 2, 3, 3}, i -> i[1] + i[2] * 0.1 - i[3] * 0.2));
        Npy.write(dir.resolve("wt.npy"), Tensor.fill(DType.FLOAT64, new int[] {2, 2, 2, 2}, i -> 1 + i[0] - i[3]));
        Npy.write(dir.resolve("wc.npy"), Tensor.fill(DType.FLOAT64, new int[] {1, 2, 3, 3}, i -> i[2] - i[3]));
        Path c = dir.resolve("mixed.case.json");
        Files.writeString(c, """
                {"input": "x.npy", "layers": [{"op": "conv_transpose2d", "weights": "wt.npy"}, {"weights": "wc.npy"}]}
                """);
        Path out = dir.resolve("out");
        Cli.Run r = Cli.run("figure", c.toString(), "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("convlab: layer 1 is conv_transpose2d, which figure does not draw yet (animate does)");
        assertThat(out.resolve("mixed-layer2.png")).exists();
        assertThat(out.resolve("mixed-layer1.png")).doesNotExist();
        Cli.Run only = Cli.run("figure", c.toString(), "--out", dir.resolve("only").toString(), "--layer", "2");
        assertThat(only.err()).doesNotContain("layer 1 is");
        assertThat(dir.resolve("only").resolve("mixed-layer2.png")).exists();
    }
}
