package convlab.cli;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Layout;
import convlab.core.Tensor;
import convlab.core.WeightsLayout;
import convlab.io.Case;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The demo's numbers, made here rather than downloaded: an 8x8 RGB picture (a red sun in a blue sky over green grass)
 * and seeded weights rounded to one decimal, so every sum in the animations can be followed by hand. The seeds are
 * chosen so that about half of each relu output is positive (a layer of zeros teaches nothing).
 */
final class DemoData {

    static final int SIZE = 8;

    private DemoData() {
    }

    /** The picture as {@code [1, 3, 8, 8]}, values in [0, 1] with one decimal. */
    static Tensor picture() {
        return Tensor.fill(DType.FLOAT64, new int[] {1, 3, SIZE, SIZE}, i -> {
            int c = i[1], y = i[2], x = i[3];
            boolean grass = y >= 6;
            double dy = y - 2.0, dx = x - 5.0;
            boolean sun = dy * dy + dx * dx <= 2.5;
            double r, g, b;
            if (grass) {
                r = 0.1; g = 0.7 - 0.1 * (y - 6) + ((x % 3 == 0) ? 0.1 : 0.0); b = 0.1;
            } else if (sun) {
                r = 1.0; g = 0.8 - 0.1 * Math.abs(dx); b = 0.1;
            } else {
                r = 0.2; g = 0.4 + 0.05 * y; b = 1.0 - 0.1 * y;
            }
            double v = c == 0 ? r : c == 1 ? g : b;
            return Math.round(v * 10) / 10.0;
        });
    }

    /** A fourth channel beside the picture's three: a depth map, far at the top, near at the bottom. */
    static Tensor fourChannels() {
        Tensor rgb = picture();
        return Tensor.fill(DType.FLOAT64, new int[] {1, 4, SIZE, SIZE}, i -> i[1] < 3 ? rgb.get(0, i[1], i[2], i[3])
                : Math.round((1.0 - i[2] / 7.0) * 10) / 10.0);
    }

    /** Weights {@code [O, C, 3, 3]} drawn from {-1, -0.9, ..., 1} with a fixed seed. */
    static Tensor weights(long seed, int filters, int channels) {
        Random r = new Random(seed);
        return Tensor.fill(DType.FLOAT64, new int[] {filters, channels, 3, 3}, i -> (r.nextInt(21) - 10) / 10.0);
    }

    static Tensor bias(double... b) {
        return Tensor.of(new int[] {b.length}, b);
    }

    /** The seed's story: 3 channels -> 2 filters of 3x3x3 (relu), then 2 -> 2 filters of 3x3x2; stride 1, valid. */
    static Case twoLayers(Path dir) {
        ConvLayer layer1 = new ConvLayer(weights(67, 2, 3), bias(0.1, -0.2), ConvSpec.defaults().withActivation(Activation.RELU));
        ConvLayer layer2 = new ConvLayer(weights(2, 2, 2), bias(0.0, 0.1), ConvSpec.defaults());
        return new Case("demo", dir.resolve("demo").resolve("case.json"),
                "convlab demo: an 8x8 RGB picture, layer 1 = Conv2D(3 -> 2, 3x3, valid) + relu, layer 2 = Conv2D(2 -> 2, 3x3, valid)",
                picture(), Layout.NCHW, List.of(step(layer1), step(layer2)));
    }

    /** The same picture with a fourth (depth) channel: the kernel is 3x3x4, still one output channel per filter. */
    static Case fourChannelCase(Path dir) {
        ConvLayer layer = new ConvLayer(weights(45, 2, 4), bias(0.1, -0.1), ConvSpec.defaults().withActivation(Activation.RELU));
        return new Case("channels4", dir.resolve("channels4").resolve("case.json"),
                "convlab demo: a 4-channel input (RGB + depth), Conv2D(4 -> 2, 3x3, valid) + relu",
                fourChannels(), Layout.NCHW, List.of(step(layer)));
    }

    private static Case.Step step(ConvLayer layer) {
        return new Case.Step(layer, WeightsLayout.OIHW, null, null);
    }
}
