package convlab.engine;

import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Gradients;
import convlab.core.Layer;
import convlab.core.Op;
import convlab.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code im2col} engine's backward pass: conv2d's gradients as two more matrix products, the way frameworks
 * compute them. With {@code delta = dL/dy * act'(pre)} as the matrix {@code [Og, OH*OW]} of each batch item and
 * group, and {@code cols} and {@code W} the forward pass's matrices ({@link Im2col}):
 * <pre>
 *   dW  += delta x cols^T         [Og, Cg*KH*KW], summed over the batch
 *   dcols = W^T x delta           [Cg*KH*KW, OH*OW]
 *   dx   = col2im(dcols)          every entry added back into the input cell it was copied from
 *   db   = sum of delta over the batch and the positions
 * </pre>
 * {@code W^T x delta} followed by col2im is a transposed convolution of delta with the same weights: the input's
 * gradient of a convolution is a transposed convolution, computed here without being called one. In float64
 * whatever the input's type (the gradients are compared with the reference's, which are float64).
 */
final class Im2colBackward {

    private Im2colBackward() {
    }

    static List<GradRun> run(Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
        int count = layers.size();
        for (int k = 0; k < count; k++) {
            if (layers.get(k).op() != Op.CONV2D) {
                return GradRun.allUnsupported(count, k, "im2col computes conv2d only, not " + layers.get(k).op());
            }
        }
        List<Tensor> inputs = new ArrayList<>();
        List<double[]> pres = new ArrayList<>();
        Tensor x = input.as(DType.FLOAT64);
        for (int k = 0; k < count; k++) {
            ConvLayer layer = (ConvLayer) layers.get(k);
            inputs.add(x);
            try {
                Geometry g = Geometry.of(x.shape(), layer);
                double[] pre = Im2colEngine.preActivation(x, layer, g);
                pres.add(pre);
                double[] act = new double[pre.length];
                for (int i = 0; i < pre.length; i++) {
                    act[i] = layer.activation().apply(pre[i]);
                }
                x = Tensor.of(DType.FLOAT64, g.outputShape(), act);
            } catch (convlab.core.Budget.Exceeded e) {
                return GradRun.allUnsupported(count, k, "not run: " + e.getMessage());
            } catch (RuntimeException e) {
                return GradRun.allFailed(count, k, "forward pass: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        GradRun[] runs = new GradRun[count];
        Tensor dy = gradOutput.as(DType.FLOAT64);
        for (int k = count - 1; k >= 0; k--) {
            long t0 = System.nanoTime();
            try {
                ConvLayer layer = (ConvLayer) layers.get(k);
                double[] pre = pres.get(k), delta = dy.toArray();
                if (delta.length != pre.length) {
                    throw new IllegalArgumentException("Expected an output gradient of " + pre.length + " values, but found " + delta.length);
                }
                for (int i = 0; i < delta.length; i++) {
                    delta[i] *= layer.activation().derivative(pre[i]);
                }
                Gradients gr = conv2d(inputs.get(k), layer, delta);
                runs[k] = GradRun.ok(gr, DType.FLOAT64, List.of("dW = delta x cols^T, dx = col2im(W^T x delta), per batch item"
                        + (layer.spec().groups() == 1 ? "" : " and group") + ", in float64"), System.nanoTime() - t0);
                dy = gr.gradInput();
            } catch (convlab.core.Budget.Exceeded e) {
                runs[k] = GradRun.unsupported("not run: " + e.getMessage());
                for (int j = k - 1; j >= 0; j--) {
                    runs[j] = GradRun.unsupported("not run: layer " + (k + 1) + " is unsupported");
                }
                break;
            } catch (RuntimeException e) {
                runs[k] = GradRun.error(e.getMessage() == null ? e.toString() : e.getMessage(), System.nanoTime() - t0);
                for (int j = k - 1; j >= 0; j--) {
                    runs[j] = GradRun.error("not run: layer " + (k + 1) + " failed", 0);
                }
                break;
            }
        }
        return List.of(runs);
    }

    /** One conv2d layer's gradients over input {@code x} (float64), given {@code delta = dL/d(pre-activation)}, NCHW flat. */
    static Gradients conv2d(Tensor x, ConvLayer layer, double[] delta) {
        Geometry g = Geometry.of(x.shape(), layer);
        Im2col im = Im2colEngine.checked(g);
        int groups = layer.spec().groups(), og = g.og(), k = im.rowsPerGroup(), p = im.columns();
        double[] xs = x.toArray(), w = layer.weights().toArray();
        double[] dw = new double[w.length], dx = new double[xs.length], db = new double[g.o()];
        double[] cols = new double[k * p], colsT = new double[p * k], wT = new double[k * og], dcols = new double[k * p];
        for (int n = 0; n < g.n(); n++) {
            for (int group = 0; group < groups; group++) {
                int d = (n * g.o() + group * og) * p; // delta's rows for this group's filters: [Og, P] from here
                im.fill(xs, n, cols, group * k, group * k, (group + 1) * k);
                transpose(cols, 0, k, p, colsT);
                Gemm.multiplyAdd(og, k, p, delta, d, colsT, 0, dw, group * og * k);     // dW_g += delta x cols^T
                transpose(w, group * og * k, og, k, wT);
                Arrays.fill(dcols, 0.0);
                Gemm.multiplyAdd(k, p, og, wT, 0, delta, d, dcols, 0);                 // dcols = W_g^T x delta
                im.accumulate(dcols, group * k, group * k, (group + 1) * k, dx, n);  // dx += col2im(dcols)
                for (int oc = 0; oc < og; oc++) {
                    double sum = 0;
                    for (int j = 0; j < p; j++) {
                        sum += delta[d + oc * p + j];
                    }
                    db[group * og + oc] += sum;
                }
            }
        }
        return new Gradients(Tensor.of(DType.FLOAT64, x.shape(), dx), Tensor.of(DType.FLOAT64, layer.weights().shape(), dw),
                layer.bias() == null ? null : Tensor.of(DType.FLOAT64, new int[] {g.o()}, db));
    }

    /** {@code out[j][i] = m[off + i*cols + j]}: the {@code rows x cols} matrix at {@code off}, transposed. */
    private static void transpose(double[] m, int off, int rows, int cols, double[] out) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = m[off + i * cols + j];
            }
        }
    }
}
