package convlab.render.anim;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Tensor;
import java.util.Random;

/** Seeded random inputs and layers, values rounded to two decimals like the figures print them. */
final class TestData {

    private TestData() {
    }

    static Tensor uniform(Random r, double lo, double hi, int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, idx -> Math.round((lo + (hi - lo) * r.nextDouble()) * 100) / 100.0);
    }

    /** The classic picture: a 1x3x8x8 input in [0, 1] and 2 filters 3x3x3 with bias and relu, valid padding. */
    static Tensor classicInput(long seed) {
        return uniform(new Random(seed), 0, 1, 1, 3, 8, 8);
    }

    static ConvLayer classicLayer(long seed) {
        Random r = new Random(seed + 1);
        return new ConvLayer(uniform(r, -1, 1, 2, 3, 3, 3), uniform(r, -1, 1, 2), ConvSpec.defaults().withActivation(Activation.RELU));
    }
}
