package convlab.engine;

import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Layer;
import convlab.core.Padding;
import convlab.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.transforms.Pad;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ND4J's {@code conv2d} op ({@code Nd4j.cnn().conv2d} with {@link Conv2DConfig}, NCHW data, OIYX weights, the bias
 * as the op's third input), with libnd4j's platform helpers off ({@code nd4j}: the built-in im2col + gemm kernel, in
 * the input's type) or on ({@code nd4j-onednn}: inputs, weights and bias cast to float32, because libnd4j hands only
 * float32 convolutions to oneDNN and would silently use the built-in kernel for float64).
 *
 * <p>How a spec becomes op calls:
 * <ul>
 *   <li>{@code same} with zeros: the op's own SAME mode ({@code isSameMode=1}), so that the comparison shows where
 *       ND4J puts the odd pixel;</li>
 *   <li>explicit symmetric zeros: the op's {@code pH, pW};</li>
 *   <li>explicit asymmetric zeros: {@code Nd4j.pad(CONSTANT)} then a valid conv2d (noted);</li>
 *   <li>reflect: {@code Nd4j.pad(REFLECT)}; replicate and circular: edge or wrapped rows and columns joined with
 *       {@code Nd4j.concat}; each then a valid conv2d (noted);</li>
 *   <li>groups &gt; 1: the op has no groups argument, so one conv2d per group on channel slices, then
 *       {@code Nd4j.concat} along channels (noted);</li>
 *   <li>activation: {@code Transforms.relu/tanh/sigmoid} on the op's output.</li>
 * </ul>
 * Pooling layers go to ND4J's {@code maxpool2d}/{@code avgpool2d} ops: see {@link Nd4jPooling}.
 */
final class Nd4jEngine extends GuardedEngine {

    private final boolean oneDnn;

    Nd4jEngine(boolean oneDnn) {
        this.oneDnn = oneDnn;
    }

    @Override
    public String name() {
        return oneDnn ? "nd4j-onednn" : "nd4j";
    }

    @Override
    public String description() {
        return oneDnn
                ? "ND4J conv2d op (deconv2d for conv_transpose2d) with platform helpers on, computed in float32 so that libnd4j runs it through oneDNN"
                : "ND4J conv2d op (deconv2d for conv_transpose2d) with platform helpers off (libnd4j's built-in kernel), computed in the input's type";
    }

    @Override
    List<LayerRun> runChecked(Tensor input, List<? extends Layer> layers) {
        DType computeIn = oneDnn ? DType.FLOAT32 : input.dtype();
        DataType type = Nd4jRuntime.nd4jType(computeIn);
        return Nd4jRuntime.withHelpers(oneDnn, () -> {
            List<LayerRun> runs = new ArrayList<>();
            INDArray x;
            try {
                x = Nd4jRuntime.toNd4j(input, type);
            } catch (Throwable e) {
                return Nd4jRuntime.allFailed(layers, Nd4jRuntime.message(e));
            }
            int failed = 0; // 1-based number of the layer that failed, 0 while all are OK
            for (int i = 0; i < layers.size(); i++) {
                if (failed > 0) {
                    runs.add(LayerRun.error("not run: layer " + failed + " failed", 0));
                    continue;
                }
                List<String> notes = new ArrayList<>();
                if (oneDnn && input.dtype() == DType.FLOAT64) {
                    notes.add("float64 input cast to float32: oneDNN's " + Nd4jOp.of(layers.get(i)).oneDnnName + " takes float32 only");
                }
                long t0 = System.nanoTime();
                try {
                    INDArray y = layer(x, layers.get(i), type, notes);
                    long nanos = System.nanoTime() - t0;
                    runs.add(LayerRun.ok(Nd4jRuntime.toTensor(y, computeIn), computeIn, notes, nanos));
                    x = y;
                } catch (Throwable e) {
                    runs.add(LayerRun.error(Nd4jRuntime.message(e), System.nanoTime() - t0));
                    failed = i + 1;
                }
            }
            return runs;
        });
    }

    @Override
    List<GradRun> backwardChecked(Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
        return Nd4jBackward.run(oneDnn, input, layers, gradOutput);
    }

    /** One layer's activated output, in {@code type}. */
    private static INDArray layer(INDArray x, Layer layer, DataType type, List<String> notes) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("Expected an input of rank 4 [N, C, H, W], but found shape " + Arrays.toString(x.shape()));
        }
        return activate(pre(x, layer, type, notes), layer.activation());
    }

    /** One layer's output before the activation, in {@code type} (pooling: in x's). */
    static INDArray pre(INDArray x, Layer layer, DataType type, List<String> notes) {
        return Nd4jOp.of(layer).pre(x, layer, type, notes);
    }

    static INDArray activate(INDArray out, convlab.core.Activation activation) {
        return switch (activation) {
            case NONE -> out;
            case RELU -> Transforms.relu(out, false);
            case TANH -> Transforms.tanh(out, false);
            case SIGMOID -> Transforms.sigmoid(out, false);
        };
    }

    /**
     * How a conv2d layer becomes an ND4J {@code conv2d} call on {@code x}: the op's input (x, or x padded by a
     * composition, see the class comment) and its config. The backward pass ({@link Nd4jBackward}) makes the same
     * call's {@code conv2d_bp}.
     */
    record Conv2dCall(INDArray in, Conv2DConfig config, Padding.Sides pads, boolean composedPadding) {
    }

    static Conv2dCall prepare(INDArray x, ConvLayer layer, List<String> notes) {
        ConvSpec spec = layer.spec();
        long channels = (long) layer.channelsPerGroup() * spec.groups();
        if (x.size(1) != channels) {
            // Checked here because libnd4j prints its own complaint to the process's stdout and throws only
            // "calculateOutputShape failed to execute".
            throw new RefusedException("not run: the weights " + layer.weights().shapeString() + " with groups=" + spec.groups()
                    + " take " + channels + " input channels, but the input has " + x.size(1));
        }
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        Padding.Sides pads = Geometry.pads(layer, h, w);
        INDArray in = x;
        PaddingMode opMode = PaddingMode.VALID;
        long pH = 0;
        long pW = 0;
        boolean zeros = spec.paddingMode() == convlab.core.PaddingMode.ZEROS;
        if (spec.padding().equals(Padding.same()) && (zeros || pads.isZero())) {
            opMode = PaddingMode.SAME;
        } else if (!pads.isZero()) {
            if (zeros && pads.isSymmetric()) {
                pH = pads.top();
                pW = pads.left();
                if (spec.padding().isSame()) {
                    notes.add(spec.padding() + " padding resolved by convlab to " + pads + ", symmetric here: conv2d's pH, pW");
                }
            } else {
                if (spec.padding().isSame()) {
                    notes.add(spec.padding() + " padding resolved by convlab to " + pads + (spec.padding().equals(Padding.same())
                            ? " (odd pixel bottom/right), as conv2d's SAME mode pads with zeros only"
                            : " (odd pixel top/left), as conv2d's SAME mode puts it bottom/right"));
                }
                in = pad(x, pads, spec.paddingMode(), notes);
            }
        }
        Conv2DConfig config = Conv2DConfig.builder()
                .kH(layer.kernel().h()).kW(layer.kernel().w())
                .sH(spec.stride().h()).sW(spec.stride().w())
                .pH(pH).pW(pW)
                .dH(spec.dilation().h()).dW(spec.dilation().w())
                .paddingMode(opMode)
                .dataFormat(Conv2DConfig.NCHW)
                .weightsFormat(WeightsFormat.OIYX)
                .build();
        return new Conv2dCall(in, config, pads, in != x);
    }

    /** conv2d's output before the activation, in {@code type}. */
    static INDArray conv2dPre(INDArray x, ConvLayer layer, DataType type, List<String> notes) {
        Conv2dCall call = prepare(x, layer, notes);
        INDArray in = call.in();
        Conv2DConfig config = call.config();
        ConvSpec spec = layer.spec();
        INDArray weights = Nd4jRuntime.toNd4j(layer.weights(), type);
        INDArray bias = layer.bias() == null ? null : Nd4jRuntime.toNd4j(layer.bias(), type);
        if (config.getPaddingMode() == PaddingMode.VALID && bias != null) {
            refuseEmptyOutputWithBias(in, layer, config.getPH(), config.getPW());
        }
        int groups = spec.groups();
        INDArray out;
        if (groups == 1) {
            out = conv(in, weights, bias, config);
        } else {
            long c = in.size(1);
            int o = layer.filters();
            long cg = c / groups;
            long og = o / groups;
            INDArray[] parts = new INDArray[groups];
            for (int g = 0; g < groups; g++) {
                INDArray xg = slice(in, 1, g * cg, (g + 1) * cg);
                INDArray wg = slice(weights, 0, g * og, (g + 1) * og);
                INDArray bg = bias == null ? null : slice(bias, 0, g * og, (g + 1) * og);
                parts[g] = conv(xg, wg, bg, config);
            }
            out = Nd4j.concat(1, parts);
            notes.add("groups=" + groups + " composed: conv2d has no groups argument, so " + groups
                    + " conv2d calls on channel slices, then Nd4j.concat along channels");
        }
        return out;
    }

    /**
     * ND4J sizes a valid/explicit conv2d output as {@code (H + 2p - ((K-1)*d + 1)) / s + 1} with C++'s division,
     * which truncates toward zero, so a kernel that overshoots the padded input by less than one stride gives an
     * output of size 0 where the reference rejects the layer. With a bias input, that empty output crashes the JVM
     * (SIGFPE in libnd4j's {@code Threads::parallel_aligned_increment}, ND4J 1.0.0-M2.1), which no catch can stop:
     * refuse such a call with an error instead. Without a bias ND4J returns the empty array, and so does the engine.
     */
    static void refuseEmptyOutputWithBias(INDArray in, ConvLayer layer, long pH, long pW) {
        ConvSpec s = layer.spec();
        long spanH = (long) (layer.kernel().h() - 1) * s.dilation().h() + 1;
        long spanW = (long) (layer.kernel().w() - 1) * s.dilation().w() + 1;
        long paddedH = in.size(2) + 2 * pH;
        long paddedW = in.size(3) + 2 * pW;
        long oh = (paddedH - spanH) / s.stride().h() + 1; // Java's long division truncates toward zero, as C++'s does
        long ow = (paddedW - spanW) / s.stride().w() + 1;
        if (oh == 0 || ow == 0) {
            throw new RefusedException("not run: ND4J would compute an empty output (OH=" + oh + ", OW=" + ow + ": the kernel spans "
                    + spanH + "x" + spanW + ", the padded input is " + paddedH + "x" + paddedW
                    + "), and conv2d with a bias on an empty output crashes the JVM (SIGFPE in libnd4j)");
        }
    }

    /** A call the engine does not make because ND4J would crash or print its reason to stdout; the message says why. */
    static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }

    private static INDArray conv(INDArray x, INDArray w, INDArray b, Conv2DConfig config) {
        return b == null ? Nd4j.cnn().conv2d(x, w, config) : Nd4j.cnn().conv2d(x, w, b, config);
    }

    /** The input padded on H and W as the mode says; the conv2d after it is then valid. */
    private static INDArray pad(INDArray x, Padding.Sides p, convlab.core.PaddingMode mode, List<String> notes) {
        int[][] widths = {{0, 0}, {0, 0}, {p.top(), p.bottom()}, {p.left(), p.right()}};
        switch (mode) {
            case ZEROS -> {
                notes.add("asymmetric zero padding (" + p + ") composed: Nd4j.pad(CONSTANT 0) then valid conv2d");
                return Nd4j.pad(x, widths, Pad.Mode.CONSTANT, 0.0);
            }
            case REFLECT -> {
                long h = x.size(2);
                long w = x.size(3);
                if (Math.max(p.top(), p.bottom()) >= h || Math.max(p.left(), p.right()) >= w) {
                    // libnd4j's pad op would fail too, but print its reason to the process's stdout first.
                    throw new RefusedException("not run: Nd4j.pad(REFLECT) needs each pad smaller than the side it mirrors, but found pads ("
                            + p + ") for an input of " + h + "x" + w);
                }
                notes.add("reflect padding (" + p + ") composed: Nd4j.pad(REFLECT) then valid conv2d");
                return Nd4j.pad(x, widths, Pad.Mode.REFLECT, 0.0);
            }
            case REPLICATE -> {
                notes.add("replicate padding (" + p + ") composed: edge rows and columns repeated with Nd4j.concat, then valid conv2d");
                INDArray rows = edges(x, 2, p.top(), p.bottom(), false);
                return edges(rows, 3, p.left(), p.right(), false);
            }
            case CIRCULAR -> {
                notes.add("circular padding (" + p + ") composed: wrapped rows and columns joined with Nd4j.concat, then valid conv2d");
                INDArray rows = edges(x, 2, p.top(), p.bottom(), true);
                return edges(rows, 3, p.left(), p.right(), true);
            }
            default -> throw new IllegalStateException("Expected a padding mode, but found " + mode);
        }
    }

    /**
     * {@code before} slices joined in front of {@code x} on {@code axis} and {@code after} behind it: copies of the
     * edge slice (replicate) or the slices from the other end (circular).
     */
    private static INDArray edges(INDArray x, int axis, int before, int after, boolean wrap) {
        if (before == 0 && after == 0) {
            return x;
        }
        long n = x.size(axis);
        if (wrap && (before > n || after > n)) {
            throw new IllegalArgumentException("Circular padding needs each pad at most the side it wraps (" + n
                    + "), but found " + before + " and " + after);
        }
        List<INDArray> pieces = new ArrayList<>();
        if (before > 0) {
            if (wrap) {
                pieces.add(slice(x, axis, n - before, n));
            } else {
                INDArray edge = slice(x, axis, 0, 1);
                for (int i = 0; i < before; i++) {
                    pieces.add(edge);
                }
            }
        }
        pieces.add(x);
        if (after > 0) {
            if (wrap) {
                pieces.add(slice(x, axis, 0, after));
            } else {
                INDArray edge = slice(x, axis, n - 1, n);
                for (int i = 0; i < after; i++) {
                    pieces.add(edge);
                }
            }
        }
        return Nd4j.concat(axis, pieces.toArray(new INDArray[0]));
    }

    /** Indices {@code from} to {@code to - 1} of {@code axis}, all of the other axes; a copy in {@code c} order. */
    static INDArray slice(INDArray x, int axis, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
        java.util.Arrays.fill(idx, NDArrayIndex.all());
        idx[axis] = NDArrayIndex.interval(from, to);
        return x.get(idx).dup('c');
    }
}
