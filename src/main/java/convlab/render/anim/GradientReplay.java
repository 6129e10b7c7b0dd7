package convlab.render.anim;

import convlab.core.Conv2dBackward;
import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.PaddingMode;
import convlab.core.Tap;
import convlab.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The numbers behind a gradient animation of one conv2d layer: its backward pass replayed one output position at a
 * time, from the layer's taps, in the order of {@link Conv2dBackward}'s loops, keeping the running sum after each
 * frame. With {@code delta[n][oc][oh][ow] = dy * act'(pre)}:
 * <pre>
 *   dW  (one filter oc, every n, oh, ow):   dW[oc][ic][kh][kw] += delta * x[n][g*Cg+ic][tap's row][tap's column]
 *                                           db[oc] += delta
 *   dX  (one batch item n, every oc, oh, ow):   dX[n][g*Cg+ic][src(row)][src(column)] += delta * w[oc][ic][kh][kw]
 * </pre>
 * A tap in the padding reads no input cell under zero padding, so its share of dX is cut off; under reflect,
 * replicate and circular padding it folds back onto the cell the padding copied ({@link PaddingMode#source}). The
 * last frame's running sum is the reference's gradient (the tests check it for every feature of the spec).
 *
 * <p>Frames: one per step (a delta value), sampled evenly to at most {@code maxFrames - 1} (first and last kept;
 * the running sums still add every step), then a last frame with everything added.
 */
public final class GradientReplay {

    /** Which gradient is accumulated. */
    public enum Kind {
        /** dL/dW of one filter, and dL/db: window times delta, position by position. */
        DW,
        /** dL/dX of one batch item: each delta value stamping its kernel back onto the input. */
        DX;

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.toString().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("Expected --gradients dw, dx or both, but found \"" + s + "\"");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One delta value: where it sits, and the two numbers it is the product of. */
    public record Step(int n, int oc, int oh, int ow, double dy, double pre, double delta) {
    }

    private final Kind kind;
    private final Tensor input;
    private final ConvLayer layer;
    private final Geometry g;
    private final Tensor delta;
    private final int filter;
    private final int item;
    private final int totalSteps;
    /** The step each frame shows (null for the last frame). */
    private final List<Step> steps = new ArrayList<>();
    /** The running gradient after each frame: dW[oc] as Cg*KH*KW, or dX[n] as C*H*W. */
    private final List<double[]> running = new ArrayList<>();
    private final List<Double> runningBias = new ArrayList<>();
    private double largest;

    /**
     * @param dy        dL/dy of the layer's activated output, NCHW
     * @param filter    dW: the filter whose gradient accumulates; dX: the filter whose steps get frames, or -1 for
     *                  every filter (dX sums over all filters either way)
     * @param item      dX: the batch item; dW sums over the whole batch and shows item by item
     * @param maxFrames the most frames, the last one included (at least 2)
     */
    private GradientReplay(Kind kind, Tensor input, ConvLayer layer, Tensor dy, int filter, int item, int maxFrames) {
        this.kind = kind;
        this.input = input;
        this.layer = layer;
        this.g = Geometry.of(input.shape(), layer);
        if (!java.util.Arrays.equals(dy.shape(), g.outputShape())) {
            throw new Geometry.ShapeException("Expected dL/dy of the layer's output shape " + Tensor.shapeString(g.outputShape())
                    + " (NCHW), but found " + dy.shapeString());
        }
        if (filter < (kind == Kind.DW ? 0 : -1) || filter >= g.o()) {
            throw new IllegalArgumentException("Expected --filter between 0 and " + (g.o() - 1) + " (the layer has " + g.o()
                    + " filter" + (g.o() == 1 ? "" : "s") + "), but found " + filter);
        }
        if (item < 0 || item >= g.n()) {
            throw new IllegalArgumentException("Expected --batch between 0 and " + (g.n() - 1) + " (the input has N=" + g.n()
                    + "), but found " + item);
        }
        if (maxFrames < 2) {
            throw new IllegalArgumentException("Expected --max-frames >= 2 (one step and the last frame), but found " + maxFrames);
        }
        this.filter = filter;
        this.item = item;
        Tensor pre = layer.forward(input).preActivation();
        this.delta = Conv2dBackward.delta(pre, layer.spec().activation(), dy);
        List<Step> all = new ArrayList<>();
        List<Integer> eligible = new ArrayList<>();
        if (kind == Kind.DW) {
            for (int n = 0; n < g.n(); n++) {
                addPositions(all, eligible, n, filter, dy, pre, true);
            }
        } else {
            for (int oc = 0; oc < g.o(); oc++) {
                addPositions(all, eligible, item, oc, dy, pre, filter < 0 || oc == filter);
            }
        }
        this.totalSteps = eligible.size();
        int shown = Math.min(eligible.size(), maxFrames - 1);
        double[] sum = new double[kind == Kind.DW ? g.cg() * g.kernel().h() * g.kernel().w() : g.c() * g.h() * g.w()];
        double bias = 0;
        int next = 0;
        for (int f = 0; f < shown; f++) {
            int e = shown == eligible.size() ? f : (int) Math.round(f * (eligible.size() - 1) / (double) Math.max(shown - 1, 1));
            int upTo = eligible.get(e);
            for (; next <= upTo; next++) {
                bias += add(sum, all.get(next));
            }
            steps.add(all.get(upTo));
            keep(sum, bias);
        }
        for (; next < all.size(); next++) {
            bias += add(sum, all.get(next));
        }
        steps.add(null);
        keep(sum, bias);
    }

    /**
     * The replay of {@code kind} over {@code input} ({@code [N, C, H, W]}) given {@code dy = dL/dy} of the layer's
     * activated output; see the constructor's parameters.
     *
     * @throws IllegalArgumentException for a filter or batch index out of range, or dy of the wrong shape
     */
    public static GradientReplay of(Kind kind, Tensor input, ConvLayer layer, Tensor dy, int filter, int item, int maxFrames) {
        return new GradientReplay(kind, input, layer, dy, filter, item, maxFrames);
    }

    private void addPositions(List<Step> all, List<Integer> eligible, int n, int oc, Tensor dy, Tensor pre, boolean shown) {
        for (int oh = 0; oh < g.oh(); oh++) {
            for (int ow = 0; ow < g.ow(); ow++) {
                if (shown) {
                    eligible.add(all.size());
                }
                all.add(new Step(n, oc, oh, ow, dy.get(n, oc, oh, ow), pre.get(n, oc, oh, ow), delta.get(n, oc, oh, ow)));
            }
        }
    }

    private void keep(double[] sum, double bias) {
        running.add(sum.clone());
        runningBias.add(bias);
        for (double v : sum) {
            largest = Double.isFinite(v) ? Math.max(largest, Math.abs(v)) : largest;
        }
    }

    /** Adds one step's share to the running gradient; returns its share of db (the delta itself). */
    private double add(double[] sum, Step s) {
        int KH = g.kernel().h(), KW = g.kernel().w();
        PaddingMode mode = layer.spec().paddingMode();
        for (Tap t : taps(s)) {
            if (kind == Kind.DW) {
                double v = s.delta() * t.x();
                sum[(t.ic() * KH + t.kh()) * KW + t.kw()] += v;
                largest = Double.isFinite(v) ? Math.max(largest, Math.abs(v)) : largest;
            } else {
                int row = mode.source(t.ih(), g.h());
                int col = mode.source(t.iw(), g.w());
                double v = s.delta() * t.w();
                largest = Double.isFinite(v) ? Math.max(largest, Math.abs(v)) : largest;
                if (row >= 0 && col >= 0) {
                    sum[(t.c() * g.h() + row) * g.w() + col] += v;
                }
            }
        }
        return s.delta();
    }

    /** The taps of a step's output value: the input window it read and the weights it met. */
    public List<Tap> taps(Step s) {
        return layer.taps(input, s.n(), s.oc(), s.oh(), s.ow());
    }

    public Kind kind() {
        return kind;
    }

    public Geometry geometry() {
        return g;
    }

    public ConvLayer layer() {
        return layer;
    }

    public Tensor input() {
        return input;
    }

    /** {@code delta = dy * act'(pre)}, NCHW, the output's shape. */
    public Tensor delta() {
        return delta;
    }

    /** dW: the filter; dX: the filter whose steps get frames, or -1 for all. */
    public int filter() {
        return filter;
    }

    /** dX: the batch item; dW: the item the first frame shows (each frame shows its step's). */
    public int item() {
        return item;
    }

    public int frameCount() {
        return steps.size();
    }

    /** How many steps could get frames; more than {@code frameCount() - 1} when frames were sampled. */
    public int totalSteps() {
        return totalSteps;
    }

    public boolean sampled() {
        return frameCount() - 1 < totalSteps;
    }

    /** The step frame {@code frame} shows, or null for the last frame. */
    public Step step(int frame) {
        return steps.get(frame);
    }

    /** The running gradient after frame {@code frame}: dW[oc] as {@code [Cg, KH, KW]}, or dX[n] as {@code [C, H, W]}. */
    public Tensor running(int frame) {
        int[] shape = kind == Kind.DW ? new int[] {g.cg(), g.kernel().h(), g.kernel().w()} : new int[] {g.c(), g.h(), g.w()};
        return Tensor.of(DType.FLOAT64, shape, running.get(frame).clone());
    }

    /** dW: db[oc] after frame {@code frame}, the sum of the deltas so far; dX: the deltas of the stamps so far. */
    public double runningBias(int frame) {
        return runningBias.get(frame);
    }

    /** The largest magnitude any running sum or any single product reaches: the gradient panels' colour scale. */
    public double largest() {
        return largest;
    }
}
