package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.io.Npy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyCommandTest {

    @TempDir
    Path dir;

    @Test
    void aGoldenCaseAgreesWithEveryEngineAndWritesItsOutputs() throws Exception {
        Path out = dir.resolve("out");
        Cli.Run r = Cli.run("verify", "data/golden/torch_classic", "data/golden/torch_two_layers/case.json", "--out", out.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("torch_classic").contains("nd4j agree").contains("nd4j-onednn agree").contains("dl4j agree")
                .contains("verdict: agree");
        assertThat(Npy.read(out.resolve("torch_classic/reference.npy")).shape()).containsExactly(1, 2, 6, 6);
        assertThat(out.resolve("torch_classic/nd4j.npy")).exists();
        assertThat(out.resolve("torch_classic/nd4j-onednn.npy")).exists();
        assertThat(out.resolve("torch_two_layers/layer2/dl4j.npy")).exists();
        assertThat(Files.readString(out.resolve("report.json"))).contains("\"verdict\" : \"agree\"").contains("torch_two_layers");
        assertThat(Files.readString(out.resolve("report.md"))).contains("| torch_classic | 1 | agree |");
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<h2>Summary</h2>").contains("ND4J/DL4J 1.0.0-M2.1").doesNotContain("base64");
        // Figures are PNG files beside the report, linked and shown as thumbnails; each file is the one the report names.
        assertThat(html).contains("href=\"torch_classic/figure-layer1.png\"").contains("src=\"torch_classic/figure-layer1-thumb.png\"")
                .contains("href=\"torch_two_layers/figure-layer2.png\"");
        java.awt.image.BufferedImage figure = javax.imageio.ImageIO.read(out.resolve("torch_classic/figure-layer1.png").toFile());
        java.awt.image.BufferedImage thumb = javax.imageio.ImageIO.read(out.resolve("torch_classic/figure-layer1-thumb.png").toFile());
        assertThat(thumb.getWidth()).isEqualTo(CaseFigures.THUMB_WIDTH).isLessThan(figure.getWidth());
        assertThat(html).contains("width=\"" + thumb.getWidth() + "\" height=\"" + thumb.getHeight() + "\"");
    }

    @Test
    void aMixedStackWritesEveryLayerAndTheReportShowsAFigurePerLayer() throws Exception {
        Path out = dir.resolve("out");
        Cli.Run r = Cli.run("verify", "data/golden/torch_small_cnn", "--out", out.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        for (int k = 1; k <= 4; k++) {
            assertThat(out.resolve("torch_small_cnn/layer" + k + "/nd4j.npy")).exists();
            assertThat(out.resolve("torch_small_cnn/layer" + k + "/dl4j.npy")).exists();
        }
        assertThat(Npy.read(out.resolve("torch_small_cnn/layer2/reference.npy")).shape()).containsExactly(1, 4, 6, 6);
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html.split("alt=\"figure of layer ", -1)).as("one figure per layer").hasSize(5);
        assertThat(html).contains("4 channels, max pooling 2x2 window").contains("SubsamplingLayer MAX");
        assertThat(Files.readString(out.resolve("report.json"))).contains("\"op\" : \"avg_pool2d\"").doesNotContain("\"weightShape\" : null");
    }

    @Test
    void gradientsAreWrittenPerEngineInTheCaseLayoutsAndReported() throws Exception {
        Path out = dir.resolve("out");
        Cli.Run r = Cli.run("verify", "data/golden/grad_tf_same_stride2", "data/golden/grad_torch_two_layers", "data/golden/torch_classic",
                "--gradients", "--gradient-seed", "7", "--out", out.toString(), "--no-figures");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("[gradients] nd4j agree; nd4j-onednn agree; dl4j agree;").contains("[gradients layer 2]");
        // NHWC/HWIO case: dL/dx in NHWC, dL/dw in HWIO, as the case's own files
        Path tf = out.resolve("grad_tf_same_stride2");
        assertThat(Npy.read(tf.resolve("gradInput/reference.npy")).shape()).containsExactly(1, 7, 8, 3);
        assertThat(Npy.read(tf.resolve("gradWeights/nd4j.npy")).shape()).containsExactly(3, 3, 3, 4);
        assertThat(Npy.read(tf.resolve("gradBias/dl4j.npy")).shape()).containsExactly(4);
        assertThat(Npy.read(tf.resolve("gradOutput.npy"))).isEqualTo(Npy.read(Path.of("data/golden/grad_tf_same_stride2/gradOutput.npy")));
        assertThat(out.resolve("grad_torch_two_layers/layer1/gradInput/nd4j-onednn.npy")).exists();
        assertThat(out.resolve("grad_torch_two_layers/layer2/gradWeights/dl4j.npy")).exists();
        // a case without gradOutput: a random dy from the seed, written beside the gradients
        assertThat(Npy.read(out.resolve("torch_classic/gradOutput.npy")).shape()).containsExactly(1, 2, 6, 6);
        String json = Files.readString(out.resolve("report.json"));
        assertThat(json).contains("\"gradients\" : {").contains("\"seed\" : 7").contains("random dy, uniform in [-1, 1), seed 7")
                .contains("the case's gradOutput").contains("\"gradWeights\" : {");
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("## Gradients").contains("| grad_tf_same_stride2 | 1 | gradWeights | OK max\\|diff\\|=")
                .contains("| torch_classic | 1 | gradInput | no expected gradient | agree ");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<h2>Gradients</h2>").contains("<h3>Gradients <span class=\"agree\">agree</span></h3>")
                .contains("class=\"gradients\"");
        Cli.Run without = Cli.run("verify", "data/golden/torch_classic", "--out", dir.resolve("o2").toString(), "--no-figures", "--engines", "none");
        assertThat(without.out()).doesNotContain("[gradients]");
        assertThat(dir.resolve("o2/torch_classic/gradInput")).doesNotExist();
    }

    @Test
    void withFiguresEachLayersGradientHeatmapsAreWrittenAndEmbedded() throws Exception {
        Path out = dir.resolve("fig");
        Cli.Run r = Cli.run("verify", "data/golden/grad_torch_two_layers", "--engines", "none", "--out", out.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        for (String layer : new String[] {"layer1", "layer2"}) {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.resolve("grad_torch_two_layers").resolve(layer).resolve("gradients.png").toFile());
            assertThat(img.getWidth()).as(layer).isPositive();
        }
        assertThat(Files.readString(out.resolve("report.html"))).contains("<h3>Gradient heatmaps</h3>").contains("alt=\"gradient heatmaps of layer 2\"")
                .contains("src=\"grad_torch_two_layers/layer2/gradients.png\"");
    }

    @Test
    void anEngineThatDisagreesGivesExitOne() {
        Cli.Run r = Cli.run("verify", "data/discrepancies/nd4j-same-negative-padding", "--out", dir.toString(), "--no-figures");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("nd4j disagree").contains("verdict: disagree");
    }

    @Test
    void anInvalidCaseGivesOneLineAndExitTwoWhileTheOthersStillRun() throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.copy(Path.of("data/golden/torch_classic/input.npy"), bad.resolve("input.npy"));
        Files.copy(Path.of("data/golden/torch_classic/weights.npy"), bad.resolve("weights.npy"));
        Files.writeString(bad.resolve("case.json"), "{\"input\": \"input.npy\", \"weights\": \"weights.npy\", \"stride\": -1}");
        Cli.Run r = Cli.run("verify", bad.toString(), "data/golden/torch_classic", "--out", dir.resolve("out").toString(), "--engines", "none");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(bad.resolve("case.json").toString()).contains("field 'stride'").contains("expected an int >= 1")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).contains("torch_classic").contains("agree");
        assertThat(Files.readString(dir.resolve("out/report.json"))).contains("\"invalid\" : 1").contains("field 'stride'");
    }

    @Test
    void commandLineMistakesGiveExitTwo() {
        Cli.Run unknownEngine = Cli.run("verify", "data/golden/torch_classic", "--engines", "tensorflow", "--out", dir.toString());
        assertThat(unknownEngine.exit()).isEqualTo(2);
        assertThat(unknownEngine.err()).contains("expected nd4j, nd4j-onednn, dl4j, im2col or none").doesNotContain("\tat ");
        Cli.Run missing = Cli.run("verify", "no/such/dir", "--out", dir.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no/such/dir").contains("no such file or directory");
        Cli.Run empty = Cli.run("verify", dir.toString(), "--out", dir.resolve("o").toString());
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("no case files");
        assertThat(Cli.run("verify").exit()).isEqualTo(2);
    }

    @Test
    void verifyWithoutEnginesNeverStartsNd4j() {
        Cli.Run r = Cli.run("verify", "data/golden/torch_classic", "--engines", "none", "--out", dir.toString(), "--no-figures");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).doesNotContain("nd4j");
    }
}
