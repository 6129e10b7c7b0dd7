package convlab.engine;

import convlab.core.ConvLayer;
import convlab.core.ConvTransposeLayer;
import convlab.core.Geometry;
import convlab.core.Layer;
import convlab.core.Padding;
import convlab.core.PoolLayer;
import convlab.core.Tensor;
import java.util.List;

/**
 * What the {@code dl4j} engine builds for each op, chosen in one place ({@link #of}): whether DL4J can express the
 * layer, the network layers it becomes, the notes that say how, and how its weights and their gradient map to and
 * from DL4J's {@code W}. Each constant hands the layer to the op's own class ({@link Dl4jConvTranspose},
 * {@link Dl4jPooling}; conv2d's is in {@link Dl4jEngine}).
 */
enum Dl4jOp {
    /** {@code ConvolutionLayer}, or {@code DepthwiseConvolution2D} for groups = C. */
    CONV2D {
        @Override
        String unsupportedBecause(Layer layer, int[] shape) {
            return Dl4jEngine.unsupportedBecause((ConvLayer) layer, shape[2], shape[3]);
        }

        @Override
        Padding.Sides padsOf(Layer layer, int[] shape) {
            return Geometry.pads((ConvLayer) layer, shape[2], shape[3]);
        }

        @Override
        List<org.deeplearning4j.nn.conf.layers.Layer> layers(Layer layer, Padding.Sides pads) {
            return List.of(Dl4jEngine.configure((ConvLayer) layer, pads));
        }

        @Override
        List<String> notes(Layer layer, Padding.Sides pads) {
            return Dl4jEngine.notes((ConvLayer) layer, pads);
        }

        @Override
        Tensor paramW(Layer layer) {
            return Dl4jEngine.paramW((ConvLayer) layer);
        }

        @Override
        Tensor weightsGradient(Layer layer, Tensor gw, List<String> notes) {
            ConvLayer c = (ConvLayer) layer;
            if (Dl4jEngine.isDepthwise(c)) {
                notes.add("DepthwiseConvolution2D's W gradient [KH, KW, C, m] read back as OIHW (filter c*m + j)");
            }
            return Dl4jBackward.oihw(c, gw);
        }
    },
    /** {@code Deconvolution2D}, whose {@code W} is {@code [C, O, KH, KW]}: IOHW, the core's. */
    CONV_TRANSPOSE2D {
        @Override
        String unsupportedBecause(Layer layer, int[] shape) {
            return Dl4jConvTranspose.unsupportedBecause((ConvTransposeLayer) layer, shape);
        }

        @Override
        Padding.Sides padsOf(Layer layer, int[] shape) {
            return new Padding.Sides(0, 0, 0, 0);
        }

        @Override
        List<org.deeplearning4j.nn.conf.layers.Layer> layers(Layer layer, Padding.Sides pads) {
            return List.of(Dl4jConvTranspose.configure((ConvTransposeLayer) layer));
        }

        @Override
        List<String> notes(Layer layer, Padding.Sides pads) {
            return List.of(Dl4jConvTranspose.note((ConvTransposeLayer) layer));
        }

        @Override
        Tensor paramW(Layer layer) {
            return layer.weights();
        }

        @Override
        Tensor weightsGradient(Layer layer, Tensor gw, List<String> notes) {
            notes.add("Deconvolution2D's W gradient [C, O, KH, KW] is IOHW as it is");
            return gw;
        }
    },
    /** {@code SubsamplingLayer} (with a padding and an activation layer when needed): max_pool2d and avg_pool2d. */
    POOLING {
        @Override
        String unsupportedBecause(Layer layer, int[] shape) {
            return Dl4jPooling.unsupportedBecause((PoolLayer) layer, shape);
        }

        @Override
        Padding.Sides padsOf(Layer layer, int[] shape) {
            return ((PoolLayer) layer).pads(shape[2], shape[3]);
        }

        @Override
        List<org.deeplearning4j.nn.conf.layers.Layer> layers(Layer layer, Padding.Sides pads) {
            return Dl4jPooling.layers((PoolLayer) layer, pads);
        }

        @Override
        List<String> notes(Layer layer, Padding.Sides pads) {
            return List.of(Dl4jPooling.note((PoolLayer) layer, pads));
        }

        @Override
        Tensor paramW(Layer layer) {
            return null;
        }

        @Override
        Tensor weightsGradient(Layer layer, Tensor gw, List<String> notes) {
            return null;
        }
    };

    /** The one place the dl4j engine chooses by op. */
    static Dl4jOp of(Layer layer) {
        return switch (layer.op()) {
            case CONV2D -> CONV2D;
            case CONV_TRANSPOSE2D -> CONV_TRANSPOSE2D;
            case MAX_POOL2D, AVG_POOL2D -> POOLING;
        };
    }

    /** Why DL4J cannot express the layer on an input of {@code shape} (NCHW), or null when it can. */
    abstract String unsupportedBecause(Layer layer, int[] shape);

    /** The layer's padding resolved on {@code shape} without checking that it fits (for a layer the reference rejects). */
    abstract Padding.Sides padsOf(Layer layer, int[] shape);

    /** The network layers the layer becomes, in order; the last one's activation is its output. */
    abstract List<org.deeplearning4j.nn.conf.layers.Layer> layers(Layer layer, Padding.Sides pads);

    /** How the layer was expressed, one line each. */
    abstract List<String> notes(Layer layer, Padding.Sides pads);

    /** The weights as DL4J's {@code W} parameter, or null without weights. */
    abstract Tensor paramW(Layer layer);

    /** DL4J's {@code W} gradient in the core's layout (null without weights), noting how it was read back. */
    abstract Tensor weightsGradient(Layer layer, Tensor gw, List<String> notes);
}
