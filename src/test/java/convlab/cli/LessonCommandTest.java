package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LessonCommandTest {

    @TempDir
    Path dir;

    @Test
    void aCaseBecomesAPageAndNothingComparedIsSaidSo() throws Exception {
        Cli.Run r = Cli.run("lesson", "data/golden/torch_two_layers/case.json", "--out", dir.toString(), "--engines", "none");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + dir.resolve("index.html")).endsWith("open " + dir.resolve("index.html") + System.lineSeparator());
        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html).contains("made by <code>convlab lesson data/golden/torch_two_layers/case.json --out " + dir + " --engines none</code>")
                .contains("id=\"layer1\"").contains("id=\"boundary1\"").contains("id=\"layer2\"")
                .contains("torch.nn.Conv2d(3, 2").contains("reference vs expected");
        assertThat(html).doesNotContain("src=\"http").doesNotContain("href=\"http");
    }

    @Test
    void withNoEngineAndNoExpectedOutputTheLineSaysNothingCompared() {
        Cli.Run demo = Cli.run("demo", "--out", dir.toString(), "--engines", "none");
        assertThat(demo.exit()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("demo                         nothing compared (no engine ran and no expected output")
                .doesNotContain(" agree");
        Cli.Run verify = Cli.run("verify", dir.resolve("cases").toString(), "--engines", "none", "--out", dir.resolve("v").toString());
        assertThat(verify.out()).contains("verdict: nothing compared").doesNotContain(" agree");
    }

    @Test
    void badInputIsOneLineNamingTheFileAndExitTwo() throws Exception {
        Path bad = dir.resolve("bad.case.json");
        Files.writeString(bad, "{\"name\": \"bad\", \"input\": \"x.npy\", \"weights\": \"w.npy\", \"strides\": 2}");
        Cli.Run r = Cli.run("lesson", bad.toString(), "--out", dir.resolve("o").toString(), "--engines", "none");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("convlab: " + bad).contains("strides").doesNotContain("\n");
        assertThat(dir.resolve("o").resolve("index.html")).doesNotExist();
    }
}
