package convlab.io;

import convlab.core.DType;
import convlab.core.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Images as inputs: a PNG or JPEG becomes a {@code [1, 3, H, W]} float64 tensor of RGB values in [0, 1]. */
public final class Images {

    private Images() {
    }

    /** Reads an image, scaled down (keeping its aspect) so its longer side is at most {@code maxSize} if that is > 0. */
    public static Tensor read(Path file, int maxSize) {
        BufferedImage img;
        try {
            if (!Files.exists(file)) {
                throw new InvalidInputException(file, "no such image file");
            }
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot be read as an image: " + e.getMessage());
        }
        if (img == null) {
            throw new InvalidInputException(file, "expected a PNG or JPEG image, but found a format ImageIO cannot read");
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
