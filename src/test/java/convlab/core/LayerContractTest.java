package convlab.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op of the family, told three ways that must agree: the formula-shaped loops ({@link Layer#forward}), the
 * reduction of the taps ({@link Layer#taps} and {@link Layer#reduce}), and the geometry's output shape. One table
 * of sample layers per op ({@link #SAMPLERS}); a new op adds its sampler here.
 */
class LayerContractTest {

    /** A seeded random layer of one op with an input it applies to. */
    record Sample(Tensor input, Layer layer) {
    }

    /** One sampler per op: seed in, a valid (input, layer) out. */
    static final List<Function<Random, Sample>> SAMPLERS = List.of(LayerContractTest::conv2d, ConvTranspose2dTest::sample,
            LayerContractTest::pool2d);

    static Sample conv2d(Random r) {
        int groups = 1 + r.nextInt(2);
        int cg = 1 + r.nextInt(2);
        int og = 1 + r.nextInt(2);
        int kh = 1 + r.nextInt(3);
        int kw = 1 + r.nextInt(3);
        Padding[] paddings = {Padding.valid(), Padding.same(), Padding.sameLower(), Padding.explicit(r.nextInt(2), r.nextInt(3), r.nextInt(3), r.nextInt(2))};
        ConvSpec spec = ConvSpec.defaults()
                .withStride(new Hw(1 + r.nextInt(2), 1 + r.nextInt(2)))
                .withDilation(new Hw(1 + r.nextInt(2), 1 + r.nextInt(2)))
                .withPadding(paddings[r.nextInt(paddings.length)])
                .withPaddingMode(PaddingMode.values()[r.nextInt(PaddingMode.values().length)])
                .withGroups(groups)
                .withActivation(Activation.values()[r.nextInt(Activation.values().length)]);
        Tensor w = random(r, groups * og, cg, kh, kw);
        Tensor b = r.nextBoolean() ? random(r, groups * og) : null;
        Tensor x = random(r, 1 + r.nextInt(2), groups * cg, 5 + r.nextInt(3), 5 + r.nextInt(3));
        return new Sample(x, new ConvLayer(w, b, spec));
    }

    /** Max or average pooling; padding at most half the window (PyTorch's rule) so every window covers the input. */
    static Sample pool2d(Random r) {
        boolean max = r.nextBoolean();
        Hw k = new Hw(1 + r.nextInt(3), 1 + r.nextInt(3));
        Padding[] paddings = {Padding.valid(), Padding.same(), Padding.sameLower(),
            Padding.explicit(r.nextInt(k.h() / 2 + 1), r.nextInt(k.h() / 2 + 1), r.nextInt(k.w() / 2 + 1), r.nextInt(k.w() / 2 + 1))};
        PoolSpec spec = PoolSpec.of(k)
                .withStride(new Hw(1 + r.nextInt(3), 1 + r.nextInt(3)))
                .withPadding(paddings[r.nextInt(paddings.length)])
                .withDilation(max ? new Hw(1 + r.nextInt(2), 1 + r.nextInt(2)) : Hw.of(1))
                .withCeilMode(r.nextBoolean())
                .withCountIncludePad(r.nextBoolean())
                .withActivation(Activation.values()[r.nextInt(Activation.values().length)]);
        Tensor x = random(r, 1 + r.nextInt(2), 1 + r.nextInt(3), 5 + r.nextInt(4), 5 + r.nextInt(4));
        return new Sample(x, new PoolLayer(max ? Op.MAX_POOL2D : Op.AVG_POOL2D, spec));
    }

    static Tensor random(Random r, int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, i -> r.nextGaussian());
    }

    static Stream<Arguments> samples() {
        List<Arguments> args = new ArrayList<>();
        for (int op = 0; op < SAMPLERS.size(); op++) {
            for (long seed = 1; seed <= 60; seed++) {
                args.add(Arguments.of(op, seed));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "sampler {0}, seed {1}")
    @MethodSource("samples")
    void loopsTapsAndGeometryAgreeOnEveryOutputValue(int sampler, long seed) {
        Sample s = SAMPLERS.get(sampler).apply(new Random(seed));
        Layer layer = s.layer();
        OpGeometry g = layer.geometry(s.input().shape());
        Output out = layer.forward(s.input());
        String where = layer.op() + " seed " + seed + " " + layer;
        assertThat(out.preActivation().shape()).as(where).isEqualTo(g.outputShape());
        int[] shape = g.outputShape();
        Tensor magnitudes = layer.magnitudes(s.input());
        for (int n = 0; n < shape[0]; n++) {
            for (int oc = 0; oc < shape[1]; oc++) {
                for (int oh = 0; oh < shape[2]; oh++) {
                    for (int ow = 0; ow < shape[3]; ow++) {
                        List<Tap> taps = layer.taps(s.input(), n, oc, oh, ow);
                        double fromTaps = layer.reduce(taps, oc);
                        double fromLoops = out.preActivation().get(n, oc, oh, ow);
                        assertThat(fromTaps).as("%s at (%d, %d, %d, %d)", where, n, oc, oh, ow).isCloseTo(fromLoops, org.assertj.core.data.Offset.offset(1e-12));
                        assertThat(out.activated().get(n, oc, oh, ow)).as(where).isEqualTo(layer.activation().apply(fromLoops));
                        double bias = layer.bias() == null ? 0 : Math.abs(layer.bias().get(oc));
                        assertThat(magnitudes.get(n, oc, oh, ow) + bias).as("magnitude bounds the value, %s", where)
                                .isGreaterThanOrEqualTo(Math.abs(fromLoops) - 1e-12);
                    }
                }
            }
        }
    }

    /** The layer with other weights and bias: what a finite difference in a parameter needs. */
    static Layer withParams(Layer layer, Tensor w, Tensor b) {
        return switch (layer.op()) {
            case CONV2D -> new ConvLayer(w, b, ((ConvLayer) layer).spec());
            case CONV_TRANSPOSE2D -> new ConvTransposeLayer(w, b, ((ConvTransposeLayer) layer).spec());
            case MAX_POOL2D, AVG_POOL2D -> layer; // no weights, no bias
        };
    }

    /**
     * The op's backward pass ({@link Backward#of}) against central finite differences of its own forward, for
     * L = sum(dy * y): dL/dx, and dL/dw and dL/db where the op has weights and a bias.
     */
    static Stream<Arguments> gradientSamples() {
        return samples().filter(a -> (long) a.get()[1] <= 20); // finite differences cost two forward passes per element
    }

    @ParameterizedTest(name = "sampler {0}, seed {1}")
    @MethodSource("gradientSamples")
    void backwardMatchesFiniteDifferencesOfForward(int sampler, long seed) {
        Sample s = SAMPLERS.get(sampler).apply(new Random(seed));
        Layer layer = s.layer();
        String where = layer.op() + " seed " + seed + " " + layer;
        org.junit.jupiter.api.Assumptions.assumeFalse(layer.activation() == Activation.RELU
                && Conv2dBackwardTest.nearKink(layer.forward(s.input()).preActivation()), "a finite difference across relu's kink measures the kink");
        Tensor dy = random(new Random(seed + 1000), layer.geometry(s.input().shape()).outputShape());
        Gradients g = Backward.of(layer, s.input(), dy);
        Conv2dBackwardTest.assertClose(g.gradInput().toArray(),
                Conv2dBackwardTest.finiteDifferences(s.input(), x -> Conv2dBackwardTest.loss(layer.forward(x).activated(), dy)), "dX " + where);
        if (layer.weights() != null) {
            Conv2dBackwardTest.assertClose(g.gradWeights().toArray(), Conv2dBackwardTest.finiteDifferences(layer.weights(),
                    w -> Conv2dBackwardTest.loss(withParams(layer, w, layer.bias()).forward(s.input()).activated(), dy)), "dW " + where);
        }
        if (layer.bias() != null) {
            Conv2dBackwardTest.assertClose(g.gradBias().toArray(), Conv2dBackwardTest.finiteDifferences(layer.bias(),
                    b -> Conv2dBackwardTest.loss(withParams(layer, layer.weights(), b).forward(s.input()).activated(), dy)), "db " + where);
        } else {
            assertThat(g.gradBias()).as(where).isNull();
        }
    }
}
