package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.Output;
import convlab.core.Tensor;
import convlab.render.Scale;
import java.awt.Color;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The classic case written as GIFs in both styles, decoded with ImageIO and checked against the reference. */
class AnimationGifTest {

    static final Tensor INPUT = TestData.classicInput(7);
    static final ConvLayer LAYER = TestData.classicLayer(7);
    static final Output REF = Conv2d.forward(INPUT, LAYER);
    static final Map<Style, Animation> ANIMATIONS = new EnumMap<>(Style.class);
    static final Map<Style, AnimationSummary> SUMMARIES = new EnumMap<>(Style.class);
    static final Map<Style, GifFrames> GIFS = new EnumMap<>(Style.class);

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeBoth() throws IOException {
        for (Style s : Style.values()) {
            AnimationOptions opts = AnimationOptions.defaults().withStyle(s).withFps(5).withTitle("classic");
            Animation a = Animation.of(INPUT, LAYER, opts);
            Path gif = dir.resolve("layer1-" + s + ".gif");
            SUMMARIES.put(s, Animations.write(a, gif, null, ProgressListener.none()));
            ANIMATIONS.put(s, Animation.of(INPUT, LAYER, opts));
            GIFS.put(s, GifFrames.read(gif));
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void frameCountIsFiltersTimesPositionsPlusTheHold(Style s) {
        int expected = 2 * 6 * 6 + FramePlan.HOLD_FRAMES;
        assertThat(GIFS.get(s).frames).hasSize(expected);
        assertThat(SUMMARIES.get(s).frames()).isEqualTo(expected);
        assertThat(SUMMARIES.get(s).sampled()).isFalse();
        assertThat(SUMMARIES.get(s).quantisedFrames()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void loopsForeverWithALocalColourTablePerFrameAndTheFpsDelay(Style s) {
        GifFrames g = GIFS.get(s);
        assertThat(g.loopCount).as("NETSCAPE2.0 loop count (0 = forever)").isZero();
        for (int i = 0; i < g.frames.size(); i++) {
            GifFrames.Frame f = g.frames.get(i);
            assertThat(f.localColorTable()).as("frame %d has a local colour table", i).isTrue();
            assertThat(f.disposal()).isEqualTo("doNotDispose");
            boolean hold = i == g.frames.size() - 1;
            assertThat(f.delayCentis()).isEqualTo(hold ? FramePlan.HOLD_DELAY_CENTIS : 20);
        }
        assertThat(g.frames.get(0).transparent()).as("the first frame is whole").isFalse();
        assertThat(g.frames.get(0).width()).isEqualTo(g.screenWidth);
        assertThat(g.screenWidth).isEqualTo(ANIMATIONS.get(s).layout().width());
        assertThat(g.screenHeight).isEqualTo(ANIMATIONS.get(s).layout().height());
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void decodedFramesAreExactlyTheRenderedFrames(Style s) {
        Animation a = ANIMATIONS.get(s);
        GifFrames g = GIFS.get(s);
        for (int k : new int[] {0, 1, 17, 36, 71, 72}) {
            BufferedImage rendered = a.render(k);
            int diff = 0;
            for (int y = 0; y < rendered.getHeight(); y++) {
                for (int x = 0; x < rendered.getWidth(); x++) {
                    if ((rendered.getRGB(x, y) & 0xffffff) != g.rgb(k, x, y)) {
                        diff++;
                    }
                }
            }
            assertThat(diff).as("pixels of frame %d that differ after the GIF round trip", k).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Style.class)
    void theCellWrittenInFrameKHasTheReferenceValuesColourAndTheNextIsBlank(Style s) {
        Animation a = ANIMATIONS.get(s);
        GifFrames g = GIFS.get(s);
        Scale outScale = Scale.fitting(REF.preActivation(), REF.activated());
        assertThat(a.outputScale()).as("the figures' rule: one scale for before and after the activation").isEqualTo(outScale);
        FramePlan plan = a.plan();
        for (int k = 0; k < plan.steps(); k++) {
            FramePlan.Position p = plan.position(k);
            double ref = REF.activated().get(0, p.oc(), p.oh(), p.ow());
            Point at = a.layout().outputSample(p.oc(), p.oh(), p.ow());
            int shown = g.rgb(k, at.x, at.y);
            assertThat(shown).as("frame %d, output (%d, %d, %d) = %f", k, p.oc(), p.oh(), p.ow(), ref)
                    .isEqualTo(CellColors.of(outScale, ref).getRGB() & 0xffffff);
            // The snapped colour is the static figures' colour to within a step of the map.
            Color exact = outScale.color(ref);
            Color c = new Color(shown);
            assertThat(Math.abs(c.getRed() - exact.getRed())).isLessThanOrEqualTo(8);
            assertThat(Math.abs(c.getGreen() - exact.getGreen())).isLessThanOrEqualTo(8);
            assertThat(Math.abs(c.getBlue() - exact.getBlue())).isLessThanOrEqualTo(8);
            if (k + 1 < plan.steps()) {
                FramePlan.Position next = plan.position(k + 1);
                Point nat = a.layout().outputSample(next.oc(), next.oh(), next.ow());
                assertThat(g.rgb(k, nat.x, nat.y)).as("frame %d: the next cell is not computed yet", k)
                        .isEqualTo(FrameRenderer.BLANK.getRGB() & 0xffffff);
            }
        }
        // Filter 1's first cell stays blank through all of filter 0.
        Point f1 = a.layout().outputSample(1, 0, 0);
        assertThat(g.rgb(35, f1.x, f1.y)).isEqualTo(FrameRenderer.BLANK.getRGB() & 0xffffff);
        assertThat(g.rgb(36, f1.x, f1.y)).isNotEqualTo(FrameRenderer.BLANK.getRGB() & 0xffffff);
    }

    @Test
    void theHoldFrameShowsEveryOutputValue() {
        for (Style s : Style.values()) {
            Animation a = ANIMATIONS.get(s);
            GifFrames g = GIFS.get(s);
            int hold = g.frames.size() - 1;
            Scale outScale = Scale.fitting(REF.preActivation(), REF.activated());
        assertThat(a.outputScale()).as("the figures' rule: one scale for before and after the activation").isEqualTo(outScale);
            for (int oc = 0; oc < 2; oc++) {
                for (int oh = 0; oh < 6; oh++) {
                    for (int ow = 0; ow < 6; ow++) {
                        Point at = a.layout().outputSample(oc, oh, ow);
                        assertThat(g.rgb(hold, at.x, at.y)).as("%s hold frame, output (%d, %d, %d)", s, oc, oh, ow)
                                .isEqualTo(CellColors.of(outScale, REF.activated().get(0, oc, oh, ow)).getRGB() & 0xffffff);
                    }
                }
            }
        }
    }

    @Test
    void panelsShowTheInputAndTheActiveKernelInTheirScalesColours() {
        Animation a = ANIMATIONS.get(Style.PANELS);
        GifFrames g = GIFS.get(Style.PANELS);
        Scale in = Scale.fitting(INPUT);
        Scale w = Scale.fitting(LAYER.weights());
        int k = 40; // filter 1
        assertThat(a.plan().position(k).oc()).isEqualTo(1);
        for (int c = 0; c < 3; c++) {
            Point p = a.layout().inputSample(c, 7, 0);
            assertThat(g.rgb(k, p.x, p.y)).isEqualTo(CellColors.of(in, INPUT.get(0, c, 7, 0)).getRGB() & 0xffffff);
            Point q = a.layout().kernelSample(c, 2, 1);
            assertThat(g.rgb(k, q.x, q.y)).isEqualTo(CellColors.of(w, LAYER.weights().get(1, c, 2, 1)).getRGB() & 0xffffff);
        }
    }

    @Test
    void writingIsDeterministic() throws IOException {
        Path again = dir.resolve("again.gif");
        Animations.write(INPUT, LAYER, AnimationOptions.defaults().withFps(5).withTitle("classic"), again);
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(dir.resolve("layer1-panels.gif")));
    }
}
