package convlab.engine;

import convlab.core.ConvTransposeLayer;
import convlab.core.ConvTransposeSpec;
import convlab.core.Hw;
import convlab.core.Padding;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;

/**
 * A {@code conv_transpose2d} layer as DL4J's {@link Deconvolution2D} ({@code ConvolutionMode.Same} for {@code same},
 * else {@code Truncate} with the symmetric crop as its padding; weights {@code W} as {@code [C, O, KH, KW]}, the same
 * IOHW order as convlab's). What the layer cannot express is unsupported: groups, output padding, an output shape,
 * {@code same_lower} and asymmetric crops.
 */
final class Dl4jConvTranspose {

    private Dl4jConvTranspose() {
    }

    /** Why {@code Deconvolution2D} cannot take this layer on an input of this NCHW shape, or null when it can. */
    static String unsupportedBecause(ConvTransposeLayer layer, int[] input) {
        ConvTransposeSpec s = layer.spec();
        if (input[0] == 0 || input[1] == 0 || layer.filters() == 0) {
            return "not run: " + Nd4jConvTranspose.zeroSize(input[0], input[1], layer.filters());
        }
        if (s.groups() > 1) {
            return "DL4J Deconvolution2D has no groups, but found groups=" + s.groups();
        }
        if (!s.outputPadding().equals(Hw.of(0))) {
            return "DL4J Deconvolution2D has no output padding, but found outputPadding=" + s.outputPadding();
        }
        if (s.outputShape() != null) {
            return "DL4J Deconvolution2D has no output-shape argument, but found outputShape=" + s.outputShape();
        }
        if (!s.padding().equals(Padding.same()) && !s.padding().isSymmetric()) {
            return "DL4J Deconvolution2D crops symmetrically (one size for top and bottom, one for left and right;"
                    + " ConvolutionMode.Same crops the odd row at the bottom), but found padding " + s.padding();
        }
        return null;
    }

    /** The layer's DL4J configuration; {@link #unsupportedBecause} accepted it. */
    static Deconvolution2D configure(ConvTransposeLayer layer) {
        ConvTransposeSpec s = layer.spec();
        boolean same = s.padding().equals(Padding.same());
        Padding.Sides p = crops(s);
        return new Deconvolution2D.Builder(layer.kernel().h(), layer.kernel().w())
                .nIn(layer.inputChannels())
                .nOut(layer.filters())
                .stride(s.stride().h(), s.stride().w())
                .dilation(s.dilation().h(), s.dilation().w())
                .padding(p.top(), p.left())
                .convolutionMode(same ? ConvolutionMode.Same : ConvolutionMode.Truncate)
                .activation(Dl4jEngine.activation(s.activation()))
                .hasBias(layer.bias() != null)
                .dataFormat(CNN2DFormat.NCHW)
                .build();
    }

    /** How the layer was expressed, for the run's notes. */
    static String note(ConvTransposeLayer layer) {
        ConvTransposeSpec s = layer.spec();
        return "Deconvolution2D, " + (s.padding().equals(Padding.same()) ? "ConvolutionMode.Same"
                : "ConvolutionMode.Truncate, padding (" + crops(s).top() + ", " + crops(s).left() + ")");
    }

    /** The explicit crops, or none for valid and same. */
    private static Padding.Sides crops(ConvTransposeSpec s) {
        return s.padding() instanceof Padding.Explicit e ? new Padding.Sides(e.top(), e.bottom(), e.left(), e.right()) : new Padding.Sides(0, 0, 0, 0);
    }
}
