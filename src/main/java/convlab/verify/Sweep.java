package convlab.verify;

import convlab.core.Describe;
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
import java.util.function.IntConsumer;

/**
 * Runs N sampled configurations through the reference and every engine, tallies agree / disagree / error /
 * unsupported per engine and feature, and writes every disagreement and error as a case folder under
 * {@code failures/} that {@code convlab verify} reproduces, with a {@code diagnosis.txt} beside it.
 */
public final class Sweep {

    public static final List<String> STATUSES = List.of("agree", "disagree", "error", "unsupported");

    private Sweep() {
    }

    /** One failing configuration: which engines failed how, and what the diagnosis found. */
    public record Failure(String name, List<String> features, Map<String, String> engines, String diagnosis, Path folder) {
    }

    /** A sweep's counts: engine -> feature -> status -> count, and its failures. */
    public record Result(long seed, int count, List<String> engines, Map<String, Map<String, Map<String, Integer>>> matrix,
                         List<Failure> failures, long nanos) {
        public int count(String engine, String feature, String status) {
            return matrix.get(engine).get(feature).get(status);
        }
    }

    public static Result run(long seed, int count, List<Engine> engines, Path out, IntConsumer progress) {
        return run(seed, count, engines, out, progress, false);
    }

    /** The column of an engine's backward pass in the matrix: {@code nd4j grad}. */
    public static String gradColumn(String engine) {
        return engine + " grad";
    }

    /**
     * As {@link #run(long, int, List, Path, IntConsumer)}; with {@code gradients}, every configuration's backward pass
     * too, from a random dL/dy drawn from {@code seed} ({@link Verifier#withGradients}), tallied in one more column per
     * engine ({@link #gradColumn}).
     */
    public static Result run(long seed, int count, List<Engine> engines, Path out, IntConsumer progress, boolean gradients) {
        long start = System.nanoTime();
        SweepSampler sampler = new SweepSampler(seed);
        Verifier verifier = gradients ? new Verifier(engines).withGradients(seed) : new Verifier(engines);
        List<String> columns = new ArrayList<>();
        for (Engine e : engines) {
            columns.add(e.name());
            if (gradients) {
                columns.add(gradColumn(e.name()));
            }
        }
        Map<String, Map<String, Map<String, Integer>>> matrix = new LinkedHashMap<>();
        for (String column : columns) {
            Map<String, Map<String, Integer>> byFeature = new LinkedHashMap<>();
            for (String f : SweepSampler.FEATURES) {
                Map<String, Integer> byStatus = new LinkedHashMap<>();
                STATUSES.forEach(s -> byStatus.put(s, 0));
                byFeature.put(f, byStatus);
            }
            matrix.put(column, byFeature);
        }
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SweepSampler.Sample sample = sampler.sample(i);
            CaseResult r = verifier.verify(sample.kase());
            CaseResult.LayerCheck layer = r.layers().get(0);
            Map<String, String> failed = new LinkedHashMap<>();
            for (CaseResult.EngineCheck e : layer.engines()) {
                for (String f : sample.features()) {
                    matrix.get(e.engine()).get(f).merge(e.status(), 1, Integer::sum);
                }
                if (e.status().equals("disagree")) {
                    failed.put(e.engine(), "disagree: " + e.vsReference().summary());
                } else if (e.status().equals("error")) {
                    failed.put(e.engine(), "error: " + e.run().message());
                }
            }
            if (r.gradients() != null) {
                for (GradientResult.EngineGradients e : r.gradients().layers().get(0).engines()) {
                    for (String f : sample.features()) {
                        matrix.get(gradColumn(e.engine())).get(f).merge(e.status(), 1, Integer::sum);
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
                failures.add(writeFailure(sample, layer, engines, failed, out.resolve("failures").resolve(sample.kase().name()), seed));
            }
            progress.accept(i + 1);
        }
        return new Result(seed, count, columns, matrix, failures, System.nanoTime() - start);
    }

    private static Failure writeFailure(SweepSampler.Sample sample, CaseResult.LayerCheck layer, List<Engine> engines,
                                        Map<String, String> failed, Path dir, long seed) {
        Case c = sample.kase();
        CaseWriter.write(c, dir);
        StringBuilder d = new StringBuilder();
        d.append(c.name()).append(": ").append(Describe.layer(layer.geometry(), layer.layer())).append(", input ").append(c.input().shapeString())
                .append(", weights ").append(layer.layer().weights().shapeString()).append(", ").append(c.input().dtype())
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
                Engine engine = engines.stream().filter(en -> en.name().equals(e.engine())).findFirst().orElseThrow();
                if (!layer.isConv2d()) {
                    continue;
                }
                Probe.Result p = Probe.run(engine, layer.conv(), c.input().shape());
                d.append("  probe: ").append(p.error().isEmpty() ? p.diagnosis() : "could not run: " + p.error()).append("\n");
                failed.put(e.engine(), failed.get(e.engine()) + " — " + (p.error().isEmpty() ? p.diagnosis() : p.error()));
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
