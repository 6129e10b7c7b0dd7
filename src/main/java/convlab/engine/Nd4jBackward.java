package convlab.engine;

import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Gradients;
import convlab.core.Layer;
import convlab.core.Padding;
import convlab.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of {@link Nd4jEngine}: the same forward calls (kept for the activation's derivative), then per
 * layer, last to first, the backward op of the forward's op on the same input and config: {@code conv2d_bp} for conv2d
 * ({@code DynamicCustomOp "conv2d_bp"}: inputs x, w, [b], delta; outputs dL/dx, dL/dw, [dL/db]; NCHW, OIYX weights),
 * {@code deconv2d_bp} for conv_transpose2d ({@link Nd4jConvTransposeBackward}), {@code maxpool2d_bp} and
 * {@code avgpool2d_bp} for pooling ({@link Nd4jPoolingBackward}). The activation's derivative is ND4J's
 * {@code IActivation.backprop(pre, dy)}.
 *
 * <p>What the forward pass composes, the backward pass composes the same way: groups are one {@code conv2d_bp} per
 * group on channel slices, concatenated; a padding done by {@code Nd4j.pad} or {@code Nd4j.concat} before a valid
 * conv gives the gradient of the padded input, folded back onto the input with ND4J slice adds (each padded row and
 * column onto the row or column it copied; a zero's share dropped). Zero-size tensors are refused before any native
 * call (libnd4j divides by a zero length: SIGFPE).
 */
final class Nd4jBackward {

    private Nd4jBackward() {
    }

    static List<GradRun> run(boolean oneDnn, Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
        FrameworkInfo info = Nd4jRuntime.start();
        int n = layers.size();
        if (!info.started()) {
            return GradRun.allFailed(n, n - 1, "ND4J did not start: " + info.startError());
        }
        DType computeIn = oneDnn ? DType.FLOAT32 : input.dtype();
        DataType type = Nd4jRuntime.nd4jType(computeIn);
        return Nd4jRuntime.withHelpers(oneDnn, () -> {
            List<String> common = new ArrayList<>();
            if (oneDnn && input.dtype() == DType.FLOAT64) {
                common.add("float64 input cast to float32: oneDNN's convolution and pooling take float32 only");
            }
            // forward, keeping each layer's input
            List<INDArray> inputs = new ArrayList<>();
            INDArray x = Nd4jRuntime.toNd4j(input, type);
            for (int k = 0; k < n; k++) {
                inputs.add(x);
                try {
                    refuseEmpty(x, "layer " + (k + 1) + "'s input");
                    x = Nd4jEngine.activate(Nd4jEngine.pre(x, layers.get(k), type, new ArrayList<>()), layers.get(k).activation());
                } catch (Throwable e) {
                    return GradRun.allFailed(n, k, "forward pass: " + Nd4jRuntime.message(e));
                }
            }
            GradRun[] runs = new GradRun[n];
            INDArray dy = Nd4jRuntime.toNd4j(gradOutput, type);
            for (int k = n - 1; k >= 0; k--) {
                List<String> notes = new ArrayList<>(common);
                long t0 = System.nanoTime();
                try {
                    Layer layer = layers.get(k);
                    INDArray in = inputs.get(k);
                    refuseEmpty(dy, "the output gradient");
                    INDArray delta = delta(Nd4jEngine.pre(in, layer, type, new ArrayList<>()), dy, layer.activation(), notes);
                    INDArray[] g = Nd4jOp.of(layer).backward(in, layer, delta, type, notes);
                    long nanos = System.nanoTime() - t0;
                    runs[k] = GradRun.ok(new Gradients(Nd4jRuntime.toTensor(g[0], computeIn), g[1] == null ? null : Nd4jRuntime.toTensor(g[1], computeIn),
                            g[2] == null ? null : Nd4jRuntime.toTensor(g[2], computeIn)), computeIn, notes, nanos);
                    dy = g[0];
                } catch (Throwable e) {
                    runs[k] = GradRun.error(Nd4jRuntime.message(e), System.nanoTime() - t0);
                    for (int j = k - 1; j >= 0; j--) {
                        runs[j] = GradRun.error("not run: layer " + (k + 1) + " failed", 0);
                    }
                    break;
                }
            }
            return List.of(runs);
        });
    }

    /** delta = dL/d(pre-activation output): dy through ND4J's {@code IActivation.backprop(pre, dy)} (dy itself without one). */
    private static INDArray delta(INDArray pre, INDArray dy, convlab.core.Activation activation, List<String> notes) {
        org.nd4j.linalg.activations.Activation a = switch (activation) {
            case NONE -> null;
            case RELU -> org.nd4j.linalg.activations.Activation.RELU;
            case TANH -> org.nd4j.linalg.activations.Activation.TANH;
            case SIGMOID -> org.nd4j.linalg.activations.Activation.SIGMOID;
        };
        if (a == null) {
            return dy;
        }
        notes.add("delta = IActivation(" + activation + ").backprop(pre, dy)");
        return a.getActivationFunction().backprop(pre.dup(), dy.dup()).getFirst();
    }

    /** {dL/dx, dL/dw, dL/db or null} of one conv2d layer, given delta = dL/d(its pre-activation output). */
    static INDArray[] conv2dBackward(INDArray x, ConvLayer layer, INDArray delta, DataType type, List<String> notes) {
        Nd4jEngine.Conv2dCall call = Nd4jEngine.prepare(x, layer, notes);
        INDArray w = Nd4jRuntime.toNd4j(layer.weights(), type);
        INDArray b = layer.bias() == null ? null : Nd4jRuntime.toNd4j(layer.bias(), type);
        int groups = layer.spec().groups();
        INDArray[] g;
        if (groups == 1) {
            g = conv2dBp(call.in(), w, b, delta, call.config());
        } else {
            long cg = call.in().size(1) / groups;
            long og = layer.filters() / groups;
            INDArray[][] parts = new INDArray[groups][];
            for (int k = 0; k < groups; k++) {
                parts[k] = conv2dBp(Nd4jEngine.slice(call.in(), 1, k * cg, (k + 1) * cg), Nd4jEngine.slice(w, 0, k * og, (k + 1) * og),
                        b == null ? null : Nd4jEngine.slice(b, 0, k * og, (k + 1) * og), Nd4jEngine.slice(delta, 1, k * og, (k + 1) * og),
                        call.config());
            }
            g = new INDArray[] {concat(parts, 0, 1), concat(parts, 1, 0), b == null ? null : concat(parts, 2, 0)};
            notes.add("groups=" + groups + " composed: one conv2d_bp per group on channel slices, then Nd4j.concat");
        }
        if (call.composedPadding()) {
            g[0] = fold(g[0], call.pads(), layer.spec().paddingMode(), x.size(2), x.size(3));
            notes.add(layer.spec().paddingMode() == convlab.core.PaddingMode.ZEROS
                    ? "the padded input's gradient cropped back to the input"
                    : "the padded input's gradient folded back onto the cells each padded row and column copied (" + layer.spec().paddingMode() + ")");
        }
        return g;
    }

    private static INDArray concat(INDArray[][] parts, int which, int axis) {
        return Nd4j.concat(axis, Arrays.stream(parts).map(p -> p[which]).toArray(INDArray[]::new));
    }

    /** libnd4j's {@code conv2d_bp}: {dL/dx, dL/dw, dL/db or null}. */
    static INDArray[] conv2dBp(INDArray x, INDArray w, INDArray b, INDArray delta, Conv2DConfig c) {
        INDArray gx = Nd4j.create(x.dataType(), x.shape());
        INDArray gw = Nd4j.create(w.dataType(), w.shape());
        INDArray gb = b == null ? null : Nd4j.create(b.dataType(), b.shape());
        DynamicCustomOp op = DynamicCustomOp.builder("conv2d_bp")
                .addInputs(b == null ? new INDArray[] {x, w, delta} : new INDArray[] {x, w, b, delta})
                .addOutputs(b == null ? new INDArray[] {gx, gw} : new INDArray[] {gx, gw, gb})
                .addIntegerArguments(Math.toIntExact(c.getKH()), Math.toIntExact(c.getKW()), Math.toIntExact(c.getSH()),
                        Math.toIntExact(c.getSW()), Math.toIntExact(c.getPH()), Math.toIntExact(c.getPW()), Math.toIntExact(c.getDH()),
                        Math.toIntExact(c.getDW()), c.getPaddingMode() == PaddingMode.SAME ? 1 : 0, 0 /* NCHW */, 1 /* weights OIYX */)
                .build();
        Nd4j.exec(op);
        return new INDArray[] {gx, gw, gb};
    }

    /**
     * The gradient of a padded input ({@code [N, C, pt+H+pb, pl+W+pr]}) as the gradient of the input: each padded
     * row, then column, added onto the one it copies ({@link convlab.core.PaddingMode#source}); a zero's dropped.
     * Each fold is a product with a 0/1 matrix {@code M[padded][source]}.
     */
    static INDArray fold(INDArray padded, Padding.Sides p, convlab.core.PaddingMode mode, long h, long w) {
        INDArray rows = foldLastAxis(padded.permute(0, 1, 3, 2), p.top(), h, mode).permute(0, 1, 3, 2);
        return foldLastAxis(rows, p.left(), w, mode);
    }

    private static INDArray foldLastAxis(INDArray g, int before, long n, convlab.core.PaddingMode mode) {
        long[] s = g.shape();
        INDArray m = Nd4j.zeros(g.dataType(), s[3], n);
        for (long r = 0; r < s[3]; r++) {
            int src = mode.source((int) (r - before), (int) n);
            if (src >= 0) {
                m.putScalar(r, src, m.getDouble(r, src) + 1);
            }
        }
        return g.dup('c').reshape('c', s[0] * s[1] * s[2], s[3]).mmul(m).reshape('c', s[0], s[1], s[2], n);
    }

    /** libnd4j divides by a zero length in its thread split (SIGFPE, the JVM dies): refuse before the call. */
    static void refuseEmpty(INDArray a, String what) {
        if (a.length() == 0) {
            throw new Nd4jEngine.RefusedException("not run: " + what + " has shape " + Arrays.toString(a.shape())
                    + " with no elements, and libnd4j's convolution ops crash the JVM (SIGFPE) on zero-size arrays");
        }
    }
}
