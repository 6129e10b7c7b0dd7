package convlab.verify;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sweep's engine x feature matrix: for each cell, how many configurations had each {@link Outcome}. */
public final class SweepMatrix {

    /** The outcomes a sweep counts (a sampled configuration is never invalid). */
    public static final List<Outcome> COUNTED = List.of(Outcome.AGREE, Outcome.DISAGREE, Outcome.ERROR, Outcome.UNSUPPORTED);

    private final Map<String, Map<String, EnumMap<Outcome, Integer>>> cells = new LinkedHashMap<>();

    public SweepMatrix(List<String> engines, List<String> features) {
        for (String e : engines) {
            Map<String, EnumMap<Outcome, Integer>> row = new LinkedHashMap<>();
            for (String f : features) {
                EnumMap<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
                COUNTED.forEach(o -> counts.put(o, 0));
                row.put(f, counts);
            }
            cells.put(e, row);
        }
    }

    /** Counts one more configuration with {@code feature} that came to {@code outcome} on {@code engine}. */
    public void add(String engine, String feature, Outcome outcome) {
        add(engine, feature, outcome, 1);
    }

    /** Counts {@code n} more configurations with {@code feature} that came to {@code outcome} on {@code engine}. */
    public void add(String engine, String feature, Outcome outcome, int n) {
        cells.get(engine).get(feature).merge(outcome, n, Integer::sum);
    }

    /** Adds every cell of {@code other} (a matrix of the same engines and features: another shard's) to this one. */
    public void addAll(SweepMatrix other) {
        other.cells.forEach((e, row) -> row.forEach((f, counts) -> counts.forEach((o, n) -> add(e, f, o, n))));
    }

    /** How many configurations with {@code feature} came to {@code outcome} on {@code engine}. */
    public int count(String engine, String feature, Outcome outcome) {
        return cells.get(engine).get(feature).getOrDefault(outcome, 0);
    }

    /** One cell's counts, in {@link #COUNTED} order. */
    public Map<Outcome, Integer> cell(String engine, String feature) {
        return Collections.unmodifiableMap(cells.get(engine).get(feature));
    }

    public List<String> engines() {
        return List.copyOf(cells.keySet());
    }

    /** The features of an engine's row, in the sampler's order. */
    public List<String> features(String engine) {
        return List.copyOf(cells.get(engine).keySet());
    }

    /** An independent copy, for a partial report while the sweep goes on. */
    public SweepMatrix copy() {
        SweepMatrix c = new SweepMatrix(List.of(), List.of());
        cells.forEach((e, row) -> {
            Map<String, EnumMap<Outcome, Integer>> r = new LinkedHashMap<>();
            row.forEach((f, counts) -> r.put(f, new EnumMap<>(counts)));
            c.cells.put(e, r);
        });
        return c;
    }
}
