package convlab.engine;

import convlab.core.ConvTransposeGeometry;
import convlab.core.ConvTransposeLayer;
import convlab.core.Padding;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.transforms.Pad;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of a {@code conv_transpose2d} layer in {@link Nd4jBackward}: libnd4j's {@code deconv2d_bp}
 * ({@code DynamicCustomOp}; inputs x, weights {@code [kH, kW, oC, iC]}, [bias], delta = dL/d(pre-activation
 * output); outputs dL/dx, dL/dw, [dL/db]; integer arguments kH, kW, sH, sW, pH, pW, dH, dW, SAME mode, data format
 * 0 = NCHW, weight format 0 = [kH, kW, oC, iC]) on the calls the forward made ({@link Nd4jConvTranspose#prepare}):
 * <ul>
 *   <li>native (SAME mode, or symmetric crops as {@code pH, pW}): {@code deconv2d_bp} with the forward's config;</li>
 *   <li>composed (a valid deconv2d, zero rows and columns appended at the bottom/right, a crop, the bias added): the
 *       adjoint of each step by hand, last first. The crop's adjoint puts delta back in its window of an all-zero
 *       extended output ({@code Nd4j.pad(CONSTANT 0)}); the zero rows' adjoint drops their gradient (a slice back to
 *       the full output); then a valid {@code deconv2d_bp} without bias; the bias's gradient is delta summed over
 *       N, H and W;</li>
 *   <li>groups &gt; 1: one {@code deconv2d_bp} per group on channel slices, the gradients concatenated.</li>
 * </ul>
 * dL/dw comes in the op's {@code [kH, kW, oC, iC]} and is permuted back to convlab's IOHW.
 */
final class Nd4jConvTransposeBackward {

    private Nd4jConvTransposeBackward() {
    }

    /** {dL/dx, dL/dw (IOHW), dL/db or null} of one transposed layer, given delta = dL/d(its pre-activation output). */
    static INDArray[] backward(INDArray x, ConvTransposeLayer layer, INDArray delta, DataType type, List<String> notes) {
        Nd4jConvTranspose.Call call = Nd4jConvTranspose.prepare(x, layer);
        ConvTransposeGeometry g = call.g();
        INDArray w = Nd4jConvTranspose.opWeights(layer, type);
        INDArray b = layer.bias() == null ? null : Nd4jRuntime.toNd4j(layer.bias(), type);
        INDArray opBias = call.composed() ? null : b;
        INDArray dFull = call.composed() ? unwindow(delta, g, notes) : delta;
        int groups = layer.spec().groups();
        INDArray[] grads;
        if (groups == 1) {
            grads = deconv2dBp(x, w, opBias, dFull, call.config());
        } else {
            long cg = g.cg();
            long og = g.og();
            INDArray[] gx = new INDArray[groups];
            INDArray[] gw = new INDArray[groups];
            INDArray[] gb = new INDArray[groups];
            for (int k = 0; k < groups; k++) {
                INDArray[] part = deconv2dBp(Nd4jEngine.slice(x, 1, k * cg, (k + 1) * cg), Nd4jConvTranspose.groupWeights(w, k, cg),
                        opBias == null ? null : Nd4jEngine.slice(opBias, 0, k * og, (k + 1) * og), Nd4jEngine.slice(dFull, 1, k * og, (k + 1) * og),
                        call.config());
                gx[k] = part[0];
                gw[k] = part[1];
                gb[k] = part[2];
            }
            grads = new INDArray[] {Nd4j.concat(1, gx), Nd4j.concat(3, gw), opBias == null ? null : Nd4j.concat(0, gb)};
            notes.add("groups=" + groups + " composed: one deconv2d_bp per group on channel slices, then Nd4j.concat");
        }
        if (call.composed() && b != null) {
            grads[2] = delta.sum(0, 2, 3);
        }
        grads[1] = grads[1].permute(3, 2, 0, 1).dup('c');
        notes.add("deconv2d_bp's dL/dw [kH, kW, oC, iC] permuted back to IOHW");
        return grads;
    }

    /**
     * The adjoint of {@link Nd4jConvTranspose}'s window: delta {@code [N, O, OH, OW]} placed at the crop's offset in
     * zeros of the extended output (the crop's adjoint), then cut to the full output (the appended zero rows' and
     * columns' adjoint: their gradient goes nowhere).
     */
    private static INDArray unwindow(INDArray delta, ConvTransposeGeometry g, List<String> notes) {
        Padding.Sides c = g.pads();
        long extraH = Math.max(0, c.top() + (long) g.oh() - g.fullH());
        long extraW = Math.max(0, c.left() + (long) g.ow() - g.fullW());
        int belowH = Math.toIntExact(g.fullH() + extraH - c.top() - g.oh());
        int rightW = Math.toIntExact(g.fullW() + extraW - c.left() - g.ow());
        INDArray extended = Nd4j.pad(delta, new int[][] {{0, 0}, {0, 0}, {c.top(), belowH}, {c.left(), rightW}}, Pad.Mode.CONSTANT, 0.0);
        INDArray full = Nd4jEngine.slice(Nd4jEngine.slice(extended, 2, 0, g.fullH()), 3, 0, g.fullW());
        notes.add("composed (" + Nd4jConvTranspose.reason(g) + "): delta placed at the crop (" + c + ") in zeros of the full " + g.fullH() + "x"
                + g.fullW() + " output" + (extraH > 0 || extraW > 0 ? " (the " + extraH + " appended row(s) and " + extraW
                + " column(s) dropped)" : "") + ", then a valid deconv2d_bp without bias; dL/db = delta summed over N, H, W");
        return full;
    }

    /** libnd4j's {@code deconv2d_bp} (NCHW, weights {@code [kH, kW, oC, iC]}): {dL/dx, dL/dw, dL/db or null}. */
    static INDArray[] deconv2dBp(INDArray x, INDArray w, INDArray b, INDArray delta, DeConv2DConfig c) {
        INDArray gx = Nd4j.create(x.dataType(), x.shape());
        INDArray gw = Nd4j.create(w.dataType(), w.shape());
        INDArray gb = b == null ? null : Nd4j.create(b.dataType(), b.shape());
        Nd4j.exec(DynamicCustomOp.builder("deconv2d_bp")
                .addInputs(b == null ? new INDArray[] {x, w, delta} : new INDArray[] {x, w, b, delta})
                .addOutputs(b == null ? new INDArray[] {gx, gw} : new INDArray[] {gx, gw, gb})
                .addIntegerArguments(Math.toIntExact(c.getKH()), Math.toIntExact(c.getKW()), Math.toIntExact(c.getSH()),
                        Math.toIntExact(c.getSW()), Math.toIntExact(c.getPH()), Math.toIntExact(c.getPW()), Math.toIntExact(c.getDH()),
                        Math.toIntExact(c.getDW()), c.isSameMode() ? 1 : 0, 0 /* NCHW */, 0 /* weights [kH, kW, oC, iC] */)
                .build());
        return new INDArray[] {gx, gw, gb};
    }
}
