package convlab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Padding;
import convlab.core.Tensor;
import convlab.engine.LayerRun.Status;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Zero-size dimensions are data (issue 10, class 1): the reference returns the empty output, and no engine makes
 * the native call (a bias on an empty tensor kills the JVM with SIGFPE in libnd4j, so a failure here is the test
 * JVM dying: surefire reports the fork crashed).
 */
class GuardedEngineTest {

    static Stream<Arguments> emptyCases() {
        return Stream.of(
                Arguments.of("N=0", new int[] {0, 2, 5, 5}, new int[] {3, 2, 3, 3}, Padding.valid(), "the input 0x2x5x5 has no elements"),
                Arguments.of("N=0, same", new int[] {0, 2, 5, 5}, new int[] {3, 2, 3, 3}, Padding.same(), "the input 0x2x5x5 has no elements"),
                Arguments.of("C=0", new int[] {1, 0, 5, 5}, new int[] {3, 0, 3, 3}, Padding.valid(), "the input 1x0x5x5 has no elements"),
                Arguments.of("O=0", new int[] {1, 2, 5, 5}, new int[] {0, 2, 3, 3}, Padding.valid(), "the weights 0x2x3x3 has no elements"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyCases")
    void everyEngineRefusesZeroSizeTensorsAndTheReferenceGivesTheEmptyOutput(String name, int[] x, int[] w, Padding p, String reason) {
        Tensor input = Tensor.zeros(DType.FLOAT32, x);
        Tensor bias = Tensor.fill(DType.FLOAT32, new int[] {w[0]}, i -> 1 + i[0]);
        ConvLayer layer = new ConvLayer(Tensor.zeros(DType.FLOAT32, w), bias, ConvSpec.defaults().withPadding(p));
        Tensor reference = Conv2d.forward(input, layer).activated();
        if (x[0] == 0 || w[0] == 0) {
            assertThat(reference.size()).isZero();
        } else {
            // C = 0: every output is the bias alone, an empty sum.
            assertThat(reference.get(0, 2, 0, 0)).isEqualTo(3.0);
        }
        for (Engine e : Engines.frameworks()) {
            List<LayerRun> runs = e.run(input, List.of(layer, layer));
            assertThat(runs).as(e.name()).hasSize(2);
            for (LayerRun r : runs) {
                assertThat(r.status()).as("%s: %s", e.name(), r.message()).isEqualTo(Status.UNSUPPORTED);
                assertThat(r.message()).contains(reason).contains("SIGFPE");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyCases")
    void theRefusalIsDecidedInOnePlaceWithoutStartingNd4j(String name, int[] x, int[] w, Padding p, String reason) {
        ConvLayer layer = new ConvLayer(Tensor.zeros(DType.FLOAT64, w), null, ConvSpec.defaults().withPadding(p));
        assertThat(GuardedEngine.refusal(Tensor.zeros(DType.FLOAT64, x), List.of(layer))).contains(reason);
        ConvLayer fine = new ConvLayer(Tensor.zeros(DType.FLOAT64, 3, 2, 3, 3), null);
        assertThat(GuardedEngine.refusal(Tensor.zeros(DType.FLOAT64, 1, 2, 5, 5), List.of(fine))).isNull();
    }

    @org.junit.jupiter.api.Test
    void aPaddedInputOverTheSizeBudgetIsRefusedBeforeNd4jAllocatesIt() {
        // 1x1 input, padding 20000, stride 40000: a 2x2 output, but composing the padding would allocate 40001^2 values.
        ConvLayer layer = new ConvLayer(Tensor.zeros(DType.FLOAT64, 1, 1, 1, 1), null,
                ConvSpec.defaults().withPadding(Padding.explicit(20000, 20000, 20000, 20001)).withStride(convlab.core.Hw.of(40000)));
        assertThat(GuardedEngine.refusal(Tensor.zeros(DType.FLOAT64, 1, 1, 1, 1), List.of(layer)))
                .contains("the padded input (1x1x40001x40002)").contains("size budget");
    }
}
