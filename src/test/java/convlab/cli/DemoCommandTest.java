package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Conv2d;
import convlab.core.Tensor;
import convlab.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path dir;

    static int gifFrames(Path gif) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            return reader.getNumImages(true);
        }
    }

    @Test
    void theDemoTellsTheStoryAndItsNumbersAreTheReferences() throws Exception {
        Cli.Run r = Cli.run("demo", "--out", dir.toString(), "--engines", "nd4j");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        // Layer 1: 2 filters x 6x6 positions + 1 hold frame; layer 2: 1 intro + 2 x 4x4 + 1; 4 channels: 2 x 6x6 + 1.
        assertThat(gifFrames(dir.resolve("layer1.gif"))).isEqualTo(73);
        assertThat(gifFrames(dir.resolve("layer1-stack.gif"))).isEqualTo(73);
        assertThat(gifFrames(dir.resolve("layer2.gif"))).isEqualTo(34);
        assertThat(gifFrames(dir.resolve("layers.gif"))).as("layer 1 running into layer 2").isEqualTo(73 + 34);
        assertThat(gifFrames(dir.resolve("channels4.gif"))).isEqualTo(73);
        for (String f : new String[] {"input.png", "layer1-figure.png", "layer1-figure.svg", "layer2-figure.png", "channels4-figure.png",
                "report.html", "report.md", "report.json", "index.html", "cases/demo/case.json", "cases/channels4/case.json"}) {
            assertThat(dir.resolve(f)).as(f).exists();
        }
        // The numbers written are the reference core's, and layer 2 is computed from layer 1's output.
        var story = DemoData.twoLayers(dir).convLayers();
        Tensor layer1 = Conv2d.forward(DemoData.picture(), story.get(0)).activated();
        assertThat(Npy.read(dir.resolve("layer1-output.npy"))).isEqualTo(layer1);
        assertThat(Npy.read(dir.resolve("layer2-output.npy"))).isEqualTo(Conv2d.forward(layer1, story.get(1)).activated());
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("torch.nn.Conv2d(3, 2").contains("tf.keras.layers.Conv2D(2").contains("ConvolutionLayer.Builder(3, 3)");
        assertThat(r.out()).contains("wrote " + dir.resolve("layer1.gif")).contains("demo finished");
        // The last line points at the lesson page; the report is titled by the command that made it.
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[lines.length - 1]).endsWith("open " + dir.resolve("index.html"));
        assertThat(html).contains("<title>convlab demo report</title>").contains("<h1>convlab demo report</h1>");
        String lesson = Files.readString(dir.resolve("index.html"));
        assertThat(lesson).contains("data-output=\"1,0,0,0\"").contains("data-output=\"2,1,3,3\"").contains("nd4j").contains("agree");
        // The written case folders reproduce with verify.
        assertThat(Cli.run("verify", dir.resolve("cases").toString(), "--engines", "none", "--out", dir.resolve("v").toString()).exit()).isZero();
    }
}
