package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.core.WeightsLayout;
import convlab.engine.Engines;
import convlab.engine.LayerRun;
import convlab.io.Case;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float32 error bound (issue 10, class 12): real float32 layers with thousands of terms per output agree, the
 * worst element is the one furthest past its own tolerance, overflow to infinity in float32 agrees, -0.0 = +0.0.
 */
class ErrorBoundTest {

    static Tensor gaussian(Random r, int... shape) {
        return Tensor.fill(DType.FLOAT32, shape, i -> r.nextGaussian());
    }

    private static Case kase(String name, Tensor x, ConvLayer layer) {
        return new Case(name, Path.of(name, "case.json"), "", x, Layout.NCHW, List.of(new Case.Step(layer, WeightsLayout.OIHW, null, null)));
    }

    @Test
    void magnitudesAreTheConvolutionOfAbsoluteValues() {
        // x = [1, -2; 3, -4], w = [-1, 1; 1, -1] (one 2x2 filter): m = 1 + 2 + 3 + 4 = 10, and 4 terms.
        Tensor x = Tensor.of(new int[] {1, 1, 2, 2}, new double[] {1, -2, 3, -4});
        ConvLayer layer = new ConvLayer(Tensor.of(new int[] {1, 1, 2, 2}, new double[] {-1, 1, 1, -1}), Tensor.of(new int[] {1}, new double[] {7}));
        assertThat(ErrorBound.magnitudes(x, layer).toArray()).containsExactly(10.0);
        assertThat(ErrorBound.terms(layer, x.shape())).isEqualTo(4);
        assertThat(ErrorBound.rounding(ErrorBound.magnitudes(x, layer), layer, x.shape(), DType.FLOAT32).flat(0))
                .isEqualTo(2 * 4 * Math.ulp(1.0f) * 10);
    }

    @Test
    void real512ChannelAndLargeBatchFloat32LayersAgreeOnEveryEngine() {
        Random r = new Random(512);
        Case wide = kase("c512", gaussian(r, 1, 512, 8, 8), new ConvLayer(gaussian(r, 8, 512, 3, 3), gaussian(r, 8)));
        Case batch = kase("n8c64", gaussian(r, 8, 64, 128, 128), new ConvLayer(gaussian(r, 4, 64, 3, 3), null,
                ConvSpec.defaults().withPadding(Padding.same())));
        Verifier verifier = new Verifier(Engines.all());
        for (Case c : List.of(wide, batch)) {
            CaseResult result = verifier.verify(c);
            CaseResult.LayerCheck layer = result.layers().get(0);
            int falseAlarmsBefore = 0;
            for (CaseResult.EngineCheck e : layer.engines()) {
                assertThat(e.run().status()).as("%s %s: %s", c.name(), e.engine(), e.run().message()).isEqualTo(LayerRun.Status.OK);
                assertThat(e.vsReference().agree()).as("%s %s: %s", c.name(), e.engine(), e.vsReference().summary()).isTrue();
                // The old rule, a fixed abs = 1e-5 and rel = 1e-4, called these disagreements.
                if (!Comparison.of(e.run().output(), layer.reference().activated(), Tolerance.FLOAT32).agree()) {
                    falseAlarmsBefore++;
                }
            }
            assertThat(falseAlarmsBefore).as("%s: engines the fixed tolerance would have failed", c.name()).isPositive();
            assertThat(result.verdict()).isEqualTo(Verdict.AGREE);
        }
    }

    @Test
    void theWorstElementIsTheOneFurthestPastItsOwnTolerance() {
        // Element 0 differs by 0.5 on 1000 (inside rel 1e-3); element 1 by 0.01 on 0 (10x past abs 1e-3).
        Tensor expected = Tensor.of(new int[] {1, 1, 1, 2}, new double[] {1000, 0});
        Tensor actual = Tensor.of(new int[] {1, 1, 1, 2}, new double[] {1000.5, 0.01});
        Comparison c = Comparison.of(actual, expected, new Tolerance(1e-3, 1e-3));
        assertThat(c.agree()).isFalse();
        assertThat(c.maxAbs()).isEqualTo(0.5);
        assertThat(c.worst()).containsExactly(0, 0, 0, 1);
        assertThat(c.worstRatio()).isCloseTo(10, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(c.summary()).contains("worst n=0, c=0, h=0, w=1").contains("10.0x its tolerance");
    }

    @Test
    void float32OverflowAgreesWithTheReferenceRoundedToFloat32AndSignedZerosAreEqual() {
        Tensor x = Tensor.of(DType.FLOAT32, new int[] {1, 2, 1, 1}, new double[] {Float.MAX_VALUE, Float.MAX_VALUE});
        ConvLayer layer = new ConvLayer(Tensor.of(DType.FLOAT32, new int[] {1, 2, 1, 1}, new double[] {1, 1}), null);
        CaseResult r = new Verifier(Engines.all()).verify(kase("overflow", x, layer));
        assertThat(r.layers().get(0).reference().activated().flat(0)).isEqualTo(2.0 * Float.MAX_VALUE); // float64 does not overflow
        for (CaseResult.EngineCheck e : r.layers().get(0).engines()) {
            if (e.run().computedIn() == DType.FLOAT32) {
                assertThat(e.run().output().flat(0)).as(e.engine()).isEqualTo(Double.POSITIVE_INFINITY);
                assertThat(e.outcome()).as("%s: %s", e.engine(), e.vsReference().summary()).isEqualTo(Outcome.AGREE);
            }
        }
        Tensor plus = Tensor.of(new int[] {1, 1, 1, 1}, new double[] {0.0});
        Tensor minus = Tensor.of(new int[] {1, 1, 1, 1}, new double[] {-0.0});
        assertThat(Comparison.of(minus, plus, new Tolerance(0, 0)).agree()).isTrue();
    }
}
