package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code sweep --shard K/N} and {@code sweep merge} (issue 15): the shards merged are the unsharded sweep. */
class SweepShardCommandTest {

    @TempDir
    Path dir;

    @Test
    void threeShardsMergedWriteTheUnshardedSweepsReportAndFolders() throws IOException {
        List<String> sweep = List.of("sweep", "--count", "40", "--seed", "3", "--gradients");
        Cli.Run whole = Cli.run(args(sweep, "--out", dir.resolve("whole").toString()));
        assertThat(whole.exit()).as(whole.err()).isIn(0, 1);
        List<String> merge = new ArrayList<>(List.of("sweep", "merge"));
        for (int k = 1; k <= 3; k++) {
            Path d = dir.resolve("shard-" + k);
            Cli.Run r = Cli.run(args(sweep, "--shard", k + "/3", "--out", d.toString()));
            assertThat(r.exit()).as(r.err()).isIn(0, 1);
            assertThat(r.out()).contains((k == 1 ? 13 : k == 2 ? 13 : 14) + " configurations in");
            assertThat(Files.readString(d.resolve("report.md"))).contains("configurations, shard " + k + "/3 (configurations ");
            merge.add(d.toString());
        }
        Path merged = dir.resolve("merged");
        Cli.Run m = Cli.run(args(merge, "--out", merged.toString()));
        assertThat(m.exit()).as(m.err()).isEqualTo(whole.exit());
        assertThat(lines(m.out(), merged)).isEqualTo(lines(whole.out(), dir.resolve("whole")));
        assertThat(comparable(Files.readString(merged.resolve("report.json")), merged))
                .isEqualTo(comparable(Files.readString(dir.resolve("whole/report.json")), dir.resolve("whole")));
        assertThat(files(merged.resolve("failures"), merged)).isNotEmpty().isEqualTo(files(dir.resolve("whole/failures"), dir.resolve("whole")));
        assertThat(Files.readString(merged.resolve("report.html"))).contains("convlab sweep merge report");
        assertThat(Files.readString(merged.resolve("report.json"))).contains("\"frameworks\" : \"ND4J").doesNotContain("started in");
    }

    /** The per-engine count lines of a sweep's output, and its failure line without the time. */
    private static List<String> lines(String out, Path dir) {
        return out.lines().filter(l -> l.contains(" agree ") || l.contains("failure folder"))
                .map(l -> l.replaceAll(" in [0-9.]+ s;", ";").replace(dir.toString(), "OUT")).toList();
    }

    /** A report's JSON without what differs from run to run (the date, the time, each JVM's ND4J start time), OUT for its folder. */
    private static String comparable(String json, Path out) {
        return json.replaceAll("\"(date|seconds|frameworks)\" : [^\\n]*", "").replace(out.toString(), "OUT");
    }

    private static Map<String, String> files(Path root, Path out) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).replace(out.toString(), "OUT"));
            }
        }
        return m;
    }

    private static String[] args(List<String> base, String... more) {
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @ParameterizedTest(name = "--shard {0} --count {1}")
    @CsvSource({"5/4, 10, 'expected K/N with 1 <= K <= N, but found 5/4'", "0/4, 10, 'expected K/N with 1 <= K <= N, but found 0/4'",
            "2, 10, 'expected K/N with 1 <= K <= N (for example 2/4), but found \"2\"'",
            "1/7, 3, 'expected at most as many shards as configurations (3), but found 1/7'"})
    void aBadShardIsOneLineAndExit2(String shard, String count, String message) {
        Path out = dir.resolve("bad");
        Cli.Run r = Cli.run("sweep", "--count", count, "--shard", shard, "--engines", "none", "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().findFirst()).hasValue("--shard: " + message);
        assertThat(out).doesNotExist();
    }

    @Test
    void mismatchedOrIncompleteShardsAreOneLineAndExit2AndWriteNothing() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path c = dir.resolve("c");
        assertThat(Cli.run("sweep", "--count", "9", "--seed", "4", "--shard", "1/2", "--engines", "none", "--out", a.toString()).exit()).isZero();
        assertThat(Cli.run("sweep", "--count", "9", "--seed", "4", "--shard", "2/2", "--engines", "none", "--gradients", "--out", b.toString()).exit())
                .isZero();
        assertThat(Cli.run("sweep", "--count", "9", "--seed", "4", "--shard", "2/2", "--engines", "none", "--out", c.toString()).exit()).isZero();
        Path out = dir.resolve("merged");
        Map<List<String>, String> cases = Map.of(
                List.of(a.toString(), b.toString()), b.resolve("report.json") + ": field 'gradients': expected false as in " + a.resolve("report.json"),
                List.of(a.toString()), "convlab: sweep merge: expected all 2 shards of the sweep (seed 4, 9 configurations), but 2/2 is missing",
                List.of(a.toString(), c.toString(), c.toString()), c.resolve("report.json") + ": field 'shard': expected each shard once",
                List.of(a.toString(), dir.resolve("nowhere").toString()), dir.resolve("nowhere/report.json") + ": no such file");
        cases.forEach((dirs, message) -> {
            Cli.Run r = Cli.run(args(List.of("sweep", "merge"), args(dirs, "--out", out.toString())));
            assertThat(r.exit()).as(dirs + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().lines().toList()).as(String.join(" ", dirs)).hasSize(1);
            assertThat(r.err()).contains(message);
            assertThat(out).as("nothing written").doesNotExist();
        });
        Cli.Run ok = Cli.run("sweep", "merge", c.toString(), a.toString(), "--out", out.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("9 configurations in");
        Cli.Run self = Cli.run("sweep", "merge", a.toString(), c.toString(), "--out", a.toString());
        assertThat(self.exit()).isEqualTo(2);
        assertThat(self.err()).startsWith("--out: expected a folder that is not one of the shards'");
    }
}
