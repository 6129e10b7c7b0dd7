package convlab.io;

import convlab.core.Budget;
import convlab.core.DType;
import convlab.core.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Images as inputs: a PNG or JPEG becomes a {@code [1, 3, H, W]} float64 tensor of RGB values in [0, 1]. */
public final class Images {

    private Images() {
    }

    /**
     * Reads an image, scaled down (keeping its aspect) so its longer side is at most {@code maxSize} if that is > 0.
     * The size is read from the file's header before any pixel is decoded: a large image is decoded subsampled
     * when it will be scaled down anyway, and an image whose tensor would exceed {@link Budget} is refused.
     */
    public static Tensor read(Path file, int maxSize) {
        if (!Files.exists(file)) {
            throw new InvalidInputException(file, "no such image file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, "expected a regular image file, but found " + (Files.isDirectory(file) ? "a directory" : "a device, FIFO or socket"));
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new InvalidInputException(file, "expected a PNG or JPEG image, but found a format ImageIO cannot read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                long longer = Math.max(w, h);
                int step = maxSize > 0 && longer > 2L * maxSize ? (int) Math.min(Integer.MAX_VALUE, longer / maxSize) : 1;
                long decodedW = (w + step - 1) / step;
                long decodedH = (h + step - 1) / step;
                try {
                    Budget.check("the image (" + w + "x" + h + " pixels" + (step > 1 ? ", decoded at 1/" + step : "") + ", 3 channels)",
                            Budget.elements(3, decodedW, decodedH));
                } catch (Budget.Exceeded e) {
                    throw new InvalidInputException(file, e.getMessage() + (maxSize > 0 ? "" : "; or scale it down with --max-size"));
                }
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                img = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException(file, "cannot be read as an image: " + e.getMessage());
        }
        return toTensor(resize(img, maxSize));
    }

    static BufferedImage resize(BufferedImage img, int maxSize) {
        int longer = Math.max(img.getWidth(), img.getHeight());
        if (maxSize <= 0 || longer <= maxSize) {
            return img;
        }
        int w = Math.max(1, Math.round(img.getWidth() * (float) maxSize / longer));
        int h = Math.max(1, Math.round(img.getHeight() * (float) maxSize / longer));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** Channel 0 red, 1 green, 2 blue, each in [0, 1]. */
    public static Tensor toTensor(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        return Tensor.fill(DType.FLOAT64, new int[] {1, 3, h, w}, idx -> {
            int rgb = img.getRGB(idx[3], idx[2]);
            int shift = 16 - 8 * idx[1];
            return ((rgb >> shift) & 0xff) / 255.0;
        });
    }

    /** The inverse of {@link #toTensor} for the first item of a 3-channel batch, values clamped to [0, 1]. */
    public static BufferedImage toImage(Tensor nchw) {
        int h = nchw.dim(2);
        int w = nchw.dim(3);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = Math.max(0, Math.min(1, nchw.get(0, c, y, x)));
                    rgb |= ((int) Math.round(v * 255)) << (16 - 8 * c);
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }
}
