package convlab.verify;

import convlab.core.Activation;
import convlab.core.ConvTransposeGeometry;
import convlab.core.ConvTransposeLayer;
import convlab.core.ConvTransposeSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.Tensor;
import convlab.core.WeightsLayout;
import convlab.io.Case;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Draws random valid transposed-convolution configurations, as {@link SweepSampler} does for conv2d: batch, channels,
 * rectangular kernels, stride, dilation, groups and depthwise, every crop form (valid, same, same_lower, explicit),
 * output padding, output shapes (also larger than the full output), layouts, float32 and float64, activations.
 * Configuration {@code i} of seed {@code s} is always the same.
 */
public final class ConvTransposeSampler {

    private final long seed;

    public ConvTransposeSampler(long seed) {
        this.seed = seed;
    }

    /** The features a transposed sweep tallies, in the order reports show them. */
    public static final List<String> FEATURES = List.of("all", "stride > 1", "dilation > 1", "padding valid", "padding same",
            "padding same_lower", "same, stride outruns the kernel", "symmetric crop", "asymmetric crop", "output padding", "output shape",
            "output larger than full", "groups > 1", "depthwise", "rectangular kernel", "1x1 kernel", "batch > 1", "no bias",
            "activation", "NHWC", "float32");

    /** {@code sweep --op conv_transpose2d}. */
    public static final SweepOp OP = new SweepOp(convlab.core.Op.CONV_TRANSPOSE2D, FEATURES, (seed, index) -> new ConvTransposeSampler(seed).sample(index));

    public SweepSampler.Sample sample(int index) {
        long s = SweepSampler.mix(seed * 1_000_003L + index + 0x5eed_7a25L);
        Random r = new Random(s);
        while (true) {
            SweepSampler.Sample sample = draw(r, index, s);
            if (sample != null) {
                return sample;
            }
        }
    }

    private SweepSampler.Sample draw(Random r, int index, long s) {
        int groups = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
        boolean depthwise = r.nextInt(8) == 0;
        int c = depthwise ? 1 + r.nextInt(4) : groups * (1 + r.nextInt(3));
        if (depthwise) {
            groups = c;
        }
        int og = 1 + r.nextInt(depthwise ? 2 : 3);
        int n = r.nextInt(4) == 0 ? 2 : 1;
        int h = 1 + r.nextInt(7);
        int w = 1 + r.nextInt(7);
        int kh = new int[] {1, 2, 3, 3, 3, 4, 5}[r.nextInt(7)];
        int kw = r.nextInt(3) == 0 ? 1 + r.nextInt(5) : kh;
        Hw stride = r.nextInt(2) == 0 ? new Hw(1 + r.nextInt(3), 1 + r.nextInt(3)) : Hw.of(1);
        Hw dilation = r.nextInt(4) == 0 ? new Hw(1 + r.nextInt(3), 1 + r.nextInt(3)) : Hw.of(1);
        Padding padding = switch (r.nextInt(6)) {
            case 0 -> Padding.valid();
            case 1 -> Padding.same();
            case 2 -> Padding.sameLower();
            case 3 -> Padding.symmetric(r.nextInt(3));
            case 4 -> Padding.of(r.nextInt(3), r.nextInt(3));
            default -> Padding.explicit(r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3));
        };
        Hw outputPadding = r.nextInt(3) == 0 ? new Hw(r.nextInt(3), r.nextInt(3)) : Hw.of(0);
        Hw outputShape = r.nextInt(5) == 0
                ? new Hw(Math.max(1, h * stride.h() + r.nextInt(5) - 2), Math.max(1, w * stride.w() + r.nextInt(5) - 2)) : null;
        Activation act = r.nextInt(2) == 0 ? Activation.NONE : Activation.values()[1 + r.nextInt(3)];
        DType dtype = r.nextInt(3) == 0 ? DType.FLOAT32 : DType.FLOAT64;
        Layout layout = r.nextInt(3) == 0 ? Layout.NHWC : Layout.NCHW;
        boolean bias = r.nextInt(5) != 0;
        ConvTransposeSpec spec = new ConvTransposeSpec(stride, dilation, padding, outputPadding, outputShape, groups, act);
        Tensor weights = Tensor.fill(dtype, new int[] {c, og, kh, kw}, i -> r.nextGaussian());
        Tensor b = bias ? Tensor.fill(dtype, new int[] {groups * og}, i -> r.nextGaussian()) : null;
        ConvTransposeLayer layer = new ConvTransposeLayer(weights, b, spec);
        ConvTransposeGeometry g;
        try {
            g = layer.geometry(new int[] {n, c, h, w});
        } catch (Geometry.ShapeException e) {
            return null; // crops larger than the output: draw again
        }
        Tensor input = Tensor.fill(dtype, new int[] {n, c, h, w}, i -> r.nextGaussian());
        List<String> f = new ArrayList<>(List.of("all"));
        SweepSampler.windowFeatures(f, stride, dilation, padding);
        add(f, padding.isSame() && (g.fullH() - (long) h * stride.h() <= -2 || g.fullW() - (long) w * stride.w() <= -2),
                "same, stride outruns the kernel");
        add(f, padding instanceof Padding.Explicit && padding.isSymmetric() && !g.pads().isZero(), "symmetric crop");
        add(f, !g.pads().isSymmetric(), "asymmetric crop");
        add(f, !outputPadding.equals(Hw.of(0)), "output padding");
        add(f, outputShape != null, "output shape");
        add(f, g.pads().top() + (long) g.oh() > g.fullH() || g.pads().left() + (long) g.ow() > g.fullW(), "output larger than full");
        add(f, groups > 1 && groups < c, "groups > 1");
        add(f, groups > 1 && groups == c, "depthwise");
        add(f, kh != kw, "rectangular kernel");
        add(f, kh == 1 && kw == 1, "1x1 kernel");
        SweepSampler.dataFeatures(f, n, bias, act, layout, dtype);
        String name = String.format(Locale.ROOT, "sweep-convt-%05d", index);
        WeightsLayout wl = r.nextInt(3) == 0 ? WeightsLayout.HWOI : WeightsLayout.IOHW;
        Case kase = new Case(name, Path.of(name, "case.json"), "convlab sweep --op conv_transpose2d, seed " + seed + ", configuration " + index,
                input, layout, List.of(new Case.Step(layer, wl, null, null)));
        return new SweepSampler.Sample(kase, f, s);
    }

    private static void add(List<String> features, boolean when, String feature) {
        SweepSampler.add(features, when, feature);
    }
}
