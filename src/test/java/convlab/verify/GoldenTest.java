package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.io.CaseFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The reference core against every golden output that real PyTorch and TensorFlow runs produced (data/golden). */
class GoldenTest {

    static Stream<Path> goldenCases() {
        List<Path> files = CaseFiles.find(List.of(Path.of("data", "golden")));
        assertThat(files).as("golden cases under data/golden").hasSizeGreaterThanOrEqualTo(18);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void referenceMatchesTheFramework(Path file) {
        CaseResult r = new Verifier(List.of()).verify(file);
        assertThat(r.problem()).isEmpty();
        for (CaseResult.LayerCheck l : r.layers()) {
            assertThat(l.referenceVsExpected()).as("layer %d has an expected output", l.index() + 1).isNotNull();
            assertThat(l.referenceVsExpected().agree()).as("layer %d: %s", l.index() + 1, l.referenceVsExpected().summary()).isTrue();
        }
        assertThat(r.verdict()).isEqualTo(Verdict.AGREE);
    }
}
