package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.Activation;
import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.Output;
import convlab.core.Tensor;
import convlab.render.ColorMap;
import java.awt.Color;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slides (--size), the intro of a later layer, the finished layer's filters and the chained GIF, by their pixels. */
class SlideModeTest {

    private static final long SEED = 14;
    private static final Tensor INPUT = TestData.classicInput(SEED);
    private static final ConvLayer LAYER = TestData.classicLayer(SEED);
    private static final AnimationOptions.Canvas HD = new AnimationOptions.Canvas(1920, 1080, true);

    @TempDir
    Path dir;

    @Test
    void aSlideIsExactlyItsSizeLandscapeWithTypeAboutASixtiethOfItsHeight() {
        Animation a = Animation.of(INPUT, LAYER, AnimationOptions.defaults().withCanvas(HD));
        FrameLayout l = a.layout();
        assertThat(l.arrangement()).isEqualTo(FrameLayout.Arrangement.ACROSS);
        BufferedImage f = a.render(10);
        assertThat(f.getWidth()).isEqualTo(1920);
        assertThat(f.getHeight()).isEqualTo(1080);
        // Every map fits on the slide.
        for (int c = 0; c < 3; c++) {
            assertThat(new Rectangle(0, 0, 1920, 1080).contains(l.inputGrid(c).bounds())).isTrue();
        }
        assertThat(new Rectangle(0, 0, 1920, 1080).contains(l.outputGrid(1).bounds())).isTrue();
        // Titles at least 1/60 of the height; values in cells at least 1/75 (8x8x3 in, 2 x 6x6 before and after relu).
        assertThat(l.theme().title().getSize2D()).isGreaterThanOrEqualTo(1080f / 60);
        assertThat(l.inputFont().getSize2D()).isGreaterThanOrEqualTo(1080f / 75);
        // The value text in input cell (0, 0, 0): its digits are drawn, anti-aliased (blends between ink and fill).
        Rectangle cell = l.inputGrid(0).cell(0, 0).getBounds();
        Color fill = CellColors.of(a.inputScale(), a.paddedValue(0, 0, 0));
        Color ink = ColorMap.textOn(fill);
        int top = Integer.MAX_VALUE;
        int bottom = -1;
        Set<Integer> blends = new HashSet<>();
        for (int y = cell.y + 2; y < cell.y + cell.height - 1; y++) {
            for (int x = cell.x + 2; x < cell.x + cell.width - 1; x++) {
                int rgb = f.getRGB(x, y) & 0xffffff;
                if (rgb != (fill.getRGB() & 0xffffff)) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    if (rgb != (ink.getRGB() & 0xffffff)) {
                        blends.add(rgb);
                    }
                }
            }
        }
        assertThat(bottom - top + 1).as("height of the digits in pixels").isGreaterThanOrEqualTo(10);
        assertThat(blends).as("anti-aliasing blends").isNotEmpty();
        // The fill at the sample point is the value's colour.
        Point p = l.inputSample(0, 0, 0);
        assertThat(f.getRGB(p.x, p.y) & 0xffffff).isEqualTo(fill.getRGB() & 0xffffff);
    }

    @Test
    void theOutputBeforeTheActivationIsDrawnOnTheOneOutputScale() {
        Animation a = Animation.of(INPUT, LAYER, AnimationOptions.defaults());
        Output ref = Conv2d.forward(INPUT, LAYER);
        BufferedImage hold = a.render(a.frameCount() - 1);
        for (int oh = 0; oh < 6; oh++) {
            for (int ow = 0; ow < 6; ow++) {
                Point pre = a.layout().preSample(1, oh, ow);
                Point out = a.layout().outputSample(1, oh, ow);
                assertThat(hold.getRGB(pre.x, pre.y) & 0xffffff)
                        .isEqualTo(CellColors.of(a.outputScale(), ref.preActivation().get(0, 1, oh, ow)).getRGB() & 0xffffff);
                assertThat(hold.getRGB(out.x, out.y) & 0xffffff)
                        .isEqualTo(CellColors.of(a.outputScale(), ref.activated().get(0, 1, oh, ow)).getRGB() & 0xffffff);
            }
        }
    }

    @Test
    void theFinishedLayerShowsEveryFilterBesideItsMap() {
        for (AnimationOptions o : List.of(AnimationOptions.defaults(), AnimationOptions.defaults().withCanvas(HD))) {
            Animation a = Animation.of(INPUT, LAYER, o);
            BufferedImage hold = a.render(a.frameCount() - 1);
            for (int oc = 0; oc < 2; oc++) {
                Rectangle out = a.layout().outputGrid(oc).bounds();
                for (int ic = 0; ic < 3; ic++) {
                    Grid k = a.layout().holdKernelGrid(oc, ic);
                    assertThat(k).isNotNull();
                    assertThat(k.bounds().x + k.bounds().width).as("left of the map").isLessThan(out.x);
                    assertThat(k.bounds().y).as("beside it").isBetween(out.y - 40, out.y + out.height);
                    Point c = k.corner(1, 2);
                    Point d = k.corner(2, 3);
                    int rgb = hold.getRGB((c.x + d.x) / 2, c.y + 2) & 0xffffff;
                    assertThat(rgb).as("filter %d slice %d, weight (1, 2)", oc, ic)
                            .isEqualTo(CellColors.of(a.kernelScale(), LAYER.weights().get(oc, ic, 1, 2)).getRGB() & 0xffffff);
                }
            }
        }
    }

    @Test
    void aLaterLayerOpensWithItsInputRestackedAndLabelsItAsTheEarlierOutput() {
        Tensor layer1 = Conv2d.forward(INPUT, LAYER).activated();
        ConvLayer layer2 = new ConvLayer(TestData.uniform(new Random(SEED + 2), -1, 1, 3, 2, 3, 3), null, ConvSpec.defaults());
        Animation a = Animation.of(layer1, layer2, AnimationOptions.defaults().withFromLayer(1));
        assertThat(a.frameCount()).isEqualTo(1 + 3 * 4 * 4 + 1);
        assertThat(a.plan().isIntro(0)).isTrue();
        assertThat(a.delayCentis(0)).isEqualTo(FramePlan.INTRO_DELAY_CENTIS);
        assertThat(a.caption(0)).extracting(Captions.Line::text).anyMatch(s -> s.contains("layer 1 had 2 filters"))
                .anyMatch(s -> s.contains("kernel is as deep as layer 1 had filters: 2x3x3"));
        assertThat(a.values(1).position()).isEqualTo(new FramePlan.Position(0, 0, 0, 0));
        // Nothing is computed in the intro: every output cell is blank.
        BufferedImage intro = a.render(0);
        Point o = a.layout().outputSample(0, 0, 0);
        assertThat(intro.getRGB(o.x, o.y) & 0xffffff).isEqualTo(FrameRenderer.BLANK.getRGB() & 0xffffff);
        // Filter 0's slices are drawn, one per channel of layer 1's output.
        for (int ic = 0; ic < 2; ic++) {
            Point k = a.layout().kernelSample(ic, 0, 0);
            assertThat(intro.getRGB(k.x, k.y) & 0xffffff)
                    .isEqualTo(CellColors.of(a.kernelScale(), layer2.weights().get(0, ic, 0, 0)).getRGB() & 0xffffff);
        }
        assertThatThrownBy(() -> a.values(0)).hasMessageContaining("intro");
    }

    @Test
    void aChainOfLayersPlaysAsOneGifOfOneSize() throws Exception {
        ConvLayer layer2 = new ConvLayer(TestData.uniform(new Random(SEED + 3), -1, 1, 2, 2, 3, 3), null,
                ConvSpec.defaults().withActivation(Activation.NONE));
        List<Animation> chain = Animations.chain(INPUT, List.of(LAYER, layer2), AnimationOptions.defaults(), List.of("one", "two"));
        Path gif = dir.resolve("layers.gif");
        AnimationSummary s = Animations.write(chain, gif, null, ProgressListener.none());
        GifFrames g = GifFrames.read(gif);
        int expected = (2 * 6 * 6 + 1) + (1 + 2 * 4 * 4 + 1);
        assertThat(g.frames).hasSize(expected);
        assertThat(s.frames()).isEqualTo(expected);
        assertThat(chain.get(1).layout().width()).isEqualTo(chain.get(0).layout().width());
        assertThat(chain.get(1).layout().height()).isEqualTo(chain.get(0).layout().height());
        assertThat(g.frames.get(2 * 6 * 6 + 1).delayCentis()).as("layer 2's intro").isEqualTo(FramePlan.INTRO_DELAY_CENTIS);
    }

    /** The first animation written alone from the chain's bytes is, byte for byte, that animation written by itself. */
    @Test
    void theFirstAnimationAloneIsTheChainsFirstPart() throws Exception {
        ConvLayer layer2 = new ConvLayer(TestData.uniform(new Random(SEED + 4), -1, 1, 2, 2, 3, 3), null, ConvSpec.defaults());
        List<Animation> chain = Animations.chain(INPUT, List.of(LAYER, layer2), AnimationOptions.defaults(), List.of("one", "two"));
        Path both = dir.resolve("both.gif"), first = dir.resolve("first.gif"), alone = dir.resolve("alone.gif");
        Animations.write(chain, both, null, ProgressListener.none(), first);
        Animations.write(chain.subList(0, 1), alone, null, ProgressListener.none());
        assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(alone));
        assertThat(GifFrames.read(first).frames).hasSize(chain.get(0).frameCount());
        assertThat(GifFrames.read(both).frames).hasSize(chain.get(0).frameCount() + chain.get(1).frameCount());
    }

    @Test
    void aSizeTooSmallForTheLayerSaysSo() {
        Tensor big = TestData.uniform(new Random(1), 0, 1, 1, 64, 8, 8);
        ConvLayer many = new ConvLayer(TestData.uniform(new Random(2), -1, 1, 64, 64, 3, 3), null, ConvSpec.defaults());
        assertThatThrownBy(() -> Animation.of(big, many, AnimationOptions.defaults().withCanvas(new AnimationOptions.Canvas(320, 200, true))))
                .hasMessageContaining("320x200 is too small");
        assertThatThrownBy(() -> AnimationOptions.Canvas.parse("1920by1080")).hasMessageContaining("WIDTHxHEIGHT");
    }
}
