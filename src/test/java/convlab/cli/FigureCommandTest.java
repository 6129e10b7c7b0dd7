package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FigureCommandTest {

    @TempDir
    Path dir;

    @Test
    void drawsEveryLayerOfACaseAsPngAndSvg() throws Exception {
        Cli.Run r = Cli.run("figure", "data/golden/torch_two_layers/case.json", "--format", "png,svg",
                "--engines", "none", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        for (String f : new String[] {"torch_two_layers-layer1.png", "torch_two_layers-layer2.png", "torch_two_layers-layer1.svg"}) {
            assertThat(dir.resolve(f)).exists();
        }
        BufferedImage png = ImageIO.read(dir.resolve("torch_two_layers-layer1.png").toFile());
        assertThat(png.getWidth()).isGreaterThan(500);
        assertThat(Files.readString(dir.resolve("torch_two_layers-layer1.svg"))).contains("<svg").contains("kernel o=1 c=2");
    }

    /** --im2col: one matrix-product figure per conv2d layer, the second on the first layer's output. */
    @Test
    void im2colDrawsEachLayerAsAMatrixProduct() throws Exception {
        Cli.Run r = Cli.run("figure", "data/golden/torch_two_layers/case.json", "--im2col", "--engines", "none", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        for (int k = 1; k <= 2; k++) {
            Path file = dir.resolve("torch_two_layers-layer" + k + "-im2col.png");
            assertThat(r.out()).contains("wrote " + file);
            BufferedImage png = ImageIO.read(file.toFile());
            assertThat(png.getWidth()).isGreaterThan(400);
        }
    }

    @Test
    void anImageBecomesTheInputOfPresetKernels() throws Exception {
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 40; x++) {
            for (int y = 0; y < 20; y++) {
                img.setRGB(x, y, x < 20 ? 0xff0000 : 0x00ff00);
            }
        }
        Path photo = dir.resolve("photo.png");
        ImageIO.write(img, "png", photo.toFile());
        Cli.Run r = Cli.run("figure", "--image", photo.toString(), "--max-size", "16", "--presets", "sobel-x,box-blur",
                "--engines", "none", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(dir.resolve("photo-layer1.png")).exists();
        assertThat(r.out()).contains("photo");
    }

    @Test
    void theCommittedPhotoWithPaddingStrideAndModeMakesASlideOfExactlyItsSize() throws Exception {
        Cli.Run r = Cli.run("figure", "--image", "data/images/chelsea.png", "--max-size", "16", "--padding", "1", "--stride", "2",
                "--padding-mode", "reflect", "--size", "1280x720", "--engines", "none", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        BufferedImage png = ImageIO.read(dir.resolve("chelsea-layer1.png").toFile());
        assertThat(png.getWidth()).isEqualTo(1280);
        assertThat(png.getHeight()).isEqualTo(720);
        assertThat(png.getRGB(0, 0) & 0xffffff).as("centred on white").isEqualTo(0xffffff);
        Cli.Run both = Cli.run("figure", "--image", "data/images/chelsea.png", "--size", "1280x720", "--scale", "2",
                "--engines", "none", "--out", dir.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--size or --scale");
    }

    @Test
    void badOptionsGiveExitTwoAndOneLine() {
        Cli.Run fmt = Cli.run("figure", "data/golden/torch_classic/case.json", "--format", "gif", "--out", dir.toString());
        assertThat(fmt.exit()).isEqualTo(2);
        assertThat(fmt.err()).contains("expected png or svg");
        Cli.Run missing = Cli.run("figure", "no/case.json", "--out", dir.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no/case.json").doesNotContain("\tat ");
        Cli.Run preset = Cli.run("figure", "--image", "no.png", "--out", dir.toString());
        assertThat(preset.exit()).isEqualTo(2);
        assertThat(preset.err()).contains("no.png");
    }

    @Test
    void aMixedStackGetsConvFiguresAndPoolingWindowFiguresNamedByTheirLayer(@org.junit.jupiter.api.io.TempDir Path dir) {
        Cli.Run r = Cli.run("figure", "data/golden/torch_small_cnn/case.json", "--format", "png", "--engines", "none", "--out", dir.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("torch_small_cnn-layer1.png").contains("torch_small_cnn-layer2-pool.png")
                .contains("torch_small_cnn-layer3.png").contains("torch_small_cnn-layer4-pool.png");
        assertThat(dir.resolve("torch_small_cnn-layer4-pool.png")).isNotEmptyFile();
        assertThat(dir.resolve("torch_small_cnn-layer2.png")).doesNotExist();
    }

    @Test
    void networkDrawsTheWholeSmallCnnInOneFigure() throws Exception {
        Cli.Run r = Cli.run("figure", "data/golden/torch_small_cnn/case.json", "--network", "--format", "png,svg", "--scale", "2",
                "--engines", "none", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("torch_small_cnn-network.png").contains("torch_small_cnn-network.svg").contains("agree");
        assertThat(r.out()).doesNotContain("layer1.png");
        BufferedImage png = ImageIO.read(dir.resolve("torch_small_cnn-network.png").toFile());
        var c = convlab.io.CaseFiles.load(Path.of("data/golden/torch_small_cnn/case.json"));
        var figure = convlab.render.NetworkFigure.of(c.name(), c.input(), c.layerList(), 0);
        assertThat(png.getWidth()).isEqualTo(2 * figure.width());
        assertThat(Files.readString(dir.resolve("torch_small_cnn-network.svg"))).contains("layer 4: avg_pool2d");
        Cli.Run bad = Cli.run("figure", "data/golden/torch_small_cnn/case.json", "--network", "--size", "800x600", "--engines", "none",
                "--out", dir.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--network takes --scale, not --size");
        Path untouched = dir.resolve("never");
        assertThat(Cli.run("figure", "data/golden/torch_small_cnn/case.json", "--network", "--size", "800x600", "--engines", "none",
                "--out", untouched.toString()).exit()).isEqualTo(2);
        assertThat(untouched).as("a refused command writes nothing, not even its --out folder").doesNotExist();
    }
}
