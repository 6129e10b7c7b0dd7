package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.ConvLayer;
import convlab.core.Tensor;
import convlab.engine.Engine;
import convlab.engine.LayerRun;
import convlab.report.RunInfo;
import convlab.report.SweepReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps with bounds (issue 10, class 13): a few failure folders per feature, the rest counted; partial reports as results arrive. */
class SweepBoundsTest {

    @TempDir
    Path dir;

    /** Fails every layer, like an engine that cannot run anything. */
    static final class AlwaysFails implements Engine {
        @Override
        public String name() {
            return "fails";
        }

        @Override
        public String description() {
            return "an error on every layer";
        }

        @Override
        public List<LayerRun> run(Tensor input, List<? extends convlab.core.Layer> layers) {
            return layers.stream().map(l -> LayerRun.error("always", 0)).toList();
        }
    }

    @Test
    void atMostAFewFailureFoldersPerFeatureAndTheRestAreCounted() throws Exception {
        int count = 200;
        Sweep.Result r = Sweep.run(7, count, List.of(new AlwaysFails()), dir, i -> { });
        long folders;
        try (Stream<Path> s = Files.list(dir.resolve("failures"))) {
            folders = s.count();
        }
        assertThat(folders).isEqualTo(r.failures().size()).isLessThanOrEqualTo((long) Sweep.FOLDERS_PER_FEATURE * SweepSampler.FEATURES.size());
        assertThat(r.failures().size() + r.unwrittenTotal()).as("every failure is a folder or counted").isEqualTo(count);
        for (String f : SweepSampler.FEATURES.subList(1, SweepSampler.FEATURES.size())) {
            long withFeature = r.failures().stream().filter(x -> x.features().contains(f)).count();
            if (r.unwritten().getOrDefault(f, 0) > 0) {
                assertThat(withFeature).as("folders for %s, which has uncounted failures", f).isGreaterThanOrEqualTo(Sweep.FOLDERS_PER_FEATURE);
            }
        }
        String json = new SweepReport(info(), r).json();
        assertThat(json).contains("\"failuresWithoutFolder\"").contains("\"finished\" : true");
    }

    @Test
    void partialResultsArriveWhileTheSweepRunsSoAnInterruptedSweepLeavesAReport() {
        List<Sweep.Result> partials = new ArrayList<>();
        Sweep.run(3, 10, List.of(), dir, i -> { }, partials::add, 0);
        assertThat(partials).hasSize(10);
        assertThat(partials.get(3).count()).isEqualTo(4);
        assertThat(partials.get(3).planned()).isEqualTo(10);
        new SweepReport(info(), partials.get(3)).writeAll(dir);
        assertThat(dir.resolve("report.md")).content().contains("4 of 10 (a partial report");
        assertThat(dir.resolve("report.json")).content().contains("\"finished\" : false");
        assertThat(partials.get(9).finished()).isTrue();
    }

    private static RunInfo info() {
        return new RunInfo("test", "no framework engines run", "17", "today", List.of(), "convlab sweep");
    }
}
