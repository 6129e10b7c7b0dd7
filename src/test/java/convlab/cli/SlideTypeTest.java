package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.ConvLayer;
import convlab.core.Tensor;
import convlab.io.Case;
import convlab.render.anim.Animation;
import convlab.render.anim.AnimationOptions;
import convlab.render.anim.Animations;
import convlab.render.anim.FrameLayout;
import java.awt.Font;
import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Slides of the demo's layers (layer 1, layer 2, the 4-channel layer) at 1920x1080 and 1280x720: the type in the
 * cells, read from the layout that was chosen, is at least a sixtieth of the frame's height (18 px at 1080p, 12 px
 * at 720p) for the demo's two layers, and every map stays on the slide. The 4-channel layer puts 32 input columns
 * side by side, and a sixtieth cannot fit (32 cells of 18 px type are 1570 px before the outputs and the sum box):
 * it gets at least a seventy-fifth. The demo's numbers are fixed (no seed).
 */
class SlideTypeTest {

    static Stream<Arguments> slides() {
        Case demo = DemoData.twoLayers(Path.of("cases"));
        Case four = DemoData.fourChannelCase(Path.of("cases"));
        List<ConvLayer> layers = demo.convLayers();
        List<Tensor> inputs = Animations.layerInputs(demo.input(), layers);
        Stream.Builder<Arguments> b = Stream.builder();
        for (int[] size : new int[][] {{1920, 1080}, {1280, 720}}) {
            b.add(Arguments.of("demo layer 1", inputs.get(0), layers.get(0), 0, "demo, layer 1 of 2", 60, size[0], size[1]));
            b.add(Arguments.of("demo layer 2", inputs.get(1), layers.get(1), 1, "demo, layer 2 of 2", 60, size[0], size[1]));
            b.add(Arguments.of("channels4", four.input(), four.convLayers().get(0), 0, "channels4, layer 1 of 1", 75, size[0], size[1]));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} at {6}x{7}: cell type >= height/{5}")
    @MethodSource("slides")
    void cellTypeIsASixtiethOfTheHeightAndEveryMapIsOnTheSlide(String name, Tensor input, ConvLayer layer, int fromLayer,
            String title, int fraction, int width, int height) {
        AnimationOptions o = AnimationOptions.defaults().withTitle(title).withFromLayer(fromLayer)
                .withCanvas(new AnimationOptions.Canvas(width, height, true));
        FrameLayout l = Animation.of(input, layer, o).layout();
        float min = height / (float) fraction;
        System.out.printf(java.util.Locale.ROOT, "%s %dx%d: %s scale %.2f, cell type %.1f/%.1f/%.1f px%n", name, width, height,
                l.arrangement(), l.theme().scale(), size(l.inputFont()), size(l.kernelFont()), size(l.outputFont()));
        assertThat(l.width()).isEqualTo(width);
        assertThat(l.height()).isEqualTo(height);
        assertThat(size(l.inputFont())).as("input cell type, px").isGreaterThanOrEqualTo(min);
        assertThat(size(l.kernelFont())).as("kernel cell type, px").isGreaterThanOrEqualTo(min);
        assertThat(size(l.outputFont())).as("output cell type, px").isGreaterThanOrEqualTo(min);
        Rectangle slide = new Rectangle(0, 0, width, height);
        int c = layer.weights().shape()[1];
        int filters = layer.weights().shape()[0];
        for (int i = 0; i < c; i++) {
            assertThat(slide.contains(l.inputGrid(i).bounds())).as("input channel %d on the slide", i).isTrue();
            assertThat(slide.contains(l.kernelGrid(i).bounds())).as("kernel slice %d on the slide", i).isTrue();
        }
        for (int f = 0; f < filters; f++) {
            assertThat(slide.contains(l.outputGrid(f).bounds())).as("output %d on the slide", f).isTrue();
            if (l.preGrid(f) != null) {
                assertThat(slide.contains(l.preGrid(f).bounds())).as("output %d before the activation on the slide", f).isTrue();
            }
        }
    }

    private static float size(Font f) {
        return f == null ? 0 : f.getSize2D();
    }
}
