package convlab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConvTranspose2dTest {

    static Tensor t(int[] shape, double... values) {
        return Tensor.of(shape, values);
    }

    static Tensor random(Random r, int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, i -> r.nextGaussian());
    }

    /** x = [[1, 2], [3, 4]]; a kernel whose cells are told apart by their digits: [[1, 10], [100, 1000]]. */
    static final Tensor X = t(new int[] {1, 1, 2, 2}, 1, 2, 3, 4);
    static final Tensor DIGITS = t(new int[] {1, 1, 2, 2}, 1, 10, 100, 1000);

    // The known cases, worked out by hand.

    @Test
    void strideTwoStampsEachValueTimesTheKernelSideBySide() {
        // Stride 2 = kernel size: the stamps tile the output; out[2*ih+kh][2*iw+kw] = x[ih][iw] * w[kh][kw].
        ConvTransposeLayer layer = new ConvTransposeLayer(DIGITS, null, ConvTransposeSpec.defaults().withStride(Hw.of(2)));
        Tensor out = layer.forward(X).activated();
        assertThat(out.shape()).containsExactly(1, 1, 4, 4);
        assertThat(out.toArray()).containsExactly(
                1, 10, 2, 20,
                100, 1000, 200, 2000,
                3, 30, 4, 40,
                300, 3000, 400, 4000);
    }

    @Test
    void strideOneOverlapsTheStampsAndAddsThem() {
        // All-ones 2x2 kernel, stride 1: full 3x3; the centre gets all four values, 1+2+3+4 = 10.
        ConvTransposeLayer layer = new ConvTransposeLayer(t(new int[] {1, 1, 2, 2}, 1, 1, 1, 1), null);
        assertThat(layer.forward(X).activated().toArray()).containsExactly(1, 3, 2, 4, 10, 6, 3, 7, 4);
        // Its taps: the four (input, kernel) pairs that land on the centre, each kernel cell meeting the opposite value.
        List<Tap> taps = layer.taps(X, 0, 0, 1, 1);
        assertThat(taps).extracting(Tap::ih, Tap::iw, Tap::kh, Tap::kw).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 1, 0, 0), org.assertj.core.groups.Tuple.tuple(1, 0, 0, 1),
                org.assertj.core.groups.Tuple.tuple(0, 1, 1, 0), org.assertj.core.groups.Tuple.tuple(0, 0, 1, 1));
    }

    @Test
    void paddingCropsAndOutputPaddingAppendsBeforeTheBias() {
        // The stride-2 output above (4x4), one row and column of output padding appended (5x5), then padding
        // [1, 0, 1, 0] crops the top row and left column: rows 1..4, columns 1..4 of the 5x5. The last row and column
        // are the appended zeros, which get the bias like every other cell.
        ConvTransposeSpec spec = ConvTransposeSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.explicit(1, 0, 1, 0)).withOutputPadding(Hw.of(1));
        ConvTransposeLayer layer = new ConvTransposeLayer(DIGITS, t(new int[] {1}, 0.5), spec);
        Tensor out = layer.forward(X).activated();
        assertThat(out.shape()).containsExactly(1, 1, 4, 4);
        assertThat(out.toArray()).containsExactly(
                1000.5, 200.5, 2000.5, 0.5,
                30.5, 4.5, 40.5, 0.5,
                3000.5, 400.5, 4000.5, 0.5,
                0.5, 0.5, 0.5, 0.5);
        // Padding 1 on every side crops the appended row again: the output is rows and columns 1..3 of the full output.
        Tensor cropped = layer.withSpec(spec.withPadding(Padding.symmetric(1))).forward(X).activated();
        assertThat(cropped.toArray()).containsExactly(1000.5, 200.5, 2000.5, 30.5, 4.5, 40.5, 3000.5, 400.5, 4000.5);
    }

    @Test
    void anOutputShapeLargerThanTheFullOutputAddsZeroRowsAtTheBottomRight() {
        // Full output 3x3 (stride 1, 2x2 kernel); outputShape 4x5: one zero row below, two zero columns right, then bias 1.
        ConvTransposeSpec spec = ConvTransposeSpec.defaults().withOutputShape(new Hw(4, 5));
        ConvTransposeLayer layer = new ConvTransposeLayer(t(new int[] {1, 1, 2, 2}, 1, 1, 1, 1), t(new int[] {1}, 1), spec);
        ConvTransposeGeometry g = layer.geometry(X.shape());
        assertThat(g.pads()).isEqualTo(new Padding.Sides(0, -1, 0, -2));
        assertThat(layer.forward(X).activated().toArray()).containsExactly(
                2, 4, 3, 1, 1,
                5, 11, 7, 1, 1,
                4, 8, 5, 1, 1,
                1, 1, 1, 1, 1);
        assertThat(layer.taps(X, 0, 0, 3, 4)).isEmpty();
    }

    @Test
    void sameCropsTheOddRowAtTheBottomAndSameLowerAtTheTop() {
        // Stride 2, 2x2... make the total odd: 3x3 kernel, stride 2, H=2: full 5, output 4, total 1.
        Tensor w = Tensor.fill(DType.FLOAT64, new int[] {1, 1, 3, 3}, i -> 1 + i[2] * 3 + i[3]);
        ConvTransposeSpec same = ConvTransposeSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.same());
        ConvTransposeGeometry g = new ConvTransposeLayer(w, null, same).geometry(X.shape());
        assertThat(g.pads()).isEqualTo(new Padding.Sides(0, 1, 0, 1));
        ConvTransposeGeometry lower = new ConvTransposeLayer(w, null, same.withPadding(Padding.sameLower())).geometry(X.shape());
        assertThat(lower.pads()).isEqualTo(new Padding.Sides(1, 0, 1, 0));
        // ONNX: an output shape with explicit pads ignores the pads and puts the larger half first.
        ConvTransposeGeometry onnx = new ConvTransposeLayer(w, null, same.withPadding(Padding.symmetric(2)).withOutputShape(Hw.of(4)))
                .geometry(X.shape());
        assertThat(onnx.pads()).isEqualTo(new Padding.Sides(1, 0, 1, 0));
    }

    @Test
    void geometryWorksTheSizeRuleThroughInNumbers() {
        // The explain example: 3x4x4 input, 2 filters of 3x3, stride 2, padding 1, output padding 1: 8x8.
        ConvTransposeSpec spec = ConvTransposeSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.symmetric(1)).withOutputPadding(Hw.of(1));
        ConvTransposeGeometry g = new ConvTransposeLayer(Tensor.zeros(DType.FLOAT64, 3, 2, 3, 3), null, spec).geometry(new int[] {1, 3, 4, 4});
        assertThat(g.outputShape()).containsExactly(1, 2, 8, 8);
        assertThat(g.fullH()).isEqualTo(9);
        assertThat(g.explain().get(0)).isEqualTo("FH = (H-1)*s + (K-1)*d + 1 = (4-1)*2 + (3-1)*1 + 1 = 9; "
                + "OH = FH + output_padding - top - bottom = 9 + 1 - 1 - 1 = 8");
        assertThat(g.weightShape()).containsExactly(3, 2, 3, 3);
        // Each of the 3*16 input values meets 2*9 weights; the stamps that fall in the cropped border do not count.
        assertThat(g.multiplyAdds()).isEqualTo(2L * 3 * countLanding(4, 3, 2, 1, 8) * countLanding(4, 3, 2, 1, 8));
        assertThat(g.multiplyAdds()).isLessThan(3L * 16 * 2 * 9);
    }

    static long countLanding(int size, int k, int s, int crop, int out) {
        long n = 0;
        for (int i = 0; i < size; i++) {
            for (int kk = 0; kk < k; kk++) {
                int o = i * s + kk - crop;
                n += o >= 0 && o < out ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void impossibleConfigurationsSayWhyWithTheNumbers() {
        ConvTransposeLayer layer = new ConvTransposeLayer(Tensor.zeros(DType.FLOAT64, 3, 2, 3, 3), null,
                ConvTransposeSpec.defaults().withPadding(Padding.explicit(3, 3, 0, 0)));
        assertThatThrownBy(() -> layer.geometry(new int[] {1, 3, 2, 2})) // full 4 rows, crops 3 + 3
                .isInstanceOf(Geometry.ShapeException.class).hasMessageContaining("crops 3 + 3 rows from a full output of 4 rows");
        assertThatThrownBy(() -> layer.geometry(new int[] {1, 4, 5, 5}))
                .isInstanceOf(Geometry.ShapeException.class).hasMessageContaining("take C=3 input channel(s), but the input 1x4x5x5 has C=4");
        ConvTransposeLayer huge = new ConvTransposeLayer(Tensor.zeros(DType.FLOAT64, 1, 1, 1, 1), null,
                ConvTransposeSpec.defaults().withStride(Hw.of(Integer.MAX_VALUE)));
        assertThatThrownBy(() -> huge.geometry(new int[] {1, 1, 3, 3}))
                .isInstanceOf(Geometry.ShapeException.class).hasMessageContaining("fits an int");
        ConvTransposeLayer wide = new ConvTransposeLayer(Tensor.zeros(DType.FLOAT64, 1, 1, 1, 1), null,
                ConvTransposeSpec.defaults().withStride(Hw.of(50_000)));
        assertThatThrownBy(() -> wide.geometry(new int[] {1, 1, 2, 2})) // full output (2-1)*50000 + 1 = 50001 rows and columns
                .isInstanceOf(Geometry.ShapeException.class).hasMessageContaining("N*O*OH*OW = 1*1*50001*50001 = 2500100001");
        assertThatThrownBy(() -> new ConvTransposeLayer(Tensor.zeros(DType.FLOAT64, 3, 2, 3, 3), null, ConvTransposeSpec.defaults().withGroups(2)))
                .hasMessageContaining("C=3 input channels").hasMessageContaining("groups=2");
        assertThatThrownBy(() -> ConvTransposeSpec.defaults().withOutputPadding(Hw.of(-1))).hasMessageContaining("outputPadding >= 0");
    }

    // The two views, and the adjoint, on seeded random layers.

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 200);
    }

    /**
     * A seeded random valid layer with an input it applies to: groups, strides, dilations, every padding form, output
     * padding and output shapes (also larger than the full output). Also the op's sampler in {@link LayerContractTest}.
     */
    static LayerContractTest.Sample sample(Random r) {
        while (true) {
            int groups = 1 + r.nextInt(2);
            int cg = 1 + r.nextInt(2);
            int og = 1 + r.nextInt(2);
            Padding[] paddings = {Padding.valid(), Padding.same(), Padding.sameLower(),
                Padding.explicit(r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3)), Padding.symmetric(r.nextInt(2))};
            Hw stride = new Hw(1 + r.nextInt(3), 1 + r.nextInt(3));
            int h = 1 + r.nextInt(4);
            int w = 1 + r.nextInt(4);
            Hw outputShape = r.nextInt(4) == 0 ? new Hw(Math.max(1, h * stride.h() + r.nextInt(5) - 2), Math.max(1, w * stride.w() + r.nextInt(5) - 2)) : null;
            ConvTransposeSpec spec = ConvTransposeSpec.defaults()
                    .withStride(stride)
                    .withDilation(new Hw(1 + r.nextInt(2), 1 + r.nextInt(2)))
                    .withPadding(paddings[r.nextInt(paddings.length)])
                    .withOutputPadding(r.nextBoolean() ? Hw.of(0) : new Hw(r.nextInt(3), r.nextInt(3)))
                    .withOutputShape(outputShape)
                    .withGroups(groups)
                    .withActivation(Activation.values()[r.nextInt(Activation.values().length)]);
            Tensor weights = random(r, groups * cg, og, 1 + r.nextInt(3), 1 + r.nextInt(3));
            Tensor bias = r.nextBoolean() ? random(r, groups * og) : null;
            Tensor x = random(r, 1 + r.nextInt(2), groups * cg, h, w);
            ConvTransposeLayer layer = new ConvTransposeLayer(weights, bias, spec);
            try {
                layer.geometry(x.shape());
                return new LayerContractTest.Sample(x, layer);
            } catch (Geometry.ShapeException e) {
                // crops larger than the output: draw again
            }
        }
    }

    /**
     * The second view, built from {@link Conv2d}: zeros inserted between the input values (s-1 of them), the result
     * padded by d*(K-1) - pt on top and d*(K-1) + outputPadding - pb at the bottom (negative: cropped), a stride-1
     * conv2d with the kernel flipped and its in/out channels swapped.
     */
    static Output viaConv2d(Tensor x, ConvTransposeLayer layer) {
        ConvTransposeGeometry g = layer.geometry(x.shape());
        ConvTransposeSpec s = layer.spec();
        int sh = s.stride().h(), sw = s.stride().w(), dh = s.dilation().h(), dw = s.dilation().w();
        int KH = g.kernel().h(), KW = g.kernel().w();
        int top = dh * (KH - 1) - g.pads().top();
        int left = dw * (KW - 1) - g.pads().left();
        int bottom = dh * (KH - 1) + s.outputPadding().h() - g.pads().bottom();
        int right = dw * (KW - 1) + s.outputPadding().w() - g.pads().right();
        int zh = (g.h() - 1) * sh + 1;
        int zw = (g.w() - 1) * sw + 1;
        int[] canvas = {g.n(), g.c(), zh + top + bottom, zw + left + right};
        Tensor spread = Tensor.fill(DType.FLOAT64, canvas, i -> {
            int zr = i[2] - top;
            int zc = i[3] - left;
            boolean onValue = zr >= 0 && zr < zh && zc >= 0 && zc < zw && zr % sh == 0 && zc % sw == 0;
            return onValue ? x.get(i[0], i[1], zr / sh, zc / sw) : 0.0;
        });
        int Cg = g.cg(), Og = g.og();
        Tensor flipped = Tensor.fill(DType.FLOAT64, new int[] {g.o(), Cg, KH, KW}, i -> {
            int group = i[0] / Og;
            return layer.weights().get(group * Cg + i[1], i[0] % Og, KH - 1 - i[2], KW - 1 - i[3]);
        });
        ConvSpec conv = ConvSpec.defaults().withDilation(s.dilation()).withGroups(s.groups()).withActivation(s.activation());
        return Conv2d.forward(spread, new ConvLayer(flipped, layer.bias(), conv));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theScatterLoopsEqualConv2dOverTheZeroInsertedInputWithTheFlippedKernel(long seed) {
        LayerContractTest.Sample s = sample(new Random(seed));
        ConvTransposeLayer layer = (ConvTransposeLayer) s.layer();
        Tensor scatter = layer.forward(s.input()).preActivation();
        Tensor gather = viaConv2d(s.input(), layer).preActivation();
        assertThat(gather.shape()).as("seed %d %s", seed, layer).isEqualTo(scatter.shape());
        for (int i = 0; i < scatter.size(); i++) {
            assertThat(scatter.flat(i)).as("seed %d %s at %d", seed, layer, i).isCloseTo(gather.flat(i), within(1e-12));
        }
    }

    static double dot(Tensor a, Tensor b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += a.flat(i) * b.flat(i);
        }
        return sum;
    }

    /**
     * {@code <conv2d(x, w), y> = <x, conv_transpose2d(y, w)>}: the same weight array, read as OIHW by conv2d and as IOHW
     * by the transpose, with the padding that makes the shapes meet (explicit pads and the stride's remainder as
     * output padding; or same / same_lower with the output shape of x; or ONNX's split with an output shape).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theTransposeIsTheAdjointOfConv2d(long seed) {
        Random r = new Random(seed);
        int groups = 1 + r.nextInt(3);
        int ct = groups * (1 + r.nextInt(2)); // the transpose's input channels = conv2d's filters
        int ot = groups * (1 + r.nextInt(2)); // the transpose's output channels = conv2d's input channels
        Hw k = new Hw(1 + r.nextInt(3), 1 + r.nextInt(3));
        Hw stride = new Hw(1 + r.nextInt(3), 1 + r.nextInt(3));
        Hw dilation = new Hw(1 + r.nextInt(2), 1 + r.nextInt(2));
        Tensor w = random(r, ct, ot / groups, k.h(), k.w());
        int xh = 3 + r.nextInt(6);
        int xw = 3 + r.nextInt(6);
        int form = r.nextInt(3);
        Padding convPadding = form == 0 ? Padding.explicit(r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3))
                : form == 1 ? (r.nextBoolean() ? Padding.same() : Padding.sameLower()) : null;
        ConvSpec convSpec = ConvSpec.defaults().withStride(stride).withDilation(dilation).withGroups(groups);
        ConvTransposeSpec tSpec = ConvTransposeSpec.defaults().withStride(stride).withDilation(dilation).withGroups(groups);
        int[] xShape = {1 + r.nextInt(2), ot, xh, xw};
        Tensor x = random(r, xShape);
        if (form == 2) {
            // ONNX: explicit pads ignored, the output shape decides, larger half of the crop first.
            tSpec = tSpec.withPadding(Padding.symmetric(r.nextInt(3))).withOutputShape(new Hw(xh, xw));
        } else if (form == 1) {
            tSpec = tSpec.withPadding(convPadding).withOutputShape(new Hw(xh, xw));
        }
        ConvTransposeLayer probe = null;
        if (form == 2) {
            // The conv2d partner pads as the transpose crops; the transpose needs y's shape first: conv2d's valid-size rule.
            int h = Math.max(1, (xh - 1) / stride.h() + 1);
            int wd = Math.max(1, (xw - 1) / stride.w() + 1);
            probe = new ConvTransposeLayer(w, null, tSpec);
            Padding.Sides c;
            try {
                c = probe.geometry(new int[] {1, ct, h, wd}).pads();
            } catch (Geometry.ShapeException e) {
                return; // the output shape is too small for this kernel: nothing to test for this seed
            }
            convPadding = Padding.explicit(Math.max(c.top(), 0), Math.max(c.bottom(), 0), Math.max(c.left(), 0), Math.max(c.right(), 0));
            if (c.bottom() < 0 || c.right() < 0) {
                return; // zero rows appended: conv2d would read rows the transpose never wrote; the same forms cover that
            }
        }
        ConvLayer conv = new ConvLayer(w, null, convSpec.withPadding(convPadding));
        Geometry cg;
        try {
            cg = conv.geometry(x.shape());
        } catch (Geometry.ShapeException e) {
            return; // the kernel does not fit this x: nothing to test for this seed
        }
        if (form == 0) {
            long rem = (long) xh + cg.pads().top() + cg.pads().bottom() - ((long) (k.h() - 1) * dilation.h() + 1) - (long) (cg.oh() - 1) * stride.h();
            long remW = (long) xw + cg.pads().left() + cg.pads().right() - ((long) (k.w() - 1) * dilation.w() + 1) - (long) (cg.ow() - 1) * stride.w();
            tSpec = tSpec.withPadding(convPadding).withOutputPadding(new Hw((int) rem, (int) remW));
        }
        Tensor y = random(r, cg.outputShape());
        ConvTransposeLayer transpose = new ConvTransposeLayer(w, null, tSpec);
        Tensor convX = conv.forward(x).preActivation();
        Tensor transposeY = transpose.forward(y).preActivation();
        String where = "seed " + seed + ": " + conv + " and " + transpose;
        assertThat(transposeY.shape()).as(where).isEqualTo(x.shape());
        double left = dot(convX, y);
        double right = dot(x, transposeY);
        assertThat(left).as(where).isCloseTo(right, within(1e-9 * (1 + Math.abs(left))));
    }
}
