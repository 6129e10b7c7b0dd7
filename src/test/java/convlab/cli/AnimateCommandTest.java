package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.DType;
import convlab.core.Tensor;
import convlab.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnimateCommandTest {

    @TempDir
    Path dir;

    Path caseFile;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** Two layers: 1x2x5x5 -> 2 filters 3x3, relu -> 2x3x3 -> 1 filter 3x3, padding 1 -> 1x3x3. */
    @BeforeEach
    void writeCase() throws IOException {
        Random r = new Random(17);
        Npy.write(dir.resolve("input.npy"), random(r, 1, 2, 5, 5));
        Npy.write(dir.resolve("w1.npy"), random(r, 2, 2, 3, 3));
        Npy.write(dir.resolve("b1.npy"), random(r, 2));
        Npy.write(dir.resolve("w2.npy"), random(r, 1, 2, 3, 3));
        caseFile = dir.resolve("two.case.json");
        Files.writeString(caseFile, """
                {"name": "two", "input": "input.npy", "layers": [
                  {"weights": "w1.npy", "bias": "b1.npy", "activation": "relu"},
                  {"weights": "w2.npy", "padding": 1}
                ]}
                """);
    }

    private static Tensor random(Random r, int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, i -> Math.round((r.nextDouble() * 2 - 1) * 100) / 100.0);
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static int frames(Path gif) throws IOException {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("gif");
        ImageReader reader = it.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in, false);
            return reader.getNumImages(true);
        } finally {
            reader.dispose();
        }
    }

    @Test
    void writesAGifPerLayerAndStyleWithFrames() throws IOException {
        Path o = dir.resolve("out");
        int code = run("animate", caseFile.toString(), "--out", o.toString(), "--style", "both", "--frames", "--fps", "10");
        assertThat(code).as(err.toString()).isZero();
        for (String style : new String[] {"panels", "stack"}) {
            assertThat(frames(o.resolve("layer1-" + style + ".gif"))).isEqualTo(2 * 3 * 3 + 1);
            // Layer 2 opens with the intro: layer 1's output restacked as its input.
            assertThat(frames(o.resolve("layer2-" + style + ".gif"))).isEqualTo(1 + 3 * 3 + 1);
            try (var s = Files.list(o.resolve("layer2-" + style + "-frames"))) {
                assertThat(s.count()).isEqualTo(11);
            }
        }
        assertThat(out.toString().lines().filter(l -> l.startsWith("wrote ")).count()).isEqualTo(4);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void oneLayerOnlyAndSamplingSaysSoOnStderr() throws IOException {
        Path o = dir.resolve("out");
        int code = run("animate", caseFile.toString(), "--out", o.toString(), "--layer", "1", "--max-frames", "5");
        assertThat(code).as(err.toString()).isZero();
        try (var s = Files.list(o)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("layer1-panels.gif");
        }
        // 2 filters x 9 positions > 5: each filter keeps 2 (its first and last).
        assertThat(frames(o.resolve("layer1-panels.gif"))).isEqualTo(4 + 1);
        assertThat(err.toString().lines().toList()).hasSize(1);
        assertThat(err.toString()).contains("layer1-panels.gif").contains("more than --max-frames 5").contains("first and last kept");
    }

    @Test
    void aMissingCaseFileIsOneLineAndExitCode2() {
        int code = run("animate", dir.resolve("nope.json").toString(), "--out", dir.resolve("out").toString());
        assertThat(code).isEqualTo(Main.INVALID);
        assertThat(err.toString().lines().toList()).hasSize(1);
        assertThat(err.toString()).startsWith("convlab: ").contains("nope.json");
        assertThat(Files.exists(dir.resolve("out"))).isFalse();
    }

    @Test
    void badOptionsAreExitCode2WithTheReason() {
        assertThat(run("animate", caseFile.toString(), "--out", dir.toString(), "--layer", "3")).isEqualTo(Main.INVALID);
        assertThat(err.toString()).contains("--layer between 1 and 2");
        assertThat(run("animate", caseFile.toString(), "--out", dir.toString(), "--style", "fancy")).isEqualTo(Main.INVALID);
        assertThat(err.toString()).contains("panels, stack or both");
        assertThat(run("animate", caseFile.toString(), "--out", dir.toString(), "--fps", "0")).isEqualTo(Main.INVALID);
        assertThat(run("animate", caseFile.toString(), "--out", dir.toString(), "--batch", "1")).isEqualTo(Main.INVALID);
        assertThat(err.toString()).contains("--batch between 0 and 0");
        assertThat(run("animate", caseFile.toString())).as("--out is required").isEqualTo(Main.INVALID);
        try (var s = Files.list(dir)) {
            assertThat(s.anyMatch(p -> p.getFileName().toString().endsWith(".gif"))).isFalse();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void slidesAreExactlyTheSizeAskedForWithAPngPerFrame() throws IOException {
        Path o = dir.resolve("slides");
        int code = run("animate", caseFile.toString(), "--out", o.toString(), "--layer", "1", "--size", "1280x720", "--frames", "png");
        assertThat(code).as(err.toString()).isZero();
        Path first = o.resolve("layer1-panels-frames").resolve("frame-0001.png");
        var png = ImageIO.read(first.toFile());
        assertThat(png.getWidth()).isEqualTo(1280);
        assertThat(png.getHeight()).isEqualTo(720);
        assertThat(out.toString()).contains("1280x720").contains(" KiB");
        assertThat(run("animate", caseFile.toString(), "--out", o.toString(), "--size", "1280x720", "--scale", "2")).isEqualTo(2);
        assertThat(run("animate", caseFile.toString(), "--out", o.toString(), "--frames", "gif")).isEqualTo(2);
        assertThat(err.toString()).contains("--size or --scale").contains("--frames png");
    }

    @Test
    void aPhotoAnimatesOneFilterOverChosenRows() throws IOException {
        Path o = dir.resolve("photo");
        int code = run("animate", "--image", "data/images/chelsea.png", "--max-size", "8", "--filter", "1", "--rows", "2-3",
                "--padding", "valid", "--out", o.toString());
        assertThat(code).as(err.toString()).isZero();
        // 8x8 through 3x3 valid: 6x6 outputs; filter 1, rows 2 and 3: 12 frames and the hold.
        assertThat(frames(o.resolve("layer1-panels.gif"))).isEqualTo(12 + 1);
        assertThat(err.toString()).contains("12 selected of 72 steps");
        assertThat(run("animate", "--image", "data/images/chelsea.png", "--max-size", "8", "--filter", "2", "--out", o.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--filter between 0 and 1");
    }

    @Test
    void togetherWritesEveryLayerIntoOneGif() throws IOException {
        Path o = dir.resolve("together");
        int code = run("animate", caseFile.toString(), "--out", o.toString(), "--together");
        assertThat(code).as(err.toString()).isZero();
        assertThat(frames(o.resolve("layers-panels.gif"))).isEqualTo((2 * 3 * 3 + 1) + (1 + 3 * 3 + 1));
    }
}
