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

    @ParameterizedTest(name = "{0}x{1} to {2} wide")
    @CsvSource({"10, 4, 5", "9, 6, 3", "7, 7, 2"})
    void eachThumbnailPixelIsTheMeanOfTheBlockItCovers(int w, int h, int width) {
        BufferedImage img = noise(w * 31L + h, w, h, BufferedImage.TYPE_INT_RGB);
        BufferedImage thumb = Png.shrink(img, width);
        int th = thumb.getHeight();
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < width; tx++) {
                int xa = tx * w / width, xb = (tx + 1) * w / width, ya = ty * h / th, yb = Math.max(ya + 1, (ty + 1) * h / th);
                double green = 0;
                for (int y = ya; y < yb; y++) {
                    for (int x = xa; x < xb; x++) {
                        green += (img.getRGB(x, y) >> 8) & 0xff;
                    }
                }
                green /= (xb - xa) * (yb - ya);
                assertThat((thumb.getRGB(tx, ty) >> 8) & 0xff).as("(%d, %d)", tx, ty).isCloseTo((int) Math.round(green), org.assertj.core.data.Offset.offset(1));
            }
        }
    }
}
