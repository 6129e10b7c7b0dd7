package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integer overflow in the output-size rule (issue 10, class 2; and class 11's dilation with same): today these give
 * wrong answers with exit 0. The fix is exact long arithmetic in Geometry (the op seam); these tests are the
 * acceptance check and stay disabled until it lands.
 */
class GeometryOverflowTest {

    @TempDir
    Path dir;

    private Cli.Run verify(String extra) throws Exception {
        Path kase = CaseDirs.valid(Files.createDirectories(dir.resolve("c")), extra);
        return Cli.run("verify", kase.toString(), "--out", dir.resolve("out").toString(), "--engines", "none", "--no-figures");
    }

    private static void invalidInOneLine(Cli.Run r, String field) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("case.json").contains(field).doesNotContain("\tat ");
    }

    @Test
    void paddingOfIntMaxIsInvalidNotA1x1OutputOfBiasValues() throws Exception {
        invalidInOneLine(verify("\"padding\": 2147483647"), "padding");
    }

    @Test
    void dilationOfIntMaxIsInvalidNotA7x7ValidOutputFromA5x5Input() throws Exception {
        invalidInOneLine(verify("\"dilation\": 2147483647"), "dilation");
    }

    @Test
    void hugeDilationWithSamePaddingNamesTheField() throws Exception {
        invalidInOneLine(verify("\"dilation\": 1073741824, \"padding\": \"same\""), "dilation");
    }

    @Test
    void explainDoesNotWorkTheRuleThroughWithAnOverflowedSize() {
        Cli.Run r = Cli.run("explain", "--input", "3x8x8", "--filters", "2", "--kernel", "3", "--dilation", "2147483647");
        assertThat(r.out()).doesNotContain("= 10");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("dilation").doesNotContain("\tat ");
    }
}
