package convlab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Conv2dTest {

    /** A 1x1xHxW input holding 1, 2, 3, ... in raster order. */
    static Tensor counting(int h, int w) {
        return Tensor.fill(DType.FLOAT64, new int[] {1, 1, h, w}, i -> i[2] * w + i[3] + 1);
    }

    static Tensor ones(int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, i -> 1.0);
    }

    static Tensor random(Random r, int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, i -> r.nextGaussian());
    }

    // The known cases: all-ones 3x3 kernels, values worked out by hand.

    @Test
    void allOnesKernelSumsEachThreeByThreeWindow() {
        // 4x4 input 1..16; valid windows: rows 0-2 cols 0-2 sum = 1+2+3+5+6+7+9+10+11 = 54, then 63, 90, 99.
        Tensor out = Conv2d.forward(counting(4, 4), new ConvLayer(ones(1, 1, 3, 3), null)).activated();
        assertThat(out.shape()).containsExactly(1, 1, 2, 2);
        assertThat(out.toArray()).containsExactly(54, 63, 90, 99);
    }

    @Test
    void zeroPaddingOneKeepsTheSizeAndCornersSeeFourCells() {
        // 3x3 input 1..9, pad 1: corner (0,0) sums 1+2+4+5 = 12; centre sums all = 45; edge (0,1) sums 1+2+3+4+5+6 = 21.
        ConvLayer layer = new ConvLayer(ones(1, 1, 3, 3), null, ConvSpec.defaults().withPadding(Padding.symmetric(1)));
        Tensor out = Conv2d.forward(counting(3, 3), layer).activated();
        assertThat(out.toArray()).containsExactly(12, 21, 16, 27, 45, 33, 24, 39, 28);
    }

    @Test
    void strideTwoSkipsEveryOtherWindow() {
        // 5x5 input 1..25, stride 2, valid: windows at (0,0),(0,2),(2,0),(2,2): 63, 81, 153, 171.
        ConvLayer layer = new ConvLayer(ones(1, 1, 3, 3), null, ConvSpec.defaults().withStride(Hw.of(2)));
        assertThat(Conv2d.forward(counting(5, 5), layer).activated().toArray()).containsExactly(63, 81, 153, 171);
    }

    @Test
    void biasAndReluApplyAfterTheSum() {
        Tensor w = Tensor.of(new int[] {2, 1, 1, 1}, new double[] {1, -1});
        Tensor b = Tensor.of(new int[] {2}, new double[] {0.5, 0.5});
        ConvLayer layer = new ConvLayer(w, b, ConvSpec.defaults().withActivation(Activation.RELU));
        Output out = Conv2d.forward(counting(1, 2), layer);
        assertThat(out.preActivation().toArray()).containsExactly(1.5, 2.5, -0.5, -1.5);
        assertThat(out.activated().toArray()).containsExactly(1.5, 2.5, 0, 0);
    }

    @Test
    void samePaddingWithStrideTwoPutsTheOddPixelBottomRight() {
        // 4x4, k=3, s=2: out = 2, total pad = (2-1)*2 + 3 - 4 = 1 -> top 0, bottom 1.
        Padding.Sides p = Padding.same().resolve(4, 4, Hw.of(3), Hw.of(2), Hw.of(1));
        assertThat(p).isEqualTo(new Padding.Sides(0, 1, 0, 1));
        ConvLayer layer = new ConvLayer(ones(1, 1, 3, 3), null, ConvSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.same()));
        // windows: rows 0-2/cols 0-2 = 1+2+3+5+6+7+9+10+11 = 54; rows 0-2/cols 2-4 (col 4 is padding) = 3+4+7+8+11+12 = 45;
        // rows 2-4/cols 0-2 = 9+10+11+13+14+15 = 72; rows 2-4/cols 2-4 = 11+12+15+16 = 54.
        assertThat(Conv2d.forward(counting(4, 4), layer).activated().toArray()).containsExactly(54, 45, 72, 54);
    }

    @Test
    void paddingModesReadTheRightCells() {
        // 1x3 row [1 2 3], kernel 1x3 of ones, pad left/right 1: reflect -> [2 1 2 3 2], replicate -> [1 1 2 3 3], circular -> [3 1 2 3 1].
        Tensor row = counting(1, 3);
        double[][] expected = {{3, 6, 5}, {5, 6, 7}, {4, 6, 8}, {6, 6, 6}};
        PaddingMode[] modes = PaddingMode.values();
        for (int m = 0; m < modes.length; m++) {
            ConvLayer layer = new ConvLayer(ones(1, 1, 1, 3), null,
                    ConvSpec.defaults().withPadding(Padding.of(0, 1)).withPaddingMode(modes[m]));
            assertThat(Conv2d.forward(row, layer).activated().toArray()).as(modes[m].toString()).containsExactly(expected[m]);
        }
    }

    @Test
    void dilationSpreadsTheKernel() {
        // 5x5 input, 3x3 ones with dilation 2 reads rows/cols 0, 2, 4: 1+3+5+11+13+15+21+23+25 = 117.
        ConvLayer layer = new ConvLayer(ones(1, 1, 3, 3), null, ConvSpec.defaults().withDilation(Hw.of(2)));
        assertThat(Conv2d.forward(counting(5, 5), layer).activated().toArray()).containsExactly(117);
    }

    @Test
    void groupsKeepChannelsApart() {
        // 2 channels, groups 2, 1x1 kernels [2] and [3]: each output is its own channel scaled.
        Tensor x = Tensor.of(new int[] {1, 2, 1, 2}, new double[] {1, 2, 10, 20});
        Tensor w = Tensor.of(new int[] {2, 1, 1, 1}, new double[] {2, 3});
        ConvLayer layer = new ConvLayer(w, null, ConvSpec.defaults().withGroups(2));
        assertThat(Conv2d.forward(x, layer).activated().toArray()).containsExactly(2, 4, 30, 60);
    }

    @Test
    void impossibleConfigsSayWhy() {
        ConvLayer big = new ConvLayer(ones(1, 1, 5, 5), null);
        assertThatThrownBy(() -> Conv2d.forward(counting(3, 3), big)).isInstanceOf(Geometry.ShapeException.class)
                .hasMessageContaining("spans 5 rows").hasMessageContaining("only 3 rows");
        ConvLayer wrongChannels = new ConvLayer(ones(1, 2, 3, 3), null);
        assertThatThrownBy(() -> Conv2d.forward(counting(3, 3), wrongChannels)).hasMessageContaining("C=1")
                .hasMessageContaining("1x2x3x3");
        ConvLayer reflect = new ConvLayer(ones(1, 1, 1, 1), null,
                ConvSpec.defaults().withPadding(Padding.symmetric(3)).withPaddingMode(PaddingMode.REFLECT));
        assertThatThrownBy(() -> Conv2d.forward(counting(3, 3), reflect)).hasMessageContaining("Reflect padding");
    }

    // Properties over seeded random configurations.

    record Config(long seed, int c, int h, int w, int kh, int kw, ConvSpec spec, int filters) {
        @Override
        public String toString() {
            return "seed=" + seed + " C=" + c + " " + h + "x" + w + " k=" + kh + "x" + kw + " O=" + filters + " " + spec;
        }
    }

    static Stream<Config> configs() {
        Random r = new Random(20261124);
        return IntStream.range(0, 40).mapToObj(i -> {
            long seed = r.nextLong();
            Random q = new Random(seed);
            int groups = 1 + q.nextInt(3);
            int c = groups * (1 + q.nextInt(2));
            int filters = groups * (1 + q.nextInt(2));
            Padding p = switch (q.nextInt(4)) {
                case 0 -> Padding.valid();
                case 1 -> Padding.same();
                case 2 -> Padding.of(q.nextInt(2), q.nextInt(2));
                default -> Padding.explicit(q.nextInt(2), q.nextInt(3), q.nextInt(3), q.nextInt(2));
            };
            ConvSpec spec = new ConvSpec(new Hw(1 + q.nextInt(2), 1 + q.nextInt(2)), new Hw(1 + q.nextInt(2), 1 + q.nextInt(2)),
                    p, PaddingMode.values()[q.nextInt(4)], groups, Activation.NONE);
            return new Config(seed, c, 5 + q.nextInt(4), 5 + q.nextInt(4), 1 + q.nextInt(3), 1 + q.nextInt(3), spec, filters);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void isLinearInTheInput(Config cfg) {
        Random r = new Random(cfg.seed());
        Tensor a = random(r, 2, cfg.c(), cfg.h(), cfg.w());
        Tensor b = random(r, 2, cfg.c(), cfg.h(), cfg.w());
        ConvLayer layer = new ConvLayer(random(r, cfg.filters(), cfg.c() / cfg.spec().groups(), cfg.kh(), cfg.kw()), null, cfg.spec());
        double alpha = 1.5;
        double beta = -0.75;
        Tensor mix = Tensor.fill(DType.FLOAT64, a.shape(), i -> alpha * a.get(i) + beta * b.get(i));
        Tensor ya = Conv2d.forward(a, layer).activated();
        Tensor yb = Conv2d.forward(b, layer).activated();
        Tensor ymix = Conv2d.forward(mix, layer).activated();
        for (int i = 0; i < ymix.size(); i++) {
            assertThat(ymix.flat(i)).as("seed %d, element %d", cfg.seed(), i).isCloseTo(alpha * ya.flat(i) + beta * yb.flat(i), within(1e-9));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void tapsSumToTheOutput(Config cfg) {
        Random r = new Random(cfg.seed());
        Tensor x = random(r, 1, cfg.c(), cfg.h(), cfg.w());
        Tensor bias = random(r, cfg.filters());
        ConvLayer layer = new ConvLayer(random(r, cfg.filters(), cfg.c() / cfg.spec().groups(), cfg.kh(), cfg.kw()), bias, cfg.spec());
        Tensor y = Conv2d.forward(x, layer).preActivation();
        for (int i = 0; i < y.size(); i++) {
            int[] idx = y.unravel(i);
            double sum = layer.bias(idx[1]);
            for (Tap t : Conv2d.taps(x, layer, idx[0], idx[1], idx[2], idx[3])) {
                sum += t.product();
            }
            assertThat(sum).as("seed %d at %s", cfg.seed(), List.of(idx[0], idx[1], idx[2], idx[3])).isCloseTo(y.flat(i), within(1e-12));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void identityKernelReturnsTheInput(Config cfg) {
        Random r = new Random(cfg.seed());
        int c = cfg.c();
        Tensor x = random(r, 1, c, cfg.h(), cfg.w());
        // One filter per channel (depthwise), a 3x3 kernel with a single 1 in the centre, same padding, stride 1.
        Tensor w = Tensor.fill(DType.FLOAT64, new int[] {c, 1, 3, 3}, i -> i[2] == 1 && i[3] == 1 ? 1 : 0);
        ConvSpec spec = ConvSpec.defaults().withGroups(c).withPadding(Padding.same()).withPaddingMode(cfg.spec().paddingMode());
        assertThat(Conv2d.forward(x, new ConvLayer(w, null, spec)).activated()).as("seed %d", cfg.seed()).isEqualTo(x);
    }

    @Test
    void outputShapeRuleIsExplainedWithNumbers() {
        ConvLayer layer = new ConvLayer(ones(2, 3, 3, 3), null);
        Geometry g = Geometry.of(new int[] {1, 3, 8, 8}, layer);
        assertThat(g.outputShape()).containsExactly(1, 2, 6, 6);
        assertThat(g.explain().get(0)).isEqualTo("OH = floor((H + p0 + p1 - d*(K-1) - 1) / s) + 1 = floor((8 + 0 + 0 - 1*(3-1) - 1) / 1) + 1 = 6");
        assertThat(g.weightCount()).isEqualTo(54);
        assertThat(g.multiplyAdds()).isEqualTo(2L * 6 * 6 * 27);
    }
}
