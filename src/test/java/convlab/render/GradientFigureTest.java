package convlab.render;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Backward;
import convlab.core.Conv2dBackward;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Gradients;
import convlab.core.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class GradientFigureTest {

    @Test
    void drawsEveryBandInTheDivergingColoursAndIsDeterministic() throws Exception {
        Random r = new Random(5);
        Tensor x = Tensor.fill(DType.FLOAT64, new int[] {2, 2, 5, 5}, i -> r.nextDouble() * 2 - 1);
        ConvLayer layer = new ConvLayer(Tensor.fill(DType.FLOAT64, new int[] {3, 2, 3, 3}, i -> r.nextDouble() * 2 - 1),
                Tensor.fill(DType.FLOAT64, new int[] {3}, i -> r.nextDouble()), ConvSpec.defaults());
        Tensor dy = Tensor.fill(DType.FLOAT64, new int[] {2, 3, 3, 3}, i -> r.nextDouble() * 2 - 1);
        Gradients g = Backward.all(x, List.of(layer), dy).get(0);
        Tensor delta = Conv2dBackward.delta(layer.forward(x).preActivation(), layer.activation(), dy);
        byte[] png = GradientFigure.png("test", delta, g);
        assertThat(GradientFigure.png("test", delta, g)).isEqualTo(png);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img.getWidth()).isBetween(300, 1200);
        // four bands, the dL/dw band with one row per filter: taller than wide
        assertThat(img.getHeight()).isGreaterThan(img.getWidth());
        Scale s = Scale.symmetric(g.gradWeights());
        boolean red = false;
        boolean blue = false;
        for (int yy = 0; yy < img.getHeight(); yy += 2) {
            for (int xx = 0; xx < img.getWidth(); xx += 2) {
                int rgb = img.getRGB(xx, yy) & 0xffffff;
                red |= rgb == (s.top().getRGB() & 0xffffff);
                blue |= rgb == (s.bottom().getRGB() & 0xffffff);
            }
        }
        assertThat(red).as("the top colour of the diverging scale appears (the colour bar's end)").isTrue();
        assertThat(blue).as("the bottom colour appears").isTrue();
        Gradients noBias = new Gradients(g.gradInput(), g.gradWeights(), null);
        BufferedImage without = ImageIO.read(new ByteArrayInputStream(GradientFigure.png("test", delta, noBias)));
        assertThat(without.getHeight()).as("no dL/db band").isLessThan(img.getHeight());
    }
}
