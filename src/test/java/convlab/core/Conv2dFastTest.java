package convlab.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast form is the formula loops to the last bit, on every feature, with NaN, infinities and signed zeros. */
class Conv2dFastTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void equalsTheFormulaLoopsBitForBit(long seed) {
        Random r = new Random(seed);
        LayerContractTest.Sample s = LayerContractTest.conv2d(r);
        Tensor x = s.input();
        ConvLayer layer = (ConvLayer) s.layer();
        if (seed % 5 == 0) { // data is data: NaN, infinities and signed zeros in the input and the weights
            double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0};
            x = x.map(v -> r.nextInt(10) == 0 ? specials[r.nextInt(specials.length)] : v);
            Tensor w = layer.weights().map(v -> r.nextInt(12) == 0 ? specials[r.nextInt(specials.length)] : v);
            layer = new ConvLayer(w, layer.bias(), layer.spec());
        }
        Output slow = Conv2d.forward(x, layer);
        Output fast = Conv2dFast.forward(x, layer);
        assertThat(fast.preActivation().shape()).isEqualTo(slow.preActivation().shape());
        for (int i = 0; i < slow.preActivation().size(); i++) {
            assertThat(Double.doubleToLongBits(fast.preActivation().flat(i)))
                    .as("seed %d, %s, element %d: %s vs %s", seed, layer, i, fast.preActivation().flat(i), slow.preActivation().flat(i))
                    .isEqualTo(Double.doubleToLongBits(slow.preActivation().flat(i)));
            assertThat(Double.doubleToLongBits(fast.activated().flat(i))).as("seed %d activated %d", seed, i)
                    .isEqualTo(Double.doubleToLongBits(slow.activated().flat(i)));
        }
    }
}
