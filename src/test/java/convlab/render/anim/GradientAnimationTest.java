package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientAnimationTest {

    @TempDir
    Path dir;

    /** A 1x2x5x5 input, 2 filters 3x3 with stride 2, padding 1 and relu: every padded case the frames draw. */
    static Object[] layer(long seed) {
        Random r = new Random(seed);
        Tensor x = GradientReplayTest.gauss(r, 1, 2, 5, 5);
        ConvLayer layer = new ConvLayer(GradientReplayTest.gauss(r, 2, 2, 3, 3), GradientReplayTest.gauss(r, 2),
                ConvSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.explicit(1, 1, 1, 1)).withActivation(Activation.RELU));
        Tensor dy = GradientReplayTest.gauss(r, 1, 2, 3, 3);
        return new Object[] {x, layer, dy};
    }

    static GradientReplay replay(GradientReplay.Kind kind, long seed, int maxFrames) {
        Object[] l = layer(seed);
        return GradientReplay.of(kind, (Tensor) l[0], (ConvLayer) l[1], (Tensor) l[2], kind == GradientReplay.Kind.DW ? 1 : -1, 0, maxFrames);
    }

    @Test
    void captionsSpellOutEachUpdate() {
        GradientAnimation dw = GradientAnimation.of(replay(GradientReplay.Kind.DW, 1, 100), "t", "dy: seed 1.", 4, 1, null);
        GradientReplay.Step s = dw.replay().step(4); // position (1, 1)
        String first = String.join(" ", dw.caption(4));
        assertThat(first).startsWith("dW[1] += delta[0,1,1,1] (" + convlab.render.Numbers.format(s.delta()) + ") \u00d7 window at (1,1)")
                .contains("delta = dy " + convlab.render.Numbers.format(s.dy()) + " \u00d7 relu'(pre");
        assertThat(String.join(" ", dw.caption(dw.frameCount() - 1))).contains("the reference's dL/dW of filter 1").contains("db[1] = the sum of delta");

        GradientAnimation dx = GradientAnimation.of(replay(GradientReplay.Kind.DX, 1, 100), "t", "", 4, 1, null);
        // position (0, 0) of filter 0 reads rows -1..1 and columns -1..1: 5 of its 9 cells per channel are padding
        assertThat(String.join(" ", dx.caption(0))).contains("dX[0] += delta[0,0,0,0]").contains("at rows -1..1, columns -1..1")
                .contains("10 of 18 cells land in the padding: cut off");
        assertThat(String.join(" ", dx.caption(dx.frameCount() - 1))).contains("conv_transpose2d(delta, w, stride 2x2, dilation 1x1)")
                .contains("the reference's dL/dX");
    }

    @Test
    void fitsASlideAndDrawsBiggerThanTheDefaultFrame() {
        GradientReplay r = replay(GradientReplay.Kind.DX, 2, 100);
        GradientAnimation own = GradientAnimation.of(r, "t", "", 4, 1, null);
        GradientAnimation slide = GradientAnimation.of(r, "t", "", 4, 1, AnimationOptions.Canvas.parse("1920x1080"));
        assertThat(slide.width()).isEqualTo(1920);
        assertThat(slide.height()).isEqualTo(1080);
        assertThat(slide.scale()).isGreaterThan(1.2);
        BufferedImage img = slide.render(3);
        assertThat(img.getWidth()).isEqualTo(1920);
        assertThat(own.render(3).getWidth()).isEqualTo(own.width()).isLessThan(1920);
        // the drawing reaches neither edge: a white margin all round
        for (int y = 0; y < img.getHeight(); y += 7) {
            assertThat(img.getRGB(0, y) & 0xffffff).isEqualTo(0xffffff);
            assertThat(img.getRGB(img.getWidth() - 1, y) & 0xffffff).isEqualTo(0xffffff);
        }
    }

    @Test
    void writesAGifAndPngsWhoseFramesDiffer() throws Exception {
        for (GradientReplay.Kind kind : List.of(GradientReplay.Kind.DW, GradientReplay.Kind.DX)) {
            GradientAnimation a = GradientAnimation.of(replay(kind, 3, 6), "t", "", 10, 1, null);
            assertThat(a.frameCount()).isEqualTo(6);
            Path gif = dir.resolve(kind + ".gif");
            long bytes = a.write(gif, dir.resolve(kind + "-frames"));
            assertThat(bytes).isEqualTo(Files.size(gif));
            GifFrames frames = GifFrames.read(gif);
            assertThat(frames.frames).hasSize(6);
            assertThat(frames.frames.get(5).delayCentis()).isEqualTo(300);
            assertThat(frames.frames.get(0).delayCentis()).isEqualTo(10);
            try (var s = Files.list(dir.resolve(kind + "-frames"))) {
                assertThat(s.count()).isEqualTo(6);
            }
            int differing = 0;
            BufferedImage f1 = frames.frames.get(1).shown();
            BufferedImage f2 = frames.frames.get(2).shown();
            for (int y = 0; y < f1.getHeight(); y++) {
                for (int x = 0; x < f1.getWidth(); x++) {
                    differing += f1.getRGB(x, y) != f2.getRGB(x, y) ? 1 : 0;
                }
            }
            assertThat(differing).as("%s: the next step changes the picture", kind).isGreaterThan(100);
        }
    }
}
