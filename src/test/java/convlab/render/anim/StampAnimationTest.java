package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import convlab.core.Activation;
import convlab.core.ConvTransposeLayer;
import convlab.core.ConvTransposeSpec;
import convlab.core.DType;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StampAnimationTest {

    @TempDir
    Path dir;

    static Tensor random(Random r, int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, i -> r.nextGaussian());
    }

    static ConvTransposeLayer layer(Random r) {
        ConvTransposeSpec spec = ConvTransposeSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.explicit(1, 0, 0, 1))
                .withOutputPadding(Hw.of(1)).withGroups(2).withActivation(Activation.RELU);
        return new ConvTransposeLayer(random(r, 4, 3, 3, 3), random(r, 6), spec);
    }

    @Test
    void theLastFramesCanvasIsTheReferenceOutputBeforeItsBias() {
        Random r = new Random(5);
        Tensor x = random(r, 2, 4, 3, 3);
        ConvTransposeLayer layer = layer(r);
        Tensor pre = layer.forward(x).preActivation();
        for (int oc : new int[] {0, 4}) {
            StampAnimation a = StampAnimation.of(x, layer, 1, oc, 100, "t");
            assertThat(a.frameCount()).isEqualTo(2 * 3 * 3 + 1); // Cg * H * W stamps, then the bias frame
            Tensor canvas = a.croppedCanvas(a.frameCount() - 1);
            for (int h = 0; h < canvas.dim(0); h++) {
                for (int w = 0; w < canvas.dim(1); w++) {
                    assertThat(canvas.get(h, w) + layer.bias(oc)).as("oc %d at (%d, %d)", oc, h, w).isCloseTo(pre.get(1, oc, h, w), within(1e-12));
                }
            }
        }
    }

    @Test
    void samplesFramesEvenlyAndStillAddsEveryStamp() {
        Random r = new Random(6);
        Tensor x = random(r, 1, 4, 3, 3);
        ConvTransposeLayer layer = layer(r);
        StampAnimation a = StampAnimation.of(x, layer, 0, 1, 5, "");
        assertThat(a.frameCount()).isEqualTo(5);
        assertThat(a.totalStamps()).isEqualTo(18);
        assertThat(a.croppedCanvas(3)).isEqualTo(a.croppedCanvas(4)); // every stamp is on the canvas before the bias frame
        assertThat(a.caption(0)).contains("stamps its kernel at rows").contains("(5 of 19 frames shown)");
        assertThat(a.caption(4)).contains("every stamp added; + bias").contains("relu");
        assertThatThrownBy(() -> StampAnimation.of(x, layer, 1, 0, 5, "")).hasMessageContaining("batch index in 0..0");
    }

    @Test
    void writesADecodableGifWhoseFramesDiffer() throws Exception {
        Random r = new Random(7);
        Tensor x = random(r, 1, 4, 2, 2);
        StampAnimation a = StampAnimation.of(x, layer(r), 0, 0, 50, "stamps");
        Path gif = dir.resolve("stamp.gif");
        long bytes = a.write(gif);
        assertThat(bytes).isEqualTo(Files.size(gif)).isGreaterThan(1000);
        BufferedImage first = ImageIO.read(gif.toFile());
        assertThat(first.getWidth()).isEqualTo(a.width());
        assertThat(first.getHeight()).isEqualTo(a.height());
        assertThat(GifFrames.read(gif).frames).hasSize(a.frameCount());
        BufferedImage f0 = a.render(0);
        BufferedImage f1 = a.render(1);
        boolean differ = false;
        for (int y = 0; y < f0.getHeight() && !differ; y++) {
            for (int xx = 0; xx < f0.getWidth() && !differ; xx++) {
                differ = f0.getRGB(xx, y) != f1.getRGB(xx, y);
            }
        }
        assertThat(differ).as("the second stamp changes the picture").isTrue();
    }

    @Test
    void everyCaptionStaysInsideTheFrameEvenOnASmallLayer() {
        // 1x1x3x3 input, one 3x3 kernel: the narrowest frame, whose last caption (bias, activation, crop) is its longest.
        Random r = new Random(31);
        ConvTransposeLayer small = new ConvTransposeLayer(random(r, 1, 1, 3, 3), null, ConvTransposeSpec.defaults());
        StampAnimation a = StampAnimation.of(random(r, 1, 1, 3, 3), small, 0, 0, 50, "small");
        for (int f : new int[] {0, a.frameCount() - 1}) {
            BufferedImage img = a.render(f);
            // Nothing is drawn in the right margin: a clipped caption would run into it.
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = img.getWidth() - 8; x < img.getWidth(); x++) {
                    assertThat(img.getRGB(x, y) & 0xffffff).as("frame %d, pixel (%d, %d), seed 31", f, x, y).isEqualTo(0xffffff);
                }
            }
        }
    }
}
