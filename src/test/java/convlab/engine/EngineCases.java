package convlab.engine;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded random single-layer configurations for the engine sweep. Case {@code i} of the sweep is
 * {@code EngineCases.of(i, seed)} with the seed its {@code toString} prints, so a failing case can be rebuilt alone.
 * Categories rotate with the index so that every sweep holds each padding kind, both types and every padding mode;
 * everything else (sizes, kernel, stride, dilation, groups, bias, activation) is drawn from the case's seed, and
 * only configurations the reference accepts are kept.
 */
final class EngineCases {

    static final long SWEEP_SEED = 20240611L;
    static final int SWEEP_SIZE = 40;

    private EngineCases() {
    }

    record Case(int index, long seed, Tensor input, ConvLayer layer) {
        DType dtype() {
            return input.dtype();
        }

        ConvSpec spec() {
            return layer.spec();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "#%02d seed=%d %s x=%s w=%s %s %s", index, seed, input.dtype(), input.shapeString(),
                    layer.weights().shapeString(), layer.bias() == null ? "no-bias" : "bias", layer.spec());
        }
    }

    /** The sweep: {@link #SWEEP_SIZE} cases drawn from {@link #SWEEP_SEED}. */
    static List<Case> sweep() {
        Random master = new Random(SWEEP_SEED);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < SWEEP_SIZE; i++) {
            cases.add(of(i, master.nextLong()));
        }
        return cases;
    }

    /** Case {@code index} built from {@code seed}: the index picks the categories, the seed everything else. */
    static Case of(int index, long seed) {
        Random r = new Random(seed);
        DType dtype = (index / 4) % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
        PaddingMode mode = PaddingMode.values()[(index / 8) % 4];
        for (int attempt = 0; ; attempt++) {
            int groups = r.nextInt(4) == 0 ? 2 + r.nextInt(2) : 1;
            int c = groups * (1 + r.nextInt(3));
            int o = groups * (1 + r.nextInt(3));
            int h = 1 + r.nextInt(11);
            int w = 1 + r.nextInt(11);
            int kh = 1 + r.nextInt(4);
            int kw = 1 + r.nextInt(4);
            Hw stride = new Hw(1 + r.nextInt(3), 1 + r.nextInt(3));
            Hw dilation = r.nextInt(3) == 0 ? new Hw(1 + r.nextInt(3), 1 + r.nextInt(3)) : Hw.of(1);
            Padding padding = switch (index % 4) {
                case 0 -> Padding.valid();
                case 1 -> Padding.same();
                case 2 -> Padding.of(r.nextInt(3), r.nextInt(3));
                default -> asymmetric(r);
            };
            Activation act = Activation.values()[r.nextInt(Activation.values().length)];
            ConvSpec spec = new ConvSpec(stride, dilation, padding, mode, groups, act);
            int n = 1 + r.nextInt(2);
            Tensor x = random(r, dtype, n, c, h, w);
            ConvLayer layer = new ConvLayer(random(r, dtype, o, c / groups, kh, kw), r.nextInt(4) == 0 ? null : random(r, dtype, o), spec);
            try {
                Geometry.of(x.shape(), layer);
                return new Case(index, seed, x, layer);
            } catch (Geometry.ShapeException e) {
                if (attempt > 1000) {
                    throw new IllegalStateException("Expected a valid configuration within 1000 draws for case " + index + " seed " + seed, e);
                }
            }
        }
    }

    private static Padding asymmetric(Random r) {
        while (true) {
            Padding p = Padding.explicit(r.nextInt(4), r.nextInt(4), r.nextInt(4), r.nextInt(4));
            if (!p.isSymmetric()) {
                return p;
            }
        }
    }

    /** Uniform values in [-1, 1), rounded to {@code dtype}. */
    static Tensor random(Random r, DType dtype, int... shape) {
        return Tensor.fill(dtype, shape, idx -> r.nextDouble() * 2 - 1);
    }
}
