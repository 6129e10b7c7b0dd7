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

/**
 * The demo's numbers, made here rather than downloaded, and chosen to mean something: an 8x8 RGB picture with clear
 * edges (a yellow sun, rows 1-3 and columns 4-6, in a blue sky over green grass) and layer 1's two filters are edge
 * detectors a student can read off their weights. Filter 0 finds vertical edges where the picture turns from sky to
 * sun going right (the sun's left edge: red rises, blue falls); filter 1 finds horizontal edges where blue ends going
 * down (the top of the sun and the horizon). After the relu, the opposite edges are zero. Layer 2 combines the two edge
 * maps: filter 0 looks for a vertical edge and a horizontal edge meeting (a top-left corner), filter 1 averages both
 * maps (anything edgy). Weights have one decimal, so every sum in the animations can be followed by hand.
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
            boolean sun = y >= 1 && y <= 3 && x >= 4 && x <= 6;
            double[] rgb = grass ? new double[] {0.1, 0.7, 0.1} : sun ? new double[] {1.0, 0.8, 0.1} : new double[] {0.2, 0.4, 0.9};
            return rgb[c];
        });
    }

    /** A fourth channel beside the picture's three: a depth map, far at the top, near at the bottom. */
    static Tensor fourChannels() {
        Tensor rgb = picture();
        return Tensor.fill(DType.FLOAT64, new int[] {1, 4, SIZE, SIZE}, i -> i[1] < 3 ? rgb.get(0, i[1], i[2], i[3])
                : Math.round((1.0 - i[2] / 7.0) * 10) / 10.0);
    }

    /** Rows of a 3x3 kernel slice. */
    private static double[] slice(double... v) {
        return v;
    }

    /** A filter bank {@code [O, C, 3, 3]} from slices, filter by filter, channel by channel. */
    private static Tensor bank(int filters, int channels, double[]... slices) {
        double[] flat = new double[filters * channels * 9];
        for (int k = 0; k < slices.length; k++) {
            System.arraycopy(slices[k], 0, flat, k * 9, 9);
        }
        return Tensor.of(new int[] {filters, channels, 3, 3}, flat);
    }

    /** Layer 1's slices: filter 0 (vertical edges: dark to bright going right), then filter 1 (horizontal edges). */
    private static final double[][] LAYER1 = {
        // filter 0, "left edge of something bright": red and green rise to the right, blue falls
        slice(-0.3, 0, 0.3, -0.3, 0, 0.3, -0.3, 0, 0.3),
        slice(-0.1, 0, 0.1, -0.1, 0, 0.1, -0.1, 0, 0.1),
        slice(0.2, 0, -0.2, 0.2, 0, -0.2, 0.2, 0, -0.2),
        // filter 1, "blue ends going down": the top of the sun and the horizon
        slice(0, 0, 0, 0, 0, 0, 0, 0, 0),
        slice(-0.1, -0.1, -0.1, 0, 0, 0, 0.1, 0.1, 0.1),
        slice(0.3, 0.3, 0.3, 0, 0, 0, -0.3, -0.3, -0.3),
    };

    static Tensor bias(double... b) {
        return Tensor.of(new int[] {b.length}, b);
    }

    /** Layer 1 (3 -> 2 edge detectors, relu), then layer 2 (2 -> 2: a corner and an average of both edge maps). */
    static Case twoLayers(Path dir) {
        ConvLayer layer1 = new ConvLayer(bank(2, 3, LAYER1), bias(-0.1, -0.1), ConvSpec.defaults().withActivation(Activation.RELU));
        Tensor w2 = bank(2, 2,
                // filter 0, "top-left corner": a vertical edge on the left column and a horizontal edge on the top row
                slice(0.5, 0, 0, 0.5, 0, 0, 0.5, 0, 0),
                slice(0.5, 0.5, 0.5, 0, 0, 0, 0, 0, 0),
                // filter 1, "any edge here": the mean of both maps over the window
                slice(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1),
                slice(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1));
        ConvLayer layer2 = new ConvLayer(w2, bias(-0.5, 0.0), ConvSpec.defaults());
        return new Case("demo", dir.resolve("demo").resolve("case.json"),
                "convlab demo: an 8x8 RGB picture, layer 1 = Conv2D(3 -> 2, 3x3, valid) + relu (vertical and horizontal edges), "
                        + "layer 2 = Conv2D(2 -> 2, 3x3, valid) (a corner, and edges anywhere)",
                picture(), Layout.NCHW, List.of(step(layer1), step(layer2)));
    }

    /**
     * The same picture with a fourth (depth) channel: layer 1's filters with one more slice each, so the kernel is
     * 3x3x4 and still one output channel per filter. Filter 0's depth slice is zero (depth has no vertical edges);
     * filter 1's reads depth falling going down a little.
     */
    static Case fourChannelCase(Path dir) {
        double[] zero = slice(0, 0, 0, 0, 0, 0, 0, 0, 0);
        double[] depth = slice(0.1, 0.1, 0.1, 0, 0, 0, -0.1, -0.1, -0.1);
        ConvLayer layer = new ConvLayer(bank(2, 4, LAYER1[0], LAYER1[1], LAYER1[2], zero, LAYER1[3], LAYER1[4], LAYER1[5], depth),
                bias(-0.1, -0.1), ConvSpec.defaults().withActivation(Activation.RELU));
        return new Case("channels4", dir.resolve("channels4").resolve("case.json"),
                "convlab demo: a 4-channel input (RGB + depth), layer 1's edge detectors with a depth slice each, Conv2D(4 -> 2, 3x3, valid) + relu",
                fourChannels(), Layout.NCHW, List.of(step(layer)));
    }

    private static Case.Step step(ConvLayer layer) {
        return new Case.Step(layer, WeightsLayout.OIHW, null, null);
    }
}
