package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.Activation;
import convlab.core.Conv2dBackward;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Gradients;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.io.Case;
import convlab.io.CaseFiles;
import convlab.verify.GradientCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The replayed running sums against the reference backward pass ({@link Conv2dBackward}). */
class GradientReplayTest {

    /** x = 1..9 (3x3), w = [[1,2],[3,4]], no bias activation, dy = 1: worked by hand. */
    @Test
    void aKnownCaseByHand() {
        Tensor x = Tensor.of(new int[] {1, 1, 3, 3}, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        ConvLayer layer = new ConvLayer(Tensor.of(new int[] {1, 1, 2, 2}, new double[] {1, 2, 3, 4}), Tensor.of(new int[] {1}, new double[] {0.5}));
        Tensor dy = Tensor.fill(DType.FLOAT64, new int[] {1, 1, 2, 2}, i -> 1.0);
        GradientReplay dw = GradientReplay.of(GradientReplay.Kind.DW, x, layer, dy, 0, 0, 100);
        assertThat(dw.frameCount()).isEqualTo(4 + 1);
        // after the first position: the window at (0, 0) itself
        assertThat(dw.running(0).toArray()).containsExactly(1, 2, 4, 5);
        // every window added: (1+2+4+5, 2+3+5+6; 4+5+7+8, 5+6+8+9)
        assertThat(dw.running(4).toArray()).containsExactly(12, 16, 24, 28);
        assertThat(dw.runningBias(4)).isEqualTo(4.0);
        assertThat(dw.step(4)).isNull();
        GradientReplay dx = GradientReplay.of(GradientReplay.Kind.DX, x, layer, dy, -1, 0, 100);
        assertThat(dx.running(0).toArray()).containsExactly(1, 2, 0, 3, 4, 0, 0, 0, 0);
        // four kernels stamped one cell apart: the full transposed convolution of ones with w
        assertThat(dx.running(4).toArray()).containsExactly(1, 3, 2, 4, 10, 6, 3, 7, 4);
    }

    static LongStream seeds() {
        return LongStream.range(1, 41);
    }

    /** A random small layer using every feature: stride, explicit or same padding, padding modes, dilation, groups, activations. */
    static Object[] randomLayer(long seed) {
        Random r = new Random(seed);
        int groups = 1 + r.nextInt(2);
        int cg = 1 + r.nextInt(2);
        int og = 1 + r.nextInt(2);
        int kh = 1 + r.nextInt(3), kw = 1 + r.nextInt(3);
        Hw stride = new Hw(1 + r.nextInt(2), 1 + r.nextInt(2));
        Hw dilation = new Hw(1 + r.nextInt(2), 1 + r.nextInt(2));
        Padding padding = r.nextBoolean() ? Padding.same()
                : Padding.explicit(r.nextInt(kh), r.nextInt(kh), r.nextInt(kw), r.nextInt(kw));
        PaddingMode mode = PaddingMode.values()[r.nextInt(PaddingMode.values().length)];
        Activation act = Activation.values()[r.nextInt(Activation.values().length)];
        int h = 5 + r.nextInt(3), w = 5 + r.nextInt(3); // at least the widest dilated kernel (5)
        ConvSpec spec = ConvSpec.defaults().withStride(stride).withDilation(dilation).withPadding(padding).withPaddingMode(mode)
                .withGroups(groups).withActivation(act);
        ConvLayer layer = new ConvLayer(gauss(r, groups * og, cg, kh, kw), r.nextBoolean() ? gauss(r, groups * og) : null, spec);
        Tensor x = gauss(r, 2, groups * cg, h, w);
        Geometry g = Geometry.of(x.shape(), layer);
        Tensor dy = gauss(r, g.outputShape());
        return new Object[] {x, layer, dy};
    }

    static Tensor gauss(Random r, int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, i -> r.nextGaussian());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theLastFrameIsTheReferenceGradientForEveryFeature(long seed) {
        Object[] l = randomLayer(seed);
        Tensor x = (Tensor) l[0];
        ConvLayer layer = (ConvLayer) l[1];
        Tensor dy = (Tensor) l[2];
        Gradients ref = Conv2dBackward.backward(x, layer, dy);
        Geometry g = Geometry.of(x.shape(), layer);
        String where = "seed " + seed + ", " + layer + " on " + x.shapeString();
        for (int maxFrames : new int[] {1000, 5}) { // every step a frame, and sampled: the sums still add every step
            for (int oc = 0; oc < g.o(); oc++) {
                GradientReplay dw = GradientReplay.of(GradientReplay.Kind.DW, x, layer, dy, oc, 0, maxFrames);
                int last = dw.frameCount() - 1;
                assertThat(dw.running(last).toArray()).as("dW[%d], %s", oc, where).containsExactly(ref.gradWeights().slice(oc).toArray());
                if (ref.gradBias() != null) {
                    assertThat(dw.runningBias(last)).as("db[%d], %s", oc, where).isEqualTo(ref.gradBias().get(oc));
                }
                assertThat(dw.totalSteps()).isEqualTo(g.n() * g.oh() * g.ow());
            }
            for (int n = 0; n < g.n(); n++) {
                for (int filter : new int[] {-1, g.o() - 1}) { // frames for every filter, or one: dX sums every filter either way
                    GradientReplay dx = GradientReplay.of(GradientReplay.Kind.DX, x, layer, dy, filter, n, maxFrames);
                    assertThat(dx.running(dx.frameCount() - 1).toArray()).as("dX[%d] (frames for filter %d), %s", n, filter, where)
                            .containsExactly(ref.gradInput().slice(n).toArray());
                    assertThat(dx.totalSteps()).isEqualTo((filter < 0 ? g.o() : 1) * g.oh() * g.ow());
                }
            }
        }
    }

    /** Each frame's running sum is the reference's gradient of the steps so far: dW over a prefix of the positions. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void eachFrameHoldsTheSumOfTheStepsSoFar(long seed) {
        Object[] l = randomLayer(seed);
        Tensor x = (Tensor) l[0];
        ConvLayer layer = (ConvLayer) l[1];
        Tensor dy = (Tensor) l[2];
        Geometry g = Geometry.of(x.shape(), layer);
        GradientReplay dw = GradientReplay.of(GradientReplay.Kind.DW, x, layer, dy, 0, 0, 1000);
        int frame = new Random(seed).nextInt(dw.frameCount() - 1);
        GradientReplay.Step s = dw.step(frame);
        // zero dy after this step's position (raster order over n, oh, ow): the reference then sums exactly the steps so far
        int upTo = (s.n() * g.oh() + s.oh()) * g.ow() + s.ow();
        Tensor prefix = Tensor.fill(DType.FLOAT64, dy.shape(), idx -> (idx[0] * g.oh() + idx[2]) * g.ow() + idx[3] <= upTo ? dy.get(idx) : 0.0);
        Gradients ref = Conv2dBackward.backward(x, layer, prefix);
        double[] got = dw.running(frame).toArray();
        double[] want = ref.gradWeights().slice(0).toArray();
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("seed %d, frame %d, element %d", seed, frame, i).isCloseTo(want[i], org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    /**
     * The golden two-layer case from PyTorch autograd: each layer's dy from {@link GradientCheck#layerGradOutputs}
     * (the case's gradOutput, then layer 2's dL/dx for layer 1), replayed, ends on PyTorch's gradients.
     */
    @Test
    void replaysBothLayersOfAPyTorchCaseOntoItsGradients() {
        Case c = CaseFiles.load(Path.of("data/golden/grad_torch_two_layers/case.json"));
        List<Tensor> dys = GradientCheck.layerGradOutputs(c, 99);
        assertThat(dys.get(1)).isEqualTo(c.gradOutput());
        List<Tensor> inputs = List.of(c.input(), c.layerList().get(0).forward(c.input()).activated());
        for (int k = 0; k < 2; k++) {
            Case.Step step = c.layers().get(k);
            ConvLayer layer = (ConvLayer) step.layer();
            for (int oc = 0; oc < layer.filters(); oc++) {
                GradientReplay dw = GradientReplay.of(GradientReplay.Kind.DW, inputs.get(k), layer, dys.get(k), oc, 0, 400);
                int last = dw.frameCount() - 1;
                assertClose(dw.running(last).toArray(), step.expectedGradWeights().slice(oc).toArray(), "layer " + (k + 1) + " dW[" + oc + "]");
                assertClose(new double[] {dw.runningBias(last)}, new double[] {step.expectedGradBias().get(oc)}, "layer " + (k + 1) + " db");
            }
            GradientReplay dx = GradientReplay.of(GradientReplay.Kind.DX, inputs.get(k), layer, dys.get(k), -1, 0, 400);
            assertClose(dx.running(dx.frameCount() - 1).toArray(), step.expectedGradInput().slice(0).toArray(), "layer " + (k + 1) + " dX");
        }
    }

    private static void assertClose(double[] got, double[] want, String what) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("%s, element %d", what, i).isCloseTo(want[i], org.assertj.core.api.Assertions.within(1e-9 + 1e-9 * Math.abs(want[i])));
        }
    }

    @Test
    void refusesABadFilterBatchOrGradientShape() {
        Object[] l = randomLayer(3);
        Tensor x = (Tensor) l[0];
        ConvLayer layer = (ConvLayer) l[1];
        Tensor dy = (Tensor) l[2];
        int o = layer.filters();
        assertThatThrownBy(() -> GradientReplay.of(GradientReplay.Kind.DW, x, layer, dy, o, 0, 10)).hasMessageContaining("--filter between 0 and " + (o - 1));
        assertThatThrownBy(() -> GradientReplay.of(GradientReplay.Kind.DX, x, layer, dy, -1, 2, 10)).hasMessageContaining("--batch between 0 and 1");
        assertThatThrownBy(() -> GradientReplay.of(GradientReplay.Kind.DX, x, layer, x, -1, 0, 10)).hasMessageContaining("Expected dL/dy of the layer's output shape");
        assertThatThrownBy(() -> GradientReplay.Kind.parse("dz")).hasMessage("Expected --gradients dw, dx or both, but found \"dz\"");
        assertThat(GradientReplay.Kind.parse(" DX ")).isEqualTo(GradientReplay.Kind.DX);
    }
}
