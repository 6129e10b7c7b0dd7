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

    /** One failing configuration: which engines failed how, and what the diagnosis found. */
    public record Failure(String name, List<String> features, Map<String, String> engines, String diagnosis, Path folder) {
    }

    /** At most this many failure folders are written per feature; the failures past that are counted, not written. */
    public static final int FOLDERS_PER_FEATURE = 3;

    /**
     * A sweep's counts: engine -> feature -> status -> count, the failures written as folders, and how many more
     * failed per feature without a folder. {@code count} configurations finished of the {@code planned}.
     */
    public record Result(long seed, int count, int planned, List<String> engines, SweepMatrix matrix,
                         List<Failure> failures, Map<String, Integer> unwritten, long nanos) {
        public int count(String engine, String feature, Outcome outcome) {
            return matrix.count(engine, feature, outcome);
        }

        /** Failures that got no folder (their feature already had {@link #FOLDERS_PER_FEATURE}). */
        public int unwrittenTotal() {
            return unwritten.getOrDefault("all", 0);
        }

        public boolean finished() {
            return count == planned;
        }

        /** The features tallied, in report order (the sampler's). */
        public List<String> features() {
            return engines.isEmpty() ? List.of() : matrix.features(engines.get(0));
        }
    }

    public static Result run(long seed, int count, List<Engine> engines, Path out, IntConsumer progress) {
        return run(Op.CONV2D, seed, count, engines, out, progress, r -> { }, Long.MAX_VALUE, false);
    }

    /** The column of an engine's backward pass in the matrix: {@code nd4j grad}. */
    public static String gradColumn(String engine) {
        return engine + " grad";
    }

    /** A conv2d sweep, with {@code gradients} each configuration's backward pass too ({@link #gradColumn}). */
    public static Result run(long seed, int count, List<Engine> engines, Path out, IntConsumer progress, boolean gradients) {
        return run(Op.CONV2D, seed, count, engines, out, progress, r -> { }, Long.MAX_VALUE, gradients);
    }

    /** A sweep of one op's configurations, with no partial reports. */
    public static Result run(Op op, long seed, int count, List<Engine> engines, Path out, IntConsumer progress) {
        return run(op, seed, count, engines, out, progress, r -> { }, Long.MAX_VALUE, false);
    }

    /** A conv2d sweep (every 4th configuration a pooling layer), handing {@code partial} results as they arrive. */
    public static Result run(long seed, int count, List<Engine> engines, Path out, IntConsumer progress,
                             Consumer<Result> partial, long everyNanos) {
        return run(Op.CONV2D, seed, count, engines, out, progress, partial, everyNanos, false);
    }

    /**
     * Runs a sweep of one op's configurations (each op has its own sampler and features), handing {@code partial} a
     * result of what has finished every {@code everyNanos} (and the final result at the end), so a report can be
     * written as results arrive and an interrupted sweep still leaves one. With {@code gradients}, every
     * configuration's backward pass too, from a random dL/dy drawn from {@code seed} ({@link Verifier#withGradients}),
     * tallied in one more column per engine ({@link #gradColumn}).
     */
    public static Result run(Op op, long seed, int count, List<Engine> engines, Path out, IntConsumer progress,
                             Consumer<Result> partial, long everyNanos, boolean gradients) {
        IntFunction<SweepSampler.Sample> sampler = switch (op) {
            case CONV2D -> new SweepSampler(seed)::sample;
            case MAX_POOL2D, AVG_POOL2D -> new PoolSampler(seed, op)::sample;
            case CONV_TRANSPOSE2D -> new ConvTransposeSampler(seed)::sample;
        };
        List<String> features = switch (op) {
            case CONV2D, MAX_POOL2D, AVG_POOL2D -> SweepSampler.FEATURES;
            case CONV_TRANSPOSE2D -> ConvTransposeSampler.FEATURES;
        };
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
        for (int i = 0; i < count; i++) {
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
                List<String> specific = sample.features().size() > 1 ? sample.features().subList(1, sample.features().size()) : sample.features();
                boolean wanted = specific.stream().anyMatch(f -> folders.getOrDefault(f, 0) < FOLDERS_PER_FEATURE);
                if (wanted) {
                    sample.features().forEach(f -> folders.merge(f, 1, Integer::sum));
                    failures.add(writeFailure(sample, layer, engines, failed, out.resolve("failures").resolve(sample.kase().name()), seed));
                } else {
                    sample.features().forEach(f -> unwritten.merge(f, 1, Integer::sum));
                }
            }
            progress.accept(i + 1);
            if (System.nanoTime() - lastPartial >= everyNanos && i + 1 < count) {
                partial.accept(new Result(seed, i + 1, count, names, matrix.copy(), List.copyOf(failures), Map.copyOf(unwritten),
                        System.nanoTime() - start));
                lastPartial = System.nanoTime();
            }
        }
        Result done = new Result(seed, count, count, names, matrix, failures, unwritten, System.nanoTime() - start);
        partial.accept(done);
        return done;
    }

    private static Failure writeFailure(SweepSampler.Sample sample, CaseResult.LayerCheck layer, List<Engine> engines,
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
                d.append(f.getKey()).append(": ").append(f.getValue()).append("\n  reproduce: convlab verify --gradients --gradient-seed ")
                        .append(seed).append(" ").append(dir).append("\n");
            }
        }
        AtomicFiles.writeString(dir.resolve("diagnosis.txt"), d.toString());
        return new Failure(c.name(), sample.features(), failed, d.toString(), dir);
    }
}
