package convlab.core;

import java.util.List;
import java.util.Set;

/**
 * One pooling layer, {@code max_pool2d} or {@code avg_pool2d}: no weights, one window per channel. Its taps are the
 * window's cells inside the padded input, each with weight 1 (pooling has none; {@link Tap#w()} is 1 so that
 * {@link Tap#product()} is the cell's value); {@link #reduce} takes their maximum, or their sum over the divisor.
 */
public record PoolLayer(Op op, PoolSpec spec) implements Layer {

    public PoolLayer {
        if (op == null || spec == null) {
            throw new IllegalArgumentException("Expected an op and a spec, but found null");
        }
        if (op != Op.MAX_POOL2D && op != Op.AVG_POOL2D) {
            throw new IllegalArgumentException("Expected max_pool2d or avg_pool2d, but found " + op);
        }
        if (op == Op.AVG_POOL2D && !spec.dilation().equals(Hw.of(1))) {
            throw new IllegalArgumentException("Expected dilation 1 for avg_pool2d (average pooling has no dilation in PyTorch,"
                    + " TensorFlow or DL4J; max_pool2d has), but found " + spec.dilation());
        }
    }

    public static PoolLayer max(PoolSpec spec) {
        return new PoolLayer(Op.MAX_POOL2D, spec);
    }

    public static PoolLayer average(PoolSpec spec) {
        return new PoolLayer(Op.AVG_POOL2D, spec);
    }

    public boolean isMax() {
        return op == Op.MAX_POOL2D;
    }

    @Override
    public PoolGeometry geometry(int[] inputShape) {
        return PoolGeometry.of(inputShape, this);
    }

    /** This layer's padding on an input of {@code h x w}, resolved without checking that the layer fits. */
    public Padding.Sides pads(int h, int w) {
        return Geometry.resolve(spec.padding(), h, w, spec.kernel(), spec.stride(), spec.dilation());
    }

    @Override
    public Output forward(Tensor input) {
        return Pool2d.forward(input, this);
    }

    @Override
    public List<Tap> taps(Tensor input, int n, int oc, int oh, int ow) {
        return Pool2d.taps(input, this, n, oc, oh, ow);
    }

    /**
     * Max: the largest tap value (a NaN takes over, as in PyTorch). Average: the sum of the taps' values over the
     * divisor, which is the number of taps (every tap lies inside the padded input) with {@code countIncludePad},
     * else the number of taps that read the input.
     */
    @Override
    public double reduce(List<Tap> taps, int oc) {
        if (isMax()) {
            return taps.get(Pool2d.winner(taps)).x();
        }
        double sum = 0;
        for (Tap t : taps) {
            sum += t.product();
        }
        return sum / Pool2d.divisor(taps, spec.countIncludePad());
    }

    @Override
    public Activation activation() {
        return spec.activation();
    }

    /** Pooling has no weights. */
    @Override
    public Tensor weights() {
        return null;
    }

    @Override
    public Tensor bias() {
        return null;
    }

    /** Max: the largest |x| of the window; average: sum |x| / divisor. The same pooling over |x|, no activation. */
    @Override
    public Tensor magnitudes(Tensor input) {
        return Pool2d.forward(input.map(Math::abs), new PoolLayer(op, spec.withActivation(Activation.NONE))).preActivation();
    }

    /** Pooling keeps the channels. */
    @Override
    public int outputChannels(int channels) {
        return channels;
    }

    /** A pooling layer's own case-file fields (max_pool2d has no countIncludePad, avg_pool2d no dilation: {@link #read} says so). */
    static final Set<String> FIELDS = Set.of("kernel", "stride", "padding", "dilation", "ceilMode", "countIncludePad");

    /** A max_pool2d layer from its case-file fields ({@link #read}). */
    static CaseFields.Read readMax(CaseFields f) {
        return read(Op.MAX_POOL2D, f);
    }

    /** An avg_pool2d layer from its case-file fields ({@link #read}). */
    static CaseFields.Read readAverage(CaseFields f) {
        return read(Op.AVG_POOL2D, f);
    }

    /** A pooling layer from its case-file fields: kernel required (there are no weights to give it), stride defaulting to the kernel. */
    private static CaseFields.Read read(Op op, CaseFields f) {
        String k = f.json("kernel");
        if (k == null || k.equals("null")) {
            throw f.invalid("kernel", "missing; expected an int >= 1 or [h, w] (a pooling layer has no weights to take it from)");
        }
        Hw kernel = f.hw("kernel");
        boolean max = op == Op.MAX_POOL2D;
        if (!max && f.has("dilation")) {
            throw f.invalid("dilation", "avg_pool2d has no dilation (PyTorch's AvgPool2d, Keras and DL4J"
                    + " have none); expected no dilation field, but found " + f.json("dilation"));
        }
        if (max && f.has("countIncludePad")) {
            throw f.invalid("countIncludePad", "countIncludePad is the divisor of avg_pool2d;"
                    + " max_pool2d never counts, so expected no countIncludePad field, but found " + f.json("countIncludePad"));
        }
        PoolSpec spec = new PoolSpec(kernel, f.has("stride") ? f.hw("stride") : kernel, f.padding("padding"), f.hw("dilation"),
                f.bool("ceilMode", false), f.bool("countIncludePad", true), f.parse("activation", "none", Activation::parse));
        return new CaseFields.Read(new PoolLayer(op, spec), null);
    }

    @Override
    public void write(CaseFields.Writer out) {
        out.hw("kernel", spec.kernel());
        out.hw("stride", spec.stride());
        out.padding("padding", spec.padding());
        if (isMax()) {
            out.hw("dilation", spec.dilation());
        } else {
            out.bool("countIncludePad", spec.countIncludePad());
        }
        out.bool("ceilMode", spec.ceilMode());
    }

    @Override
    public String describe(OpGeometry g) {
        return Describe.pool((PoolGeometry) g, this);
    }

    @Override
    public String describeUnapplied() {
        return Describe.unapplied(this);
    }

    /**
     * Read off the taps: max sends delta to the winning cell ({@link TapBackward#max}), average to every cell over
     * the divisor ({@link TapBackward#mean}).
     */
    @Override
    public Gradients backward(Tensor input, Tensor gradOutput) {
        return TapBackward.backward(this, input, gradOutput, isMax() ? TapBackward.max() : TapBackward.mean(spec.countIncludePad()));
    }

    /** Its own channel. */
    @Override
    public List<Integer> reads(int oc, int channels) {
        return List.of(oc);
    }

    @Override
    public String makes(int oc, String from) {
        return (isMax() ? "the largest" : "the average") + " of each window of " + from;
    }

    /** A maximum or a mean, not a sum of products. */
    @Override
    public boolean sumsProducts() {
        return false;
    }

    @Override
    public String formula() {
        return isMax() ? "max over kh, kw of in[oc][oh\u00b7s+kh\u00b7d\u2212p][ow\u00b7s+kw\u00b7d\u2212p]"
                : "\u03a3 over kh, kw of in[oc][oh\u00b7s+kh\u2212p][ow\u00b7s+kw\u2212p] / D";
    }

    @Override
    public List<String> intro(OpGeometry g) {
        return List.of((isMax() ? "Max" : "Average") + " pooling: each output cell is the " + (isMax() ? "largest" : "average")
                + " value of its window in its own channel, " + describe(g) + ".");
    }

    public PoolLayer withSpec(PoolSpec s) {
        return new PoolLayer(op, s);
    }

    @Override
    public String toString() {
        return "PoolLayer(" + op + ", " + spec + ")";
    }
}
