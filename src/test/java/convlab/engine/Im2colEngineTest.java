package convlab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import convlab.core.Tensor;
import convlab.core.Unfold;
import convlab.core.Geometry;
import convlab.core.WeightsLayout;
import convlab.io.Case;
import convlab.verify.CaseResult;
import convlab.verify.Outcome;
import convlab.verify.SweepSampler;
import convlab.verify.Verifier;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * The {@code im2col} engine: a case worked out by hand (its column matrix and product), then the verifier's own
 * comparison against the reference on the sweep's seeded random configurations, which cover every conv2d feature in
 * float32 and float64. It needs no ND4J, so nothing here starts it.
 */
class Im2colEngineTest {

    private static final Engine IM2COL = Engines.named("im2col");

    /**
     * A 3x3 input 1..9 and a 2x2 kernel [[1, 2], [3, 4]]: each column of the column matrix is one 2x2 window read
     * row by row, and the output is the weight row times the columns, plus the bias.
     */
    @Test
    void aSmallCaseByHand() {
        Tensor x = Tensor.of(new int[] {1, 1, 3, 3}, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        ConvLayer layer = new ConvLayer(Tensor.of(new int[] {1, 1, 2, 2}, new double[] {1, 2, 3, 4}), Tensor.of(new int[] {1}, new double[] {0.5}));
        Tensor cols = Unfold.columnMatrix(x, layer, 0, 0);
        assertThat(cols.shape()).containsExactly(4, 4);
        assertThat(cols.toArray()).containsExactly(
                1, 2, 4, 5,  // (kh, kw) = (0, 0): the top-left cell of each window
                2, 3, 5, 6,  // (0, 1)
                4, 5, 7, 8,  // (1, 0)
                5, 6, 8, 9); // (1, 1)
        assertThat(Unfold.weightMatrix(layer, 0).toArray()).containsExactly(1, 2, 3, 4);
        LayerRun run = IM2COL.run(x, List.of(layer)).get(0);
        assertThat(run.status()).isEqualTo(LayerRun.Status.OK);
        // 1*1 + 2*2 + 3*4 + 4*5 + 0.5 = 37.5, and so on along the columns
        assertThat(run.output().toArray()).containsExactly(37.5, 47.5, 67.5, 77.5);
        assertThat(run.output().shape()).containsExactly(1, 1, 2, 2);
        assertThat(run.notes()).containsExactly("per batch item: W [1, 4] * cols [4, 4]");
    }

    /** Padding: a zero of the padding is a zero in the column matrix; reflect reads the mirrored cell. */
    @Test
    void thePaddingIsInTheColumns() {
        Tensor x = Tensor.of(new int[] {1, 1, 2, 2}, new double[] {1, 2, 3, 4});
        ConvLayer ones = new ConvLayer(Tensor.of(new int[] {1, 1, 2, 2}, new double[] {1, 1, 1, 1}), null,
                ConvSpec.defaults().withPadding(Padding.explicit(1, 0, 1, 0)));
        // output 2x2; window (0,0) covers the padded row -1 and column -1: only x[0][0] = 1 is inside
        assertThat(Unfold.columnMatrix(x, ones, 0, 0).toArray()).containsExactly(
                0, 0, 0, 1,
                0, 0, 1, 2,
                0, 1, 0, 3,
                1, 2, 3, 4);
        ConvLayer reflect = ones.withSpec(ones.spec().withPaddingMode(convlab.core.PaddingMode.REFLECT));
        assertThat(Unfold.columnMatrix(x, reflect, 0, 0).toArray()).containsExactly(
                4, 3, 2, 1,
                3, 4, 1, 2,
                2, 1, 4, 3,
                1, 2, 3, 4);
        assertThat(IM2COL.run(x, List.of(reflect)).get(0).output().toArray()).containsExactly(10, 10, 10, 10);
    }

    /** Groups: group g's column matrix reads only its own input channels, its weight matrix only its own filters. */
    @Test
    void eachGroupHasItsOwnMatrices() {
        Tensor x = Tensor.of(new int[] {1, 2, 1, 2}, new double[] {1, 2, 10, 20});
        ConvLayer layer = new ConvLayer(Tensor.of(new int[] {2, 1, 1, 1}, new double[] {3, 5}), null, ConvSpec.defaults().withGroups(2));
        assertThat(Unfold.columnMatrix(x, layer, 0, 1).toArray()).containsExactly(10, 20);
        assertThat(Unfold.weightMatrix(layer, 1).toArray()).containsExactly(5);
        LayerRun run = IM2COL.run(x, List.of(layer)).get(0);
        assertThat(run.output().toArray()).containsExactly(3, 6, 50, 100);
        assertThat(run.notes()).containsExactly("per batch item and group (2): W [1, 1] * cols [1, 2]; "
                + "1x1 kernel, stride 1, no padding: the input is the column matrix, no copy");
    }

    /**
     * The sweep's random configurations (every padding form and mode, stride, dilation, groups and depthwise, bias,
     * activations, NHWC cases, float32 and float64, batches), verified exactly as {@code verify} does, with the
     * float error bound: every conv2d layer agrees; pooling is unsupported.
     */
    @Test
    void agreesWithTheReferenceOnTheSweep() {
        long seed = 15;
        SweepSampler sampler = new SweepSampler(seed);
        Verifier verifier = new Verifier(List.of(IM2COL));
        Set<String> features = new HashSet<>();
        Set<DType> types = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            SweepSampler.Sample s = sampler.sample(i);
            CaseResult r = verifier.verify(s.kase());
            for (CaseResult.LayerCheck layer : r.layers()) {
                CaseResult.EngineCheck e = layer.engines().get(0);
                String where = "seed " + seed + " configuration " + i + " " + layer.layer() + " on " + s.kase().input().shapeString()
                        + ": " + e.run().message() + " " + (e.vsReference() == null ? "" : e.vsReference().summary());
                if (layer.isConv2d()) {
                    assertThat(e.outcome()).as(where).isEqualTo(Outcome.AGREE);
                    assertThat(e.run().computedIn()).as(where).isEqualTo(s.kase().input().dtype());
                    features.addAll(s.features());
                    types.add(s.kase().input().dtype());
                } else {
                    assertThat(e.outcome()).as(where).isEqualTo(Outcome.UNSUPPORTED);
                }
            }
        }
        assertThat(types).containsExactlyInAnyOrder(DType.FLOAT32, DType.FLOAT64);
        assertThat(features).containsAll(List.of("stride > 1", "dilation > 1", "padding valid", "padding same", "same with stride 2",
                "symmetric padding", "asymmetric padding", "padding reflect", "padding replicate", "padding circular", "groups > 1",
                "depthwise", "rectangular kernel", "even kernel", "1x1 kernel", "batch > 1", "no bias", "activation", "NHWC", "float32"));
    }

    /**
     * The engine's fast fill (flat arrays, taps worked out once per layer) writes exactly {@link Unfold}'s column
     * matrices, the formula, for every batch item and group of the sweep's seeded configurations (every padding
     * mode, stride, dilation, groups, rectangular kernels), in float64 and float32.
     */
    @Test
    void theFastFillIsTheFormula() {
        long seed = 16;
        SweepSampler sampler = new SweepSampler(seed);
        int checked = 0;
        for (int i = 0; i < 200; i++) {
            Case c = sampler.sample(i).kase();
            Tensor x = c.input();
            for (convlab.core.Layer any : c.layerList()) {
                if (!(any instanceof ConvLayer layer)) {
                    x = any.forward(x).activated();
                    continue;
                }
                Geometry g;
                try {
                    g = Geometry.of(x.shape(), layer);
                } catch (Geometry.ShapeException e) {
                    break; // an impossible configuration: nothing to unfold
                }
                Im2col im = new Im2col(g);
                int k = im.rowsPerGroup(), p = im.columns(), groups = layer.spec().groups();
                double[] flat = x.toArray();
                float[] flatF = new float[flat.length];
                for (int j = 0; j < flat.length; j++) {
                    flatF[j] = (float) flat[j];
                }
                for (int n = 0; n < g.n(); n++) {
                    double[] cols = new double[groups * k * p];
                    float[] colsF = new float[groups * k * p];
                    im.fill(flat, n, cols, 0, 0, groups * k);
                    im.fill(flatF, n, colsF, 0, 0, groups * k);
                    for (int group = 0; group < groups; group++) {
                        double[] want = Unfold.columnMatrix(x, layer, n, group).toArray();
                        String where = "seed " + seed + " configuration " + i + " " + layer + " batch item " + n + " group " + group;
                        for (int j = 0; j < want.length; j++) {
                            assertThat(cols[group * k * p + j]).as(where + " entry " + j).isEqualTo(want[j]);
                            assertThat(colsF[group * k * p + j]).as(where + " entry " + j + " (float32)").isEqualTo((float) want[j]);
                        }
                        checked++;
                    }
                }
                x = layer.forward(x).activated();
            }
        }
        assertThat(checked).as("column matrices compared").isGreaterThan(200);
    }

    /** The medium layer's numbers do not depend on how many threads computed them. */
    @Test
    void theNumbersDoNotDependOnTheThreads() throws Exception {
        Random r = new Random(5);
        Tensor x = Tensor.fill(DType.FLOAT32, new int[] {2, 16, 20, 20}, i -> r.nextGaussian());
        ConvLayer layer = new ConvLayer(Tensor.fill(DType.FLOAT32, new int[] {8, 16, 3, 3}, i -> r.nextGaussian()),
                Tensor.fill(DType.FLOAT32, new int[] {8}, i -> r.nextGaussian()), ConvSpec.defaults().withPadding(Padding.same()));
        Tensor all = IM2COL.run(x, List.of(layer)).get(0).output();
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            Tensor single = one.submit(() -> IM2COL.run(x, List.of(layer)).get(0).output()).get();
            assertThat(single).isEqualTo(all);
        } finally {
            one.shutdown();
        }
    }

    /** A stack: conv2d layers run, the first other op is unsupported and the layers after it are not run. */
    @Test
    void otherOpsAreUnsupported() {
        Random r = new Random(3);
        Tensor x = Tensor.fill(DType.FLOAT64, new int[] {1, 2, 6, 6}, i -> r.nextGaussian());
        ConvLayer conv = new ConvLayer(Tensor.fill(DType.FLOAT64, new int[] {2, 2, 3, 3}, i -> r.nextGaussian()), null,
                ConvSpec.defaults().withActivation(Activation.RELU));
        List<LayerRun> runs = IM2COL.run(x, List.of(conv, PoolLayer.max(PoolSpec.of(Hw.of(2))), conv));
        assertThat(runs).extracting(LayerRun::status).containsExactly(LayerRun.Status.OK, LayerRun.Status.UNSUPPORTED, LayerRun.Status.UNSUPPORTED);
        assertThat(runs.get(0).output().toArray()).containsExactly(conv.forward(x).activated().toArray(), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(runs.get(1).message()).isEqualTo("im2col computes conv2d only, not max_pool2d");
        assertThat(runs.get(2).message()).isEqualTo("not run: layer 2 is unsupported");
    }

    /** Zero-size tensors give the empty output (there is no native code to crash), as the reference does. */
    @Test
    void anEmptyBatchGivesTheEmptyOutput() {
        ConvLayer layer = new ConvLayer(Tensor.zeros(DType.FLOAT32, 3, 2, 2, 2), Tensor.zeros(DType.FLOAT32, 3));
        Tensor empty = Tensor.zeros(DType.FLOAT32, 0, 2, 4, 4);
        LayerRun run = IM2COL.run(empty, List.of(layer)).get(0);
        assertThat(run.status()).isEqualTo(LayerRun.Status.OK);
        assertThat(run.output().shape()).containsExactly(0, 3, 3, 3);
    }

    /** A multi-layer case through the verifier: layer 2 reads im2col's own layer-1 output and still agrees. */
    @Test
    void aTwoLayerCaseAgrees() {
        Random r = new Random(11);
        Tensor x = Tensor.fill(DType.FLOAT32, new int[] {2, 3, 9, 9}, i -> r.nextGaussian());
        ConvLayer l1 = new ConvLayer(Tensor.fill(DType.FLOAT32, new int[] {4, 3, 3, 3}, i -> r.nextGaussian()), null,
                ConvSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.same()).withActivation(Activation.TANH));
        ConvLayer l2 = new ConvLayer(Tensor.fill(DType.FLOAT32, new int[] {4, 1, 3, 3}, i -> r.nextGaussian()), null,
                ConvSpec.defaults().withGroups(4).withDilation(Hw.of(2)).withPadding(Padding.symmetric(2)));
        Case c = new Case("two", Path.of("two", "case.json"), "", x, Layout.NCHW,
                List.of(new Case.Step(l1, WeightsLayout.OIHW, null, null), new Case.Step(l2, WeightsLayout.OIHW, null, null)));
        CaseResult result = new Verifier(List.of(IM2COL)).verify(c);
        assertThat(result.layers()).hasSize(2).allSatisfy(l -> assertThat(l.engines().get(0).outcome()).isEqualTo(Outcome.AGREE));
    }
}
