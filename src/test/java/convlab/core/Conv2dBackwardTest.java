package convlab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Conv2dBackward} against a hand-computed case, the folding of each padding mode worked out by hand, central
 * finite differences in float64 on seeded random cases across every feature, and a transposed convolution written
 * in gather form.
 */
class Conv2dBackwardTest {

    static final long SEED = 20261201L;
    static final int CASES = 48;

    static Tensor t(int[] shape, double... v) {
        return Tensor.of(shape, v);
    }

    static Tensor ones(int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, i -> 1.0);
    }

    // The known cases, worked out by hand.

    @Test
    void knownCaseTwoByTwoKernelOnThreeByThree() {
        // x = 1..9 (3x3), w = [[1,2],[3,4]], dy = ones(2x2), no activation.
        // dW[kh][kw] sums the 2x2 block of x starting at (kh, kw): 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28.
        // db = 4 (four outputs). dX[i][j] sums w over the windows that cover (i, j): the centre sees all of w (10).
        Tensor x = Tensor.fill(DType.FLOAT64, new int[] {1, 1, 3, 3}, i -> i[2] * 3 + i[3] + 1);
        ConvLayer layer = new ConvLayer(t(new int[] {1, 1, 2, 2}, 1, 2, 3, 4), t(new int[] {1}, 0.5));
        Gradients g = Conv2dBackward.backward(x, layer, ones(1, 1, 2, 2));
        assertThat(g.gradWeights().toArray()).containsExactly(12, 16, 24, 28);
        assertThat(g.gradBias().toArray()).containsExactly(4);
        assertThat(g.gradInput().toArray()).containsExactly(1, 3, 2, 4, 10, 6, 3, 7, 4);
    }

    @Test
    void reluPassesTheGradientOnlyWherePreActivationIsPositive() {
        // w = [1, -1] on one input cell of 2: pre = [2, -2]; relu lets dy through on channel 0 only.
        ConvLayer layer = new ConvLayer(t(new int[] {2, 1, 1, 1}, 1, -1), t(new int[] {2}, 0, 0),
                ConvSpec.defaults().withActivation(Activation.RELU));
        Gradients g = Conv2dBackward.backward(t(new int[] {1, 1, 1, 1}, 2), layer, t(new int[] {1, 2, 1, 1}, 3, 5));
        assertThat(g.gradBias().toArray()).containsExactly(3, 0);
        assertThat(g.gradWeights().toArray()).containsExactly(6, 0);
        assertThat(g.gradInput().toArray()).containsExactly(3);
    }

    /**
     * Input [1, 2, 3], kernel [1, 1, 1], one column of padding each side, dy = ones: the padded row has 5 cells used
     * by 1, 2, 3, 2, 1 windows. The two padded cells send their shares to the cells they copy: reflect copies x[1]
     * twice (dX = [2, 3+1+1, 2]), replicate the edges ([1+2, 3, 2+1]), circular the far edges ([2+1, 3, 1+2]).
     */
    @Test
    void paddingModesFoldTheGradientBackOntoTheCopiedCells() {
        Tensor x = t(new int[] {1, 1, 1, 3}, 1, 2, 3);
        Tensor dy = ones(1, 1, 1, 3);
        assertThat(dxWithMode(x, dy, PaddingMode.ZEROS)).containsExactly(2, 3, 2);
        assertThat(dxWithMode(x, dy, PaddingMode.REFLECT)).containsExactly(2, 5, 2);
        assertThat(dxWithMode(x, dy, PaddingMode.REPLICATE)).containsExactly(3, 3, 3);
        assertThat(dxWithMode(x, dy, PaddingMode.CIRCULAR)).containsExactly(3, 3, 3);
        // circular and replicate agree on dX here, but not on dW: the left pad reads x[2]=3 (circular) or x[0]=1.
        ConvSpec base = ConvSpec.defaults().withPadding(Padding.explicit(0, 0, 1, 1));
        ConvLayer layer = new ConvLayer(ones(1, 1, 1, 3), null, base.withPaddingMode(PaddingMode.CIRCULAR));
        // padded row 3,1,2,3,1: dW[kw] sums the three windows' kw-th cells: 3+1+2, 1+2+3, 2+3+1
        assertThat(Conv2dBackward.backward(x, layer, dy).gradWeights().toArray()).containsExactly(6, 6, 6);
        layer = layer.withSpec(base.withPaddingMode(PaddingMode.REPLICATE));
        // padded row 1,1,2,3,3: 1+1+2, 1+2+3, 2+3+3
        assertThat(Conv2dBackward.backward(x, layer, dy).gradWeights().toArray()).containsExactly(4, 6, 8);
    }

    private static double[] dxWithMode(Tensor x, Tensor dy, PaddingMode mode) {
        ConvSpec spec = ConvSpec.defaults().withPadding(Padding.explicit(0, 0, 1, 1)).withPaddingMode(mode);
        return Conv2dBackward.backward(x, new ConvLayer(ones(1, 1, 1, 3), null, spec), dy).gradInput().toArray();
    }

    @Test
    void aNaNInTheInputReachesOnlyTheWeightGradientWithoutAnActivation() {
        // x has a NaN at (1, 1); w is 2x2 ones, dy ones: dW reads x, so each of its four cells sums the NaN once;
        // dX and db read only delta = dy (no activation), so they stay numbers.
        Tensor x = t(new int[] {1, 1, 3, 3}, 1, 2, 3, 4, Double.NaN, 6, 7, 8, 9);
        Gradients g = Conv2dBackward.backward(x, new ConvLayer(ones(1, 1, 2, 2), t(new int[] {1}, 0)), ones(1, 1, 2, 2));
        assertThat(g.gradWeights().toArray()).containsOnly(Double.NaN);
        assertThat(g.gradInput().toArray()).containsExactly(1, 2, 1, 2, 4, 2, 1, 2, 1);
        assertThat(g.gradBias().toArray()).containsExactly(4);
        // with tanh the NaN output has no derivative: its delta, and what it scatters into dX, are NaN
        ConvLayer tanh = new ConvLayer(ones(1, 1, 2, 2), null, ConvSpec.defaults().withActivation(Activation.TANH));
        assertThat(Conv2dBackward.backward(x, tanh, ones(1, 1, 2, 2)).gradInput().toArray()).containsOnly(Double.NaN);
    }

    @Test
    void aGradOutputOfTheWrongShapeIsRefusedNamingBothShapes() {
        ConvLayer layer = new ConvLayer(ones(1, 1, 2, 2), null);
        assertThatThrownBy(() -> Conv2dBackward.backward(ones(1, 1, 3, 3), layer, ones(1, 1, 3, 3)))
                .isInstanceOf(Geometry.ShapeException.class)
                .hasMessageContaining("1x1x2x2").hasMessageContaining("found 1x1x3x3");
    }

    @Test
    void aStackChainsEachLayersInputGradientIntoTheLayerBelow() {
        Random r = new Random(SEED);
        Tensor x = random(r, 1, 2, 6, 6);
        ConvLayer l1 = new ConvLayer(random(r, 3, 2, 3, 3), random(r, 3), ConvSpec.defaults().withActivation(Activation.TANH));
        ConvLayer l2 = new ConvLayer(random(r, 2, 3, 2, 2), random(r, 2), ConvSpec.defaults().withStride(Hw.of(2)));
        Tensor dy = random(r, 1, 2, 2, 2);
        List<Gradients> g = Backward.all(x, List.of(l1, l2), dy);
        Tensor y1 = l1.forward(x).activated();
        assertThat(g.get(1)).isEqualTo(Conv2dBackward.backward(y1, l2, dy));
        assertThat(g.get(0)).isEqualTo(Conv2dBackward.backward(x, l1, g.get(1).gradInput()));
        // and the chained dL/dx matches finite differences of the whole stack
        double[] fd = finiteDifferences(x, v -> loss(Layer.forwardAll(v, List.of(l1, l2)).get(1).activated(), dy));
        assertClose(g.get(0).gradInput().toArray(), fd, "stack dX, seed " + SEED);
    }

    // Finite differences across every feature.

    /** A seeded case: the index rotates the feature categories, the seed draws everything else. */
    record Case(int index, long seed, Tensor x, ConvLayer layer, Tensor dy) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "#%02d seed=%d x=%s w=%s %s", index, seed, x.shapeString(),
                    layer.weights().shapeString(), layer.spec());
        }
    }

    static Stream<Case> cases() {
        Random master = new Random(SEED);
        return IntStream.range(0, CASES).mapToObj(i -> of(i, master.nextLong()));
    }

    static Case of(int index, long seed) {
        Random r = new Random(seed);
        PaddingMode mode = PaddingMode.values()[index % 4];
        Activation act = Activation.values()[(index / 4) % 4];
        for (int attempt = 0; ; attempt++) {
            Padding padding = switch ((index + index / 16 + attempt) % 5) {
                case 0 -> Padding.valid();
                case 1 -> Padding.same();
                case 2 -> Padding.sameLower();
                case 3 -> Padding.of(r.nextInt(3), r.nextInt(3));
                default -> Padding.explicit(r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3));
            };
            int kind = r.nextInt(3); // 0: one group, 1: groups = 2, 2: depthwise with a channel multiplier
            int groups = kind == 0 ? 1 : kind == 1 ? 2 : 2 + r.nextInt(2);
            int c = kind == 2 ? groups : groups * (1 + r.nextInt(2));
            int o = kind == 2 ? groups * (1 + r.nextInt(2)) : groups * (1 + r.nextInt(2));
            Hw stride = new Hw(1 + r.nextInt(2), 1 + r.nextInt(3));
            Hw dilation = new Hw(1 + r.nextInt(2), 1 + r.nextInt(2));
            ConvSpec spec = new ConvSpec(stride, dilation, padding, mode, groups, act);
            Tensor x = random(r, 1 + r.nextInt(2), c, 3 + r.nextInt(5), 3 + r.nextInt(5));
            ConvLayer layer = new ConvLayer(random(r, o, c / groups, 1 + r.nextInt(3), 1 + r.nextInt(3)), r.nextBoolean() ? random(r, o) : null, spec);
            try {
                Geometry g = Geometry.of(x.shape(), layer);
                if (act == Activation.RELU && nearKink(layer.forward(x).preActivation())) {
                    continue; // a finite difference across relu's kink measures the kink, not the gradient
                }
                return new Case(index, seed, x, layer, random(r, g.outputShape()));
            } catch (Geometry.ShapeException e) {
                if (attempt > 1000) {
                    throw new IllegalStateException("Expected a valid configuration within 1000 draws for case " + index + " seed " + seed, e);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyGradientMatchesCentralFiniteDifferences(Case c) {
        Gradients g = Conv2dBackward.backward(c.x(), c.layer(), c.dy());
        ConvLayer l = c.layer();
        assertClose(g.gradInput().toArray(), finiteDifferences(c.x(), x -> loss(l.forward(x).activated(), c.dy())), "dX " + c);
        assertClose(g.gradWeights().toArray(),
                finiteDifferences(l.weights(), w -> loss(new ConvLayer(w, l.bias(), l.spec()).forward(c.x()).activated(), c.dy())), "dW " + c);
        if (l.bias() != null) {
            assertClose(g.gradBias().toArray(),
                    finiteDifferences(l.bias(), b -> loss(new ConvLayer(l.weights(), b, l.spec()).forward(c.x()).activated(), c.dy())), "db " + c);
        } else {
            assertThat(g.gradBias()).as("no bias, no bias gradient: %s", c).isNull();
        }
    }

    @Test
    void theSweepCoversEveryFeature() {
        List<Case> all = cases().toList();
        assertThat(all.stream().map(c -> c.layer().spec().paddingMode()).distinct()).hasSize(4);
        assertThat(all.stream().map(c -> c.layer().spec().activation()).distinct()).hasSize(4);
        assertThat(all.stream().map(c -> c.layer().spec().padding().getClass()).distinct()).hasSize(3);
        assertThat(all).anyMatch(c -> c.layer().spec().padding().equals(Padding.sameLower()));
        assertThat(all).anyMatch(c -> !c.layer().spec().padding().isSymmetric() && !c.layer().spec().padding().isSame());
        assertThat(all).anyMatch(c -> c.layer().spec().groups() > 1 && c.layer().channelsPerGroup() == 1);
        assertThat(all).anyMatch(c -> c.layer().spec().groups() > 1 && c.layer().channelsPerGroup() > 1);
        assertThat(all).anyMatch(c -> c.layer().spec().stride().h() > 1);
        assertThat(all).anyMatch(c -> c.layer().spec().dilation().w() > 1);
        assertThat(all).anyMatch(c -> c.layer().bias() == null);
    }

    // dX as a transposed convolution.

    /**
     * With zero padding, dX is the transposed convolution of delta with w, written here in gather form (each input
     * cell collects from the outputs whose windows covered it):
     * {@code dX[n][c][ih][iw] = sum_{oc in c's group, kh, kw : oh = (ih+pt-kh*dh)/sh, ow = (iw+pl-kw*dw)/sw exact and in range}
     * delta[n][oc][oh][ow] * w[oc][c-g*Cg][kh][kw]}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void withZeroPaddingTheInputGradientIsATransposedConvolution(Case c) {
        ConvLayer l = c.layer().withSpec(c.layer().spec().withPaddingMode(PaddingMode.ZEROS));
        Geometry g = Geometry.of(c.x().shape(), l);
        ConvSpec s = l.spec();
        Tensor delta = Conv2dBackward.delta(l.forward(c.x()).preActivation(), s.activation(), c.dy());
        Tensor expected = Tensor.fill(DType.FLOAT64, g.inputShape(), i -> {
            int n = i[0], ch = i[1], ih = i[2], iw = i[3];
            int group = ch / g.cg();
            double sum = 0;
            for (int oc = group * g.og(); oc < (group + 1) * g.og(); oc++) {
                for (int kh = 0; kh < g.kernel().h(); kh++) {
                    for (int kw = 0; kw < g.kernel().w(); kw++) {
                        int rh = ih + g.pads().top() - kh * s.dilation().h();
                        int rw = iw + g.pads().left() - kw * s.dilation().w();
                        if (rh < 0 || rw < 0 || rh % s.stride().h() != 0 || rw % s.stride().w() != 0) {
                            continue;
                        }
                        int oh = rh / s.stride().h();
                        int ow = rw / s.stride().w();
                        if (oh < g.oh() && ow < g.ow()) {
                            sum += delta.get(n, oc, oh, ow) * l.weights().get(oc, ch - group * g.cg(), kh, kw);
                        }
                    }
                }
            }
            return sum;
        });
        assertClose(Conv2dBackward.backward(c.x(), l, c.dy()).gradInput().toArray(), expected.toArray(), "transposed conv " + c);
    }

    // helpers

    static Tensor random(Random r, int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, i -> r.nextDouble() * 2 - 1);
    }

    static boolean nearKink(Tensor pre) {
        for (int i = 0; i < pre.size(); i++) {
            if (pre.flat(i) != 0 && Math.abs(pre.flat(i)) < 1e-3) {
                return true;
            }
        }
        return false;
    }

    /** L = sum(dy * y): its gradient for y is dy. */
    static double loss(Tensor y, Tensor dy) {
        double sum = 0;
        for (int i = 0; i < y.size(); i++) {
            sum += y.flat(i) * dy.flat(i);
        }
        return sum;
    }

    /** dL/dv[i] = (L(v + h e_i) - L(v - h e_i)) / 2h for every element, h = 1e-6. */
    static double[] finiteDifferences(Tensor v, java.util.function.ToDoubleFunction<Tensor> loss) {
        double h = 1e-6;
        double[] grad = new double[v.size()];
        double[] data = v.toArray();
        for (int i = 0; i < data.length; i++) {
            double keep = data[i];
            data[i] = keep + h;
            double up = loss.applyAsDouble(Tensor.of(v.shape(), data));
            data[i] = keep - h;
            double down = loss.applyAsDouble(Tensor.of(v.shape(), data));
            data[i] = keep;
            grad[i] = (up - down) / (2 * h);
        }
        return grad;
    }

    static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).as("%s: length", what).hasSameSizeAs(expected);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < actual.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > 1e-6 + 1e-6 * Math.abs(expected[i])) {
                bad.add(String.format(java.util.Locale.ROOT, "[%d] %.9g vs %.9g", i, actual[i], expected[i]));
            }
        }
        assertThat(bad).as("%s: elements off by more than 1e-6 (abs + rel)", what).isEmpty();
        assertThat(actual[0]).as(what).isCloseTo(expected[0], within(1e-6 + 1e-6 * Math.abs(expected[0])));
    }
}
