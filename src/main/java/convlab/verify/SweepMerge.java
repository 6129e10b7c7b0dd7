package convlab.verify;

import convlab.io.AtomicFiles;
import convlab.io.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Combines the shards of a sweep ({@link Sweep.Shard}) into the result the whole sweep would have had: the matrices
 * add up, and the failure folders are chosen again, in index order, among the shards' folders. That is enough: a
 * failure the whole sweep gives a folder has one in its shard too (its shard saw fewer failures of each feature
 * before it), and a failure without a folder never changes which later ones get one. The failures left without a
 * folder are counted from each shard's failures and its own count of those without.
 */
public final class SweepMerge {

    private SweepMerge() {
    }

    /** One shard's result, read from {@code report} (named in messages); its failures' folders are where they are now. */
    public record Part(Path report, Sweep.Result result) {
    }

    /**
     * The whole sweep from every one of its shards, each given once: refuses (one line naming the report and the
     * field) shards of different sweeps (op, seed, count, gradients, engines, number of shards), unfinished shards,
     * a shard given twice and a missing shard. Copies the chosen failure folders to {@code out/failures/} (their
     * {@code diagnosis.txt} naming the new folder) after every check has passed.
     */
    public static Sweep.Result merge(List<Part> parts, Path out) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("sweep merge: expected at least one shard's folder, but found none");
        }
        Part base = parts.get(0);
        Sweep.Plan plan = base.result().plan();
        Map<Integer, Part> byShard = new TreeMap<>();
        for (Part p : parts) {
            check(p, base);
            Part twin = byShard.putIfAbsent(p.result().plan().shard().k(), p);
            if (twin != null) {
                throw new InvalidInputException(p.report(), "shard", "expected each shard once, but found " + p.result().plan().shard()
                        + " again (also in " + twin.report() + ")");
            }
        }
        int n = plan.shard().n();
        List<String> missing = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            if (!byShard.containsKey(k)) {
                missing.add(k + "/" + n);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("sweep merge: expected all " + n + " shards of the sweep (seed " + plan.seed() + ", "
                    + plan.count() + " configurations), but " + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " missing; given: " + byShard.values().stream().map(p -> p.result().plan().shard() + " " + p.report())
                    .collect(Collectors.joining(", ")));
        }
        List<String> engines = base.result().engines();
        SweepMatrix matrix = new SweepMatrix(engines, plan.features());
        Map<String, Integer> failed = new LinkedHashMap<>();
        List<Sweep.Failure> candidates = new ArrayList<>();
        long nanos = 0;
        for (Part p : byShard.values()) {
            Sweep.Result r = p.result();
            matrix.addAll(r.matrix());
            nanos += r.nanos();
            r.unwritten().forEach((f, c) -> failed.merge(f, c, Integer::sum));
            for (Sweep.Failure f : r.failures()) {
                f.features().forEach(x -> failed.merge(x, 1, Integer::sum));
                candidates.add(f);
            }
        }
        candidates.sort(Comparator.comparingInt(Sweep.Failure::index));
        Map<String, Integer> folders = new LinkedHashMap<>();
        List<Sweep.Failure> chosen = candidates.stream().filter(f -> Sweep.wantsFolder(f.features(), folders)).toList();
        Map<String, Integer> unwritten = new LinkedHashMap<>();
        failed.forEach((f, c) -> unwritten.put(f, c - folders.getOrDefault(f, 0)));
        for (Sweep.Failure f : chosen) {
            for (String file : List.of("case.json", "diagnosis.txt")) {
                if (!Files.isRegularFile(f.folder().resolve(file))) {
                    throw new InvalidInputException(f.folder().resolve(file), "no such file; expected the failure folder the shard's report names");
                }
            }
        }
        AtomicFiles.directory(out);
        List<Sweep.Failure> moved = new ArrayList<>();
        for (Sweep.Failure f : chosen) {
            moved.add(copy(f, out.resolve("failures").resolve(f.name()), plan.seed()));
        }
        return new Sweep.Result(plan.whole(), plan.count(), engines, matrix, moved, unwritten, nanos);
    }

    /** Refuses a part that is not a finished shard of the same sweep as {@code base}, naming its report and the field. */
    private static void check(Part p, Part base) {
        Sweep.Result r = p.result();
        Sweep.Plan a = base.result().plan();
        Sweep.Plan b = r.plan();
        same(p, base, "op", a.op(), b.op());
        same(p, base, "seed", a.seed(), b.seed());
        same(p, base, "shard.sweepCount", a.count(), b.count());
        same(p, base, "gradients", a.gradients(), b.gradients());
        same(p, base, "shard.n", a.shard().n(), b.shard().n());
        same(p, base, "matrix", "engines " + base.result().engines(), "engines " + r.engines());
        if (!r.finished()) {
            throw new InvalidInputException(p.report(), "finished", "expected a finished shard, but found a partial report (" + r.count()
                    + " of " + r.planned() + " configurations); run the shard again");
        }
    }

    private static void same(Part p, Part base, String field, Object expected, Object found) {
        if (!expected.equals(found)) {
            throw new InvalidInputException(p.report(), field, "expected " + expected + " as in " + base.report() + " (shards of one sweep), but found "
                    + found);
        }
    }

    /** Copies a failure folder's files to {@code to}; its diagnosis's reproduce lines name {@code to}. */
    private static Sweep.Failure copy(Sweep.Failure f, Path to, long seed) {
        String diagnosis = "";
        try (Stream<Path> files = Files.walk(f.folder())) {
            for (Path src : files.filter(Files::isRegularFile).sorted().toList()) {
                Path target = to.resolve(f.folder().relativize(src).toString());
                if (src.getFileName().toString().equals("diagnosis.txt") && src.getParent().equals(f.folder())) {
                    diagnosis = Files.readString(src, StandardCharsets.UTF_8).lines()
                            .map(l -> l.startsWith(Sweep.REPRODUCE_GRADIENTS) ? Sweep.REPRODUCE_GRADIENTS + seed + " " + to : l)
                            .collect(Collectors.joining("\n", "", "\n"));
                    AtomicFiles.writeString(target, diagnosis);
                } else {
                    AtomicFiles.write(target, o -> Files.copy(src, o));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidInputException(f.folder(), "cannot be read: " + e.getMessage());
        }
        return f.movedTo(to, diagnosis);
    }
}
