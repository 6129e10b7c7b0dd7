package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.Activation;
import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Hw;
import convlab.core.Output;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.render.Scale;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnimationTest {

    @TempDir
    Path dir;

    @Test
    void bigLayersAreSampledAndSaySoAndSkippedValuesStillFillIn() throws IOException {
        Random r = new Random(3);
        Tensor input = TestData.uniform(r, 0, 1, 1, 1, 30, 30);
        ConvLayer layer = new ConvLayer(TestData.uniform(r, -1, 1, 2, 1, 3, 3), null);
        Animation a = Animation.of(input, layer, AnimationOptions.defaults().withMaxFrames(20));
        assertThat(a.plan().sampled()).isTrue();
        assertThat(a.plan().notice()).contains("2 filter(s) x 784 positions = 1568 frames is more than --max-frames 20");
        Path gif = dir.resolve("big.gif");
        AnimationSummary s = Animations.write(a, gif, null, ProgressListener.none());
        assertThat(s.sampled()).isTrue();
        assertThat(s.steps()).isEqualTo(20);
        assertThat(s.totalSteps()).isEqualTo(1568);
        GifFrames g = GifFrames.read(gif);
        assertThat(g.frames).hasSize(20 + FramePlan.HOLD_FRAMES);

        // Frame 1 computes the second sampled value; the values skipped before it are drawn, the one after is blank.
        FramePlan.Position p = a.plan().position(1);
        assertThat(p.order()).isGreaterThan(2);
        Tensor ref = Conv2d.forward(input, layer).activated();
        Scale scale = Scale.fitting(ref);
        FramePlan.Position skipped = a.plan().at(p.order() - 1);
        assertThat(a.plan().frameOf(skipped.order())).isEqualTo(-1);
        Point at = a.layout().outputSample(skipped.oc(), skipped.oh(), skipped.ow());
        assertThat(g.rgb(1, at.x, at.y)).isEqualTo(CellColors.of(scale, ref.get(0, skipped.oc(), skipped.oh(), skipped.ow())).getRGB() & 0xffffff);
        FramePlan.Position after = a.plan().at(p.order() + 1);
        Point next = a.layout().outputSample(after.oc(), after.oh(), after.ow());
        assertThat(g.rgb(1, next.x, next.y)).isEqualTo(FrameRenderer.BLANK.getRGB() & 0xffffff);
    }

    @Test
    void paddingCellsHoldTheirPaddingModesValues() {
        Random r = new Random(5);
        Tensor input = TestData.uniform(r, 0, 1, 1, 1, 5, 5);
        for (PaddingMode mode : PaddingMode.values()) {
            ConvSpec spec = ConvSpec.defaults().withPadding(Padding.symmetric(2)).withPaddingMode(mode);
            ConvLayer layer = new ConvLayer(TestData.uniform(r, -1, 1, 1, 1, 3, 3), null, spec);
            Animation a = Animation.of(input, layer, AnimationOptions.defaults());
            BufferedImage f = a.render(0);
            for (int ph = 0; ph < 9; ph++) {
                for (int pw = 0; pw < 9; pw++) {
                    int sr = mode.source(ph - 2, 5);
                    int sc = mode.source(pw - 2, 5);
                    double expected = sr < 0 || sc < 0 ? 0.0 : input.get(0, 0, sr, sc);
                    assertThat(a.paddedValue(0, ph, pw)).isEqualTo(expected);
                    assertThat(a.isPadding(ph, pw)).isEqualTo(ph < 2 || ph > 6 || pw < 2 || pw > 6);
                    Point at = a.layout().inputSample(0, ph, pw);
                    int rgb = f.getRGB(at.x, at.y) & 0xffffff;
                    int fill = CellColors.of(a.inputScale(), expected).getRGB() & 0xffffff;
                    if (a.isPadding(ph, pw)) {
                        // Hatched: the sample may land on a hatch line, so look at the cell's top row of pixels.
                        assertThat(rowHas(f, a.layout().inputGrid(0), ph, pw, fill)).as("%s (%d, %d)", mode, ph, pw).isTrue();
                    } else {
                        assertThat(rgb).as("%s (%d, %d)", mode, ph, pw).isEqualTo(fill);
                    }
                }
            }
        }
    }

    private static boolean rowHas(BufferedImage f, Grid g, int r, int c, int rgb) {
        Point a = g.corner(r, c);
        Point b = g.corner(r, c + 1);
        for (int x = a.x + 2; x < b.x - 1; x++) {
            if ((f.getRGB(x, a.y + 4) & 0xffffff) == rgb) {
                return true;
            }
        }
        return false;
    }

    @Test
    void stepValuesAddUpToTheReference() {
        Random r = new Random(11);
        Tensor input = TestData.uniform(r, -1, 1, 2, 4, 7, 7);
        ConvSpec spec = ConvSpec.defaults().withStride(Hw.of(2)).withDilation(Hw.of(2)).withPadding(Padding.symmetric(2))
                .withGroups(2).withActivation(Activation.TANH);
        ConvLayer layer = new ConvLayer(TestData.uniform(r, -1, 1, 4, 2, 3, 3), TestData.uniform(r, -1, 1, 4), spec);
        Animation a = Animation.of(input, layer, AnimationOptions.defaults().withBatch(1));
        Output ref = Conv2d.forward(input, layer);
        assertThat(a.plan().steps()).isEqualTo(4 * 4 * 4);
        for (int f = 0; f < a.plan().steps(); f++) {
            StepValues s = a.values(f);
            FramePlan.Position p = s.position();
            assertThat(s.channelsPerGroup()).isEqualTo(2);
            assertThat(s.channel(0)).isEqualTo(p.oc() / 2 * 2);
            assertThat(s.sum() + s.bias()).isCloseTo(ref.preActivation().get(1, p.oc(), p.oh(), p.ow()), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(s.out()).isEqualTo(ref.activated().get(1, p.oc(), p.oh(), p.ow()));
        }
        BufferedImage img = a.render(5);
        assertThat(img.getWidth()).isEqualTo(a.layout().width());
    }

    @Test
    void framesRenderTheSameInAnyOrder() {
        Tensor input = TestData.classicInput(1);
        ConvLayer layer = TestData.classicLayer(1);
        for (Style s : Style.values()) {
            Animation a = Animation.of(input, layer, AnimationOptions.defaults().withStyle(s));
            Animation b = Animation.of(input, layer, AnimationOptions.defaults().withStyle(s));
            BufferedImage late = a.render(50);
            for (int f = 0; f <= 50; f++) {
                b.render(f);
            }
            BufferedImage inOrder = b.render(50);
            assertThat(pixels(late)).isEqualTo(pixels(inOrder));
            assertThat(pixels(a.render(3))).as("going back rebuilds the canvas").isEqualTo(pixels(Animation.of(input, layer,
                    AnimationOptions.defaults().withStyle(s)).render(3)));
        }
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void framesAndTheirPngsAreWrittenAndStaleOnesRemoved() throws IOException {
        Random r = new Random(2);
        Tensor input = TestData.uniform(r, 0, 1, 1, 1, 4, 4);
        ConvLayer layer = new ConvLayer(TestData.uniform(r, -1, 1, 1, 1, 3, 3), null);
        Path frames = dir.resolve("frames");
        Files.createDirectories(frames);
        Files.writeString(frames.resolve("frame-0099.png"), "stale");
        Files.writeString(frames.resolve("notes.txt"), "kept");
        Animation a = Animation.of(input, layer, AnimationOptions.defaults().withStyle(Style.STACK));
        Animations.write(a, dir.resolve("a.gif"), frames, ProgressListener.none());
        try (var s = Files.list(frames)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("frame-0001.png", "frame-0002.png", "frame-0003.png", "frame-0004.png", "frame-0005.png", "notes.txt");
        }
        BufferedImage png = javax.imageio.ImageIO.read(frames.resolve("frame-0005.png").toFile());
        assertThat(pixels(png)).isEqualTo(pixels(a.render(4)));
    }

    @Test
    void badOptionsAreRejectedWithTheReason() {
        Tensor input = TestData.classicInput(1);
        ConvLayer layer = TestData.classicLayer(1);
        assertThatThrownBy(() -> Animation.of(input, layer, AnimationOptions.defaults().withBatch(1)))
                .hasMessageContaining("--batch between 0 and 0");
        assertThatThrownBy(() -> AnimationOptions.defaults().withFps(0)).hasMessageContaining("--fps");
        assertThatThrownBy(() -> AnimationOptions.defaults().withMaxFrames(0)).hasMessageContaining("--max-frames");
        Tensor small = Tensor.zeros(DType.FLOAT64, 1, 3, 2, 2);
        assertThatThrownBy(() -> Animation.of(small, layer, AnimationOptions.defaults())).hasMessageContaining("kernel spans");
    }

    @Test
    void layerInputsChainTheReferenceOutputs() {
        Tensor input = TestData.classicInput(4);
        ConvLayer l1 = TestData.classicLayer(4);
        ConvLayer l2 = new ConvLayer(TestData.uniform(new Random(9), -1, 1, 2, 2, 3, 3), null);
        List<Tensor> inputs = Animations.layerInputs(input, List.of(l1, l2));
        assertThat(inputs).hasSize(2);
        assertThat(inputs.get(0)).isEqualTo(input);
        assertThat(inputs.get(1)).isEqualTo(Conv2d.forward(input, l1).activated());
    }
}
