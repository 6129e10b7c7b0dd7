package convlab.engine;

import convlab.core.PoolLayer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.transforms.Pad;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of a pooling layer in {@link Nd4jBackward}: libnd4j's {@code maxpool2d_bp} and
 * {@code avgpool2d_bp} ({@code DynamicCustomOp}; inputs x and delta = dL/d(pre-activation output), output dL/dx;
 * integer arguments kH, kW, sH, sW, pH, pW, dH, dW, SAME mode, extra, data format 0 = NCHW; {@code extra} is
 * average pooling's divisor flag, 1 counting padded cells and 0 not) on the same plan as the forward
 * ({@link Nd4jPooling#plan}):
 * <ul>
 *   <li>native (SAME mode, or symmetric {@code pH, pW}): the op's own backward with the forward's config;</li>
 *   <li>composed max pooling (the input padded with -infinity, then a valid maxpool2d): a valid {@code maxpool2d_bp}
 *       on the padded input, its gradient cropped back to the input (a padded cell never wins, so nothing is lost);</li>
 *   <li>composed average pooling ({@code y = KH*KW * avg(pad0(x)) / count}, count a constant of the shapes): the
 *       adjoint by hand, {@code dx = crop(avgpool2d_bp(pad0(x), KH*KW * delta / count))}.</li>
 * </ul>
 * Pooling has no weights or bias: the gradients are dL/dx alone.
 */
final class Nd4jPoolingBackward {

    private Nd4jPoolingBackward() {
    }

    /** dL/dx of one pooling layer, given delta = dL/d(its pre-activation output). */
    static INDArray backward(INDArray x, PoolLayer layer, INDArray delta, List<String> notes) {
        Nd4jPooling.Plan plan = Nd4jPooling.plan(x, layer, notes);
        String op = layer.isMax() ? "maxpool2d_bp" : "avgpool2d_bp";
        if (!plan.composed()) {
            notes.add(op + " with the forward's config (" + (plan.mode() == PaddingMode.SAME ? "SAME mode" : "pH=" + plan.pH() + ", pW=" + plan.pW())
                    + (layer.isMax() ? "" : ", extra=" + (layer.spec().countIncludePad() ? 1 : 0)) + ")");
            return bp(x, delta, layer, Nd4jPooling.config(layer, plan.mode(), plan.pH(), plan.pW(), layer.spec().countIncludePad()));
        }
        Pooling2DConfig valid = Nd4jPooling.config(layer, PaddingMode.VALID, 0, 0, false);
        int[][] widths = plan.widths();
        INDArray padded;
        INDArray upstream;
        if (layer.isMax()) {
            padded = Nd4j.pad(x, widths, Pad.Mode.CONSTANT, Double.NEGATIVE_INFINITY);
            upstream = delta;
            notes.add(plan.why() + " composed as in the forward pass: a valid maxpool2d_bp on the input padded with -infinity,"
                    + " its gradient cropped back to the input");
        } else {
            padded = Nd4j.pad(x, widths, Pad.Mode.CONSTANT, 0.0);
            upstream = delta.mul(Nd4jPooling.cells(layer)).divi(Nd4jPooling.count(x, layer, plan));
            notes.add(plan.why() + " composed as in the forward pass (sum over count): a valid avgpool2d_bp of KH*KW * delta / count on"
                    + " the zero-padded input, its gradient cropped back to the input");
        }
        INDArray gp = bp(padded, upstream, layer, valid);
        return Nd4jEngine.slice(Nd4jEngine.slice(gp, 2, widths[2][0], widths[2][0] + x.size(2)), 3, widths[3][0], widths[3][0] + x.size(3));
    }

    /** libnd4j's {@code maxpool2d_bp} or {@code avgpool2d_bp}: dL/dx for this config. */
    static INDArray bp(INDArray x, INDArray delta, PoolLayer layer, Pooling2DConfig c) {
        INDArray gx = Nd4j.create(x.dataType(), x.shape());
        Nd4j.exec(DynamicCustomOp.builder(layer.isMax() ? "maxpool2d_bp" : "avgpool2d_bp")
                .addInputs(x, delta.castTo(x.dataType()))
                .addOutputs(gx)
                .addIntegerArguments(Math.toIntExact(c.getKH()), Math.toIntExact(c.getKW()), Math.toIntExact(c.getSH()),
                        Math.toIntExact(c.getSW()), Math.toIntExact(c.getPH()), Math.toIntExact(c.getPW()), Math.toIntExact(c.getDH()),
                        Math.toIntExact(c.getDW()), c.getPaddingMode() == PaddingMode.SAME ? 1 : 0, (int) c.getExtra(), 0 /* NCHW */)
                .build());
        return gx;
    }
}
