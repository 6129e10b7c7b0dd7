package convlab.engine;

import convlab.core.Padding;
import convlab.core.PoolGeometry;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.transforms.Pad;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's {@code maxpool2d} and {@code avgpool2d} ops ({@code Nd4j.cnn().maxPooling2d / avgPooling2d} with
 * {@link Pooling2DConfig}, NCHW) for a {@link PoolLayer}, called by {@link Nd4jEngine}.
 *
 * <p>How a spec becomes op calls:
 * <ul>
 *   <li>{@code same}: the op's own SAME mode, so that the comparison shows how ND4J pads and divides;</li>
 *   <li>explicit symmetric padding: the op's {@code pH, pW}; average pooling's {@code extra} argument says whether
 *       the divisor counts padded cells (1) or not (0);</li>
 *   <li>what the ops cannot express (asymmetric padding, same_lower, and ceil mode when its last window reaches
 *       beyond the padding; the ops have no ceil mode) is composed and noted: max pooling pads with
 *       {@code Nd4j.pad(CONSTANT -infinity)} (the padding and the ceil-mode extension) then a valid maxpool2d;
 *       average pooling is a sum over a count, each a valid avgpool2d times KH*KW: the sum over the input padded
 *       with zeros, the count over a 0/1 mask of the cells the divisor counts.</li>
 * </ul>
 */
final class Nd4jPooling {

    private Nd4jPooling() {
    }

    /**
     * How a pooling layer becomes op calls on an input of x's shape: native (the op's SAME mode or its symmetric
     * {@code pH, pW}) or composed over the input padded by {@code widths} (the padding and the ceil-mode extension)
     * for the reason {@code why}. The backward pass ({@link Nd4jPoolingBackward}) follows the same plan.
     */
    record Plan(boolean composed, PaddingMode mode, long pH, long pW, Padding.Sides pads, int extraBottom, int extraRight, String why) {

        /** Nd4j.pad's widths for the composed forms: the padding, and the ceil-mode extension at the bottom and right. */
        int[][] widths() {
            return new int[][] {{0, 0}, {0, 0}, {pads.top(), pads.bottom() + extraBottom}, {pads.left(), pads.right() + extraRight}};
        }
    }

    static Plan plan(INDArray x, PoolLayer layer, List<String> notes) {
        PoolGeometry g = layer.geometry(new int[] {(int) x.size(0), (int) x.size(1), (int) x.size(2), (int) x.size(3)});
        if (x.length() == 0) {
            throw new Nd4jEngine.RefusedException("not run: the input " + java.util.Arrays.toString(x.shape())
                    + " is empty, and libnd4j can crash the JVM (SIGFPE) on empty arrays");
        }
        PoolSpec s = layer.spec();
        Padding.Sides p = g.pads();
        int extraBottom = g.extraBottom();
        int extraRight = g.extraRight();
        boolean ceilChangesNothing = extraBottom == 0 && extraRight == 0;
        boolean nativeSame = s.padding().equals(Padding.same()) && ceilChangesNothing;
        boolean nativeExplicit = !s.padding().isSame() && p.isSymmetric() && ceilChangesNothing;
        if (s.ceilMode() && ceilChangesNothing) {
            notes.add("ceil mode gives the floor-mode size here (no window reaches past the padding): the op's own form");
        }
        if (nativeSame || nativeExplicit) {
            return new Plan(false, nativeSame ? PaddingMode.SAME : PaddingMode.VALID, nativeSame ? 0 : p.top(), nativeSame ? 0 : p.left(), p,
                    extraBottom, extraRight, "");
        }
        String why = (ceilChangesNothing ? "" : "ceil mode (the ops have none; the last window reaches " + extraBottom + " row(s) and "
                + extraRight + " column(s) past the padding)") + (ceilChangesNothing || p.isSymmetric() ? "" : " and ")
                + (p.isSymmetric() ? "" : "asymmetric padding (" + p + ")");
        return new Plan(true, PaddingMode.VALID, 0, 0, p, extraBottom, extraRight, why);
    }

    /** The pooling layer's output before the activation, in x's type. */
    static INDArray pool(INDArray x, PoolLayer layer, List<String> notes) {
        Plan plan = plan(x, layer, notes);
        PoolSpec s = layer.spec();
        if (!plan.composed()) {
            return call(x, layer, plan.mode(), plan.pH(), plan.pW(), s.countIncludePad());
        }
        int[][] widths = plan.widths();
        if (layer.isMax()) {
            notes.add(plan.why() + " composed: Nd4j.pad(CONSTANT -infinity) then a valid maxpool2d");
            INDArray padded = Nd4j.pad(x, widths, Pad.Mode.CONSTANT, Double.NEGATIVE_INFINITY);
            return call(padded, layer, PaddingMode.VALID, 0, 0, false);
        }
        notes.add(plan.why() + " composed: the sum (a valid avgpool2d of the zero-padded input, times KH*KW) over the count (the same of a"
                + " 0/1 mask of the cells the divisor counts: " + (s.countIncludePad() ? "input and padding" : "input only") + ")");
        INDArray sum = call(Nd4j.pad(x, widths, Pad.Mode.CONSTANT, 0.0), layer, PaddingMode.VALID, 0, 0, false).muli(cells(layer));
        return sum.divi(count(x, layer, plan));
    }

    /** KH*KW: a valid avgpool2d's divisor, by which the composed average turns means into sums. */
    static double cells(PoolLayer layer) {
        return (double) layer.spec().kernel().h() * layer.spec().kernel().w();
    }

    /** The composed average's divisor per output: a valid avgpool2d of a 0/1 mask of the cells it counts, times KH*KW. */
    static INDArray count(INDArray x, PoolLayer layer, Plan plan) {
        Padding.Sides p = plan.pads();
        INDArray ones = Nd4j.onesLike(x);
        INDArray mask = layer.spec().countIncludePad()
                ? Nd4j.pad(Nd4j.pad(ones, new int[][] {{0, 0}, {0, 0}, {p.top(), p.bottom()}, {p.left(), p.right()}}, Pad.Mode.CONSTANT, 1.0),
                        new int[][] {{0, 0}, {0, 0}, {0, plan.extraBottom()}, {0, plan.extraRight()}}, Pad.Mode.CONSTANT, 0.0)
                : Nd4j.pad(ones, plan.widths(), Pad.Mode.CONSTANT, 0.0);
        return call(mask, layer, PaddingMode.VALID, 0, 0, false).muli(cells(layer));
    }

    static INDArray call(INDArray x, PoolLayer layer, PaddingMode mode, long pH, long pW, boolean includePad) {
        Pooling2DConfig config = config(layer, mode, pH, pW, includePad);
        return layer.isMax() ? Nd4j.cnn().maxPooling2d(x, config) : Nd4j.cnn().avgPooling2d(x, config);
    }

    /** The ops' config: the layer's window, stride and dilation, this padding, NCHW; {@code extra} 1 counts padded cells. */
    static Pooling2DConfig config(PoolLayer layer, PaddingMode mode, long pH, long pW, boolean includePad) {
        PoolSpec s = layer.spec();
        return Pooling2DConfig.builder()
                .kH(s.kernel().h()).kW(s.kernel().w())
                .sH(s.stride().h()).sW(s.stride().w())
                .pH(pH).pW(pW)
                .dH(s.dilation().h()).dW(s.dilation().w())
                .paddingMode(mode)
                .extra(includePad ? 1 : 0)
                .isNHWC(false)
                .build();
    }
}
