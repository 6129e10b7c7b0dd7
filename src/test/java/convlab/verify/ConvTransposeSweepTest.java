package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Op;
import convlab.engine.Engines;
import convlab.io.Case;
import convlab.io.CaseFiles;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transposed convolution's sweep: its sampler, and what the engines do across it. */
class ConvTransposeSweepTest {

    @TempDir
    Path dir;

    @Test
    void theSamplerIsDeterministicValidAndCoversEveryFeature() {
        Set<String> seen = new HashSet<>();
        IntStream.range(0, 600).forEach(i -> {
            SweepSampler.Sample a = new ConvTransposeSampler(1).sample(i);
            SweepSampler.Sample b = new ConvTransposeSampler(1).sample(i);
            assertThat(a.kase().input()).as("configuration %d", i).isEqualTo(b.kase().input());
            assertThat(a.kase().layers()).isEqualTo(b.kase().layers());
            assertThat(a.kase().layers().get(0).layer().op()).isEqualTo(Op.CONV_TRANSPOSE2D);
            a.kase().layers().get(0).layer().geometry(a.kase().input().shape()); // throws if invalid
            seen.addAll(a.features());
        });
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ConvTransposeSampler.FEATURES);
    }

    /**
     * Across 150 configurations every engine agrees wherever it produces numbers, except for the one finding
     * (data/discrepancies/nd4j-deconv-same-negative-crop): each disagreement has the feature "same, stride outruns the
     * kernel", and each failure folder reproduces with verify.
     */
    @Test
    void everyDisagreementIsTheSameModeFinding() {
        Sweep.Result r = Sweep.run(ConvTransposeSampler.OP, 1, 150, Engines.all(), dir, i -> { });
        assertThat(r.features()).isEqualTo(ConvTransposeSampler.FEATURES);
        assertThat(r.count("nd4j", "all", Outcome.AGREE)).isGreaterThan(140);
        assertThat(r.count("nd4j", "all", Outcome.ERROR)).isZero();
        assertThat(r.count("dl4j", "output padding", Outcome.AGREE)).isZero();
        assertThat(r.count("dl4j", "output padding", Outcome.UNSUPPORTED)).isPositive();
        for (String engine : r.engines()) {
            int disagree = r.count(engine, "all", Outcome.DISAGREE);
            assertThat(r.count(engine, "same, stride outruns the kernel", Outcome.DISAGREE)).as(engine).isEqualTo(disagree);
        }
        assertThat(r.failures()).isNotEmpty();
        for (Sweep.Failure f : r.failures()) {
            assertThat(f.features()).as(f.name()).contains("same, stride outruns the kernel");
            Case back = CaseFiles.load(f.folder().resolve("case.json"));
            CaseResult again = new Verifier(Engines.all()).verify(back);
            assertThat(again.verdict()).as(f.name()).isEqualTo(Verdict.DISAGREE);
        }
    }
}
