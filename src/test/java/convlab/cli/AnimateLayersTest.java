package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code animate} on stacks mixing ops: conv2d panels, a stamp animation per conv_transpose2d layer, a window per pooling layer. */
class AnimateLayersTest {

    @TempDir
    Path dir;

    @Test
    void aStackMixingOpsAnimatesEachLayerItsOwnWay() throws Exception {
        Cli.Run r = Cli.run("animate", "data/golden/transpose/torch_convt_two_layers/case.json", "--out", dir.toString(), "--max-frames", "12");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("layer1-panels.gif").contains("layer2-stamp.gif (12 frames").contains("output channel 0, 64 stamps");
        assertThat(Files.size(dir.resolve("layer2-stamp.gif"))).isGreaterThan(1000);
        assertThat(dir.resolve("layer1-panels.gif")).exists();
    }

    @Test
    void layerSelectsOneAndOutOfRangeIsRejected() {
        Cli.Run only = Cli.run("animate", "data/golden/transpose/torch_convt_two_layers/case.json", "--out", dir.toString(), "--layer", "2",
                "--max-frames", "4");
        assertThat(only.exit()).as(only.err()).isZero();
        assertThat(only.out()).doesNotContain("layer1").contains("layer2-stamp.gif (4 frames");
        Cli.Run bad = Cli.run("animate", "data/golden/transpose/torch_convt_two_layers/case.json", "--out", dir.toString(), "--layer", "3");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("Expected --layer between 1 and 2");
    }

    @Test
    void aSmallCnnAnimatesItsPoolingLayersToo() throws Exception {
        Cli.Run r = Cli.run("animate", "data/golden/torch_small_cnn/case.json", "--out", dir.toString(), "--max-frames", "6");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("layer1-panels.gif").contains("layer2-pool.gif (6 frames").contains("144 windows")
                .contains("layer3-panels.gif").contains("layer4-pool.gif (6 frames").contains("12 windows");
        for (String gif : new String[] {"layer1-panels.gif", "layer2-pool.gif", "layer3-panels.gif", "layer4-pool.gif"}) {
            assertThat(Files.size(dir.resolve(gif))).as(gif).isGreaterThan(1000);
        }
    }

    @Test
    void networkWalksTheWholeStackInOneGif() throws Exception {
        Cli.Run r = Cli.run("animate", "data/golden/torch_small_cnn/case.json", "--network", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("torch_small_cnn-network.gif (16 frames").doesNotContain("layer1");
        java.awt.image.BufferedImage first = javax.imageio.ImageIO.read(dir.resolve("torch_small_cnn-network.gif").toFile());
        assertThat(first.getWidth()).isGreaterThan(800);
    }
}
