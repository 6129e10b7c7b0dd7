package convlab.core;

import java.util.List;

/**
 * The backward pass of any op, read off its taps: every output value is a reduction over taps, so its upstream
 * gradient {@code delta = dL/dy * act'(pre)} flows back along those taps and nowhere else.
 * <pre>
 *   sum (conv_transpose2d):   dX[tap's input cell] += delta * w      dW[tap's weight cell] += delta * x      db[oc] += delta
 *   max (max_pool2d):         dX[the winning tap's cell] += delta    (the first largest, as PyTorch; a padded cell never wins)
 *   mean (avg_pool2d):        dX[each tap's input cell] += delta / D (D the divisor of the forward pass)
 * </pre>
 * A tap that reads the padding sends nothing back (zero padding: nothing was copied). This is the slow, obviously
 * right form (each op picks its {@link Rule} in its {@link Layer#backward}); {@link Conv2dBackward} is conv2d's
 * formula-shaped one, and the contract test checks every op against finite differences of its own forward pass.
 */
public final class TapBackward {

    private TapBackward() {
    }

    /** Where one output value's {@code delta} flows back along its taps: an op's own rule ({@link #sum}, {@link #max}, {@link #mean}). */
    @FunctionalInterface
    public interface Rule {
        void send(List<Tap> taps, int oc, double delta, Sink to);
    }

    /** The gradients a {@link Rule} adds to, for one batch item. */
    public static final class Sink {
        private final double[] dx;
        private final double[] dw;
        private final Tensor w;
        private final int n, C, H, W;

        private Sink(double[] dx, double[] dw, Tensor w, int n, int C, int H, int W) {
            this.dx = dx;
            this.dw = dw;
            this.w = w;
            this.n = n;
            this.C = C;
            this.H = H;
            this.W = W;
        }

        /** {@code dX[tap's input cell] += v}. */
        public void input(Tap t, double v) {
            dx[((n * C + t.c()) * H + t.ih()) * W + t.iw()] += v;
        }

        /** {@code dW[c][o][kh][kw] += v}, in the op's core weight layout. */
        public void weight(int c, int o, int kh, int kw, double v) {
            dw[w.offset(c, o, kh, kw)] += v;
        }
    }

    /**
     * Sum (conv_transpose2d, {@code og} output channels per group): each tap sends {@code delta * w} to its input cell
     * and {@code delta * x} to its weight.
     */
    public static Rule sum(int og) {
        return (taps, oc, delta, to) -> {
            for (Tap t : taps) {
                to.input(t, delta * t.w());
                to.weight(t.c(), oc % og, t.kh(), t.kw(), delta * t.x());
            }
        };
    }

    /** Max (max_pool2d): delta goes to the winning tap's cell (the first largest, as PyTorch; a padded cell never wins). */
    public static Rule max() {
        return (taps, oc, delta, to) -> {
            if (!taps.isEmpty()) {
                Tap t = taps.get(Pool2d.winner(taps));
                if (!t.padding()) {
                    to.input(t, delta);
                }
            }
        };
    }

    /** Mean (avg_pool2d): delta / D to each tap's cell, D the forward pass's divisor. */
    public static Rule mean(boolean countIncludePad) {
        return (taps, oc, delta, to) -> {
            int divisor = Pool2d.divisor(taps, countIncludePad);
            for (Tap t : taps) {
                if (!t.padding()) {
                    to.input(t, delta / divisor);
                }
            }
        };
    }

    /** The gradients of a layer whose delta flows back along its taps by {@code rule}; the bias (if any) gets every delta. */
    public static Gradients backward(Layer layer, Tensor input, Tensor gradOutput, Rule rule) {
        Output out = layer.forward(input);
        int[] shape = out.preActivation().shape();
        if (!java.util.Arrays.equals(shape, gradOutput.shape())) {
            throw new IllegalArgumentException("Expected dL/dy of the output's shape " + Tensor.shapeString(shape) + ", but found "
                    + gradOutput.shapeString());
        }
        int N = shape[0], O = shape[1], OH = shape[2], OW = shape[3];
        int[] in = input.shape();
        int C = in[1], H = in[2], W = in[3];
        double[] dx = new double[input.size()];
        Tensor w = layer.weights();
        double[] dw = w == null ? null : new double[w.size()];
        double[] db = layer.bias() == null ? null : new double[O];
        for (int n = 0; n < N; n++) {
            Sink to = new Sink(dx, dw, w, n, C, H, W);
            for (int oc = 0; oc < O; oc++) {
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow = 0; ow < OW; ow++) {
                        double delta = gradOutput.get(n, oc, oh, ow) * layer.activation().derivative(out.preActivation().get(n, oc, oh, ow));
                        rule.send(layer.taps(input, n, oc, oh, ow), oc, delta, to);
                        if (db != null) {
                            db[oc] += delta;
                        }
                    }
                }
            }
        }
        return new Gradients(Tensor.adopt(DType.FLOAT64, in.clone(), dx),
                dw == null ? null : Tensor.adopt(DType.FLOAT64, w.shape(), dw),
                db == null ? null : Tensor.adopt(DType.FLOAT64, new int[] {O}, db));
    }
}
