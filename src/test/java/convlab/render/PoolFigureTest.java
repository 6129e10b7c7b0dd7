package convlab.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.DType;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import convlab.core.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pooling window figure, checked by its caption and its pixels. */
class PoolFigureTest {

    @TempDir
    Path dir;

    /** 1..16 in a 4x4 channel, except 20 at (1, 0): the first window's winner. */
    static Tensor input() {
        return Tensor.fill(DType.FLOAT64, new int[] {1, 1, 4, 4}, i -> i[2] == 1 && i[3] == 0 ? 20 : i[2] * 4 + i[3] + 1);
    }

    @Test
    void theCaptionSaysWhichCellWonOrWhatTheDivisorWas() {
        PoolSpec spec = PoolSpec.of(Hw.of(2)).withPadding(Padding.symmetric(1));
        assertThat(PoolFigure.caption(input(), PoolLayer.max(spec), 0, 0, 1, 0))
                .isEqualTo("out[0][0][1][0] = max of 4 window cells = 20, from input row 1, column 0 (the first largest; padded cells hold -inf)");
        assertThat(PoolFigure.caption(input(), PoolLayer.average(spec), 0, 0, 0, 0))
                .isEqualTo("out[0][0][0][0] = 1 / 4 = 0.25 (the divisor counts input and padded cells; ceil-mode cells past the padding never count)");
        assertThat(PoolFigure.caption(input(), PoolLayer.average(spec.withCountIncludePad(false)), 0, 0, 0, 0)).startsWith("out[0][0][0][0] = 1 / 1 = 1 ");
    }

    @Test
    void theWinnerIsFramedInRedAndTheImageIsDeterministic() throws Exception {
        PoolLayer max = PoolLayer.max(PoolSpec.of(Hw.of(2)));
        BufferedImage a = PoolFigure.render(input(), max, 0, 0, 0, 0, 1.0);
        BufferedImage b = PoolFigure.render(input(), max, 0, 0, 0, 0, 1.0);
        int red = PoolFigure.MARK.getRGB();
        int redPixels = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                redPixels += a.getRGB(x, y) == red ? 1 : 0;
                assertThat(a.getRGB(x, y)).isEqualTo(b.getRGB(x, y));
            }
        }
        // the winner's 4-pixel frame and the output cell's are each about 4 * 34 * 4 pixels
        assertThat(redPixels).isGreaterThan(2 * 4 * 30 * 3);
        BufferedImage twice = PoolFigure.render(input(), max, 0, 0, 0, 0, 2.0);
        assertThat(twice.getWidth()).isCloseTo(2 * a.getWidth(), org.assertj.core.data.Offset.offset(1));
        Path file = dir.resolve("pool.png");
        PoolFigure.writePng(a, file);
        assertThat(ImageIO.read(file.toFile()).getWidth()).isEqualTo(a.getWidth());
        assertThat(Files.list(dir)).hasSize(1);
    }

    @Test
    void anOutputOutsideTheLayerIsRefused() {
        assertThatThrownBy(() -> PoolFigure.render(input(), PoolLayer.max(PoolSpec.of(Hw.of(2))), 0, 0, 2, 0, 1.0))
                .hasMessage("Expected an output index inside 1x1x2x2, but found [0, 0, 2, 0]");
    }

    @Test
    void aSmallInputsLabelsAndCaptionStayClearOfEachOtherAndOfTheEdge() {
        // A 4x4 input with a 2x2 window: panels narrower than their labels, and a caption wider than both.
        for (PoolLayer layer : new PoolLayer[] {PoolLayer.average(PoolSpec.of(Hw.of(2))), PoolLayer.max(PoolSpec.of(Hw.of(2)))}) {
            BufferedImage img = PoolFigure.render(input(), layer, 0, 0, 0, 0, 1.0);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = img.getWidth() - 6; x < img.getWidth(); x++) {
                    assertThat(img.getRGB(x, y) & 0xffffff).as("%s: pixel (%d, %d) in the right margin", layer.op(), x, y).isEqualTo(0xffffff);
                }
            }
        }
    }
}
