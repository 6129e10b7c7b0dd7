package convlab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Activation;
import convlab.core.Backward;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.ConvTransposeLayer;
import convlab.core.ConvTransposeSpec;
import convlab.core.DType;
import convlab.core.Gradients;
import convlab.core.Hw;
import convlab.core.Layer;
import convlab.core.Op;
import convlab.core.Padding;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import convlab.core.Tensor;
import convlab.engine.LayerRun.Status;
import convlab.io.Case;
import convlab.verify.CaseResult;
import convlab.verify.ConvTransposeSampler;
import convlab.verify.GradientResult;
import convlab.verify.Outcome;
import convlab.verify.PoolSampler;
import convlab.verify.Verifier;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engines' backward passes of conv_transpose2d and pooling against the reference ({@link Backward}, through
 * {@link GradientCheck}, the verifier's own comparison and error bound), on the sweep's samplers: every engine's
 * dL/dx, dL/dw and dL/db agree, or the engine's result is one of the findings named here (tests named
 * {@code finding...} pin what ND4J/DL4J 1.0.0-M2.1 do today).
 */
class EngineBackwardOpsTest {

    static final long SEED = 20261201L;

    /** What oneDNN's deconv2d_bp says for any dilation, and for a negative SAME crop where nothing is dilated. */
    static final String ONEDNN_DECONV_BP_MESSAGE =
            "Op [deconv2d_bp] execution failed with message could not create a descriptor for a dilated convolution forward propagation primitive";

    @BeforeAll
    static void start() {
        Engines.all();
    }

    static IntStream transposed() {
        return IntStream.range(0, 60);
    }

    static IntStream pooled() {
        return IntStream.range(0, 40);
    }

    /** The verifier's result for a one-layer case, its gradients from a seeded random dy, every engine. */
    static CaseResult check(Case c, long seed) {
        CaseResult r = new Verifier(Engines.frameworks()).withGradients(seed).verify(c);
        assertThat(r.gradients()).as("%s: %s", c.name(), r.problem()).isNotNull();
        return r;
    }

    /** The engine's forward outcome in the result. */
    static Outcome forward(CaseResult r, String engine) {
        return r.layers().get(0).engines().stream().filter(e -> e.engine().equals(engine)).findFirst().orElseThrow().outcome();
    }

    /** ND4J's SAME mode pads negatively (data/discrepancies/nd4j-pool-same-negative-padding): a total of -2 or less on an axis. */
    static boolean samePadsNegatively(Tensor x, PoolLayer layer) {
        PoolSpec s = layer.spec();
        return s.padding().equals(Padding.same()) && layer.geometry(x.shape()).extraBottom() == 0 && layer.geometry(x.shape()).extraRight() == 0
                && (sameTotal(x.dim(2), s.kernel().h(), s.stride().h(), s.dilation().h()) <= -2
                || sameTotal(x.dim(3), s.kernel().w(), s.stride().w(), s.dilation().w()) <= -2);
    }

    /** SAME's total padding on one axis as ND4J computes it, unclamped: {@code (ceil(in/s) - 1)*s + (k-1)*d + 1 - in}. */
    private static long sameTotal(int in, int k, int s, int d) {
        return ((long) (in + s - 1) / s - 1) * s + (long) (k - 1) * d + 1 - in;
    }

    static boolean dilated(Hw d, Hw k) {
        return (d.h() > 1 && k.h() > 1) || (d.w() > 1 && k.w() > 1);
    }

    @ParameterizedTest(name = "configuration {0}")
    @MethodSource("transposed")
    void transposedGradientsAgreeOrFailAsKnown(int index) {
        Case c = new ConvTransposeSampler(SEED).sample(index).kase();
        ConvTransposeLayer layer = (ConvTransposeLayer) c.layerList().get(0);
        boolean negativeSame = ConvTransposeEnginesTest.negativeSameCrop(c.input(), layer);
        boolean dilated = dilated(layer.spec().dilation(), layer.kernel());
        String dl4jUnsupported = Dl4jConvTranspose.unsupportedBecause(layer, c.input().shape());
        for (GradientResult.EngineGradients e : check(c, SEED + index).gradients().layers().get(0).engines()) {
            String what = e.engine() + " on " + c.name() + " (seed " + SEED + ", configuration " + index + ") " + layer + " on "
                    + c.input().shapeString() + " " + c.dtype() + ": " + e.run().message() + " " + e.run().notes();
            switch (e.engine()) {
                case "nd4j" -> assertThat(e.status()).as(what).isEqualTo(negativeSame ? "disagree" : "agree");
                case "nd4j-onednn" -> {
                    if (dilated || negativeSame) {
                        assertThat(e.status()).as("FINDING oneDNN's deconv2d_bp: " + what).isEqualTo("error");
                        assertThat(e.run().message()).as(what).isEqualTo(ONEDNN_DECONV_BP_MESSAGE);
                    } else {
                        assertThat(e.status()).as(what).isEqualTo("agree");
                        assertThat(e.run().computedIn()).isEqualTo(DType.FLOAT32);
                    }
                }
                case "dl4j" -> {
                    if (dl4jUnsupported != null) {
                        assertThat(e.status()).as(what).isEqualTo("unsupported");
                        assertThat(e.run().message()).as(what).isEqualTo(dl4jUnsupported);
                    } else if (dilated && c.dtype() == DType.FLOAT32) { // DL4J leaves the helpers on: float32 reaches oneDNN
                        assertThat(e.status()).as("FINDING DL4J's Deconvolution2D backprop: " + what).isEqualTo("error");
                        assertThat(e.run().message()).as(what).isEqualTo(ONEDNN_DECONV_BP_MESSAGE);
                    } else {
                        assertThat(e.status()).as(what).isEqualTo(negativeSame ? "disagree" : "agree");
                    }
                }
                default -> throw new AssertionError("an engine this test does not know: " + e.engine());
            }
        }
    }

    @ParameterizedTest(name = "configuration {0}")
    @MethodSource("pooled")
    void maxPoolingGradientsAgreeOrFailAsKnown(int index) {
        pooling(Op.MAX_POOL2D, index);
    }

    @ParameterizedTest(name = "configuration {0}")
    @MethodSource("pooled")
    void averagePoolingGradientsAgreeOrFailAsKnown(int index) {
        pooling(Op.AVG_POOL2D, index);
    }

    private static void pooling(Op op, int index) {
        Case c = new PoolSampler(SEED, op).sample(index).kase();
        PoolLayer layer = (PoolLayer) c.layerList().get(0);
        String dl4jUnsupported = Dl4jPooling.unsupportedBecause(layer, c.input().shape());
        boolean negativeSame = samePadsNegatively(c.input(), layer);
        boolean oneDnnDilation = layer.isMax() && dilated(layer.spec().dilation(), layer.spec().kernel());
        CaseResult r = check(c, SEED + index);
        for (GradientResult.EngineGradients e : r.gradients().layers().get(0).engines()) {
            String what = e.engine() + " on " + c.name() + " (seed " + SEED + ", configuration " + index + ") " + layer + " on "
                    + c.input().shapeString() + " " + c.dtype() + ": " + e.run().message() + " " + e.run().notes();
            if (e.engine().equals("dl4j") && dl4jUnsupported != null) {
                assertThat(e.status()).as(what).isEqualTo("unsupported");
                assertThat(e.run().message()).as(what).isEqualTo(dl4jUnsupported);
                continue;
            }
            boolean viaOneDnn = e.engine().equals("nd4j-onednn") || (e.engine().equals("dl4j") && c.dtype() == DType.FLOAT32);
            if (negativeSame && e.engine().equals("dl4j")) {
                assertThat(e.status()).as("FINDING " + what).isEqualTo("error");
                assertThat(e.run().message()).as(what).startsWith("Invalid padding values calculated");
                continue;
            } else if (negativeSame || (oneDnnDilation && viaOneDnn)) {
                // FINDING (data/discrepancies: nd4j-pool-same-negative-padding, onednn-maxpool-dilation): where the forward
                // pass is wrong the backward pass is too, and where it is right (some dilated windows come out right) so is this
                assertThat(e.status()).as("FINDING " + what).isEqualTo(forward(r, e.engine()) == Outcome.AGREE ? "agree" : "disagree");
                assertThat(e.status()).as(what).isIn("agree", "disagree");
            } else {
                assertThat(e.status()).as(what).isEqualTo("agree");
            }
            assertThat(e.run().gradients().gradWeights()).as("pooling has no weights: " + what).isNull();
            assertThat(e.run().gradients().gradBias()).as("nor a bias: " + what).isNull();
        }
    }

    /**
     * Max pooling's ties: PyTorch (and the reference) send a window's gradient to its first largest cell, in row-major
     * window order. Inputs of small integers tie in nearly every window; overlapping windows (stride 1) and padding
     * make the choice matter.
     */
    @Test
    void maxPoolingTiesGoToTheFirstLargestCellInEveryEngine() {
        Random r = new Random(SEED);
        for (int trial = 0; trial < 12; trial++) {
            DType type = trial % 2 == 0 ? DType.FLOAT64 : DType.FLOAT32;
            Tensor x = Tensor.fill(type, new int[] {1, 2, 5 + r.nextInt(3), 5 + r.nextInt(3)}, i -> r.nextInt(3));
            PoolLayer layer = PoolLayer.max(PoolSpec.of(new Hw(2 + r.nextInt(2), 2 + r.nextInt(2))).withStride(new Hw(1 + r.nextInt(2), 1 + r.nextInt(2)))
                    .withPadding(trial % 3 == 0 ? Padding.symmetric(1) : trial % 3 == 1 ? Padding.same() : Padding.valid()));
            Tensor dy = Tensor.fill(type, layer.geometry(x.shape()).outputShape(), i -> 1 + r.nextInt(9));
            Gradients ref = Backward.of(layer, x, dy);
            for (Engine e : Engines.frameworks()) {
                GradRun run = e.backward(x, List.of(layer), dy).get(0);
                EngineBackwardTest.assertGradientsAgree(ref, run, "ties, trial " + trial + " (seed " + SEED + "), " + e.name() + " " + layer + " on "
                        + x.shapeString() + " " + type);
            }
        }
    }

    /** conv, max pool (with an activation: two DL4J layers), transposed conv, average pool: one chain in every engine. */
    @Test
    void aMixedStackChainsThroughEveryEngine() {
        Random r = new Random(5);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 2, 2, 8, 8);
        List<Layer> stack = List.of(
                new ConvLayer(EngineCases.random(r, DType.FLOAT64, 3, 2, 3, 3), EngineCases.random(r, DType.FLOAT64, 3),
                        ConvSpec.defaults().withPadding(Padding.symmetric(1)).withActivation(Activation.RELU)),
                PoolLayer.max(PoolSpec.of(Hw.of(2)).withActivation(Activation.TANH)),
                new ConvTransposeLayer(EngineCases.random(r, DType.FLOAT64, 3, 2, 3, 3), EngineCases.random(r, DType.FLOAT64, 2),
                        ConvTransposeSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.symmetric(1)).withActivation(Activation.SIGMOID)),
                PoolLayer.average(PoolSpec.of(Hw.of(3)).withStride(Hw.of(2)).withPadding(Padding.same()).withCountIncludePad(false)));
        List<Tensor> outs = Layer.forwardAll(x, stack).stream().map(o -> o.activated()).toList();
        Tensor dy = EngineCases.random(r, DType.FLOAT64, outs.get(3).shape());
        List<Gradients> ref = Backward.all(x, stack, dy);
        for (Engine e : Engines.frameworks()) {
            List<GradRun> runs = e.backward(x, stack, dy);
            assertThat(runs).as(e.name()).hasSize(4);
            for (int k = 0; k < 4; k++) {
                EngineBackwardTest.assertGradientsAgree(ref.get(k), runs.get(k), e.name() + " layer " + (k + 1));
            }
            if (e.name().equals("dl4j")) {
                assertThat(runs.get(1).notes()).containsExactly("SubsamplingLayer.backpropGradient", "ActivationLayer.backpropGradient, layer 2 of 4");
                assertThat(runs.get(2).notes()).contains("Deconvolution2D's W gradient [C, O, KH, KW] is IOHW as it is");
            }
        }
    }

    /** What the forward pass composes (output padding, groups, asymmetric crops, ceil mode), the backward pass composes and says so. */
    @Test
    void compositionsBackpropagateThroughTheSameStepsAndSaySo() {
        Random r = new Random(7);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 1, 4, 3, 4);
        ConvTransposeLayer t = new ConvTransposeLayer(EngineCases.random(r, DType.FLOAT64, 4, 3, 3, 3), EngineCases.random(r, DType.FLOAT64, 6),
                ConvTransposeSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.explicit(1, 0, 2, 1)).withOutputPadding(Hw.of(1))
                        .withGroups(2).withActivation(Activation.RELU));
        Tensor dy = EngineCases.random(r, DType.FLOAT64, t.geometry(x.shape()).outputShape());
        GradRun run = Engines.named("nd4j").backward(x, List.of(t), dy).get(0);
        EngineBackwardTest.assertGradientsAgree(Backward.of(t, x, dy), run, "nd4j composed transposed");
        assertThat(String.join("; ", run.notes())).contains("delta placed at the crop").contains("output padding")
                .contains("one deconv2d_bp per group").contains("permuted back to IOHW");
        Tensor px = EngineCases.random(r, DType.FLOAT64, 1, 2, 7, 8);
        for (PoolLayer p : List.of(PoolLayer.average(PoolSpec.of(Hw.of(3)).withStride(Hw.of(2)).withPadding(Padding.symmetric(1)).withCeilMode(true)),
                PoolLayer.max(PoolSpec.of(Hw.of(2)).withStride(Hw.of(1)).withPadding(Padding.sameLower())))) {
            Tensor pdy = EngineCases.random(r, DType.FLOAT64, p.geometry(px.shape()).outputShape());
            GradRun pr = Engines.named("nd4j").backward(px, List.of(p), pdy).get(0);
            EngineBackwardTest.assertGradientsAgree(Backward.of(p, px, pdy), pr, "nd4j composed " + p);
            assertThat(String.join("; ", pr.notes())).contains("composed as in the forward pass").contains(p.isMax() ? "maxpool2d_bp" : "avgpool2d_bp");
        }
    }

    /**
     * FINDING: oneDNN's {@code deconv2d_bp} rejects dilation with a forward-propagation message, where the forward
     * {@code deconv2d} with helpers on quietly runs its built-in kernel and agrees; DL4J's float32
     * {@code Deconvolution2D} backprop (helpers on) fails the same way, its float64 one runs and agrees.
     */
    @Test
    void findingOneDnnDeconv2dBpRejectsDilationThatTheForwardPassTakes() {
        Random r = new Random(13);
        for (DType type : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Tensor x = EngineCases.random(r, type, 1, 2, 4, 4);
            ConvTransposeLayer layer = new ConvTransposeLayer(EngineCases.random(r, type, 2, 2, 3, 3), EngineCases.random(r, type, 2),
                    ConvTransposeSpec.defaults().withDilation(Hw.of(2)));
            Tensor dy = EngineCases.random(r, type, layer.geometry(x.shape()).outputShape());
            Gradients ref = Backward.of(layer, x, dy);
            LayerRun forward = Engines.named("nd4j-onednn").run(x, List.of(layer)).get(0);
            assertThat(forward.status()).as(forward.message()).isEqualTo(Status.OK);
            GradRun onednn = Engines.named("nd4j-onednn").backward(x, List.of(layer), dy).get(0);
            assertThat(onednn.status()).as(type.toString()).isEqualTo(Status.ERROR);
            assertThat(onednn.message()).isEqualTo(ONEDNN_DECONV_BP_MESSAGE);
            EngineBackwardTest.assertGradientsAgree(ref, Engines.named("nd4j").backward(x, List.of(layer), dy).get(0), "nd4j " + type);
            GradRun dl4j = Engines.named("dl4j").backward(x, List.of(layer), dy).get(0);
            if (type == DType.FLOAT32) {
                assertThat(dl4j.status()).isEqualTo(Status.ERROR);
                assertThat(dl4j.message()).isEqualTo(ONEDNN_DECONV_BP_MESSAGE);
            } else {
                EngineBackwardTest.assertGradientsAgree(ref, dl4j, "dl4j float64");
            }
        }
    }

    /**
     * FINDING: where SAME mode computes a negative crop or padding (the stride outruns the window), the engines'
     * backward passes go as wrong as their forward passes (data/discrepancies: nd4j-deconv-same-negative-crop,
     * nd4j-pool-same-negative-padding), and two fail instead: oneDNN's {@code deconv2d_bp} says "dilated
     * convolution" with nothing dilated, and DL4J's {@code SubsamplingLayer}, whose forward pass ran, refuses its
     * backprop ("Invalid padding values calculated").
     */
    @Test
    void findingNegativeSamePaddingBreaksTheBackwardPassesToo() {
        Random r = new Random(17);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 1, 2, 5, 4);
        ConvTransposeLayer t = new ConvTransposeLayer(EngineCases.random(r, DType.FLOAT64, 2, 1, 1, 1), EngineCases.random(r, DType.FLOAT64, 1),
                ConvTransposeSpec.defaults().withStride(Hw.of(3)).withPadding(Padding.same()));
        Tensor dy = EngineCases.random(r, DType.FLOAT64, t.geometry(x.shape()).outputShape());
        Gradients ref = Backward.of(t, x, dy);
        for (String engine : List.of("nd4j", "dl4j")) {
            GradRun run = Engines.named(engine).backward(x, List.of(t), dy).get(0);
            assertThat(run.status()).as(engine + ": " + run.message()).isEqualTo(Status.OK);
            assertThat(EngineBackwardTest.agrees(ref.gradInput(), run.gradients().gradInput(), DType.FLOAT64)).as(engine + " dX").isFalse();
        }
        GradRun onednn = Engines.named("nd4j-onednn").backward(x, List.of(t), dy).get(0);
        assertThat(onednn.status()).isEqualTo(Status.ERROR);
        assertThat(onednn.message()).isEqualTo(ONEDNN_DECONV_BP_MESSAGE);

        Tensor px = EngineCases.random(r, DType.FLOAT64, 1, 3, 7, 12);
        for (PoolLayer p : List.of(PoolLayer.average(PoolSpec.of(Hw.of(1)).withStride(new Hw(2, 3)).withPadding(Padding.same())),
                PoolLayer.max(PoolSpec.of(Hw.of(1)).withStride(new Hw(2, 3)).withPadding(Padding.same())))) {
            assertThat(samePadsNegatively(px, p)).isTrue();
            Tensor pdy = EngineCases.random(r, DType.FLOAT64, p.geometry(px.shape()).outputShape());
            Gradients pref = Backward.of(p, px, pdy);
            for (String engine : List.of("nd4j", "nd4j-onednn")) {
                GradRun run = Engines.named(engine).backward(px, List.of(p), pdy).get(0);
                assertThat(run.status()).as(engine + " " + p + ": " + run.message()).isEqualTo(Status.OK);
                assertThat(EngineBackwardTest.agrees(pref.gradInput(), run.gradients().gradInput(), run.computedIn())).as(engine + " " + p).isFalse();
            }
            assertThat(Engines.named("dl4j").run(px, List.of(p)).get(0).status()).as("dl4j forward " + p).isEqualTo(Status.OK);
            GradRun dl4j = Engines.named("dl4j").backward(px, List.of(p), pdy).get(0);
            assertThat(dl4j.status()).as("dl4j " + p).isEqualTo(Status.ERROR);
            assertThat(dl4j.message()).startsWith("Invalid padding values calculated: [0, -1] - layer configuration is invalid?");
        }
    }
}
