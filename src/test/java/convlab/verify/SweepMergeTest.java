package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.Layer;
import convlab.core.Op;
import convlab.core.Tensor;
import convlab.engine.Engine;
import convlab.engine.LayerRun;
import convlab.io.InvalidInputException;
import convlab.ops.Ops;
import convlab.report.RunInfo;
import convlab.report.SweepReport;
import convlab.report.SweepShards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sharded sweeps (issue 15): N shards merged are the unsharded sweep, matrix, counts, failure folders and all. The
 * engines are fakes that agree, disagree, fail and decline by the input's shape, so there are many failures of many
 * features and the choice of folders (at most 3 per feature) matters, and no ND4J starts.
 */
class SweepMergeTest {

    @TempDir
    Path dir;

    /** Disagrees on batches of 2, errors on one channel, cannot take three channels, agrees otherwise. */
    static final class ByShape implements Engine {
        @Override
        public String name() {
            return "by-shape";
        }

        @Override
        public String description() {
            return "agrees, disagrees, errors or declines by the input's shape";
        }

        @Override
        public List<LayerRun> run(Tensor input, List<? extends Layer> layers) {
            Tensor out = layers.get(0).forward(input).activated();
            LayerRun r = input.dim(0) == 2 ? LayerRun.ok(out.map(x -> x + 1), out.dtype(), List.of(), 0)
                    : input.dim(1) == 1 ? LayerRun.error("one channel", 0)
                    : input.dim(1) == 3 ? LayerRun.unsupported("three channels") : LayerRun.ok(out, out.dtype(), List.of(), 0);
            return List.of(r);
        }
    }

    private static final RunInfo INFO = new RunInfo("test", "no framework engines run", "17", "today", List.of(), "convlab sweep");

    @ParameterizedTest(name = "{0} shards of {1} {2} configurations, seed {3}")
    @CsvSource({"1, 199, conv2d, 7", "2, 199, conv2d, 7", "3, 199, conv2d, 7", "7, 199, conv2d, 7", "3, 100, conv_transpose2d, 2"})
    void nShardsMergedAreTheUnshardedSweep(int n, int count, String op, long seed) throws IOException {
        List<Engine> engines = List.of(new SweepBoundsTest.AlwaysFails(), new ByShape());
        Op o = Op.parse(op);
        Path whole = dir.resolve("whole");
        Sweep.Result unsharded = Sweep.run(new Sweep.Plan(Ops.sweep(o), seed, count, false, Sweep.Shard.ALL), engines, whole, i -> { }, r -> { }, Long.MAX_VALUE);
        List<Path> shardDirs = new ArrayList<>();
        for (int k = n; k >= 1; k--) { // any order
            Path d = dir.resolve("shard-" + k);
            Sweep.Result r = Sweep.run(new Sweep.Plan(Ops.sweep(o), seed, count, false, new Sweep.Shard(k, n)), engines, d, i -> { }, x -> { }, Long.MAX_VALUE);
            assertThat(r.planned()).as("shard %d/%d of %d (seed %d)", k, n, count, seed).isBetween(count / n, count / n + 1);
            new SweepReport(INFO, r).writeAll(d);
            shardDirs.add(d);
        }
        Path merged = dir.resolve("merged");
        Sweep.Result m = SweepMerge.merge(SweepShards.read(shardDirs, Ops::sweep).parts(), merged);

        assertThat(unsharded.unwrittenTotal()).as("seed %d: some failures have no folder, so the choice of folders is tested", seed).isPositive();
        assertThat(m.failures().stream().map(Sweep.Failure::name).toList()).as("seed %d", seed)
                .isEqualTo(unsharded.failures().stream().map(Sweep.Failure::name).toList());
        assertThat(m.unwritten()).isEqualTo(unsharded.unwritten());
        assertThat(comparable(new SweepReport(INFO, m).json(), merged)).as("the merged report.json, seed %d", seed)
                .isEqualTo(comparable(new SweepReport(INFO, unsharded).json(), whole));
        assertThat(files(merged.resolve("failures"), merged)).as("failure folders, seed %d", seed).isEqualTo(files(whole.resolve("failures"), whole));
    }

    /** A report's JSON without its timing, its folder written as OUT. */
    private static String comparable(String json, Path out) {
        return json.replaceAll("\"seconds\" : [^,\\n]*", "").replace(out.toString(), "OUT");
    }

    /** Every file under {@code root} and its text, the folder written as OUT. */
    private static Map<String, String> files(Path root, Path out) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1).replace(out.toString(), "OUT"));
            }
        }
        return m;
    }

    @ParameterizedTest(name = "shard {0}")
    @CsvSource({"5/4", "0/4", "1/0", "-1/2", "2", "a/b", "2/4/6"})
    void aBadShardSaysWhatItExpected(String s) {
        assertThatThrownBy(() -> Sweep.Shard.parse(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected K/N with 1 <= K <= N").hasMessageContaining(s.replace("\"", ""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "another seed | 2 | 10 | conv2d | 2 | field 'seed': expected 1 as in",
            "another count | 1 | 11 | conv2d | 2 | field 'shard.sweepCount': expected 10 as in",
            "another op | 1 | 10 | conv_transpose2d | 2 | field 'op': expected conv2d as in",
            "another number of shards | 1 | 10 | conv2d | 3 | field 'shard.n': expected 2 as in"})
    void shardsOfDifferentSweepsAreRefusedNamingTheReportAndField(String what, long seed, int count, String op, int n, String message) {
        Path a = shard(1, 10, "conv2d", 1, 2, "a");
        Path b = shard(seed, count, op, 2, n, "b");
        assertThatThrownBy(() -> SweepMerge.merge(SweepShards.read(List.of(a, b), Ops::sweep).parts(), dir.resolve("m")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith(b.resolve("report.json") + ": " + message);
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @org.junit.jupiter.api.Test
    void aShardGivenTwiceOrMissingIsRefused() {
        Path a = shard(1, 10, "conv2d", 1, 3, "a");
        Path b = shard(1, 10, "conv2d", 2, 3, "b");
        assertThatThrownBy(() -> SweepMerge.merge(SweepShards.read(List.of(a, b, a), Ops::sweep).parts(), dir.resolve("m")))
                .hasMessage(a.resolve("report.json") + ": field 'shard': expected each shard once, but found 1/3 again (also in "
                        + a.resolve("report.json") + ")");
        assertThatThrownBy(() -> SweepMerge.merge(SweepShards.read(List.of(b, a), Ops::sweep).parts(), dir.resolve("m")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sweep merge: expected all 3 shards of the sweep (seed 1, 10 configurations), but 3/3 is missing");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a failure named out of its folder | \"name\" : \"sweep-00001\" | \"name\" : \"../../evil\" | field 'failures[1].name': expected letters",
            "an unfinished shard | \"count\" : 5, | \"count\" : 4, | field 'finished': expected a finished shard, but found a partial report (4 of 5",
            "an index outside the shard | \"index\" : 1, | \"index\" : 7, | field 'failures[1].index': expected an index from 0 to 4 (shard 1/2)",
            "a feature of another op | \"all\", | \"output padding\", | field 'failures[0].features': expected features of a conv2d sweep",
            "no shard (an older report) | \"shard\" : { | \"slice\" : { | field 'shard': expected an object, but found none"})
    void aDamagedShardReportIsRefusedNamingTheField(String what, String from, String to, String message) throws IOException {
        Path a = dir.resolve("a");
        Sweep.Result r = Sweep.run(new Sweep.Plan(SweepSampler.OP, 1, 10, false, new Sweep.Shard(1, 2)), List.of(new SweepBoundsTest.AlwaysFails()), a,
                i -> { }, x -> { }, Long.MAX_VALUE);
        new SweepReport(INFO, r).writeAll(a);
        Path b = shard(1, 10, "conv2d", 2, 2, "b");
        Path json = a.resolve("report.json");
        String text = Files.readString(json);
        assertThat(text).as(what).contains(from);
        Files.writeString(json, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        assertThatThrownBy(() -> SweepMerge.merge(SweepShards.read(List.of(a, b), Ops::sweep).parts(), dir.resolve("m")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith(json + ": " + message);
        assertThat(dir.resolve("m")).doesNotExist();
    }

    /** A shard of a sweep without engines (quick: the reference only). */
    private Path shard(long seed, int count, String op, int k, int n, String name) {
        Path d = dir.resolve(name);
        Sweep.Result r = Sweep.run(new Sweep.Plan(Ops.sweep(Op.parse(op)), seed, count, false, new Sweep.Shard(k, n)), List.of(), d, i -> { }, x -> { }, Long.MAX_VALUE);
        new SweepReport(INFO, r).writeAll(d);
        return d;
    }
}
