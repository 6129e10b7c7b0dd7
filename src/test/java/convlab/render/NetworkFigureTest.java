package convlab.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.Hw;
import convlab.core.Layer;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import convlab.core.Tensor;
import convlab.io.Case;
import convlab.io.CaseFiles;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkFigureTest {

    @TempDir
    Path dir;

    /** 1x1x4x4 through a 1x1 conv (weight 2, bias -1, relu) and a 2x2 max pool: every value known by hand. */
    static NetworkFigure known() {
        Tensor x = Tensor.of(new int[] {1, 1, 4, 4}, new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
        ConvLayer conv = new ConvLayer(Tensor.of(new int[] {1, 1, 1, 1}, new double[] {2}), Tensor.of(new int[] {1}, new double[] {-1}),
                ConvSpec.defaults().withActivation(Activation.RELU));
        PoolLayer pool = PoolLayer.max(PoolSpec.of(Hw.of(2)));
        return NetworkFigure.of("known", x, List.<Layer>of(conv, pool), 0);
    }

    static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xffffff;
    }

    @Test
    void theKnownNetworkShowsEveryLayersValuesInItsColumnsColours() {
        NetworkFigure f = known();
        assertThat(f.columns()).isEqualTo(3);
        assertThat(f.value(1, 0, 0, 0)).isEqualTo(0); // relu(2 * 0 - 1)
        assertThat(f.value(1, 0, 3, 3)).isEqualTo(29);
        assertThat(f.value(2, 0, 1, 1)).isEqualTo(29); // the max of 2x-1 over the last window
        assertThat(f.value(2, 0, 0, 0)).isEqualTo(9);
        BufferedImage img = f.image(NetworkFigure.View.all(), 1.0, false);
        assertThat(img.getWidth()).isEqualTo(f.width());
        assertThat(img.getHeight()).isEqualTo(f.height());
        // column 1 goes from 0 to 29: viridis from its bottom to its top
        Rectangle m1 = f.map(1, 0);
        assertThat(rgb(img, m1.x + 2, m1.y + 2)).isEqualTo(ColorMap.VIRIDIS.at(0).getRGB() & 0xffffff);
        assertThat(rgb(img, m1.x + m1.width - 3, m1.y + m1.height - 3)).isEqualTo(ColorMap.VIRIDIS.at(1).getRGB() & 0xffffff);
        Rectangle m2 = f.map(2, 0);
        int cell = f.cellSize(2);
        assertThat(rgb(img, m2.x + 2, m2.y + 2)).as("9 on [9, 29]").isEqualTo(ColorMap.VIRIDIS.at(0).getRGB() & 0xffffff);
        assertThat(rgb(img, m2.x + cell + 2, m2.y + 2)).as("13 on [9, 29]").isEqualTo(f.scale(2).color(13).getRGB() & 0xffffff);
        assertThat(f.caption(NetworkFigure.View.all())).contains("1x4x4 -> 1x4x4 -> 1x2x2");
        assertThatThrownBy(() -> NetworkFigure.of("x", Tensor.of(new int[] {1, 1, 2, 2}, new double[4]), List.of(), 1))
                .hasMessageContaining("batch index in 0..0");
    }

    @Test
    void aViewDrawsTheLayersSoFarAndFramesTheMapBeingMadeWithWhatItReads() {
        NetworkFigure f = known();
        NetworkFigure.View v = new NetworkFigure.View(2, 0, true);
        BufferedImage img = f.image(v, 1.0, true);
        int accent = Theme.ACCENT.getRGB() & 0xffffff;
        Rectangle made = f.map(2, 0);
        Rectangle read = f.map(1, 0);
        assertThat(rgb(img, made.x - 3, made.y + made.height / 2)).isEqualTo(accent);
        assertThat(rgb(img, read.x - 3, read.y + read.height / 2)).isEqualTo(accent);
        assertThat(rgb(img, f.map(0, 0).x - 3, f.map(0, 0).y + 4)).isEqualTo(0xffffff);
        assertThat(f.caption(v)).isEqualTo("layer 2 (max_pool2d) makes channel 0 of 1: the largest of each window of channel 0 of layer 1's output");
        BufferedImage before = f.image(new NetworkFigure.View(1, 0, true), 1.0, true);
        assertThat(rgb(before, made.x + 2, made.y + 2)).as("not made yet").isEqualTo(0xffffff);
        assertThat(rgb(before, read.x + 2, read.y + 2)).isEqualTo(ColorMap.VIRIDIS.at(0).getRGB() & 0xffffff);
        assertThat(rgb(f.image(NetworkFigure.View.all(), 1.0, false), made.x - 3, made.y + made.height / 2)).isEqualTo(0xffffff);
    }

    @Test
    void theSmallCnnIsOneFigureWithEveryLayerInWords() throws Exception {
        Case c = CaseFiles.load(Path.of("data/golden/torch_small_cnn/case.json"));
        NetworkFigure f = NetworkFigure.of(c.name(), c.input(), c.layerList(), 0);
        assertThat(f.columns()).isEqualTo(5);
        assertThat(new int[] {f.channels(0), f.channels(1), f.channels(2), f.channels(3), f.channels(4)}).containsExactly(3, 4, 4, 3, 3);
        assertThat(f.reads(3, 1)).containsExactly(0, 1, 2, 3);
        assertThat(f.reads(4, 2)).containsExactly(2);
        Path png = dir.resolve("n.png");
        f.writePng(png, 1.0);
        BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(f.width());
        Path svg = dir.resolve("n.svg");
        f.writeSvg(svg);
        String text = Files.readString(svg);
        assertThat(text).startsWith("<?xml").doesNotContain("<!DOCTYPE").contains("viewBox=\"0 0 " + f.width() + " " + f.height() + "\"")
                .contains("layer 2: max_pool2d").contains("3 -&gt; 4 channels, 3x3 kernel,");
    }
}
