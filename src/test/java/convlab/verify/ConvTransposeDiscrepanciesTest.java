package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import convlab.core.Tensor;
import convlab.engine.Engines;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What data/discrepancies/nd4j-deconv-same-negative-crop shows with ND4J/DL4J 1.0.0-M2.1 today (the transposed
 * convolution's entry of the catalogue; {@link DiscrepanciesTest} holds conv2d's). When an upgrade fixes it, this
 * fails: move the case to data/golden/transpose and update data/discrepancies/README.md.
 */
class ConvTransposeDiscrepanciesTest {

    /**
     * SAME with a stride (4) longer than the kernel's span (2): TensorFlow appends the two missing columns as zeros
     * at the right; deconv2d's SAME mode (and DL4J's ConvolutionMode.Same, which runs it) crops (22 - 24) / 2 = -1
     * column on the left, so every stamp lands one column right of where it belongs: no error, wrong numbers.
     */
    @Test
    void sameModeShiftsEveryStampRightWhenTheStrideOutrunsTheKernel() {
        CaseResult r = new Verifier(Engines.frameworks()).verify(Path.of("data", "discrepancies", "nd4j-deconv-same-negative-crop", "case.json"));
        assertThat(r.problem()).isEmpty();
        CaseResult.LayerCheck layer = r.layers().get(0);
        assertThat(layer.referenceVsExpected().agree()).as("the reference matches TensorFlow").isTrue();
        Tensor expected = r.kase().layers().get(0).expected();
        Tensor bias = r.kase().layers().get(0).layer().bias();
        for (CaseResult.EngineCheck e : layer.engines()) {
            assertThat(e.outcome()).as(e.engine()).isEqualTo(Outcome.DISAGREE);
            Tensor out = e.run().output();
            int[] s = out.shape();
            for (int c = 0; c < s[1]; c++) {
                for (int h = 0; h < s[2]; h++) {
                    assertThat(out.get(0, c, h, 0)).as("%s: column 0 holds only the bias", e.engine()).isCloseTo(bias.get(c), within(1e-5));
                    for (int w = 1; w < s[3]; w++) {
                        assertThat(out.get(0, c, h, w)).as("%s at (%d, %d, %d): TensorFlow's column %d", e.engine(), c, h, w, w - 1)
                                .isCloseTo(expected.get(0, c, h, w - 1), within(1e-5));
                    }
                }
            }
        }
    }
}
