package convlab.verify;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Op;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.core.WeightsLayout;
import convlab.io.Case;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Draws random valid convolution configurations across the space the core supports: batch, channels, odd and even
 * sizes, rectangular kernels, stride, dilation, groups and depthwise, every padding form and mode, layouts, float32
 * and float64, activations; every {@link #POOL_EVERY}-th is a pooling layer instead ({@link PoolSampler}).
 * Configuration {@code i} of seed {@code s} is always the same.
 */
public final class SweepSampler {

    private final long seed;

    public SweepSampler(long seed) {
        this.seed = seed;
    }

    /** A sampled case and the features it exercises (the rows of the sweep's matrix). */
    public record Sample(Case kase, List<String> features, long seed) {
    }

    /** The features a sweep tallies, in the order reports show them. */
    public static final List<String> FEATURES = java.util.stream.Stream.concat(java.util.stream.Stream.of("all", "stride > 1",
            "dilation > 1", "padding valid", "padding same", "same with stride 2", "symmetric padding", "asymmetric padding",
            "padding reflect", "padding replicate", "padding circular", "groups > 1", "depthwise", "rectangular kernel", "even kernel",
            "1x1 kernel", "batch > 1", "no bias", "activation", "NHWC", "float32"), PoolSampler.FEATURES.stream()).toList();

    /** {@code sweep} (conv2d, every {@link #POOL_EVERY}-th configuration a pooling layer). */
    public static final SweepOp OP = new SweepOp(Op.CONV2D, FEATURES, (seed, index) -> new SweepSampler(seed).sample(index));

    /** {@code sweep --op max_pool2d} ({@link PoolSampler}): these features too, a pooling sample tallying its own among them. */
    public static final SweepOp MAX_POOL = new SweepOp(Op.MAX_POOL2D, FEATURES, (seed, index) -> new PoolSampler(seed, Op.MAX_POOL2D).sample(index));

    /** {@code sweep --op avg_pool2d} ({@link PoolSampler}). */
    public static final SweepOp AVG_POOL = new SweepOp(Op.AVG_POOL2D, FEATURES, (seed, index) -> new PoolSampler(seed, Op.AVG_POOL2D).sample(index));

    /** Every {@code POOL_EVERY}-th configuration is a pooling layer ({@link PoolSampler}), the others conv2d. */
    static final int POOL_EVERY = 4;

    public Sample sample(int index) {
        long s = mix(seed * 1_000_003L + index);
        Random r = new Random(s);
        for (int attempt = 0; ; attempt++) {
            String name = String.format(java.util.Locale.ROOT, "sweep-%05d", index);
            Sample sample = index % POOL_EVERY == POOL_EVERY - 1
                    ? PoolSampler.draw(r, name, "convlab sweep, seed " + seed + ", configuration " + index, s)
                    : draw(r, index, s);
            if (sample != null) {
                return sample;
            }
        }
    }

    private Sample draw(Random r, int index, long s) {
        int groups = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
        boolean depthwise = r.nextInt(8) == 0;
        int c = depthwise ? 1 + r.nextInt(4) : groups * (1 + r.nextInt(3));
        if (depthwise) {
            groups = c;
        }
        int o = groups * (1 + r.nextInt(depthwise ? 2 : 3));
        int n = r.nextInt(4) == 0 ? 2 : 1;
        int h = 3 + r.nextInt(10);
        int w = 3 + r.nextInt(10);
        int kh = pick(r, 1, 2, 3, 3, 3, 4, 5);
        int kw = r.nextInt(3) == 0 ? pick(r, 1, 2, 3, 4, 5) : kh;
        Hw stride = r.nextInt(3) == 0 ? new Hw(1 + r.nextInt(3), 1 + r.nextInt(3)) : Hw.of(1);
        Hw dilation = r.nextInt(4) == 0 ? new Hw(1 + r.nextInt(3), 1 + r.nextInt(3)) : Hw.of(1);
        Padding padding = switch (r.nextInt(5)) {
            case 0 -> Padding.valid();
            case 1 -> Padding.same();
            case 2 -> Padding.symmetric(r.nextInt(3));
            case 3 -> Padding.of(r.nextInt(3), r.nextInt(3));
            default -> Padding.explicit(r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3));
        };
        PaddingMode mode = r.nextInt(3) == 0 ? PaddingMode.values()[1 + r.nextInt(3)] : PaddingMode.ZEROS;
        Activation act = r.nextInt(2) == 0 ? Activation.NONE : Activation.values()[1 + r.nextInt(3)];
        DType dtype = r.nextInt(3) == 0 ? DType.FLOAT32 : DType.FLOAT64;
        Layout layout = r.nextInt(3) == 0 ? Layout.NHWC : Layout.NCHW;
        boolean bias = r.nextInt(5) != 0;
        ConvSpec spec = new ConvSpec(stride, dilation, padding, mode, groups, act);
        Tensor weights = Tensor.fill(dtype, new int[] {o, c / groups, kh, kw}, i -> r.nextGaussian());
        Tensor b = bias ? Tensor.fill(dtype, new int[] {o}, i -> r.nextGaussian()) : null;
        ConvLayer layer = new ConvLayer(weights, b, spec);
        try {
            Geometry.of(new int[] {n, c, h, w}, layer);
        } catch (Geometry.ShapeException e) {
            return null; // impossible configuration: draw again
        }
        Tensor input = Tensor.fill(dtype, new int[] {n, c, h, w}, i -> r.nextGaussian());
        Geometry g = Geometry.of(input.shape(), layer);
        List<String> f = new ArrayList<>(List.of("all"));
        windowFeatures(f, stride, dilation, padding);
        add(f, padding.isSame() && (stride.h() == 2 || stride.w() == 2), "same with stride 2");
        add(f, padding instanceof Padding.Explicit && padding.isSymmetric() && !g.pads().isZero(), "symmetric padding");
        add(f, !g.pads().isSymmetric(), "asymmetric padding");
        add(f, mode == PaddingMode.REFLECT && !g.pads().isZero(), "padding reflect");
        add(f, mode == PaddingMode.REPLICATE && !g.pads().isZero(), "padding replicate");
        add(f, mode == PaddingMode.CIRCULAR && !g.pads().isZero(), "padding circular");
        add(f, groups > 1 && groups < c, "groups > 1");
        add(f, groups > 1 && groups == c, "depthwise");
        add(f, kh != kw, "rectangular kernel");
        add(f, kh % 2 == 0 || kw % 2 == 0, "even kernel");
        add(f, kh == 1 && kw == 1, "1x1 kernel");
        dataFeatures(f, n, bias, act, layout, dtype);
        String name = String.format(Locale.ROOT, "sweep-%05d", index);
        Case kase = new Case(name, Path.of(name, "case.json"), "convlab sweep, seed " + seed + ", configuration " + index,
                input, layout, List.of(new Case.Step(layer, WeightsLayout.OIHW, null, null)));
        return new Sample(kase, f, s);
    }

    /** SplitMix64's finaliser: neighbouring indices get unrelated seeds (java.util.Random's first draws correlate). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The features of the window every conv-like op shares: stride, dilation, and the padding's form. */
    static void windowFeatures(List<String> f, Hw stride, Hw dilation, Padding padding) {
        add(f, stride.h() > 1 || stride.w() > 1, "stride > 1");
        add(f, dilation.h() > 1 || dilation.w() > 1, "dilation > 1");
        add(f, padding instanceof Padding.Valid, "padding valid");
        add(f, padding.equals(Padding.same()), "padding same");
        add(f, padding.equals(Padding.sameLower()), "padding same_lower");
    }

    /** The features of the data and what follows the sum: batch, bias, activation, layout, element type. */
    static void dataFeatures(List<String> f, int n, boolean bias, Activation act, Layout layout, DType dtype) {
        add(f, n > 1, "batch > 1");
        add(f, !bias, "no bias");
        add(f, act != Activation.NONE, "activation");
        add(f, layout == Layout.NHWC, "NHWC");
        add(f, dtype == DType.FLOAT32, "float32");
    }

    static void add(List<String> features, boolean when, String feature) {
        if (when) {
            features.add(feature);
        }
    }

    private static int pick(Random r, int... values) {
        return values[r.nextInt(values.length)];
    }
}
