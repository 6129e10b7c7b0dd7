package convlab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pooling on inputs small enough to work out by hand (the known cases), then its geometry and its refusals. */
class Pool2dTest {

    /** A 1x1xHxW input holding 1, 2, 3, ... in raster order. */
    static Tensor counting(int h, int w) {
        return Tensor.fill(DType.FLOAT64, new int[] {1, 1, h, w}, i -> i[2] * w + i[3] + 1);
    }

    static double[] run(Tensor x, PoolLayer layer) {
        return layer.forward(x).activated().toArray();
    }

    @Test
    void twoByTwoWindowsOfAFourByFourInput() {
        // 1..16: windows {1,2,5,6} {3,4,7,8} {9,10,13,14} {11,12,15,16}
        assertThat(run(counting(4, 4), PoolLayer.max(PoolSpec.of(Hw.of(2))))).containsExactly(6, 8, 14, 16);
        assertThat(run(counting(4, 4), PoolLayer.average(PoolSpec.of(Hw.of(2))))).containsExactly(3.5, 5.5, 11.5, 13.5);
    }

    @Test
    void ceilModeKeepsTheLastWindowAndNeverCountsItsCellsBeyondTheInput() {
        // 1..9, 2x2 stride 2, ceil: OH = ceil((3-2)/2)+1 = 2. (0,1) = {3,6}/2, (1,0) = {7,8}/2, (1,1) = {9}/1 (PyTorch)
        PoolSpec ceil = PoolSpec.of(Hw.of(2)).withCeilMode(true);
        assertThat(run(counting(3, 3), PoolLayer.average(ceil))).containsExactly(3, 4.5, 7.5, 9);
        assertThat(run(counting(3, 3), PoolLayer.max(ceil))).containsExactly(5, 6, 8, 9);
        assertThat(run(counting(3, 3), PoolLayer.max(PoolSpec.of(Hw.of(2))))).containsExactly(5);
    }

    @Test
    void countIncludePadDecidesWhetherPaddedCellsDivide() {
        // 1..9, 3x3 stride 1 padding 1: the corner window holds 1,2,4,5 (sum 12) and five padded cells
        PoolSpec spec = PoolSpec.of(Hw.of(3)).withStride(Hw.of(1)).withPadding(Padding.symmetric(1));
        assertThat(run(counting(3, 3), PoolLayer.average(spec))[0]).isCloseTo(12.0 / 9, within(1e-15));
        assertThat(run(counting(3, 3), PoolLayer.average(spec.withCountIncludePad(false)))[0]).isEqualTo(3.0);
        assertThat(run(counting(3, 3), PoolLayer.average(spec))[4]).isEqualTo(5.0);
    }

    @Test
    void maxPoolingPadsWithMinusInfinitySoAPaddedCellNeverWins() {
        Tensor negative = counting(3, 3).map(v -> -v);
        PoolSpec spec = PoolSpec.of(Hw.of(3)).withStride(Hw.of(1)).withPadding(Padding.symmetric(1));
        assertThat(run(negative, PoolLayer.max(spec))).containsExactly(-1, -1, -2, -1, -1, -2, -4, -4, -5);
    }

    @Test
    void aNanInAWindowMakesThatMaxNanAndTheAverageToo() {
        Tensor x = Tensor.fill(DType.FLOAT64, new int[] {1, 1, 2, 4}, i -> i[2] == 1 && i[3] == 0 ? Double.NaN : i[3]);
        assertThat(run(x, PoolLayer.max(PoolSpec.of(Hw.of(2))))).containsExactly(Double.NaN, 3);
        assertThat(run(x, PoolLayer.average(PoolSpec.of(Hw.of(2))))).containsExactly(Double.NaN, 2.5);
    }

    @Test
    void theWinnerIsTheFirstLargestTapAndTheDivisorComesFromTheTaps() {
        Tensor x = Tensor.of(new int[] {1, 1, 2, 2}, new double[] {1, 7, 7, 3});
        PoolLayer max = PoolLayer.max(PoolSpec.of(Hw.of(2)));
        List<Tap> taps = max.taps(x, 0, 0, 0, 0);
        assertThat(Pool2d.winner(taps)).isEqualTo(1);
        assertThat(taps).allSatisfy(t -> assertThat(t.w()).isEqualTo(1.0));
        PoolLayer avg = PoolLayer.average(PoolSpec.of(Hw.of(2)).withStride(Hw.of(1)).withPadding(Padding.symmetric(1)));
        List<Tap> corner = avg.taps(x, 0, 0, 0, 0);
        assertThat(corner).hasSize(4);
        assertThat(Pool2d.divisor(corner, true)).isEqualTo(4);
        assertThat(Pool2d.divisor(corner, false)).isEqualTo(1);
    }

    @Test
    void geometryExplainsFloorCeilAndTheDroppedWindow() {
        // H=5, 2x2 stride 2 padding 1, ceil: ceil((5+2-2)/2)+1 = 4, but window 3 starts at 3*2-1 = 5 = H: dropped
        PoolGeometry g = PoolLayer.max(PoolSpec.of(Hw.of(2)).withPadding(Padding.symmetric(1)).withCeilMode(true)).geometry(new int[] {1, 1, 5, 6});
        assertThat(g.outputShape()).containsExactly(1, 1, 3, 4);
        assertThat(g.explain().get(0)).isEqualTo("OH = ceil((H + p0 + p1 - d*(K-1) - 1) / s) + 1 = ceil((5 + 1 + 1 - 1*(2-1) - 1) / 2) + 1 = 4;"
                + " the last window would start at row (4-1)*2 - 1 = 5, past the input and the top/left padding: dropped, so OH = 3");
        assertThat(g.explain().get(1)).endsWith("/ 2) + 1 = 4");
        assertThat(g.extraRight()).isZero();
        // W=8, 3x3 stride 2 padding 1, ceil: ceil((8+2-3)/2)+1 = 5; window 4 starts at column 7 and reaches column 9
        PoolGeometry kept = PoolLayer.max(PoolSpec.of(Hw.of(3)).withStride(Hw.of(2)).withPadding(Padding.symmetric(1)).withCeilMode(true))
                .geometry(new int[] {1, 1, 7, 8});
        assertThat(kept.explain().get(1)).isEqualTo("OW = ceil((W + p0 + p1 - d*(K-1) - 1) / s) + 1 = ceil((8 + 1 + 1 - 1*(3-1) - 1) / 2) + 1 = 5;"
                + " ceil keeps a last window that starts inside the input; it reaches 1 column past the padding, which hold nothing (never picked, never counted)");
        assertThat(kept.extraRight()).isEqualTo(1);
        PoolGeometry same = PoolLayer.average(PoolSpec.of(Hw.of(3)).withStride(Hw.of(2)).withPadding(Padding.same())).geometry(new int[] {1, 2, 8, 7});
        assertThat(same.explain().get(0)).isEqualTo("same padding, rows: OH = ceil(H / s) = ceil(8 / 2) = 4; total = max((OH-1)*s + (KH-1)*d + 1 - H, 0)"
                + " = max((4-1)*2 + (3-1)*1 + 1 - 8, 0) = 1; top = 1 // 2 = 0, bottom = 1 - 0 = 1");
        assertThat(same.outputShape()).containsExactly(1, 2, 4, 4);
        assertThat(same.multiplyAdds()).isEqualTo(2L * 4 * 4 * 9);
    }

    @Test
    void refusesWhatHasNoMeaning() {
        assertThatThrownBy(() -> PoolLayer.average(PoolSpec.of(Hw.of(2)).withDilation(Hw.of(2))))
                .hasMessageContaining("Expected dilation 1 for avg_pool2d").hasMessageContaining("found 2x2");
        assertThatThrownBy(() -> new PoolLayer(Op.CONV2D, PoolSpec.of(Hw.of(2)))).hasMessageContaining("Expected max_pool2d or avg_pool2d");
        PoolLayer onlyPadding = PoolLayer.max(PoolSpec.of(Hw.of(1)).withPadding(Padding.symmetric(1)));
        assertThatThrownBy(() -> onlyPadding.geometry(new int[] {1, 1, 3, 3})).isInstanceOf(Geometry.ShapeException.class)
                .hasMessageContaining("the window of OH index 0 reads rows -1 to -1").hasMessageContaining("only padding");
        assertThatThrownBy(() -> PoolLayer.max(PoolSpec.of(Hw.of(4))).geometry(new int[] {1, 1, 3, 5}))
                .hasMessage("The pooling window spans 4 rows (KH=4, dilation 1), but the padded input has only 3 rows (3 + 0 + 0)");
    }

    @Test
    void describedInWords() {
        PoolLayer l = PoolLayer.average(PoolSpec.of(Hw.of(3)).withStride(Hw.of(2)).withPadding(Padding.symmetric(1)).withCountIncludePad(false).withCeilMode(true));
        assertThat(Describe.layer(l.geometry(new int[] {1, 4, 7, 7}), l)).isEqualTo("4 channels, average pooling 3x3 window, stride 2x2, padding 1"
                + " (top=1 bottom=1 left=1 right=1), padded cells not counted in the divisor, ceil mode, no activation");
        assertThat(l.toString()).isEqualTo("PoolLayer(avg_pool2d, PoolSpec(kernel=3x3, stride=2x2, padding=1, ceilMode, excludePad))");
    }
}
