package convlab.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.core.Unfold;
import java.awt.image.BufferedImage;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The im2col figure: its product is conv2d's, it outlines one row times one column, and it refuses what it cannot draw. */
class Im2colFigureTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 25);
    }

    /** On seeded layers (padding modes, strides, groups, batches), the drawn product is conv2d's, to the last bit or nearly. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theProductIsTheConvolution(long seed) {
        Random r = new Random(seed);
        int groups = 1 + r.nextInt(2), c = groups * (1 + r.nextInt(2)), k = 1 + r.nextInt(3), n = 1 + r.nextInt(2);
        Tensor x = Tensor.fill(DType.FLOAT64, new int[] {n, c, 3 + r.nextInt(4), 3 + r.nextInt(4)}, i -> r.nextGaussian());
        ConvSpec spec = ConvSpec.defaults().withGroups(groups).withStride(Hw.of(1 + r.nextInt(2))).withPadding(Padding.symmetric(r.nextInt(2)))
                .withPaddingMode(PaddingMode.values()[r.nextInt(4)]);
        ConvLayer layer = new ConvLayer(Tensor.fill(DType.FLOAT64, new int[] {2 * groups, c / groups, k, k}, i -> r.nextGaussian()),
                Tensor.fill(DType.FLOAT64, new int[] {2 * groups}, i -> r.nextGaussian()), spec);
        int item = n - 1;
        Tensor product = Unfold.product(x, layer, item);
        String line = Im2colFigure.check(x, layer, item, product);
        assertThat(line).as("seed %d", seed).startsWith("batch item " + item + ". Outlined: row 0 of W times column 0 of cols + b[0] = out[0][0] = "
                + Numbers.format(layer.forward(x).preActivation().get(item, 0, 0, 0)));
        double diff = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        assertThat(diff).as("seed %d: %s", seed, line).isLessThan(1e-12);
        BufferedImage img = Im2colFigure.render(x, layer, item, 1.0);
        int red = PoolFigure.MARK.getRGB(), redPixels = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int px = 0; px < img.getWidth(); px++) {
                redPixels += img.getRGB(px, y) == red ? 1 : 0;
            }
        }
        assertThat(redPixels).as("seed %d: the outlines", seed).isGreaterThan(0);
    }

    @Test
    void aLayerTooBigToDrawIsRefusedWithTheReason() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 1, 64, 56, 56);
        ConvLayer layer = new ConvLayer(Tensor.zeros(DType.FLOAT32, 64, 64, 3, 3), null, ConvSpec.defaults().withPadding(Padding.symmetric(1)));
        assertThat(Im2colFigure.tooBig(x, layer)).isEqualTo("its column matrix is 576 x 3136, more than the 600 rows plus columns the im2col figure"
                + " draws (explain --im2col prints its corner)");
        assertThatThrownBy(() -> Im2colFigure.render(x, layer, 0, 1.0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("576 x 3136");
    }
}
