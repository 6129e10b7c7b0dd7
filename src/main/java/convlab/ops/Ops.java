package convlab.ops;

import convlab.core.ConvLayer;
import convlab.core.ConvTransposeLayer;
import convlab.core.Layer;
import convlab.core.Layout;
import convlab.core.Op;
import convlab.core.PoolLayer;
import convlab.report.Explainer;
import convlab.report.PoolExplainer;
import convlab.report.TransposeExplainer;
import convlab.verify.ConvTransposeSampler;
import convlab.verify.SweepOp;
import convlab.verify.SweepSampler;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one registration point of an op outside the core: which {@link Layer} class it reads into, its sweep
 * ({@link SweepOp}: sampler and features) and its explainer. What is pure JDK (its words, backward pass, case-file
 * fields, lesson text) its {@link Layer} class and {@link Op} constant say for themselves; its engines are selected in
 * each engine. Every {@link Op} must be registered here once: the table refuses to load otherwise, and
 * {@code OpsTest} walks every op through every part.
 */
public final class Ops {

    private Ops() {
    }

    /** Explains a layer of one op on an input of {@code inputShape} (NCHW), shown in {@code layout}: the text explain prints. */
    @FunctionalInterface
    public interface Explain<L extends Layer> {
        String text(int[] inputShape, L layer, Layout layout);
    }

    /** One op's parts. */
    public static final class Parts {
        private final Op op;
        private final Class<? extends Layer> type;
        private final SweepOp sweep;
        private final Explain<Layer> explain;

        private <L extends Layer> Parts(Op op, Class<L> type, SweepOp sweep, Explain<L> explain) {
            if (op == null || type == null || sweep == null || explain == null) {
                throw new IllegalArgumentException("Expected an op, its layer class, its sweep and its explainer, but found a null for " + op);
            }
            if (sweep.op() != op) {
                throw new IllegalArgumentException("Expected " + op + "'s own sweep, but found " + sweep.op() + "'s");
            }
            this.op = op;
            this.type = type;
            this.sweep = sweep;
            this.explain = (shape, layer, layout) -> explain.text(shape, type.cast(layer), layout);
        }

        public Op op() {
            return op;
        }

        /** The class {@link Op#read} makes for this op. */
        public Class<? extends Layer> type() {
            return type;
        }

        public SweepOp sweep() {
            return sweep;
        }

        /** The explanation of {@code layer}, a layer of this op; throws {@code Geometry.ShapeException} when it cannot apply. */
        public String explain(int[] inputShape, Layer layer, Layout layout) {
            return explain.text(inputShape, layer, layout);
        }
    }

    private static final Map<Op, Parts> TABLE = table(List.of(
            register(Op.CONV2D, ConvLayer.class, SweepSampler.OP,
                    (shape, layer, layout) -> Explainer.explain(shape, layer, layout).text()),
            register(Op.CONV_TRANSPOSE2D, ConvTransposeLayer.class, ConvTransposeSampler.OP,
                    (shape, layer, layout) -> TransposeExplainer.explain(shape, layer, layout).text()),
            register(Op.MAX_POOL2D, PoolLayer.class, SweepSampler.MAX_POOL,
                    (shape, layer, layout) -> PoolExplainer.explain(shape, layer, layout).text()),
            register(Op.AVG_POOL2D, PoolLayer.class, SweepSampler.AVG_POOL,
                    (shape, layer, layout) -> PoolExplainer.explain(shape, layer, layout).text())));

    /** One op's parts: every one required. */
    public static <L extends Layer> Parts register(Op op, Class<L> type, SweepOp sweep, Explain<L> explain) {
        return new Parts(op, type, sweep, explain);
    }

    /** The table, refusing an op registered twice or not at all. */
    static Map<Op, Parts> table(List<Parts> parts) {
        Map<Op, Parts> table = new EnumMap<>(Op.class);
        for (Parts p : parts) {
            if (table.put(p.op(), p) != null) {
                throw new IllegalStateException(p.op() + " is registered twice in convlab.ops.Ops");
            }
        }
        for (Op op : Op.values()) {
            if (!table.containsKey(op)) {
                throw new IllegalStateException(op + " has no parts in convlab.ops.Ops: register its layer class, sweep and explainer there");
            }
        }
        return table;
    }

    public static Parts of(Op op) {
        return TABLE.get(op);
    }

    /** {@code op}'s sweep: what {@code sweep --op} draws. */
    public static SweepOp sweep(Op op) {
        return of(op).sweep();
    }
}
