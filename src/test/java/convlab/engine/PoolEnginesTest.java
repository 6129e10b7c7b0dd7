package convlab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Hw;
import convlab.core.Layer;
import convlab.core.Output;
import convlab.core.Padding;
import convlab.core.PoolGeometry;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.verify.Comparison;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pooling through the engines against the reference {@link convlab.core.Pool2d}: a seeded sweep of max and average
 * pooling (padding forms, ceil mode, countIncludePad, dilation, activations), and a conv, pool, conv, pool stack as
 * one DL4J network. What ND4J gets wrong is pinned in data/discrepancies, not here: the sweep keeps to
 * configurations whose same padding is never negative and to inputs without NaN, and leaves dilated float32 max
 * pooling (which reaches oneDNN's pooling, in nd4j-onednn and in dl4j) out of the comparison.
 */
class PoolEnginesTest {

    static final long SEED = 20261201L;

    record Sample(long seed, Tensor input, PoolLayer layer) {
        @Override
        public String toString() {
            return "seed " + seed + " " + input.dtype() + " " + input.shapeString() + " " + layer;
        }
    }

    static Sample sample(long seed) {
        Random r = new Random(seed);
        boolean max = r.nextBoolean();
        Hw k = new Hw(1 + r.nextInt(3), 1 + r.nextInt(3));
        Hw d = max && r.nextInt(3) == 0 ? new Hw(1 + r.nextInt(2), 1 + r.nextInt(2)) : Hw.of(1);
        // stride at most the window's reach keeps same padding >= 0 (ND4J's negative same padding is a catalogued finding)
        Hw s = new Hw(1 + r.nextInt(k.h() + (k.h() - 1) * (d.h() - 1)), 1 + r.nextInt(k.w() + (k.w() - 1) * (d.w() - 1)));
        Padding[] paddings = {Padding.valid(), Padding.same(), Padding.sameLower(), Padding.of(r.nextInt(k.h() / 2 + 1), r.nextInt(k.w() / 2 + 1)),
            Padding.explicit(r.nextInt(k.h() / 2 + 1), r.nextInt(k.h() / 2 + 1), r.nextInt(k.w() / 2 + 1), r.nextInt(k.w() / 2 + 1))};
        PoolSpec spec = PoolSpec.of(k).withStride(s).withDilation(d).withPadding(paddings[r.nextInt(paddings.length)])
                .withCeilMode(r.nextBoolean()).withCountIncludePad(r.nextBoolean())
                .withActivation(r.nextInt(3) == 0 ? Activation.values()[r.nextInt(Activation.values().length)] : Activation.NONE);
        DType type = r.nextBoolean() ? DType.FLOAT64 : DType.FLOAT32;
        Tensor x = Tensor.fill(type, new int[] {1 + r.nextInt(2), 1 + r.nextInt(3), 5 + r.nextInt(5), 5 + r.nextInt(5)}, i -> r.nextGaussian());
        return new Sample(seed, x, max ? PoolLayer.max(spec) : PoolLayer.average(spec));
    }

    static LongStream seeds() {
        Random master = new Random(SEED);
        return LongStream.generate(master::nextLong).limit(40);
    }

    static void agrees(String engine, Sample s, LayerRun run, Tensor reference, DType computed) {
        assertThat(run.status()).as("%s on %s: %s", engine, s, run.message()).isEqualTo(LayerRun.Status.OK);
        Comparison c = Comparison.of(run.output(), reference, Tolerance.forType(computed));
        assertThat(c.agree()).as("%s on %s (notes %s): %s", engine, s, run.notes(), c.summary()).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyEngineMatchesTheReference(long seed) {
        Sample s = sample(seed);
        PoolGeometry g = s.layer().geometry(s.input().shape());
        Tensor reference = s.layer().forward(s.input()).activated();
        agrees("nd4j", s, Engines.named("nd4j").run(s.input(), List.of(s.layer())).get(0), reference, s.input().dtype());
        if (s.layer().spec().dilation().equals(Hw.of(1))) {
            agrees("nd4j-onednn", s, Engines.named("nd4j-onednn").run(s.input(), List.of(s.layer())).get(0), reference, DType.FLOAT32);
        }
        LayerRun dl4j = Engines.named("dl4j").run(s.input(), List.of(s.layer())).get(0);
        boolean expressible = (s.layer().spec().padding().equals(Padding.same()) || g.pads().isSymmetric())
                && (g.extraBottom() == 0 && g.extraRight() == 0);
        boolean dilated = !s.layer().spec().dilation().equals(Hw.of(1));
        if (expressible && !(dilated && s.input().dtype() == DType.FLOAT32)) { // float32: DL4J's op reaches oneDNN (catalogued)
            agrees("dl4j", s, dl4j, reference, s.input().dtype());
        } else if (expressible) {
            assertThat(dl4j.status()).as("dl4j on %s", s).isEqualTo(LayerRun.Status.OK);
        } else {
            assertThat(dl4j.status()).as("dl4j on %s", s).isEqualTo(LayerRun.Status.UNSUPPORTED);
            assertThat(dl4j.message()).contains("SubsamplingLayer");
        }
    }

    @Test
    void aConvPoolConvPoolStackRunsAsOneDl4jNetworkAndMatchesLayerByLayer() {
        Random r = new Random(7);
        Tensor x = Tensor.fill(DType.FLOAT64, new int[] {2, 3, 12, 12}, i -> r.nextGaussian());
        List<Layer> stack = List.of(
                new ConvLayer(Tensor.fill(DType.FLOAT64, new int[] {4, 3, 3, 3}, i -> r.nextGaussian()), Tensor.fill(DType.FLOAT64, new int[] {4}, i -> r.nextGaussian()),
                        ConvSpec.defaults().withPadding(Padding.symmetric(1)).withActivation(Activation.RELU)),
                PoolLayer.max(PoolSpec.of(Hw.of(2)).withActivation(Activation.TANH)),
                new ConvLayer(Tensor.fill(DType.FLOAT64, new int[] {3, 4, 3, 3}, i -> r.nextGaussian()), null, ConvSpec.defaults()),
                PoolLayer.average(PoolSpec.of(Hw.of(3)).withStride(Hw.of(2)).withPadding(Padding.same()).withCountIncludePad(false)));
        List<Output> reference = Layer.forwardAll(x, stack);
        List<LayerRun> runs = Engines.named("dl4j").run(x, stack);
        for (int k = 0; k < stack.size(); k++) {
            Sample s = new Sample(7, x, null);
            agrees("dl4j layer " + (k + 1), s, runs.get(k), reference.get(k).activated(), DType.FLOAT64);
        }
        assertThat(runs.get(1).notes()).anyMatch(n -> n.contains("SubsamplingLayer MAX") && n.contains("ActivationLayer (tanh)"));
        assertThat(runs.get(3).notes()).anyMatch(n -> n.contains("avgPoolIncludePadInDivisor=false, ConvolutionMode.Same"));
        assertThat(runs.get(0).notes()).anyMatch(n -> n.contains("in one feedForward"));
        List<LayerRun> nd4j = Engines.named("nd4j").run(x, stack);
        for (int k = 0; k < stack.size(); k++) {
            agrees("nd4j layer " + (k + 1), new Sample(7, x, null), nd4j.get(k), reference.get(k).activated(), DType.FLOAT64);
        }
    }

    @Test
    void ceilModeAndAsymmetricPaddingAreComposedAndSaySo() {
        Random r = new Random(3);
        Tensor x = Tensor.fill(DType.FLOAT64, new int[] {1, 2, 7, 8}, i -> r.nextGaussian());
        PoolLayer avg = PoolLayer.average(PoolSpec.of(Hw.of(3)).withStride(Hw.of(2)).withPadding(Padding.symmetric(1)).withCeilMode(true));
        LayerRun run = Engines.named("nd4j").run(x, List.of(avg)).get(0);
        agrees("nd4j", new Sample(3, x, avg), run, avg.forward(x).activated(), DType.FLOAT64);
        assertThat(run.notes()).anyMatch(n -> n.startsWith("ceil mode (the ops have none; the last window reaches 0 row(s) and 1 column(s) past the padding) composed"));
        PoolLayer max = PoolLayer.max(PoolSpec.of(Hw.of(2)).withStride(Hw.of(1)).withPadding(Padding.sameLower()));
        LayerRun m = Engines.named("nd4j").run(x, List.of(max)).get(0);
        agrees("nd4j", new Sample(3, x, max), m, max.forward(x).activated(), DType.FLOAT64);
        assertThat(m.notes()).anyMatch(n -> n.contains("Nd4j.pad(CONSTANT -infinity) then a valid maxpool2d"));
        LayerRun dl4j = Engines.named("dl4j").run(x, List.of(avg)).get(0);
        assertThat(dl4j.status()).isEqualTo(LayerRun.Status.UNSUPPORTED);
        assertThat(dl4j.message()).contains("DL4J SubsamplingLayer has no ceil mode");
    }

    /**
     * libnd4j's average pooling once divided SAME-mode windows wrongly; in 1.0.0-M2.1 its SAME mode counts padded cells
     * with {@code extra=1} and leaves them out with {@code extra=0}, in every engine (data/discrepancies/README.md).
     */
    @Test
    void theSameModeAverageDividesAsTheReferenceBothWays() {
        Random r = new Random(11);
        Tensor x = Tensor.fill(DType.FLOAT64, new int[] {1, 2, 8, 7}, i -> r.nextGaussian());
        for (boolean include : new boolean[] {true, false}) {
            PoolLayer avg = PoolLayer.average(PoolSpec.of(Hw.of(3)).withStride(Hw.of(2)).withPadding(Padding.same()).withCountIncludePad(include));
            Tensor reference = avg.forward(x).activated();
            assertThat(avg.geometry(x.shape()).pads().isZero()).isFalse();
            for (String engine : List.of("nd4j", "nd4j-onednn", "dl4j")) {
                LayerRun run = Engines.named(engine).run(x, List.of(avg)).get(0);
                agrees(engine + " countIncludePad=" + include, new Sample(11, x, avg), run, reference,
                        engine.equals("nd4j-onednn") ? DType.FLOAT32 : DType.FLOAT64);
            }
        }
    }

    @Test
    void anEmptyInputIsRefusedBeforeLibnd4jSeesIt() {
        Tensor empty = Tensor.zeros(DType.FLOAT64, 0, 2, 4, 4);
        LayerRun run = Engines.named("nd4j").run(empty, List.of(PoolLayer.max(PoolSpec.of(Hw.of(2))))).get(0);
        assertThat(run.status()).isEqualTo(LayerRun.Status.UNSUPPORTED); // GuardedEngine refuses every zero-size tensor
        assertThat(run.message()).contains("has no elements").contains("SIGFPE");
    }
}
