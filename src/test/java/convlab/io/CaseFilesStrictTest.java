package convlab.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import convlab.core.DType;
import convlab.core.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON that Jackson's defaults accept or crash on (issue 10, classes 6 and 11): one message naming the file, the field if any. */
class CaseFilesStrictTest {

    @TempDir
    Path dir;

    @BeforeEach
    void arrays() {
        Npy.write(dir.resolve("x.npy"), Tensor.fill(DType.FLOAT64, new int[] {1, 2, 5, 5}, i -> i[2] - i[3]));
        Npy.write(dir.resolve("w.npy"), Tensor.fill(DType.FLOAT64, new int[] {3, 2, 3, 3}, i -> i[0]));
    }

    private static final String BASE = "\"input\": \"x.npy\", \"weights\": \"w.npy\"";

    private String rejects(String json, String... words) throws Exception {
        return rejects(json.getBytes(StandardCharsets.UTF_8), words);
    }

    private String rejects(byte[] bytes, String... words) throws Exception {
        Path f = dir.resolve("case.json");
        Files.write(f, bytes);
        Throwable t = catchThrowable(() -> CaseFiles.load(f));
        assertThat(t).isInstanceOf(InvalidInputException.class).hasMessageStartingWith(f.toString());
        assertThat(t.getMessage()).doesNotContain("\n");
        for (String w : words) {
            assertThat(t.getMessage()).contains(w);
        }
        return t.getMessage();
    }

    @Test
    void deepNestingLongNumbersAndHugeStringsAreMessagesNotNullPointers() throws Exception {
        rejects("{" + BASE + ", \"source\": " + "[".repeat(1001) + "]".repeat(1001) + "}", "not valid JSON", "nesting depth");
        rejects("{" + BASE + ", \"stride\": " + "1".repeat(2000) + "}", "not valid JSON", "Number value length");
        rejects("{" + BASE + ", \"source\": \"" + "a".repeat(20 << 20) + "\"}", "at most 1048576 bytes");
        rejects("{" + BASE + ", \"source\": \"" + "a".repeat(200_000) + "\"}", "not valid JSON", "String value length");
    }

    @Test
    void duplicateKeysAndTrailingTextAreInvalid() throws Exception {
        rejects("{" + BASE + ", \"stride\": 1, \"stride\": 2}", "Duplicate field 'stride'");
        rejects("{" + BASE + "} {\"more\": 1}", "not valid JSON", "Trailing token");
        rejects("{" + BASE + "} x", "not valid JSON");
    }

    @Test
    void anInfiniteToleranceIsInvalid() throws Exception {
        rejects("{" + BASE + ", \"tolerance\": {\"abs\": 1e999, \"rel\": 0}}", "field 'tolerance'", "finite number");
    }

    @Test
    void groupsZeroWithPresetWeightsNamesTheField() throws Exception {
        rejects("{\"input\": \"x.npy\", \"weights\": \"preset:sobel-x\", \"groups\": 0}", "field 'groups'", "expected an int >= 1");
        rejects("{\"input\": \"x.npy\", \"layers\": [{\"weights\": \"preset:sobel-x\", \"groups\": 0}]}", "field 'layers[0].groups'");
    }

    @Test
    void latin1TextIsNamedAsNotUtf8() throws Exception {
        byte[] latin1 = ("{" + BASE + ", \"source\": \"caf\u00e9 \u00e0 la cr\u00e8me\"}").getBytes(StandardCharsets.ISO_8859_1);
        String m = rejects(latin1, "expected UTF-8 text");
        assertThat(m).doesNotContain("Input length");
    }

    @Test
    void aNegativeShapeInAnArrayNamesItsFile() throws Exception {
        Files.write(dir.resolve("neg.npy"), NpyTest.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, -2, 5, 5), }", new byte[0]));
        Path f = dir.resolve("case.json");
        Files.writeString(f, "{\"input\": \"neg.npy\", \"weights\": \"w.npy\"}");
        assertThat(catchThrowable(() -> CaseFiles.load(f))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(dir.resolve("neg.npy").toString()).hasMessageContaining("negative dimension -2");
    }

    @Test
    void caseNamesAreOneSafePathSegment() throws Exception {
        for (String bad : new String[] {"..", ".", ".hidden", "a/b", "a\\\\b", "nul\\u0000x", "report.html", "REPORT.JSON", "x".repeat(101), ""}) {
            rejects("{\"name\": \"" + bad + "\", " + BASE + "}", "field 'name'");
        }
        assertThat(CaseNames.problem("x".repeat(5000))).contains("1 to 100 characters");
        assertThat(CaseNames.problem("torch_classic-2.v1")).isNull();
        assertThat(CaseNames.collide("Case", "case")).isTrue();
    }
}
