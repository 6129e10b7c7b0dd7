package convlab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Activation;
import convlab.core.Backward;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Gradients;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.Tensor;
import convlab.engine.EngineCases.Case;
import convlab.engine.LayerRun.Status;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engines' backward passes against {@link Backward}: the engine sweep ({@link EngineCases}) with a seeded dy
 * per case, stacks, and the refusals. Tests named {@code finding...} pin what ND4J/DL4J 1.0.0-M2.1 do today.
 */
class EngineBackwardTest {

    @BeforeAll
    static void start() {
        Engines.all();
    }

    /** dy for a sweep case: uniform in [-1, 1), drawn from the case's seed, in its type. */
    static Tensor dy(Case c) {
        return EngineCases.random(new Random(c.seed() ^ 0x5DEECE66DL), c.dtype(), c.layer().geometry(c.input().shape()).outputShape());
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("convlab.engine.EnginesTest#sweep")
    void sweepGradientsAgreeWithTheReferenceOrFailAsKnown(Case c, String engineName) {
        Tensor dy = dy(c);
        Gradients ref = Backward.of(c.layer(), c.input(), dy);
        List<GradRun> runs = Engines.named(engineName).backward(c.input(), List.of(c.layer()), dy);
        assertThat(runs).hasSize(1);
        GradRun run = runs.get(0);
        String what = engineName + " backward on " + c + "; message: " + run.message();
        if (engineName.equals("im2col")) { // matrix products and col2im, in float64, every conv2d feature
            assertThat(run.status()).as(what).isEqualTo(Status.OK);
            assertThat(run.computedIn()).as(what).isEqualTo(DType.FLOAT64);
            assertGradientsAgree(ref, run, what);
            return;
        }
        boolean negativeSame = EnginesTest.nd4jSameModePadsNegatively(c.input(), c.layer());
        assertThat(negativeSame).as("the sweep holds no negative-same case (the discrepancy test covers it): %s", what).isFalse();
        String dl4jUnsupported = Dl4jEngine.unsupportedBecause(c.layer(), c.input().dim(2), c.input().dim(3));
        if (engineName.equals("nd4j-onednn") && EnginesTest.oneDnnSeesDilation(c.layer())) {
            assertThat(run.status()).as("FINDING oneDNN rejects the dilated forward pass: " + what).isEqualTo(Status.ERROR);
            assertThat(run.message()).as(what).isEqualTo("forward pass: " + EnginesTest.ONEDNN_DILATION_MESSAGE);
        } else if (engineName.equals("dl4j") && dl4jUnsupported != null) {
            assertThat(run.status()).as(what).isEqualTo(Status.UNSUPPORTED);
            assertThat(run.message()).as(what).isEqualTo(dl4jUnsupported);
        } else {
            assertThat(run.status()).as(what).isEqualTo(Status.OK);
            assertThat(run.computedIn()).as(what).isEqualTo(engineName.equals("nd4j-onednn") ? DType.FLOAT32 : c.dtype());
            assertGradientsAgree(ref, run, what);
        }
    }

    @Test
    void aTwoLayerStackChainsThroughEveryEngine() {
        Random r = new Random(7);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 2, 3, 7, 7);
        ConvLayer l1 = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 4, 3, 3, 3), EngineCases.random(r, DType.FLOAT64, 4),
                ConvSpec.defaults().withPadding(Padding.symmetric(1)).withActivation(Activation.RELU));
        ConvLayer l2 = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 2, 4, 3, 3), EngineCases.random(r, DType.FLOAT64, 2),
                ConvSpec.defaults().withStride(Hw.of(2)).withActivation(Activation.TANH));
        List<ConvLayer> stack = List.of(l1, l2);
        Tensor dy = EngineCases.random(r, DType.FLOAT64, 2, 2, 3, 3);
        List<Gradients> ref = Backward.all(x, stack, dy);
        for (Engine e : Engines.all()) {
            List<GradRun> runs = e.backward(x, stack, dy);
            assertThat(runs).as(e.name()).hasSize(2);
            for (int k = 0; k < 2; k++) {
                assertGradientsAgree(ref.get(k), runs.get(k), e.name() + " layer " + (k + 1));
            }
        }
    }

    @Test
    void groupsAndPaddingModesAreComposedAndSaySo() {
        Random r = new Random(11);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 1, 4, 6, 5);
        ConvLayer layer = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 4, 2, 3, 3), null,
                ConvSpec.defaults().withGroups(2).withPadding(Padding.explicit(2, 1, 0, 1)).withPaddingMode(convlab.core.PaddingMode.REFLECT));
        Tensor dy = EngineCases.random(r, DType.FLOAT64, layer.geometry(x.shape()).outputShape());
        GradRun run = Engines.named("nd4j").backward(x, List.of(layer), dy).get(0);
        assertGradientsAgree(Backward.of(layer, x, dy), run, "nd4j groups + reflect");
        assertThat(run.gradients().gradBias()).isNull();
        assertThat(String.join("; ", run.notes())).contains("one conv2d_bp per group").contains("folded back").contains("reflect");
        GradRun dl4j = Engines.named("dl4j").backward(x, List.of(layer), dy).get(0);
        assertThat(dl4j.status()).isEqualTo(Status.UNSUPPORTED);
        assertThat(dl4j.message()).contains("groups");
    }

    @Test
    void zeroSizeArraysAreRefusedBeforeAnyNativeCall() {
        // A zero-size batch: libnd4j would divide by a zero length (SIGFPE) and take the JVM with it.
        Tensor x = Tensor.zeros(DType.FLOAT64, 0, 1, 3, 3);
        ConvLayer layer = new ConvLayer(Tensor.zeros(DType.FLOAT64, 1, 1, 2, 2), Tensor.zeros(DType.FLOAT64, 1));
        Tensor dy = Tensor.zeros(DType.FLOAT64, 0, 1, 2, 2);
        for (Engine e : Engines.frameworks()) {
            GradRun run = e.backward(x, List.of(layer), dy).get(0);
            assertThat(run.status()).as(e.name()).isEqualTo(Status.ERROR);
            assertThat(run.message()).as(e.name()).contains("no elements").contains("SIGFPE");
        }
    }

    @Test
    void anEngineWithoutABackwardPassSaysUnsupportedForEveryLayer() {
        Engine none = new Engine() {
            @Override
            public String name() {
                return "forward-only";
            }

            @Override
            public String description() {
                return "a test engine";
            }

            @Override
            public List<LayerRun> run(Tensor input, List<? extends convlab.core.Layer> layers) {
                return List.of();
            }
        };
        ConvLayer layer = new ConvLayer(Tensor.zeros(DType.FLOAT64, 1, 1, 1, 1), null);
        List<GradRun> runs = none.backward(Tensor.zeros(DType.FLOAT64, 1, 1, 2, 2), List.of(layer, layer), Tensor.zeros(DType.FLOAT64, 1, 1, 2, 2));
        assertThat(runs).extracting(GradRun::status).containsExactly(Status.UNSUPPORTED, Status.UNSUPPORTED);
        assertThat(runs.get(0).message()).isEqualTo("forward-only has no backward pass");
    }

    @Test
    void aCommandEngineWhoseForwardPassFailsHasNoGradients() {
        Engine mine = new CommandEngine("mine", List.of("true"), java.time.Duration.ofSeconds(5), false);
        ConvLayer layer = new ConvLayer(Tensor.zeros(DType.FLOAT64, 1, 1, 1, 1), null);
        List<GradRun> runs = mine.backward(Tensor.zeros(DType.FLOAT64, 1, 1, 2, 2), List.of(layer), Tensor.zeros(DType.FLOAT64, 1, 1, 2, 2));
        assertThat(runs).extracting(GradRun::status).containsExactly(Status.ERROR);
        assertThat(runs.get(0).message()).isEqualTo("forward pass: wrote no output.npy");
    }

    /**
     * FINDING: oneDNN's {@code conv2d_bp} rejects dilation too, called directly (float32, helpers on) without the
     * forward pass that already fails; with helpers off the same call runs and agrees with the reference.
     */
    @Test
    void findingOneDnnConv2dBpRejectsDilation() {
        Random r = new Random(3);
        Tensor x = EngineCases.random(r, DType.FLOAT32, 1, 1, 6, 6);
        ConvLayer layer = new ConvLayer(EngineCases.random(r, DType.FLOAT32, 1, 1, 2, 2), null, ConvSpec.defaults().withDilation(Hw.of(2)));
        Tensor dy = EngineCases.random(r, DType.FLOAT32, 1, 1, 4, 4);
        Conv2DConfig c = Conv2DConfig.builder().kH(2).kW(2).sH(1).sW(1).dH(2).dW(2).dataFormat(Conv2DConfig.NCHW)
                .weightsFormat(org.nd4j.enums.WeightsFormat.OIYX).build();
        for (boolean helpers : new boolean[] {true, false}) {
            String outcome = Nd4jRuntime.withHelpers(helpers, () -> {
                try {
                    INDArray[] g = Nd4jBackward.conv2dBp(Nd4jRuntime.toNd4j(x, DataType.FLOAT), Nd4jRuntime.toNd4j(layer.weights(), DataType.FLOAT),
                            null, Nd4jRuntime.toNd4j(dy, DataType.FLOAT), c);
                    assertClose(Backward.of(layer, x, dy).gradInput(), Nd4jRuntime.toTensor(g[0], DType.FLOAT32), DType.FLOAT32, "helpers " + helpers);
                    return "ran";
                } catch (RuntimeException e) {
                    return Nd4jRuntime.message(e);
                }
            });
            if (helpers) {
                assertThat(outcome).as("oneDNN").contains("could not create a descriptor for a dilated convolution");
            } else {
                assertThat(outcome).as("built-in kernel").isEqualTo("ran");
            }
        }
    }

    /**
     * FINDING: {@code INDArray.shape()} hands out the array's own shape, not a copy: editing it changes the shape the
     * array reports (here [1, 1, 2, 5] becomes [1, 1, 2, 3]) while its length stays 10, and later {@code get}s read
     * the wrong cells without an error. The first padding fold of {@link Nd4jBackward} did this and lost columns.
     */
    @Test
    void findingShapeReturnsTheArraysOwnShape() {
        long[] after = Nd4jRuntime.withHelpers(false, () -> {
            INDArray a = Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 5);
            long[] s = a.shape();
            s[3] = 3;
            assertThat(a.length()).isEqualTo(10);
            return a.shape();
        });
        assertThat(after).containsExactly(1, 1, 2, 3);
    }

    static void assertGradientsAgree(Gradients ref, GradRun run, String what) {
        assertThat(run.status()).as("status; message: %s; %s", run.message(), what).isEqualTo(Status.OK);
        Gradients g = run.gradients();
        assertClose(ref.gradInput(), g.gradInput(), run.computedIn(), "dX " + what);
        if (ref.gradWeights() == null) { // pooling: no weights
            assertThat(g.gradWeights()).as("dW " + what).isNull();
        } else {
            assertClose(ref.gradWeights(), g.gradWeights(), run.computedIn(), "dW " + what);
        }
        if (ref.gradBias() == null) {
            assertThat(g.gradBias()).as("db " + what).isNull();
        } else {
            assertClose(ref.gradBias(), g.gradBias(), run.computedIn(), "db " + what);
        }
    }

    /** Whether every element agrees within computedIn's tolerance. */
    static boolean agrees(Tensor ref, Tensor got, DType computedIn) {
        convlab.core.Tolerance tol = convlab.core.Tolerance.forType(computedIn);
        for (int i = 0; i < ref.size(); i++) {
            if (!tol.agrees(got.flat(i), ref.flat(i))) {
                return false;
            }
        }
        return true;
    }

    static void assertClose(Tensor ref, Tensor got, DType computedIn, String what) {
        assertThat(got).as(what).isNotNull();
        assertThat(got.shape()).as("shape " + what).isEqualTo(ref.shape());
        convlab.core.Tolerance tol = convlab.core.Tolerance.forType(computedIn);
        for (int i = 0; i < ref.size(); i++) {
            if (!tol.agrees(got.flat(i), ref.flat(i))) {
                throw new AssertionError("Expected " + ref.flat(i) + " at " + Arrays.toString(ref.unravel(i)) + " (" + tol + "), but found "
                        + got.flat(i) + ": " + what);
            }
        }
    }
}
