package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Geometry;
import convlab.io.Case;
import convlab.io.CaseFiles;
import convlab.io.CaseWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepSamplerTest {

    @TempDir
    Path dir;

    @Test
    void theSameSeedGivesTheSameConfigurations() {
        for (int i = 0; i < 20; i++) {
            Case a = new SweepSampler(7).sample(i).kase();
            Case b = new SweepSampler(7).sample(i).kase();
            assertThat(a.input()).as("configuration %d", i).isEqualTo(b.input());
            assertThat(a.layers()).isEqualTo(b.layers());
        }
        assertThat(new SweepSampler(7).sample(0).kase().input()).isNotEqualTo(new SweepSampler(8).sample(0).kase().input());
    }

    @Test
    void samplesAreValidAndCoverEveryFeature() {
        SweepSampler s = new SweepSampler(1);
        Set<String> seen = new HashSet<>();
        IntStream.range(0, 400).forEach(i -> {
            SweepSampler.Sample sample = s.sample(i);
            Case c = sample.kase();
            c.layers().get(0).layer().geometry(c.input().shape()); // throws if invalid
            seen.addAll(sample.features());
        });
        assertThat(seen).containsExactlyInAnyOrderElementsOf(SweepSampler.FEATURES);
    }

    @Test
    void aWrittenCaseReadsBackTheSame() {
        for (int i = 0; i < 30; i++) {
            Case c = new SweepSampler(3).sample(i).kase();
            Path file = CaseWriter.write(c, dir.resolve(c.name()));
            Case back = CaseFiles.load(file);
            assertThat(back.name()).isEqualTo(c.name());
            assertThat(back.layout()).isEqualTo(c.layout());
            assertThat(back.input()).as("input of %s", c.name()).isEqualTo(c.input());
            assertThat(back.layers().get(0).layer()).as("layer of %s", c.name()).isEqualTo(c.layers().get(0).layer());
        }
    }
}
