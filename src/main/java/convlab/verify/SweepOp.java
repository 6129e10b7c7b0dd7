package convlab.verify;

import convlab.core.Op;
import java.util.List;

/**
 * One op's share of a sweep: the configurations it draws and the features they are tallied by (the rows of the
 * sweep's matrix, in report order, "all" first). {@code convlab.ops.Ops} names each op's; a {@link Sweep.Plan}
 * carries the one it sweeps.
 */
public record SweepOp(Op op, List<String> features, Sampler sampler) {

    public SweepOp {
        if (op == null || features == null || sampler == null || features.isEmpty() || !features.get(0).equals("all")) {
            throw new IllegalArgumentException("Expected an op, its features (\"all\" first) and its sampler, but found " + op + ", " + features);
        }
        features = List.copyOf(features);
    }

    /** Configuration {@code index} of seed {@code seed}: always the same for the same seed and index. */
    @FunctionalInterface
    public interface Sampler {
        SweepSampler.Sample sample(long seed, int index);
    }

    public SweepSampler.Sample sample(long seed, int index) {
        return sampler.sample(seed, index);
    }

    @Override
    public String toString() {
        return "SweepOp(" + op + ")";
    }
}
