package convlab.verify;

import convlab.core.Activation;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Op;
import convlab.core.Padding;
import convlab.core.PoolGeometry;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import convlab.core.Tensor;
import convlab.io.Case;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The pooling share of {@link SweepSampler}: random max and average pooling layers (windows up to 4x4, stride,
 * dilation for max, every padding form with pads up to half the window, ceil mode, countIncludePad both ways,
 * layouts, float32 and float64, activations), with the features they exercise. As an instance, the sampler of
 * {@code sweep --op max_pool2d} or {@code avg_pool2d}: every configuration of that one op.
 */
public final class PoolSampler {

    /** The features only pooling samples have, after {@link SweepSampler}'s own. */
    static final List<String> FEATURES = List.of("max pooling", "average pooling", "ceil mode", "padding not counted");

    private final long seed;
    private final Op op;

    /** Configurations of {@code op} (max_pool2d or avg_pool2d) only. */
    public PoolSampler(long seed, Op op) {
        if (op != Op.MAX_POOL2D && op != Op.AVG_POOL2D) {
            throw new IllegalArgumentException("Expected max_pool2d or avg_pool2d, but found " + op);
        }
        this.seed = seed;
        this.op = op;
    }

    /** Configuration {@code index}: always the same for the same seed and op. */
    public SweepSampler.Sample sample(int index) {
        long s = SweepSampler.mix(seed * 1_000_003L + index + (op == Op.MAX_POOL2D ? 0x9e37_79b9L : 0x7f4a_7c15L));
        Random r = new Random(s);
        String name = String.format(java.util.Locale.ROOT, "sweep-%s-%05d", op == Op.MAX_POOL2D ? "maxpool" : "avgpool", index);
        while (true) {
            SweepSampler.Sample sample = draw(r, name, "convlab sweep --op " + op + ", seed " + seed + ", configuration " + index, s, op);
            if (sample != null) {
                return sample;
            }
        }
    }

    /** A valid pooling sample (max or average by a coin), or null when the draw is impossible (the caller draws again). */
    static SweepSampler.Sample draw(Random r, String name, String source, long s) {
        return draw(r, name, source, s, null);
    }

    private static SweepSampler.Sample draw(Random r, String name, String source, long s, Op only) {
        boolean coin = r.nextBoolean();
        boolean max = only == null ? coin : only == Op.MAX_POOL2D;
        int kh = 1 + r.nextInt(4);
        int kw = r.nextInt(3) == 0 ? 1 + r.nextInt(4) : kh;
        Hw kernel = new Hw(kh, kw);
        Hw stride = r.nextInt(3) == 0 ? new Hw(1 + r.nextInt(3), 1 + r.nextInt(3)) : kernel;
        Hw dilation = max && r.nextInt(4) == 0 ? new Hw(1 + r.nextInt(2), 1 + r.nextInt(2)) : Hw.of(1);
        Padding padding = switch (r.nextInt(5)) {
            case 0 -> Padding.valid();
            case 1 -> Padding.same();
            case 2 -> Padding.symmetric(r.nextInt(Math.min(kh, kw) / 2 + 1));
            case 3 -> Padding.of(r.nextInt(kh / 2 + 1), r.nextInt(kw / 2 + 1));
            default -> Padding.explicit(r.nextInt(kh / 2 + 1), r.nextInt(kh / 2 + 1), r.nextInt(kw / 2 + 1), r.nextInt(kw / 2 + 1));
        };
        boolean ceil = r.nextInt(3) == 0;
        boolean include = max || r.nextBoolean();
        Activation act = r.nextInt(3) == 0 ? Activation.values()[1 + r.nextInt(3)] : Activation.NONE;
        DType dtype = r.nextInt(3) == 0 ? DType.FLOAT32 : DType.FLOAT64;
        Layout layout = r.nextInt(3) == 0 ? Layout.NHWC : Layout.NCHW;
        int n = r.nextInt(4) == 0 ? 2 : 1;
        int c = 1 + r.nextInt(3);
        int h = 3 + r.nextInt(10);
        int w = 3 + r.nextInt(10);
        PoolLayer layer = new PoolLayer(max ? Op.MAX_POOL2D : Op.AVG_POOL2D, new PoolSpec(kernel, stride, padding, dilation, ceil, include, act));
        PoolGeometry g;
        try {
            g = layer.geometry(new int[] {n, c, h, w});
        } catch (Geometry.ShapeException e) {
            return null;
        }
        Tensor input = Tensor.fill(dtype, new int[] {n, c, h, w}, i -> r.nextGaussian());
        List<String> f = new ArrayList<>(List.of("all"));
        add(f, stride.h() > 1 || stride.w() > 1, "stride > 1");
        add(f, dilation.h() > 1 || dilation.w() > 1, "dilation > 1");
        add(f, padding instanceof Padding.Valid, "padding valid");
        add(f, padding.equals(Padding.same()), "padding same");
        add(f, padding.isSame() && (stride.h() == 2 || stride.w() == 2), "same with stride 2");
        add(f, padding instanceof Padding.Explicit && padding.isSymmetric() && !g.pads().isZero(), "symmetric padding");
        add(f, !g.pads().isSymmetric(), "asymmetric padding");
        add(f, kh != kw, "rectangular kernel");
        add(f, kh % 2 == 0 || kw % 2 == 0, "even kernel");
        add(f, kh == 1 && kw == 1, "1x1 kernel");
        add(f, n > 1, "batch > 1");
        add(f, act != Activation.NONE, "activation");
        add(f, layout == Layout.NHWC, "NHWC");
        add(f, dtype == DType.FLOAT32, "float32");
        f.add(max ? "max pooling" : "average pooling");
        add(f, ceil, "ceil mode");
        add(f, !max && !include && !g.pads().isZero(), "padding not counted");
        Case kase = new Case(name, Path.of(name, "case.json"), source, input, layout, List.of(new Case.Step(layer, null, null, null)));
        return new SweepSampler.Sample(kase, f, s);
    }

    private static void add(List<String> features, boolean when, String feature) {
        if (when) {
            features.add(feature);
        }
    }
}
