package convlab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Activation;
import convlab.core.ConvTransposeLayer;
import convlab.core.ConvTransposeSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.verify.Comparison;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engines against the reference {@link convlab.core.ConvTranspose2d}: a seeded sweep of transposed convolutions
 * (groups, dilation, every padding form, output padding, output shapes, float32 and float64), what each engine
 * composes, what it refuses, and the finding the sweep made (SAME mode with a negative crop).
 */
class ConvTransposeEnginesTest {

    static Tensor random(Random r, DType t, int... shape) {
        return Tensor.fill(t, shape, i -> r.nextGaussian());
    }

    record Sample(Tensor input, ConvTransposeLayer layer) {
    }

    static Sample sample(Random r) {
        while (true) {
            int groups = r.nextInt(4) == 0 ? 2 : 1;
            int cg = 1 + r.nextInt(3);
            int og = 1 + r.nextInt(3);
            Padding[] paddings = {Padding.valid(), Padding.same(), Padding.sameLower(), Padding.symmetric(r.nextInt(2)),
                Padding.of(r.nextInt(2), r.nextInt(3)), Padding.explicit(r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3))};
            Hw stride = new Hw(1 + r.nextInt(3), 1 + r.nextInt(3));
            int h = 1 + r.nextInt(5);
            int w = 1 + r.nextInt(5);
            ConvTransposeSpec spec = ConvTransposeSpec.defaults()
                    .withStride(stride)
                    .withDilation(r.nextInt(4) == 0 ? new Hw(1 + r.nextInt(2), 1 + r.nextInt(2)) : Hw.of(1))
                    .withPadding(paddings[r.nextInt(paddings.length)])
                    .withOutputPadding(r.nextInt(3) == 0 ? new Hw(r.nextInt(2), r.nextInt(2)) : Hw.of(0))
                    .withOutputShape(r.nextInt(5) == 0 ? new Hw(Math.max(1, h * stride.h() + r.nextInt(3) - 1), Math.max(1, w * stride.w() + r.nextInt(3) - 1)) : null)
                    .withGroups(groups)
                    .withActivation(Activation.values()[r.nextInt(Activation.values().length)]);
            DType t = r.nextBoolean() ? DType.FLOAT64 : DType.FLOAT32;
            ConvTransposeLayer layer = new ConvTransposeLayer(random(r, t, groups * cg, og, 1 + r.nextInt(4), 1 + r.nextInt(4)),
                    r.nextBoolean() ? random(r, t, groups * og) : null, spec);
            Tensor x = random(r, t, 1 + r.nextInt(2), groups * cg, h, w);
            try {
                layer.geometry(x.shape());
                return new Sample(x, layer);
            } catch (Geometry.ShapeException e) {
                // draw again
            }
        }
    }

    /** The total same crop on one axis, FH - in*s: negative when the stride outruns the kernel's span. */
    static long sameTotal(int in, int k, int s, int d) {
        return (long) (in - 1) * s + (long) (k - 1) * d + 1 - (long) in * s;
    }

    /** ND4J's deconv2d SAME mode and DL4J's ConvolutionMode.Same get these wrong: see {@link #findingSameModeShiftsWhenTheStrideOutrunsTheKernel}. */
    static boolean negativeSameCrop(Tensor x, ConvTransposeLayer l) {
        ConvTransposeSpec s = l.spec();
        return s.padding().equals(Padding.same()) && s.outputPadding().equals(Hw.of(0)) && s.outputShape() == null
                && (sameTotal(x.dim(2), l.kernel().h(), s.stride().h(), s.dilation().h()) <= -2
                || sameTotal(x.dim(3), l.kernel().w(), s.stride().w(), s.dilation().w()) <= -2);
    }

    static Comparison compare(LayerRun run, Tensor ref) {
        return Comparison.of(run.output(), ref, Tolerance.forType(run.computedIn()));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyEngineAgreesOrSaysWhyNot(long seed) {
        Sample s = sample(new Random(seed));
        Tensor ref = s.layer().forward(s.input()).activated();
        for (Engine e : Engines.frameworks()) {
            LayerRun run = e.run(s.input(), List.of(s.layer())).get(0);
            String where = "seed " + seed + " " + e.name() + " " + s.layer() + " on " + s.input().shapeString() + ": " + run.message();
            if (e.name().equals("dl4j") && run.status() == LayerRun.Status.UNSUPPORTED) {
                assertThat(run.message()).as(where).startsWith("DL4J Deconvolution2D ");
                assertThat(Dl4jConvTranspose.unsupportedBecause(s.layer(), s.input().shape())).as(where).isEqualTo(run.message());
                continue;
            }
            assertThat(run.status()).as(where).isEqualTo(LayerRun.Status.OK);
            Comparison c = compare(run, ref);
            assertThat(c.agree()).as("%s: %s", where, c.summary()).isEqualTo(!negativeSameCrop(s.input(), s.layer()));
        }
    }

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.rangeClosed(1, 120);
    }

    @Test
    void whatDeconv2dCannotSayIsComposedAndNoted() {
        Random r = new Random(7);
        Tensor x = random(r, DType.FLOAT64, 1, 4, 3, 4);
        ConvTransposeSpec spec = ConvTransposeSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.explicit(1, 0, 2, 1))
                .withOutputPadding(Hw.of(1)).withGroups(2).withActivation(Activation.RELU);
        ConvTransposeLayer layer = new ConvTransposeLayer(random(r, DType.FLOAT64, 4, 3, 3, 3), random(r, DType.FLOAT64, 6), spec);
        Tensor ref = layer.forward(x).activated();
        for (String name : List.of("nd4j", "nd4j-onednn")) {
            LayerRun run = Engines.named(name).run(x, List.of(layer)).get(0);
            assertThat(run.status()).as(name + ": " + run.message()).isEqualTo(LayerRun.Status.OK);
            assertThat(compare(run, ref).agree()).as(name).isTrue();
            assertThat(run.notes()).as(name).anyMatch(n -> n.startsWith("groups=2 composed: deconv2d has no groups argument"));
            assertThat(run.notes()).as(name).anyMatch(n -> n.startsWith("composed: valid deconv2d (full output 7x9) without bias, Nd4j.pad(CONSTANT 0)")
                    && n.endsWith("because deconv2d has no output padding"));
        }
        LayerRun dl4j = Engines.named("dl4j").run(x, List.of(layer)).get(0);
        assertThat(dl4j.status()).isEqualTo(LayerRun.Status.UNSUPPORTED);
        assertThat(dl4j.message()).isEqualTo("DL4J Deconvolution2D has no groups, but found groups=2");
    }

    @Test
    void oneDnnsNotesSayWhenADilatedLayerRanTheBuiltInKernel() {
        Random r = new Random(9);
        Tensor x = random(r, DType.FLOAT32, 1, 2, 4, 4);
        ConvTransposeLayer dilated = new ConvTransposeLayer(random(r, DType.FLOAT32, 2, 2, 3, 3), null,
                ConvTransposeSpec.defaults().withStride(Hw.of(2)).withDilation(new Hw(2, 1)));
        LayerRun onednn = Engines.named("nd4j-onednn").run(x, List.of(dilated)).get(0);
        assertThat(compare(onednn, dilated.forward(x).activated()).agree()).isTrue();
        assertThat(onednn.notes()).contains("dilation 2x1: libnd4j's oneDNN deconv2d helper takes dilation 1 only, so this ran"
                + " deconv2d's built-in kernel (in float32)");
        assertThat(Engines.named("nd4j").run(x, List.of(dilated)).get(0).notes()).noneMatch(n -> n.contains("oneDNN"));
        ConvTransposeLayer plain = dilated.withSpec(dilated.spec().withDilation(Hw.of(1)));
        assertThat(Engines.named("nd4j-onednn").run(x, List.of(plain)).get(0).notes()).noneMatch(n -> n.contains("oneDNN"));
        ConvTransposeLayer plain64 = new ConvTransposeLayer(plain.weights().as(DType.FLOAT64), null, plain.spec());
        assertThat(Engines.named("nd4j-onednn").run(x.as(DType.FLOAT64), List.of(plain64)).get(0).notes())
                .contains("float64 input cast to float32: oneDNN's transposed convolution (deconv2d) takes float32 only");
    }

    @Test
    void aStackMayMixConv2dAndItsTranspose() {
        Random r = new Random(3);
        Tensor x = random(r, DType.FLOAT64, 2, 3, 8, 8);
        convlab.core.ConvLayer down = new convlab.core.ConvLayer(random(r, DType.FLOAT64, 4, 3, 3, 3), random(r, DType.FLOAT64, 4),
                convlab.core.ConvSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.symmetric(1)).withActivation(Activation.RELU));
        ConvTransposeLayer up = new ConvTransposeLayer(random(r, DType.FLOAT64, 4, 3, 4, 4), random(r, DType.FLOAT64, 3),
                ConvTransposeSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.symmetric(1)));
        var outputs = convlab.core.Layer.forwardAll(x, List.of(down, up));
        assertThat(outputs.get(1).activated().shape()).containsExactly(2, 3, 8, 8);
        for (Engine e : Engines.frameworks()) {
            List<LayerRun> runs = e.run(x, List.of(down, up));
            for (int k = 0; k < 2; k++) {
                assertThat(runs.get(k).status()).as(e.name() + " layer " + (k + 1) + ": " + runs.get(k).message()).isEqualTo(LayerRun.Status.OK);
                assertThat(compare(runs.get(k), outputs.get(k).activated()).agree()).as(e.name() + " layer " + (k + 1)).isTrue();
            }
        }
    }

    @Test
    void zeroSizeLayersAreRefusedBeforeAnyNativeCall() {
        ConvTransposeLayer layer = new ConvTransposeLayer(Tensor.zeros(DType.FLOAT32, 2, 3, 2, 2), Tensor.zeros(DType.FLOAT32, 3));
        Tensor empty = Tensor.zeros(DType.FLOAT32, 0, 2, 3, 3);
        assertThat(layer.forward(empty).activated().shape()).containsExactly(0, 3, 4, 4);
        for (Engine e : Engines.frameworks()) {
            LayerRun run = e.run(empty, List.of(layer)).get(0);
            assertThat(run.status()).as(e.name()).isNotEqualTo(LayerRun.Status.OK);
            assertThat(run.status()).as(e.name()).isEqualTo(LayerRun.Status.UNSUPPORTED); // GuardedEngine, for every op
            assertThat(run.message()).as(e.name()).contains("the input 0x2x3x3 has no elements").contains("SIGFPE");
        }
    }

    /**
     * Finding (ND4J/DL4J 1.0.0-M2.1): with {@code same} and a stride longer than the kernel's span, the full output
     * is shorter than {@code H*s}; the total crop is negative. PyTorch, TensorFlow and ONNX append the missing rows as
     * zeros at the bottom; libnd4j's deconv2d SAME mode computes its crop as {@code (FH - H*s) / 2} with C++'s
     * truncating division, a negative padding when the total is -2 or less, and shifts every stamp down by it.
     * DL4J's {@code ConvolutionMode.Same} runs the same op. A total of -1 truncates to 0 and comes out right.
     */
    @Test
    void findingSameModeShiftsWhenTheStrideOutrunsTheKernel() {
        // 1x1 kernel, stride 3 along a row of 2: full output 4 columns (values at 0 and 3), SAME output 6: crop -2.
        Tensor x = Tensor.of(DType.FLOAT64, new int[] {1, 1, 1, 2}, new double[] {1, 2});
        ConvTransposeLayer layer = new ConvTransposeLayer(Tensor.of(DType.FLOAT64, new int[] {1, 1, 1, 1}, new double[] {1}), null,
                ConvTransposeSpec.defaults().withStride(new Hw(1, 3)).withPadding(Padding.same()));
        assertThat(layer.forward(x).activated().toArray()).containsExactly(1, 0, 0, 2, 0, 0);
        for (Engine e : Engines.frameworks()) {
            LayerRun run = e.run(x, List.of(layer)).get(0);
            assertThat(run.status()).as(e.name() + ": " + run.message()).isEqualTo(LayerRun.Status.OK);
            assertThat(run.output().toArray()).as(e.name() + ": the stamps one column right of where they belong")
                    .containsExactly(0, 1, 0, 0, 2, 0);
        }
        // stride 2 with the same kernel: total -1, truncated to 0, right.
        ConvTransposeLayer stride2 = layer.withSpec(layer.spec().withStride(new Hw(1, 2)));
        for (Engine e : Engines.frameworks()) {
            assertThat(e.run(x, List.of(stride2)).get(0).output().toArray()).as(e.name()).containsExactly(1, 0, 2, 0);
        }
    }
}
