package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.DType;
import convlab.core.Tensor;
import convlab.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnimateGradientsTest {

    @TempDir
    Path dir;

    Path twoLayers;
    Path poolOnly;

    /** conv2d (2 -> 2, 3x3, padding 1, relu) then max pooling; and a case of pooling alone. */
    @BeforeEach
    void writeCases() throws IOException {
        Random r = new Random(23);
        Npy.write(dir.resolve("input.npy"), random(r, 1, 2, 4, 4));
        Npy.write(dir.resolve("w1.npy"), random(r, 2, 2, 3, 3));
        Npy.write(dir.resolve("b1.npy"), random(r, 2));
        twoLayers = dir.resolve("two.case.json");
        Files.writeString(twoLayers, """
                {"name": "two", "input": "input.npy", "layers": [
                  {"weights": "w1.npy", "bias": "b1.npy", "padding": 1, "activation": "relu"},
                  {"op": "max_pool2d", "kernel": 2}
                ]}
                """);
        poolOnly = dir.resolve("pool.case.json");
        Files.writeString(poolOnly, """
                {"name": "pool", "input": "input.npy", "layers": [{"op": "avg_pool2d", "kernel": 2}]}
                """);
    }

    private static Tensor random(Random r, int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, i -> Math.round((r.nextDouble() * 2 - 1) * 100) / 100.0);
    }

    @Test
    void writesBothGradientGifsOfTheConvLayerAndSkipsThePooling() throws IOException {
        Path o = dir.resolve("out");
        Cli.Run run = Cli.run("animate", twoLayers.toString(), "--gradients", "both", "--filter", "1", "--frames", "--out", o.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("layer1-dw.gif (17 frames").contains("layer1-dx.gif (17 frames");
        assertThat(run.err()).contains("layer 2 (max_pool2d) skipped: gradient animations are drawn for conv2d layers only");
        assertThat(ImageIO.read(o.resolve("layer1-dw.gif").toFile())).isNotNull();
        try (var s = Files.list(o.resolve("layer1-dx-frames"))) {
            assertThat(s.count()).isEqualTo(17);
        }
        Cli.Run slide = Cli.run("animate", twoLayers.toString(), "--gradients", "dx", "--size", "1280x720", "--max-frames", "3",
                "--out", dir.resolve("slide").toString());
        assertThat(slide.exit()).as(slide.err()).isZero();
        assertThat(slide.out()).contains("layer1-dx.gif (3 frames, 1280x720");
    }

    @Test
    void refusesWhatItCannotDrawInOneLineAndWritesNothing() {
        Path o = dir.resolve("never");
        Cli.Run pool = Cli.run("animate", poolOnly.toString(), "--gradients", "dw", "--out", o.toString());
        assertThat(pool.exit()).isEqualTo(2);
        assertThat(pool.err().strip()).isEqualTo("convlab: Expected a conv2d layer for --gradients, but layer 1 (avg_pool2d) is not conv2d: "
                + "gradient animations are drawn for conv2d layers only");
        Cli.Run layer2 = Cli.run("animate", twoLayers.toString(), "--gradients", "dx", "--layer", "2", "--out", o.toString());
        assertThat(layer2.exit()).isEqualTo(2);
        assertThat(layer2.err()).contains("layer 2 (max_pool2d) is not conv2d");
        Cli.Run kind = Cli.run("animate", twoLayers.toString(), "--gradients", "db", "--out", o.toString());
        assertThat(kind.exit()).isEqualTo(2);
        assertThat(kind.err()).contains("Expected --gradients dw, dx or both, but found \"db\"");
        Cli.Run filter = Cli.run("animate", twoLayers.toString(), "--gradients", "dw", "--filter", "2", "--out", o.toString());
        assertThat(filter.exit()).isEqualTo(2);
        assertThat(filter.err()).contains("layer 1, --gradients dw: Expected --filter between 0 and 1");
        Cli.Run style = Cli.run("animate", twoLayers.toString(), "--gradients", "dw", "--style", "stack", "--out", o.toString());
        assertThat(style.exit()).isEqualTo(2);
        assertThat(style.err()).contains("Expected --gradients without --style");
        assertThat(Files.exists(o)).as("nothing written for a refused command").isFalse();
    }
}
