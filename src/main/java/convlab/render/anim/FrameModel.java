package convlab.render.anim;

import convlab.core.Activation;
import convlab.core.Geometry;
import convlab.core.Output;
import convlab.core.Tensor;
import convlab.render.Scale;
import java.util.List;

/**
 * Everything the frames of one layer's animation show, computed once by {@link Animation}: the renderer draws from
 * this and its {@link FrameLayout} alone.
 *
 * @param geometry     the shapes of the animated item ({@code n = 1})
 * @param plan         which value each frame computes
 * @param padded       the padded input, {@code [C][HP][WP]}, padding values filled in by the padding mode
 * @param padding      which padded cells are padding
 * @param weights      the layer's weights, OIHW
 * @param reference    the reference output of the item, before and after the activation
 * @param activation   the layer's activation
 * @param inputScale   the input maps' colours, fitted to the padded input
 * @param kernelScale  the kernels' colours, fitted to every filter's weights
 * @param outputScale  the outputs' colours, fitted to the outputs before and after the activation (one scale for both)
 * @param steps        the numbers behind each computing frame, in order
 * @param captions     the caption of each computing frame, in order
 * @param boxes        the sum box of each computing frame, in order
 * @param biases       each filter's bias, or null when the layer has none
 * @param title        the frame title's prefix ("" for none)
 * @param subtitle     the layer in words
 * @param headers      the column headers, indexed as {@link FrameLayout.Content#headers()}
 * @param inputLabels  each input channel's label
 * @param intro        the intro frame's caption (empty when there is no intro)
 * @param done         the finished layer's caption
 */
record FrameModel(Geometry geometry, FramePlan plan, double[][][] padded, boolean[][] padding, Tensor weights,
                  Output reference, Activation activation, Scale inputScale, Scale kernelScale, Scale outputScale,
                  List<StepValues> steps, List<List<Captions.Line>> captions, List<List<String>> boxes, double[] biases,
                  String title, String subtitle, String[] headers, String[] inputLabels, List<Captions.Line> intro,
                  List<Captions.Line> done, int fromLayer) {

    /** The kernel column's header for filter {@code oc}, or for the finished layer when {@code oc < 0}. */
    String kernelHeader(int oc) {
        Geometry g = geometry;
        String shape = g.cg() + " \u00d7 " + g.kernel().h() + " \u00d7 " + g.kernel().w();
        return oc < 0 ? "filters:  " + g.o() + " of " + shape : "filter w[" + oc + "]:  " + shape;
    }

    boolean hasPre() {
        return activation != Activation.NONE;
    }
}
