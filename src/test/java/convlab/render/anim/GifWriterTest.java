package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GifWriterTest {

    @TempDir
    Path dir;

    /** 256 distinct colours in a 16x16 grid of 4x4 blocks, then the same with a few pixels changed. */
    private static BufferedImage blocks(int seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int b = 0; b < 256; b++) {
            int rgb = (r.nextInt(256) << 16) | (b << 8) | r.nextInt(256); // green byte makes each distinct
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    img.setRGB((b % 16) * 4 + x, (b / 16) * 4 + y, rgb);
                }
            }
        }
        return img;
    }

    /** Frame {@code f} of the GIF decodes to exactly {@code img}'s pixels (their low 24 bits). */
    private static void assertFrame(GifFrames g, int f, BufferedImage img, String what) {
        int w = img.getWidth();
        assertFrame(g, f, img.getRGB(0, 0, w, img.getHeight(), null, 0, w), w, what);
    }

    /** Frame {@code f} of the GIF decodes to exactly {@code rgb}, row-major {@code w} wide (the low 24 bits). */
    private static void assertFrame(GifFrames g, int f, int[] rgb, int w, String what) {
        for (int i = 0; i < rgb.length; i++) {
            assertThat(g.rgb(f, i % w, i / w)).as("%s: frame %d at (%d, %d)", what, f, i % w, i / w).isEqualTo(rgb[i] & 0xffffff);
        }
    }

    @Test
    void framesWithUpTo256ColoursRoundTripExactlyAndLaterFramesOnlyCarryTheirChanges() throws IOException {
        BufferedImage a = blocks(1);
        BufferedImage b = blocks(1);
        b.setRGB(10, 20, 0x123456);
        b.setRGB(30, 21, 0xabcdef);
        Path gif = dir.resolve("t.gif");
        try (var out = Files.newOutputStream(gif); GifWriter w = new GifWriter(out, 64, 64)) {
            w.write(a, 10);
            w.write(b, 30);
            w.write(b, 40);
            assertThat(w.quantisedFrames()).isZero();
        }
        GifFrames g = GifFrames.read(gif);
        assertThat(g.frames).hasSize(3);
        assertThat(g.loopCount).isZero();
        assertFrame(g, 0, a, "blocks");
        assertFrame(g, 1, b, "blocks");
        assertFrame(g, 2, b, "blocks");
        assertThat(g.frames.get(0).localColorTableSize()).isEqualTo(256);
        GifFrames.Frame second = g.frames.get(1);
        assertThat(new int[] {second.left(), second.top(), second.width(), second.height()}).containsExactly(10, 20, 21, 2);
        assertThat(second.transparent()).isTrue();
        assertThat(second.delayCentis()).isEqualTo(30);
        assertThat(g.frames.get(2).width() * g.frames.get(2).height()).as("an unchanged frame is one pixel").isEqualTo(1);
    }

    /**
     * One image drawn over for every frame, as the animations do: the writer must hold its own copy of the frame
     * before, or it would compare each frame with itself and write nothing after the first.
     */
    @Test
    void oneImageRedrawnForEveryFrameDecodesToEachFrameDrawn() throws IOException {
        Random r = new Random(5);
        BufferedImage img = blocks(2);
        int[][] drawn = new int[6][];
        Path gif = dir.resolve("reused.gif");
        try (var out = Files.newOutputStream(gif); GifWriter w = new GifWriter(out, 64, 64)) {
            for (int f = 0; f < drawn.length; f++) {
                if (f > 0) {
                    for (int k = 0; k < 20; k++) {
                        img.setRGB(r.nextInt(64), r.nextInt(64), 0x0a0b0c * f);
                    }
                }
                drawn[f] = img.getRGB(0, 0, 64, 64, null, 0, 64);
                w.write(img, 10);
            }
        }
        GifFrames g = GifFrames.read(gif);
        for (int f = 0; f < drawn.length; f++) {
            assertFrame(g, f, drawn[f], 64, "one image redrawn");
        }
    }

    @Test
    void moreThan256ColoursAreQuantisedDeterministicallyKeepingTheCommonOnes() throws IOException {
        BufferedImage img = blocks(2);
        // 300 extra colours, one pixel each, along the bottom rows.
        for (int i = 0; i < 300; i++) {
            img.setRGB(i % 64, 60 + i / 64 % 4, 0xff0000 | i);
        }
        byte[] first = write(img);
        byte[] second = write(img);
        assertThat(first).isEqualTo(second);
        Path gif = dir.resolve("q.gif");
        Files.write(gif, first);
        GifFrames g = GifFrames.read(gif);
        // The blocks above the noisy rows (each 16 pixels) keep their exact colours.
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 64; x++) {
                assertThat(g.rgb(0, x, y)).isEqualTo(img.getRGB(x, y) & 0xffffff);
            }
        }
    }

    private static byte[] write(BufferedImage img) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GifWriter w = new GifWriter(bos, img.getWidth(), img.getHeight())) {
            w.write(img, 10);
            assertThat(w.quantisedFrames()).isEqualTo(1);
        }
        return bos.toByteArray();
    }

    /**
     * Noise from a seeded palette, so the LZW table fills many times (clear codes at every code size), then a frame
     * with a changed band: both decode (ImageIO's reader) to exactly the pixels written.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}, {1} colours")
    @org.junit.jupiter.params.provider.CsvSource({"1, 2", "2, 7", "3, 200", "4, 256"})
    void noiseRoundTripsExactlyThroughEveryTableReset(long seed, int colours) throws IOException {
        Random r = new Random(seed);
        int[] palette = new int[colours];
        for (int i = 0; i < colours; i++) {
            palette[i] = (i * 0x010305 + r.nextInt(1 << 24)) & 0xffffff;
        }
        BufferedImage a = new BufferedImage(301, 257, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                // runs of one colour now and then, as in a frame, between stretches of noise
                a.setRGB(x, y, palette[(x / 9) % 3 == 0 ? y % colours : r.nextInt(colours)]);
            }
        }
        BufferedImage b = new BufferedImage(301, 257, BufferedImage.TYPE_INT_RGB);
        b.setData(a.getData());
        for (int y = 100; y < 140; y++) {
            for (int x = 0; x < 301; x++) {
                b.setRGB(x, y, palette[r.nextInt(Math.min(colours, 255))]);
            }
        }
        Path gif = dir.resolve("noise.gif");
        try (var out = Files.newOutputStream(gif); GifWriter w = new GifWriter(out, 301, 257)) {
            w.write(a, 10);
            w.write(b, 10);
        }
        GifFrames g = GifFrames.read(gif);
        assertFrame(g, 0, a, "seed " + seed);
        assertFrame(g, 1, b, "seed " + seed);
    }

    /**
     * Frames that are not TYPE_INT_RGB (read through getRGB, where white is -1) and INT_RGB frames with bits in the
     * unused top byte: the colours are still exact, in the first frame and in the changed rectangle of the next.
     */
    @Test
    void otherImageTypesAndTopBytesKeepTheirColours() throws IOException {
        Random r = new Random(5);
        BufferedImage a = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage b = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        int[] raw = ((java.awt.image.DataBufferInt) b.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int rgb = x < 1 ? 0xffffff : (r.nextInt(8) * 0x202020) & 0xffffff; // white first: getRGB's -1
                a.setRGB(x, y, rgb);
                raw[y * 40 + x] = (y > 10 && y < 20 ? ((x * 7 + y) % 11) * 0x111111 & 0xffffff : rgb) | (r.nextBoolean() ? 0xff000000 : 0x5a000000);
            }
        }
        Path gif = dir.resolve("types.gif");
        try (var out = Files.newOutputStream(gif); GifWriter w = new GifWriter(out, 40, 30)) {
            w.write(a, 10);
            w.write(b, 10);
        }
        GifFrames g = GifFrames.read(gif);
        assertFrame(g, 0, a, "3-byte BGR");
        assertFrame(g, 1, raw, 40, "INT_RGB with top bytes");
    }

    @Test
    void framesMustHaveTheGifsSize() throws IOException {
        try (GifWriter w = new GifWriter(new ByteArrayOutputStream(), 10, 10)) {
            assertThatThrownBy(() -> w.write(new BufferedImage(5, 10, BufferedImage.TYPE_INT_RGB), 10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10x10");
            w.write(new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB), 10);
        }
    }
}
