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

    /** The pooling layer's output before the activation, in x's type. */
    static INDArray pool(INDArray x, PoolLayer layer, List<String> notes) {
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
            return call(x, layer, nativeSame ? PaddingMode.SAME : PaddingMode.VALID, nativeSame ? 0 : p.top(), nativeSame ? 0 : p.left(),
                    s.countIncludePad());
        }
        String why = (ceilChangesNothing ? "" : "ceil mode (the ops have none; the last window reaches " + extraBottom + " row(s) and "
                + extraRight + " column(s) past the padding)") + (ceilChangesNothing || p.isSymmetric() ? "" : " and ")
                + (p.isSymmetric() ? "" : "asymmetric padding (" + p + ")");
        int[][] widths = {{0, 0}, {0, 0}, {p.top(), p.bottom() + extraBottom}, {p.left(), p.right() + extraRight}};
        if (layer.isMax()) {
            notes.add(why + " composed: Nd4j.pad(CONSTANT -infinity) then a valid maxpool2d");
            INDArray padded = Nd4j.pad(x, widths, Pad.Mode.CONSTANT, Double.NEGATIVE_INFINITY);
            return call(padded, layer, PaddingMode.VALID, 0, 0, false);
        }
        notes.add(why + " composed: the sum (a valid avgpool2d of the zero-padded input, times KH*KW) over the count (the same of a"
                + " 0/1 mask of the cells the divisor counts: " + (s.countIncludePad() ? "input and padding" : "input only") + ")");
        double cells = (double) s.kernel().h() * s.kernel().w();
        INDArray sum = call(Nd4j.pad(x, widths, Pad.Mode.CONSTANT, 0.0), layer, PaddingMode.VALID, 0, 0, false).muli(cells);
        INDArray ones = Nd4j.onesLike(x);
        INDArray mask = s.countIncludePad()
                ? Nd4j.pad(Nd4j.pad(ones, new int[][] {{0, 0}, {0, 0}, {p.top(), p.bottom()}, {p.left(), p.right()}}, Pad.Mode.CONSTANT, 1.0),
                        new int[][] {{0, 0}, {0, 0}, {0, extraBottom}, {0, extraRight}}, Pad.Mode.CONSTANT, 0.0)
                : Nd4j.pad(ones, widths, Pad.Mode.CONSTANT, 0.0);
        INDArray count = call(mask, layer, PaddingMode.VALID, 0, 0, false).muli(cells);
        return sum.divi(count);
    }

    private static INDArray call(INDArray x, PoolLayer layer, PaddingMode mode, long pH, long pW, boolean includePad) {
        PoolSpec s = layer.spec();
        Pooling2DConfig config = Pooling2DConfig.builder()
                .kH(s.kernel().h()).kW(s.kernel().w())
                .sH(s.stride().h()).sW(s.stride().w())
                .pH(pH).pW(pW)
                .dH(s.dilation().h()).dW(s.dilation().w())
                .paddingMode(mode)
                .extra(includePad ? 1 : 0)
                .isNHWC(false)
                .build();
        return layer.isMax() ? Nd4j.cnn().maxPooling2d(x, config) : Nd4j.cnn().avgPooling2d(x, config);
    }
}
