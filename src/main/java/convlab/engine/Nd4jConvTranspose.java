package convlab.engine;

import convlab.core.ConvTransposeGeometry;
import convlab.core.ConvTransposeLayer;
import convlab.core.ConvTransposeSpec;
import convlab.core.Hw;
import convlab.core.Padding;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.transforms.Pad;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ND4J's {@code deconv2d} op ({@code Nd4j.cnn().deconv2d} with {@link DeConv2DConfig}, NCHW data) for a
 * {@code conv_transpose2d} layer. The op's weights are {@code [kH, kW, oC, iC]} (its default weight format; the
 * config has no other), so convlab's IOHW weights are permuted to that order.
 *
 * <p>How a spec becomes op calls:
 * <ul>
 *   <li>{@code same} without output padding and with the output {@code H*s}: the op's own SAME mode
 *       ({@code isSameMode}), so that the comparison shows where ND4J crops;</li>
 *   <li>{@code valid} or explicit symmetric crops without output padding or output shape: the op's {@code pH, pW};</li>
 *   <li>anything else (output padding, asymmetric crops, {@code same_lower}, an output shape): a valid deconv2d (the
 *       full output) without bias, then {@code Nd4j.pad(CONSTANT 0)} at the bottom/right and a crop to the output,
 *       then the bias with {@code Broadcast.add} (noted);</li>
 *   <li>groups &gt; 1: one deconv2d per group on channel slices, then {@code Nd4j.concat} along channels (noted).</li>
 * </ul>
 */
final class Nd4jConvTranspose {

    private Nd4jConvTranspose() {
    }

    /**
     * How a layer becomes deconv2d calls on {@code x}: its geometry, the op's config, whether the op's SAME mode
     * does the crop, and whether the output is composed (a valid deconv2d, then {@link #window} and the bias). The
     * backward pass ({@link Nd4jConvTransposeBackward}) makes the same calls' {@code deconv2d_bp}.
     */
    record Call(ConvTransposeGeometry g, DeConv2DConfig config, boolean nativeSame, boolean composed) {
    }

    static Call prepare(INDArray x, ConvTransposeLayer layer) {
        ConvTransposeSpec spec = layer.spec();
        if (x.size(1) != layer.inputChannels()) {
            throw new Nd4jEngine.RefusedException("not run: the weights " + layer.weights().shapeString() + " [C, O/groups, KH, KW] take "
                    + layer.inputChannels() + " input channels, but the input has " + x.size(1));
        }
        ConvTransposeGeometry g = layer.geometry(new int[] {(int) x.size(0), (int) x.size(1), (int) x.size(2), (int) x.size(3)});
        if (g.n() == 0 || g.c() == 0 || g.o() == 0) {
            throw new Nd4jEngine.RefusedException("not run: " + zeroSize(g.n(), g.c(), g.o()));
        }
        Padding.Sides crops = g.pads();
        boolean noExtras = spec.outputPadding().equals(Hw.of(0));
        Hw natural = new Hw(g.h() * spec.stride().h(), g.w() * spec.stride().w());
        boolean nativeSame = spec.padding().equals(Padding.same()) && noExtras
                && (spec.outputShape() == null || spec.outputShape().equals(natural));
        boolean nativePads = !spec.padding().isSame() && spec.padding().isSymmetric() && noExtras && spec.outputShape() == null;
        DeConv2DConfig config = DeConv2DConfig.builder()
                .kH(g.kernel().h()).kW(g.kernel().w())
                .sH(spec.stride().h()).sW(spec.stride().w())
                .pH(nativePads ? crops.top() : 0).pW(nativePads ? crops.left() : 0)
                .dH(spec.dilation().h()).dW(spec.dilation().w())
                .isSameMode(nativeSame)
                .dataFormat(DeConv2DConfig.NCHW)
                .build();
        return new Call(g, config, nativeSame, !nativeSame && !nativePads);
    }

    /** convlab's IOHW weights {@code [C, O/groups, KH, KW]} as the op's {@code [kH, kW, oC, iC]}. */
    static INDArray opWeights(ConvTransposeLayer layer, DataType type) {
        return Nd4jRuntime.toNd4j(layer.weights(), type).permute(2, 3, 1, 0).dup('c');
    }

    /** Input channels {@code k*cg} to {@code (k+1)*cg - 1} of op-layout weights {@code [kH, kW, oC, iC]}: group k's. */
    static INDArray groupWeights(INDArray weights, int k, long cg) {
        return weights.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(k * cg, (k + 1) * cg)).dup('c');
    }

    /** The layer's output before the activation, in {@code type}. */
    static INDArray forward(INDArray x, ConvTransposeLayer layer, DataType type, List<String> notes) {
        ConvTransposeSpec spec = layer.spec();
        Call call = prepare(x, layer);
        ConvTransposeGeometry g = call.g();
        DeConv2DConfig config = call.config();
        boolean nativeSame = call.nativeSame();
        boolean composed = call.composed();
        INDArray weights = opWeights(layer, type);
        INDArray bias = layer.bias() == null ? null : Nd4jRuntime.toNd4j(layer.bias(), type);
        INDArray opBias = composed ? null : bias;
        int groups = spec.groups();
        INDArray out;
        if (groups == 1) {
            out = deconv(x, weights, opBias, config);
        } else {
            long cg = g.cg();
            long og = g.og();
            INDArray[] parts = new INDArray[groups];
            for (int k = 0; k < groups; k++) {
                INDArray xg = x.get(NDArrayIndex.all(), NDArrayIndex.interval(k * cg, (k + 1) * cg), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
                INDArray wg = groupWeights(weights, k, cg);
                INDArray bg = opBias == null ? null : opBias.get(NDArrayIndex.interval(k * og, (k + 1) * og)).dup('c');
                parts[k] = deconv(xg, wg, bg, config);
            }
            out = Nd4j.concat(1, parts);
            notes.add("groups=" + groups + " composed: deconv2d has no groups argument, so " + groups
                    + " deconv2d calls on channel slices, then Nd4j.concat along channels");
        }
        notes.add("IOHW weights permuted to deconv2d's [kH, kW, oC, iC]");
        if (Nd4j.getEnvironment().helpersAllowed() && (spec.dilation().h() > 1 || spec.dilation().w() > 1)) {
            // seen with Nd4j.getEnvironment().setVerbose(true): "ONEDNN DECONV2d OP: Dilation height {2} expected to be
            // less than or equal  1", then the op runs its built-in kernel (where conv2d's oneDNN path throws instead)
            notes.add("dilation " + spec.dilation() + ": libnd4j's oneDNN deconv2d helper takes dilation 1 only, so this ran"
                    + " deconv2d's built-in kernel (in float32)");
        }
        if (nativeSame) {
            notes.add("same: deconv2d's SAME mode (isSameMode=true)");
        }
        if (composed) {
            out = window(out, g, notes);
            if (bias != null) {
                out = Broadcast.add(out, bias.castTo(out.dataType()), out.ulike(), 1);
            }
        }
        return out;
    }

    /** Why a layer with an empty batch, no input channels or no output channels is not handed to libnd4j. */
    static String zeroSize(int n, int c, int o) {
        return "a zero-size transposed convolution (N=" + n + ", C=" + c + ", O=" + o + "), and libnd4j's convolutions can crash"
                + " the JVM (SIGFPE) on empty arrays";
    }

    private static INDArray deconv(INDArray x, INDArray w, INDArray b, DeConv2DConfig config) {
        return b == null ? Nd4j.cnn().deconv2d(x, w, config) : Nd4j.cnn().deconv2d(x, w, b, config);
    }

    /**
     * The output window of the full output: zero rows and columns appended at the bottom/right where the output
     * reaches past it (output padding, a large output shape), then the crops.
     */
    private static INDArray window(INDArray full, ConvTransposeGeometry g, List<String> notes) {
        Padding.Sides c = g.pads();
        if (full.size(2) != g.fullH() || full.size(3) != g.fullW()) {
            throw new IllegalStateException("Expected deconv2d's valid output to be the full " + g.fullH() + "x" + g.fullW()
                    + ", but found " + full.size(2) + "x" + full.size(3));
        }
        long extraH = Math.max(0, c.top() + (long) g.oh() - g.fullH());
        long extraW = Math.max(0, c.left() + (long) g.ow() - g.fullW());
        INDArray extended = full;
        if (extraH > 0 || extraW > 0) {
            extended = Nd4j.pad(full, new int[][] {{0, 0}, {0, 0}, {0, (int) extraH}, {0, (int) extraW}}, Pad.Mode.CONSTANT, 0.0);
        }
        INDArray out = extended.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(c.top(), c.top() + g.oh()), NDArrayIndex.interval(c.left(), c.left() + g.ow())).dup('c');
        notes.add("composed: valid deconv2d (full output " + g.fullH() + "x" + g.fullW() + ") without bias"
                + (extraH > 0 || extraW > 0 ? ", Nd4j.pad(CONSTANT 0) " + extraH + " row(s) at the bottom and " + extraW + " column(s) at the right" : "")
                + ", cropped (" + c + ") to " + g.oh() + "x" + g.ow() + ", then the bias with Broadcast.add, because deconv2d has no "
                + reason(g));
        return out;
    }

    static String reason(ConvTransposeGeometry g) {
        ConvTransposeSpec s = g.spec();
        if (!s.outputPadding().equals(Hw.of(0))) {
            return "output padding";
        }
        if (s.outputShape() != null) {
            return "output-shape argument";
        }
        if (s.padding().isSame()) {
            return s.padding() + " form (its SAME mode crops floor(total/2) at the top)";
        }
        return "asymmetric crop";
    }
}
