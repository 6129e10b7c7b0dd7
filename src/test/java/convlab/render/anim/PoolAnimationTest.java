package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.DType;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import convlab.core.Tensor;
import convlab.render.ColorMap;
import convlab.render.Theme;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolAnimationTest {

    @TempDir
    Path dir;

    /** 1x1x4x4, hand-made: window (0, 0) holds a tie of 5s (the first, at row 0 column 1, wins); the minimum is 0. */
    static final Tensor KNOWN = Tensor.of(new int[] {1, 1, 4, 4}, new double[] {
        1, 5, 2, 0,
        5, 3, 4, 4,
        6, 2, 8, 1,
        1, 7, 3, 9});

    static PoolLayer max2() {
        return PoolLayer.max(PoolSpec.of(Hw.of(2)).withStride(Hw.of(2)));
    }

    @Test
    void theKnownCaseWritesWhatForwardComputesAndFramesTheFirstLargest() throws Exception {
        PoolAnimation a = PoolAnimation.of(KNOWN, max2(), 0, 100, 4, "known");
        assertThat(a.frameCount()).isEqualTo(4 + 1);
        assertThat(new double[] {a.value(0, 0, 0), a.value(0, 0, 1), a.value(0, 1, 0), a.value(0, 1, 1)}).containsExactly(5, 4, 7, 9);
        assertThat(String.join(" ", a.caption(0))).isEqualTo("out[0][0][0] = max(1.00, 5.00, 5.00, 3.00) = 5.00, from input row 0, column 1 (the first largest)");
        Path gif = dir.resolve("pool.gif");
        a.write(gif);
        GifFrames frames = GifFrames.read(gif);
        assertThat(frames.screenWidth).isEqualTo(a.width());
        assertThat(frames.screenHeight).isEqualTo(a.height());
        assertThat(frames.frames).hasSize(a.frameCount());
        int edge = Theme.DEFAULT.px(3); // inside the winner's 4 px frame, which is drawn 2 px in from the cell's edge
        int[] winner = a.inputCell(0, 1);
        int[] tie = a.inputCell(1, 0);
        assertThat(frames.rgb(0, winner[0] + edge, winner[1] + a.cellSize() / 2)).isEqualTo(PoolAnimation.WINNER.getRGB() & 0xffffff);
        assertThat(frames.rgb(0, tie[0] + edge, tie[1] + a.cellSize() / 2)).as("the second 5 is not the winner")
                .isNotEqualTo(PoolAnimation.WINNER.getRGB() & 0xffffff);
        // frame 2 (window (1, 0)): its winner is the 7 at row 3, column 1; the 0 at row 0, column 3 is the scale's bottom
        int[] seven = a.inputCell(3, 1);
        assertThat(frames.rgb(2, seven[0] + edge, seven[1] + a.cellSize() / 2)).isEqualTo(PoolAnimation.WINNER.getRGB() & 0xffffff);
        int[] zero = a.inputCell(0, 3);
        assertThat(frames.rgb(2, zero[0] + 3, zero[1] + 3)).isEqualTo(ColorMap.VIRIDIS.at(0).getRGB() & 0xffffff);
        int[] nine = a.inputCell(3, 3);
        assertThat(frames.rgb(2, nine[0] + 3, nine[1] + 3)).isEqualTo(ColorMap.VIRIDIS.at(1).getRGB() & 0xffffff);
        // the output fills in: in frame 1, out[0][1] (4) is being written and out[1][0] is still blank
        int[] out01 = a.outputCell(0, 1);
        int[] out10 = a.outputCell(1, 0);
        assertThat(frames.rgb(1, out01[0] + a.cellSize() / 2, out01[1] + 6)).isEqualTo(ColorMap.VIRIDIS.at(4 / 9.0).getRGB() & 0xffffff);
        assertThat(frames.rgb(1, out10[0] + a.cellSize() / 2, out10[1] + 6)).isEqualTo(0xffffff);
        // the last frame holds every value
        assertThat(frames.rgb(4, out10[0] + a.cellSize() / 2, out10[1] + 6)).isEqualTo(ColorMap.VIRIDIS.at(7 / 9.0).getRGB() & 0xffffff);
        assertThat(frames.frames.get(4).delayCentis()).isEqualTo(200);
        assertThat(frames.frames.get(0).delayCentis()).isEqualTo(25);
        for (int f = 0; f < a.frameCount(); f++) {
            BufferedImage drawn = a.render(f);
            for (int y = 0; y < drawn.getHeight(); y += 7) {
                for (int x = 0; x < drawn.getWidth(); x += 7) {
                    assertThat(frames.rgb(f, x, y)).as("frame %d at (%d, %d)", f, x, y).isEqualTo(drawn.getRGB(x, y) & 0xffffff);
                }
            }
        }
    }

    @Test
    void averagePoolingSpellsTheSumAndItsDivisorAndMarksTheCountedCells() {
        PoolLayer avg = PoolLayer.average(PoolSpec.of(Hw.of(2)).withStride(Hw.of(2)).withPadding(Padding.explicit(1, 1, 1, 1))
                .withCountIncludePad(false));
        PoolAnimation a = PoolAnimation.of(KNOWN, avg, 0, 100, 4, "");
        assertThat(a.frameCount()).isEqualTo(9 + 1);
        // window (0, 0) holds three padded cells and the 1: the divisor leaves the padding out
        assertThat(String.join(" ", a.caption(0))).isEqualTo("out[0][0][0] = (0.00 + 0.00 + 0.00 + 1.00) / 1 = 1.00 / 1 = 1.00;"
                + " the divisor leaves out the 3 padded cells");
        assertThat(a.value(0, 1, 1)).isEqualTo((3 + 4 + 2 + 8) / 4.0);
        BufferedImage f0 = a.render(0);
        int[] one = a.inputCell(0, 0);
        int[] padded = a.inputCell(-1, -1);
        int sq = Math.max(4, a.cellSize() / 6);
        int red = PoolAnimation.WINNER.getRGB() & 0xffffff;
        assertThat(f0.getRGB(one[0] + a.cellSize() - 2 - sq / 2, one[1] + 2 + sq / 2) & 0xffffff).as("counted").isEqualTo(red);
        assertThat(f0.getRGB(padded[0] + a.cellSize() - 2 - sq / 2, padded[1] + 2 + sq / 2) & 0xffffff).as("not counted")
                .isEqualTo(PoolAnimation.PADDING.getRGB() & 0xffffff);
        PoolLayer include = avg.withSpec(avg.spec().withCountIncludePad(true));
        PoolAnimation b = PoolAnimation.of(KNOWN, include, 0, 100, 4, "");
        assertThat(String.join(" ", b.caption(0))).contains(") / 4 = 1.00 / 4 = 0.25; the divisor counts the 3 padded cells");
        assertThat(b.render(0).getRGB(padded[0] + a.cellSize() - 2 - sq / 2, padded[1] + 2 + sq / 2) & 0xffffff).isEqualTo(red);
    }

    @Test
    void sampledFramesStillFillInEveryValueFromTheTaps() {
        Random r = new Random(3);
        Tensor x = Tensor.fill(DType.FLOAT64, new int[] {2, 3, 7, 6}, i -> r.nextGaussian());
        PoolLayer layer = PoolLayer.max(PoolSpec.of(Hw.of(3)).withStride(Hw.of(2)).withPadding(Padding.explicit(1, 1, 1, 1)).withCeilMode(true));
        Tensor out = layer.forward(x).activated();
        PoolAnimation a = PoolAnimation.of(x, layer, 1, 6, 4, "");
        assertThat(a.totalSteps()).isEqualTo(3 * out.dim(2) * out.dim(3));
        assertThat(a.frameCount()).isEqualTo(6);
        assertThat(a.position(0)).containsExactly(0, 0, 0);
        assertThat(a.position(4)).containsExactly(2, out.dim(2) - 1, out.dim(3) - 1);
        assertThat(a.position(5)).isNull();
        assertThat(String.join(" ", a.caption(0))).contains("(6 of " + (a.totalSteps() + 1) + " frames shown)");
        for (int c = 0; c < 3; c++) {
            for (int h = 0; h < out.dim(2); h++) {
                for (int w = 0; w < out.dim(3); w++) {
                    assertThat(a.value(c, h, w)).isEqualTo(out.get(1, c, h, w));
                }
            }
        }
        assertThat(a.render(5).getWidth()).isEqualTo(a.width());
        assertThatThrownBy(() -> PoolAnimation.of(x, layer, 2, 6, 4, "")).hasMessageContaining("batch index in 0..1");
    }
}
