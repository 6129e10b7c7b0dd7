package convlab.verify;

import convlab.core.Describe;
import convlab.core.Names;
import convlab.core.Op;
import convlab.core.Tap;
import convlab.engine.Engine;
import convlab.io.AtomicFiles;
import convlab.io.Case;
import convlab.io.CaseWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * Runs N sampled configurations through the reference and every engine, tallies agree / disagree / error /
 * unsupported per engine and feature, and writes disagreements and errors as case folders under {@code failures/}
 * that {@code convlab verify} reproduces, with a {@code diagnosis.txt} beside each: at most
 * {@link #FOLDERS_PER_FEATURE} per feature, the rest counted.
 */
public final class Sweep {

    private Sweep() {
    }

    /** One failing configuration (the {@code index}-th of the sweep): which engines failed how, and what the diagnosis found. */
    public record Failure(int index, String name, List<String> features, Map<String, String> engines, String diagnosis, Path folder) {
        /** The same failure, its folder moved to {@code folder} with {@code diagnosis} the text of its {@code diagnosis.txt}. */
        public Failure movedTo(Path folder, String diagnosis) {
            return new Failure(index, name, features, engines, diagnosis, folder);
        }
    }

    /**
     * The {@code k}-th of {@code n} slices of a sweep, 1-based: {@code 1/4} .. {@code 4/4}. The slices are contiguous
     * ranges of configuration indices, {@code [(k-1)*count/n, k*count/n)}, so together they are the whole sweep, and
     * configuration {@code i} is the same whichever slice draws it (the samplers derive it from the seed and {@code i}).
     */
    public record Shard(int k, int n) {
        /** The whole sweep. */
        public static final Shard ALL = new Shard(1, 1);

        public Shard {
            if (n < 1 || k < 1 || k > n) {
                throw new IllegalArgumentException("expected K/N with 1 <= K <= N, but found " + k + "/" + n);
            }
        }

        /** {@code 2/4}; the message of a bad one says what was expected and what was found. */
        public static Shard parse(String s) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})/(\\d{1,9})").matcher(s.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("expected K/N with 1 <= K <= N (for example 2/4), but found \"" + s + "\"");
            }
            return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }

        /** The first configuration index of this slice of {@code count}. */
        public int first(int count) {
            return (int) ((k - 1L) * count / n);
        }

        /** One past the last configuration index of this slice of {@code count}. */
        public int end(int count) {
            return (int) ((long) k * count / n);
        }

        @Override
        public String toString() {
            return k + "/" + n;
        }
    }

    /**
     * What a sweep draws: {@code count} configurations of {@code sweep}'s op from {@code seed}, with or without their
     * backward pass, of which this run takes the slice {@code shard}. Two runs with the same plan but their shard draw
     * the same configurations.
     */
    public record Plan(SweepOp sweep, long seed, int count, boolean gradients, Shard shard) {
        public Plan {
            if (sweep == null || shard == null) {
                throw new IllegalArgumentException("Expected an op's sweep and a shard, but found " + sweep + ", " + shard);
            }
            if (count < 1) {
                throw new IllegalArgumentException("expected a count >= 1, but found " + count);
            }
            if (shard.n() > count) {
                throw new IllegalArgumentException("expected at most as many shards as configurations (" + count + "), but found " + shard);
            }
        }

        public int first() {
            return shard.first(count);
        }

        public int end() {
            return shard.end(count);
        }

        /** How many configurations this slice holds. */
        public int size() {
            return end() - first();
        }

        /** The same sweep, whole. */
        public Plan whole() {
            return new Plan(sweep, seed, count, gradients, Shard.ALL);
        }

        /** The op swept. */
        public Op op() {
            return sweep.op();
        }

        /** The features a sweep of this op tallies, in report order. */
        public List<String> features() {
            return sweep.features();
        }
    }

    /** At most this many failure folders are written per feature; the failures past that are counted, not written. */
    public static final int FOLDERS_PER_FEATURE = 3;

    /**
     * A sweep's counts: engine -> feature -> status -> count, the failures written as folders, and how many more
     * failed per feature without a folder. {@code count} configurations finished of the {@code planned}.
     */
    public record Result(Plan plan, int count, List<String> engines, SweepMatrix matrix,
                         List<Failure> failures, Map<String, Integer> unwritten, long nanos) {
        /** Keeps {@code unwritten} in the features' order, whatever order the failures came in. */
        public Result {
            Map<String, Integer> ordered = new LinkedHashMap<>();
            for (String f : plan.features()) {
                if (unwritten.getOrDefault(f, 0) > 0) {
                    ordered.put(f, unwritten.get(f));
                }
            }
            unwritten = java.util.Collections.unmodifiableMap(ordered);
        }

        public long seed() {
            return plan.seed();
        }

        /** How many configurations this run (its shard) was to do. */
        public int planned() {
            return plan.size();
        }

        public int count(String engine, String feature, Outcome outcome) {
            return matrix.count(engine, feature, outcome);
        }

        /** Failures that got no folder (their feature already had {@link #FOLDERS_PER_FEATURE}). */
        public int unwrittenTotal() {
            return unwritten.getOrDefault("all", 0);
        }

        public boolean finished() {
            return count == planned();
        }

        /** The features tallied, in report order (the sampler's). */
        public List<String> features() {
            return engines.isEmpty() ? List.of() : matrix.features(engines.get(0));
        }
    }

    public static Result run(long seed, int count, List<Engine> engines, Path out, IntConsumer progress) {
        return run(SweepSampler.OP, seed, count, engines, out, progress, r -> { }, Long.MAX_VALUE, false);
    }

    /** The column of an engine's backward pass in the matrix: {@code nd4j grad}. */
    public static String gradColumn(String engine) {
        return engine + " grad";
    }

    /** A conv2d sweep, with {@code gradients} each configuration's backward pass too ({@link #gradColumn}). */
    public static Result run(long seed, int count, List<Engine> engines, Path out, IntConsumer progress, boolean gradients) {
        return run(SweepSampler.OP, seed, count, engines, out, progress, r -> { }, Long.MAX_VALUE, gradients);
    }

    /** A sweep of one op's configurations, with no partial reports. */
    public static Result run(SweepOp op, long seed, int count, List<Engine> engines, Path out, IntConsumer progress) {
        return run(op, seed, count, engines, out, progress, r -> { }, Long.MAX_VALUE, false);
    }

    /** A conv2d sweep (every 4th configuration a pooling layer), handing {@code partial} results as they arrive. */
    public static Result run(long seed, int count, List<Engine> engines, Path out, IntConsumer progress,
                             Consumer<Result> partial, long everyNanos) {
        return run(SweepSampler.OP, seed, count, engines, out, progress, partial, everyNanos, false);
    }

    /**
     * Runs a sweep of one op's configurations (each op has its own sampler and features), handing {@code partial} a
     * result of what has finished every {@code everyNanos} (and the final result at the end), so a report can be
     * written as results arrive and an interrupted sweep still leaves one. With {@code gradients}, every
     * configuration's backward pass too, from a random dL/dy drawn from {@code seed} ({@link Verifier#withGradients}),
     * tallied in one more column per engine ({@link #gradColumn}).
     */
    public static Result run(SweepOp op, long seed, int count, List<Engine> engines, Path out, IntConsumer progress,
                             Consumer<Result> partial, long everyNanos, boolean gradients) {
        return run(new Plan(op, seed, count, gradients, Shard.ALL), engines, out, progress, partial, everyNanos);
    }

    /**
     * Runs the configurations of {@code plan}'s shard (indices {@link Plan#first} to {@link Plan#end}), as
     * {@link #run(SweepOp, long, int, List, Path, IntConsumer, Consumer, long, boolean)} runs a whole sweep; {@code progress}
     * counts the configurations this run has done. The failure folders are chosen as the whole sweep would choose
     * them among this shard's configurations, so {@link SweepMerge} can choose the whole sweep's among them.
     */
    public static Result run(Plan plan, List<Engine> engines, Path out, IntConsumer progress, Consumer<Result> partial, long everyNanos) {
        long seed = plan.seed();
        boolean gradients = plan.gradients();
        IntFunction<SweepSampler.Sample> sampler = index -> plan.sweep().sample(seed, index);
        List<String> features = plan.features();
        long start = System.nanoTime();
        Verifier verifier = gradients ? new Verifier(engines).withGradients(seed) : new Verifier(engines);
        List<String> columns = new ArrayList<>();
        for (Engine e : engines) {
            columns.add(e.name());
            if (gradients) {
                columns.add(gradColumn(e.name()));
            }
        }
        SweepMatrix matrix = new SweepMatrix(columns, features);
        List<Failure> failures = new ArrayList<>();
        Map<String, Integer> folders = new LinkedHashMap<>();
        Map<String, Integer> unwritten = new LinkedHashMap<>();
        List<String> names = columns;
        long lastPartial = System.nanoTime();
        int first = plan.first();
        int size = plan.size();
        for (int i = first; i < plan.end(); i++) {
            SweepSampler.Sample sample = sampler.apply(i);
            CaseResult r = verifier.verify(sample.kase());
            CaseResult.LayerCheck layer = r.layers().get(0);
            Map<String, String> failed = new LinkedHashMap<>();
            for (CaseResult.EngineCheck e : layer.engines()) {
                for (String f : sample.features()) {
                    matrix.add(e.engine(), f, e.outcome());
                }
                if (e.outcome() == Outcome.DISAGREE) {
                    failed.put(e.engine(), Outcome.DISAGREE + ": " + e.vsReference().summary());
                } else if (e.outcome() == Outcome.ERROR) {
                    failed.put(e.engine(), Outcome.ERROR + ": " + e.run().message());
                }
            }
            if (r.gradients() != null) {
                for (GradientResult.EngineGradients e : r.gradients().layers().get(0).engines()) {
                    for (String f : sample.features()) {
                        matrix.add(gradColumn(e.engine()), f, Names.parse(Outcome.values(), e.status()));
                    }
                    if (e.status().equals("disagree")) {
                        StringBuilder why = new StringBuilder("disagree:");
                        e.vsReference().forEach((k, c) -> {
                            if (!c.agree()) {
                                why.append(" ").append(k).append(" ").append(c.summary()).append(";");
                            }
                        });
                        failed.put(gradColumn(e.engine()), why.toString());
                    } else if (e.status().equals("error")) {
                        failed.put(gradColumn(e.engine()), "error: " + e.run().message());
                    }
                }
            }
            if (!failed.isEmpty()) {
                if (wantsFolder(sample.features(), folders)) {
                    failures.add(writeFailure(i, sample, layer, failed, out.resolve("failures").resolve(sample.kase().name()), seed));
                } else {
                    sample.features().forEach(f -> unwritten.merge(f, 1, Integer::sum));
                }
            }
            int done = i + 1 - first;
            progress.accept(done);
            if (System.nanoTime() - lastPartial >= everyNanos && done < size) {
                partial.accept(new Result(plan, done, names, matrix.copy(), List.copyOf(failures), unwritten, System.nanoTime() - start));
                lastPartial = System.nanoTime();
            }
        }
        Result done = new Result(plan, size, names, matrix, failures, unwritten, System.nanoTime() - start);
        partial.accept(done);
        return done;
    }

    /**
     * Whether a failure with these features gets a folder, given how many folders each feature has so far (then
     * counted in {@code folders}): yes while any of its own features (all but the first, "all", unless that is the
     * only one) has fewer than {@link #FOLDERS_PER_FEATURE}. A failure the whole sweep gives a folder also gets one
     * in any shard that draws it, since a shard has seen fewer failures of that feature.
     */
    static boolean wantsFolder(List<String> features, Map<String, Integer> folders) {
        List<String> specific = features.size() > 1 ? features.subList(1, features.size()) : features;
        if (specific.stream().noneMatch(f -> folders.getOrDefault(f, 0) < FOLDERS_PER_FEATURE)) {
            return false;
        }
        features.forEach(f -> folders.merge(f, 1, Integer::sum));
        return true;
    }

    /** The line of a diagnosis that says how to reproduce a gradient failure, up to its folder. */
    static final String REPRODUCE_GRADIENTS = "  reproduce: convlab verify --gradients --gradient-seed ";

    private static Failure writeFailure(int index, SweepSampler.Sample sample, CaseResult.LayerCheck layer,
                                        Map<String, String> failed, Path dir, long seed) {
        Case c = sample.kase();
        CaseWriter.write(c, dir);
        StringBuilder d = new StringBuilder();
        d.append(c.name()).append(": ").append(Describe.layer(layer.geometry(), layer.layer())).append(", input ").append(c.input().shapeString())
                .append(layer.layer().weights() == null ? "" : ", weights " + layer.layer().weights().shapeString()).append(", ").append(c.input().dtype())
                .append(", layout ").append(c.layout()).append("\nfeatures: ").append(String.join(", ", sample.features())).append("\n\n");
        for (CaseResult.EngineCheck e : layer.engines()) {
            if (!failed.containsKey(e.engine())) {
                continue;
            }
            d.append(e.engine()).append(": ").append(failed.get(e.engine())).append("\n");
            if (e.vsReference() != null && !e.vsReference().worst().isEmpty()) {
                List<Integer> w = e.vsReference().worst();
                d.append("  worst element ").append(e.vsReference().where()).append(": engine ").append(e.vsReference().worstActual())
                        .append(", reference ").append(e.vsReference().worstExpected()).append("\n  the reference summed these taps (channel, row, column of the padded input; weight):\n");
                for (Tap t : layer.layer().taps(c.input(), w.get(0), w.get(1), w.get(2), w.get(3))) {
                    d.append(String.format(Locale.ROOT, "    c=%d ih=%d iw=%d%s x=%.6g w=%.6g%n", t.c(), t.ih(), t.iw(), t.padding() ? " (padding)" : "", t.x(), t.w()));
                }
                if (!e.diagnosis().isEmpty()) { // the verifier probed it
                    d.append("  probe: ").append(e.diagnosis()).append("\n");
                    failed.put(e.engine(), failed.get(e.engine()) + " — " + e.diagnosis());
                }
            }
        }
        for (Map.Entry<String, String> f : failed.entrySet()) {
            if (f.getKey().endsWith(" grad")) {
                d.append(f.getKey()).append(": ").append(f.getValue()).append("\n").append(REPRODUCE_GRADIENTS)
                        .append(seed).append(" ").append(dir).append("\n");
            }
        }
        AtomicFiles.writeString(dir.resolve("diagnosis.txt"), d.toString());
        return new Failure(index, c.name(), sample.features(), failed, d.toString(), dir);
    }
}
