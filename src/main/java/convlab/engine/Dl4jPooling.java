package convlab.engine;

import convlab.core.Padding;
import convlab.core.PoolGeometry;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * A {@link PoolLayer} as DL4J layers, for {@link Dl4jEngine}'s network: a {@link SubsamplingLayer} (MAX or AVG,
 * {@code ConvolutionMode.Same} for {@code same}, else {@code Truncate} with the symmetric padding,
 * {@code avgPoolIncludePadInDivisor} from {@code countIncludePad}, NCHW), followed by an {@code ActivationLayer}
 * when the layer has an activation (SubsamplingLayer has none). SubsamplingLayer has no ceil mode and pads
 * symmetrically, so ceil mode whose last window reaches past the padding, and asymmetric padding, are unsupported.
 */
final class Dl4jPooling {

    private Dl4jPooling() {
    }

    /** Why SubsamplingLayer cannot take this layer on an input of {@code h x w}, or null when it can. */
    static String unsupportedBecause(PoolLayer layer, int[] shape) {
        PoolSpec s = layer.spec();
        Padding.Sides sides = layer.pads(shape[2], shape[3]);
        if (!s.padding().equals(Padding.same()) && !sides.isSymmetric()) {
            return "DL4J SubsamplingLayer pads symmetrically (ConvolutionMode.Same puts an odd pixel bottom/right), but found padding "
                    + s.padding() + (s.padding().isSame() ? " (" + sides + ")" : "");
        }
        if (s.ceilMode()) {
            PoolGeometry g = layer.geometry(shape);
            if (g.extraBottom() > 0 || g.extraRight() > 0) {
                return "DL4J SubsamplingLayer has no ceil mode, and here ceil mode keeps a last window that reaches " + g.extraBottom()
                        + " row(s) and " + g.extraRight() + " column(s) past the padding (" + g.oh() + "x" + g.ow() + " outputs, not the floor's)";
            }
        }
        return null;
    }

    /** The network layers for one pooling layer: the SubsamplingLayer, then an ActivationLayer if it has an activation. */
    static List<Layer> layers(PoolLayer layer, Padding.Sides pads) {
        PoolSpec s = layer.spec();
        boolean same = s.padding().equals(Padding.same());
        List<Layer> out = new ArrayList<>();
        out.add(new SubsamplingLayer.Builder(layer.isMax() ? SubsamplingLayer.PoolingType.MAX : SubsamplingLayer.PoolingType.AVG)
                .kernelSize(s.kernel().h(), s.kernel().w())
                .stride(s.stride().h(), s.stride().w())
                .padding(same ? 0 : pads.top(), same ? 0 : pads.left())
                .dilation(s.dilation().h(), s.dilation().w())
                .convolutionMode(same ? ConvolutionMode.Same : ConvolutionMode.Truncate)
                .avgPoolIncludePadInDivisor(s.countIncludePad())
                .dataFormat(CNN2DFormat.NCHW)
                .build());
        if (s.activation() != convlab.core.Activation.NONE) {
            out.add(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder().activation(Dl4jEngine.activation(s.activation())).build());
        }
        return out;
    }

    /** What the run's notes say about how the layer was built. */
    static String note(PoolLayer layer, Padding.Sides pads) {
        PoolSpec s = layer.spec();
        String mode = s.padding().equals(Padding.same()) ? "ConvolutionMode.Same"
                : "ConvolutionMode.Truncate, padding (" + pads.top() + ", " + pads.left() + ")" + (s.padding().isSame() ? ": " + s.padding() + " resolved by convlab" : "");
        return "SubsamplingLayer " + (layer.isMax() ? "MAX" : "AVG, avgPoolIncludePadInDivisor=" + s.countIncludePad()) + ", " + mode
                + (s.activation() == convlab.core.Activation.NONE ? "" : ", then an ActivationLayer (" + s.activation() + ")");
    }
}
