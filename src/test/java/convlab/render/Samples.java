package convlab.render;

import convlab.core.Activation;
import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Output;
import convlab.core.Padding;
import convlab.core.Tensor;
import convlab.engine.LayerRun;
import java.util.List;
import java.util.Random;

/** Seeded cases the render tests and the sample writer share. */
final class Samples {

    private Samples() {
    }

    static final String LONG_ERROR = "java.lang.IllegalStateException: Op [conv2d] failed to execute: the requested "
            + "padding mode reflect is not implemented by this backend; inputs were NCHW [1, 3, 8, 8] and weights "
            + "OIHW [2, 3, 3, 3], which is what DL4J's ConvolutionLayer hands to the native op. Retry with padding zeros.";

    /** A [1, 3, 8, 8] input in [0, 1) (non-negative, like an image). */
    static Tensor input8(long seed) {
        Random r = new Random(seed);
        return Tensor.fill(DType.FLOAT64, new int[] {1, 3, 8, 8}, idx -> r.nextDouble());
    }

    /** Two 3x3 filters over 3 channels, signed, with kernel o=0 c=0 centre exactly 0, and a bias. */
    static ConvLayer layer8(long seed, Activation activation) {
        Random r = new Random(seed + 1);
        Tensor w = Tensor.fill(DType.FLOAT64, new int[] {2, 3, 3, 3},
                idx -> idx[0] == 0 && idx[1] == 0 && idx[2] == 1 && idx[3] == 1 ? 0.0 : r.nextGaussian() * 0.5);
        Tensor b = Tensor.of(new int[] {2}, new double[] {0.1, -0.25});
        return new ConvLayer(w, b, ConvSpec.defaults().withActivation(activation));
    }

    /** An engine that agrees to float32 rounding: the reference in float32, each nonzero value one float step up. */
    static EngineResult okEngine(String name, Output ref) {
        Tensor out = ref.activated().as(DType.FLOAT32).map(v -> v == 0 ? v : Math.nextUp((float) v));
        return new EngineResult(name, LayerRun.ok(out, DType.FLOAT32, List.of(), 1000));
    }

    static EngineResult errorEngine(String name, String message) {
        return new EngineResult(name, LayerRun.error(message, 1000));
    }

    /** The 3ch 8x8 / 2 filters case with relu, one OK engine and one ERROR engine. */
    static FigureData case8(boolean withEngines) {
        Tensor in = input8(7);
        ConvLayer layer = layer8(7, Activation.RELU);
        Output ref = Conv2d.forward(in, layer);
        List<EngineResult> engines = withEngines
                ? List.of(okEngine("nd4j-onednn", ref), errorEngine("dl4j", LONG_ERROR))
                : List.of();
        return FigureData.of("sample: 3 channels 8x8, 2 filters 3x3", in, layer, ref, engines, 0);
    }

    /** A 1x3x32x32 random input (as an RGB picture too), 2 filters 5x5 same padding, tanh, one OK engine. */
    static FigureData case32() {
        Random r = new Random(11);
        Tensor in = Tensor.fill(DType.FLOAT64, new int[] {1, 3, 32, 32}, idx -> r.nextDouble());
        Tensor w = Tensor.fill(DType.FLOAT64, new int[] {2, 3, 5, 5}, idx -> r.nextGaussian() * 0.2);
        ConvLayer layer = new ConvLayer(w, null, ConvSpec.defaults().withPadding(Padding.same()).withActivation(Activation.TANH));
        Output ref = Conv2d.forward(in, layer);
        return FigureData.of("sample: 1x3x32x32 random", in, layer, ref, List.of(okEngine("nd4j-onednn", ref)), 1)
                .withRgbInput();
    }

    /** 24 channels of 20x20, 20 filters: more than a figure draws. */
    static FigureData manyChannels() {
        Random r = new Random(5);
        Tensor input = Tensor.fill(DType.FLOAT64, new int[] {1, 24, 20, 20}, idx -> r.nextGaussian());
        Tensor w = Tensor.fill(DType.FLOAT64, new int[] {20, 24, 3, 3}, idx -> r.nextGaussian());
        ConvLayer layer = new ConvLayer(w, null, ConvSpec.defaults().withActivation(Activation.RELU));
        Output ref = Conv2d.forward(input, layer);
        return FigureData.of("many channels", input, layer, ref, List.of(okEngine("e", ref)), 2);
    }

    /** Groups=2, stride 2, padding 1, a NaN in the input, a 2-item batch, an unsupported engine. */
    static FigureData nanAndGroups() {
        Random r = new Random(8);
        Tensor input = Tensor.fill(DType.FLOAT64, new int[] {2, 4, 7, 7},
                idx -> idx[1] == 2 && idx[2] == 3 && idx[3] == 3 ? Double.NaN : r.nextGaussian());
        Tensor w = Tensor.fill(DType.FLOAT64, new int[] {4, 2, 3, 3}, idx -> r.nextGaussian() * 0.3);
        Tensor b = Tensor.fill(DType.FLOAT64, new int[] {4}, idx -> r.nextGaussian() * 0.1);
        ConvLayer layer = new ConvLayer(w, b, ConvSpec.defaults().withGroups(2).withStride(convlab.core.Hw.of(2))
                .withPadding(Padding.symmetric(1)));
        Output ref = Conv2d.forward(input, layer);
        return FigureData.of("groups, stride, NaN", input, layer, ref, List.of(okEngine("pytorch", ref),
                new EngineResult("tensorflow", LayerRun.unsupported("groups=2 with stride 2 is not supported on CPU"))), 3);
    }

    /** One channel of 3x3, one 1x1 filter with dilation 2 and a sigmoid: the smallest figure. */
    static FigureData tiny() {
        Tensor input = Tensor.of(new int[] {1, 1, 3, 3}, new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8});
        ConvLayer layer = new ConvLayer(Tensor.of(new int[] {1, 1, 1, 1}, new double[] {-0.5}),
                Tensor.of(new int[] {1}, new double[] {1}), ConvSpec.defaults().withActivation(Activation.SIGMOID));
        Output ref = Conv2d.forward(input, layer);
        return FigureData.of("", input, layer, ref, List.of(okEngine("x", ref)), 0);
    }
}
