package convlab.core;

import java.util.List;

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

    public PoolLayer withSpec(PoolSpec s) {
        return new PoolLayer(op, s);
    }

    @Override
    public String toString() {
        return "PoolLayer(" + op + ", " + spec + ")";
    }
}
