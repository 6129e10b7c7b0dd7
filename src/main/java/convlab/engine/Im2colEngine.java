package convlab.engine;

import convlab.core.Activation;
import convlab.core.Budget;
import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Layer;
import convlab.core.Op;
import convlab.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * convlab's own fast conv2d, the way frameworks compute it, in plain Java (no ND4J: it runs where ND4J cannot
 * start): {@link Im2col} unfolds each batch item's input into column matrices, and {@link Gemm} multiplies each
 * group's weight matrix with them, {@code out = W * cols + b}, then the activation. It computes in the input's type
 * (float32 or float64), as {@code nd4j} does, the weights and bias cast to it. The work of each batch item is split
 * over the cores by (group, block of output columns); every output value is summed in one fixed order, so the
 * numbers do not depend on the number of threads. Other ops are {@link LayerRun.Status#UNSUPPORTED}, and the layers
 * after one it cannot run are not run. Its backward pass is {@link Im2colBackward}: two more products and col2im.
 */
final class Im2colEngine implements Engine {

    @Override
    public String name() {
        return "im2col";
    }

    @Override
    public String description() {
        return "convlab's im2col + blocked, multi-threaded GEMM in plain Java (out = W * cols + b), computed in the input's type";
    }

    @Override
    public List<LayerRun> run(Tensor input, List<? extends Layer> layers) {
        List<LayerRun> runs = new ArrayList<>();
        Tensor x = input;
        String stop = null; // why the layers from here on are not run
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (stop != null) {
                runs.add(runs.get(i - 1).status() == LayerRun.Status.ERROR ? LayerRun.error(stop, 0) : LayerRun.unsupported(stop));
                continue;
            }
            if (layer.op() != Op.CONV2D) {
                runs.add(LayerRun.unsupported("im2col computes conv2d only, not " + layer.op()));
                stop = "not run: layer " + (i + 1) + " is unsupported";
                continue;
            }
            long t0 = System.nanoTime();
            try {
                List<String> notes = new ArrayList<>();
                x = forward(x, (ConvLayer) layer, notes);
                runs.add(LayerRun.ok(x, x.dtype(), notes, System.nanoTime() - t0));
            } catch (Budget.Exceeded e) {
                runs.add(LayerRun.unsupported("not run: " + e.getMessage()));
                stop = "not run: layer " + (i + 1) + " is unsupported";
            } catch (RuntimeException e) { // an impossible geometry (the reference rejects it too) or a bug: never throw
                runs.add(LayerRun.error(e.getMessage() == null ? e.toString() : e.getMessage(), System.nanoTime() - t0));
                stop = "not run: layer " + (i + 1) + " failed";
            }
        }
        return runs;
    }

    /** conv2d's gradients as matrix products and col2im ({@link Im2colBackward}); other ops are unsupported. */
    @Override
    public List<GradRun> backward(Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
        return Im2colBackward.run(input, layers, gradOutput);
    }

    /** One layer's activated output, computed in the input's type. */
    static Tensor forward(Tensor input, ConvLayer layer, List<String> notes) {
        Geometry g = Geometry.of(input.shape(), layer);
        Im2col im = checked(g);
        int groups = layer.spec().groups(), k = im.rowsPerGroup(), p = im.columns();
        notes.add(String.format(Locale.ROOT, "per batch item%s: W [%d, %d] * cols [%d, %d]%s", groups == 1 ? "" : " and group (" + groups + ")",
                g.og(), k, k, p, im.isIdentity() ? "; 1x1 kernel, stride 1, no padding: the input is the column matrix, no copy" : ""));
        DType type = input.dtype();
        double[] pre = type == DType.FLOAT32 ? forwardFloat(input, layer, g, im) : forwardDouble(input, layer, g, im);
        Activation act = layer.activation();
        for (int i = 0; i < pre.length; i++) {
            pre[i] = type.round(act.apply(pre[i]));
        }
        return Tensor.of(type, g.outputShape(), pre);
    }

    /** The layer's matrices, once the size budget allows them (the column matrices and the output). */
    static Im2col checked(Geometry g) {
        Im2col im = new Im2col(g);
        int groups = g.spec().groups(), k = im.rowsPerGroup(), p = im.columns();
        Budget.checkShape("the column matrices (" + groups + "x" + k + "x" + p + ")", groups, k, p);
        Budget.checkShape("the output (" + Tensor.shapeString(g.outputShape()) + ")", g.n(), g.o(), g.oh(), g.ow());
        return im;
    }

    /** The layer's output before the activation, in float64, NCHW flat: the backward pass's forward step. */
    static double[] preActivation(Tensor x, ConvLayer layer, Geometry g) {
        return forwardDouble(x, layer, g, checked(g));
    }

    private static double[] forwardFloat(Tensor input, ConvLayer layer, Geometry g, Im2col im) {
        int groups = layer.spec().groups(), og = g.og(), k = im.rowsPerGroup(), p = im.columns(), blocks = Gemm.columnBlocks(p);
        float[] x = floats(input.toArray());
        float[] w = floats(layer.weights().toArray());
        double[] bias = biases(layer);
        float[] out = new float[g.n() * g.o() * p];
        for (int plane = 0; plane < g.n() * g.o(); plane++) { // every output plane starts at its filter's bias
            Arrays.fill(out, plane * p, (plane + 1) * p, (float) bias[plane % g.o()]);
        }
        float[] cols = im.isIdentity() ? x : new float[groups * k * p];
        schedule(g, im, (n, r) -> im.fill(x, n, cols, 0, r, r + 1), (n, t) -> Gemm.block(og, p, k, w, t / blocks * og * k, k,
                cols, columnsAt(g, im, n) + t / blocks * k * p, p, out, (n * g.o() + t / blocks * og) * p, p, t % blocks));
        double[] result = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            result[i] = out[i];
        }
        return result;
    }

    private static double[] forwardDouble(Tensor input, ConvLayer layer, Geometry g, Im2col im) {
        int groups = layer.spec().groups(), og = g.og(), k = im.rowsPerGroup(), p = im.columns(), blocks = Gemm.columnBlocks(p);
        double[] x = input.toArray();
        double[] w = layer.weights().toArray();
        double[] bias = biases(layer);
        double[] out = new double[g.n() * g.o() * p];
        for (int plane = 0; plane < g.n() * g.o(); plane++) {
            Arrays.fill(out, plane * p, (plane + 1) * p, bias[plane % g.o()]);
        }
        double[] cols = im.isIdentity() ? x : new double[groups * k * p];
        schedule(g, im, (n, r) -> im.fill(x, n, cols, 0, r, r + 1), (n, t) -> Gemm.block(og, p, k, w, t / blocks * og * k, k,
                cols, columnsAt(g, im, n) + t / blocks * k * p, p, out, (n * g.o() + t / blocks * og) * p, p, t % blocks));
        return out;
    }

    /** One step of the work of batch item {@code n}: a row of its column matrices, or a (group, column block) product. */
    @FunctionalInterface
    private interface Step {
        void run(int n, int index);
    }

    /**
     * The schedule, the same in both types: for each batch item, the rows of its column matrices filled on every core
     * (none when the input is its own column matrix), then its (group, column block) products on every core.
     */
    private static void schedule(Geometry g, Im2col im, Step fillRow, Step product) {
        int groups = g.spec().groups(), rows = groups * im.rowsPerGroup(), tasks = groups * Gemm.columnBlocks(im.columns());
        for (int n = 0; n < g.n(); n++) {
            int nn = n;
            if (!im.isIdentity()) {
                IntStream.range(0, rows).parallel().forEach(r -> fillRow.run(nn, r));
            }
            IntStream.range(0, tasks).parallel().forEach(t -> product.run(nn, t));
        }
    }

    /** Where batch item {@code n}'s column matrices start: in the input itself for a 1x1 kernel without copy, else at 0. */
    private static int columnsAt(Geometry g, Im2col im, int n) {
        return im.isIdentity() ? n * g.c() * im.columns() : 0;
    }

    private static double[] biases(ConvLayer layer) {
        return layer.bias() == null ? new double[layer.filters()] : layer.bias().toArray();
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
