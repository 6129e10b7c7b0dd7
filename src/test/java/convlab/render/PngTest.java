package convlab.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PngTest {

    private static BufferedImage noise(long seed, int w, int h, int type) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 0xff000000 | (x % 5 == 0 ? 0xffffff : r.nextInt(1 << 24)));
            }
        }
        return img;
    }

    @ParameterizedTest(name = "seed {0}, {1}x{2}, type {3}")
    @CsvSource({"1, 1, 1, 1", "2, 640, 3, 1", "3, 97, 211, 1", "4, 33, 17, 2", "5, 50, 40, 5"})
    void everyPixelReadsBackAndTheResolutionIsMarked(long seed, int w, int h, int type) throws IOException {
        BufferedImage img = noise(seed, w, h, type);
        byte[] png = Png.bytes(img, 57.6);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            BufferedImage back = reader.read(0);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertThat(back.getRGB(x, y) & 0xffffff).as("seed %d at (%d, %d)", seed, x, y).isEqualTo(img.getRGB(x, y) & 0xffffff);
                }
            }
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            IIOMetadataNode phys = (IIOMetadataNode) root.getElementsByTagName("pHYs").item(0);
            assertThat(phys.getAttribute("pixelsPerUnitXAxis")).isEqualTo(Long.toString(Math.round(57.6 / 0.0254)));
            assertThat(phys.getAttribute("unitSpecifier")).isEqualTo("meter");
        }
    }

    @ParameterizedTest(name = "{0}x{1} to {2} wide")
    @CsvSource({"1991, 785, 480", "480, 100, 480", "300, 20, 480", "1000, 1, 7"})
    void aThumbnailHasTheWidthAskedForAndTheImagesProportions(int w, int h, int width) {
        BufferedImage img = noise(9, w, h, BufferedImage.TYPE_INT_RGB);
        BufferedImage thumb = Png.shrink(img, width);
        assertThat(thumb.getWidth()).isEqualTo(Math.min(w, width));
        assertThat(thumb.getHeight()).isEqualTo(w <= width ? h : Math.max(1, (int) Math.round(h * (width / (double) w))));
        if (w <= width) {
            assertThat(thumb).isSameAs(img);
        }
    }

    /**
     * Noise whose rows repeat in runs (row y copies row y-1 with probability {@code repeat}), as a figure's flat
     * cells and margins do, and whose pixels include pure white and black.
     */
    private static BufferedImage runs(long seed, int w, int h, double repeat) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            boolean copy = y > 0 && r.nextDouble() < repeat;
            for (int x = 0; x < w; x++) {
                int p = copy ? img.getRGB(x, y - 1) : switch (r.nextInt(4)) {
                    case 0 -> 0xffffff;
                    case 1 -> 0;
                    default -> r.nextInt(1 << 24);
                };
                img.setRGB(x, y, p);
            }
        }
        return img;
    }

    @ParameterizedTest(name = "seed {0}: {1}x{2} to {3} wide, rows repeated with p={4}")
    @CsvSource({"1, 10, 4, 5, 0", "2, 9, 6, 3, 0.5", "3, 7, 7, 2, 0.9", "4, 60, 40, 17, 0.6", "5, 30, 1200, 3, 0.8", "6, 600, 1000, 2, 0.8", "7, 900, 800, 1, 1"})
    void eachThumbnailPixelIsTheRoundedMeanOfTheBlockItCovers(long seed, int w, int h, int width, double repeat) {
        BufferedImage img = runs(seed, w, h, repeat);
        BufferedImage thumb = Png.shrink(img, width);
        int th = thumb.getHeight();
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < width; tx++) {
                int xa = tx * w / width, xb = (tx + 1) * w / width, ya = ty * h / th, yb = Math.max(ya + 1, (ty + 1) * h / th);
                for (int shift = 0; shift <= 16; shift += 8) {
                    long sum = 0;
                    for (int y = ya; y < yb; y++) {
                        for (int x = xa; x < xb; x++) {
                            sum += (img.getRGB(x, y) >> shift) & 0xff;
                        }
                    }
                    long n = (long) (xb - xa) * (yb - ya);
                    assertThat((thumb.getRGB(tx, ty) >> shift) & 0xff).as("seed %d: (%d, %d), bits %d-%d (%d rows in the band)", seed, tx, ty, shift, shift + 7, yb - ya)
                            .isEqualTo((int) ((sum + n / 2) / n));
                }
            }
        }
    }
}
