package convlab.render;

import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.Geometry;
import convlab.core.Output;
import convlab.core.Tensor;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * Everything one layer's figure shows.
 *
 * @param title      a heading for the figure, such as the case name ("" for none)
 * @param input      the layer's input, NCHW; {@link FigureOptions#batchIndex()} picks the item drawn
 * @param image      a picture to draw beside the input channels (for example the image file the input was read
 *                   from), or null
 * @param rgbInput   whether the input channels are the red, green and blue of an image; when {@code image} is null the
 *                   picture is then made from the drawn batch item (values clamped to [0, 1])
 * @param layer      the layer: weights OIHW, bias or null, spec
 * @param reference  the reference output of {@link Conv2d#forward(Tensor, ConvLayer)} for {@code input}
 * @param engines    each engine's run of this layer, in the order to draw them (may be empty)
 * @param layerIndex the layer's position in its case, counted from 0, shown in the header as {@code layer N}
 */
public record FigureData(String title, Tensor input, BufferedImage image, boolean rgbInput, ConvLayer layer,
                         Output reference, List<EngineResult> engines, int layerIndex) {

    public FigureData {
        title = title == null ? "" : title;
        engines = engines == null ? List.of() : List.copyOf(engines);
        if (input == null || layer == null || reference == null) {
            throw new IllegalArgumentException("Expected an input, a layer and a reference output, but found null");
        }
        if (reference.preActivation() == null || reference.activated() == null) {
            throw new IllegalArgumentException("Expected the reference output before and after its activation, but found null");
        }
        if (layerIndex < 0) {
            throw new IllegalArgumentException("Expected a layer index >= 0, but found " + layerIndex);
        }
        int[] expected = Geometry.of(input.shape(), layer).outputShape();
        if (!Arrays.equals(expected, reference.activated().shape())
                || !Arrays.equals(expected, reference.preActivation().shape())) {
            throw new IllegalArgumentException("Expected a reference output of shape " + Tensor.shapeString(expected)
                    + " for input " + input.shapeString() + ", but found " + reference.activated().shapeString());
        }
        if (rgbInput && input.dim(1) != 3) {
            throw new IllegalArgumentException("Expected 3 channels for an RGB input, but found " + input.dim(1));
        }
    }

    /** A figure without a picture of the input. */
    public static FigureData of(String title, Tensor input, ConvLayer layer, Output reference,
                                List<EngineResult> engines, int layerIndex) {
        return new FigureData(title, input, null, false, layer, reference, engines, layerIndex);
    }

    /** The same figure with {@code picture} drawn beside the input channels. */
    public FigureData withImage(BufferedImage picture) {
        return new FigureData(title, input, picture, rgbInput, layer, reference, engines, layerIndex);
    }

    /** The same figure, marking the input's 3 channels as RGB so they are also drawn as a picture. */
    public FigureData withRgbInput() {
        return new FigureData(title, input, image, true, layer, reference, engines, layerIndex);
    }
}
