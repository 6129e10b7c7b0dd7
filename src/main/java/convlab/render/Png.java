package convlab.render;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Opaque RGB images as PNG, fast: 8-bit truecolour, no filtering, zlib at its fastest level, a pHYs chunk for the
 * resolution and nothing that varies (no time, no text). The JDK's ImageIO writer tries every row filter on every row
 * and deflates harder, which made encoding most of what a figure cost (a 3317x1307 figure: about 160 ms there, 35 ms
 * here, the file some 15% larger). Any PNG reader reads these.
 */
public final class Png {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Png() {
    }

    /** The image as PNG bytes, marked with {@code dpi} dots per inch. */
    public static byte[] bytes(BufferedImage img, double dpi) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(img, dpi, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the image (its alpha, if any, dropped) as a PNG to {@code out}, which stays open. */
    public static void write(BufferedImage img, double dpi, OutputStream out) throws IOException {
        int w = img.getWidth();
        int h = img.getHeight();
        DataOutputStream data = new DataOutputStream(out);
        data.write(SIGNATURE);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream hd = new DataOutputStream(header);
        hd.writeInt(w);
        hd.writeInt(h);
        hd.write(new byte[] {8, 2, 0, 0, 0}); // 8 bits, truecolour, deflate, adaptive filtering (unused), no interlace
        chunk(data, "IHDR", header.toByteArray());
        ByteArrayOutputStream phys = new ByteArrayOutputStream();
        DataOutputStream pd = new DataOutputStream(phys);
        int perMetre = (int) Math.round(dpi / 0.0254);
        pd.writeInt(perMetre);
        pd.writeInt(perMetre);
        pd.write(1); // unit: metre
        chunk(data, "pHYs", phys.toByteArray());

        ByteArrayOutputStream idat = new ByteArrayOutputStream(Math.max(1024, w * h / 4));
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
            byte[] row = new byte[1 + 3 * w]; // row[0] = 0: filter None
            int[] rgb = pixels(img);
            for (int y = 0; y < h; y++) {
                for (int x = 0, i = 1; x < w; x++) {
                    int p = rgb[y * w + x];
                    row[i++] = (byte) (p >> 16);
                    row[i++] = (byte) (p >> 8);
                    row[i++] = (byte) p;
                }
                z.write(row);
            }
        } finally {
            deflater.end();
        }
        chunk(data, "IDAT", idat.toByteArray());
        chunk(data, "IEND", new byte[0]);
        data.flush();
    }

    /**
     * A smaller copy, {@code width} pixels wide (height in proportion, at least 1), each pixel the mean of the block
     * of source pixels it covers (area averaging in one pass, which keeps thin lines visible; Java2D's scaled
     * drawImage cost a fifth of a figure's time). An image already that narrow comes back as it is.
     */
    public static BufferedImage shrink(BufferedImage img, int width) {
        int sw = img.getWidth();
        int sh = img.getHeight();
        if (sw <= width) {
            return img;
        }
        int th = Math.max(1, (int) Math.round(sh * (width / (double) sw)));
        int[] src = pixels(img);
        BufferedImage out = new BufferedImage(width, th, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData(); // written directly, not through setRGB
        int[] x0 = new int[width + 1];
        for (int tx = 0; tx <= width; tx++) {
            x0[tx] = (int) ((long) tx * sw / width);
        }
        long[] red = new long[width], green = new long[width], blue = new long[width];
        for (int ty = 0; ty < th; ty++) {
            int y0 = (int) ((long) ty * sh / th);
            int y1 = Math.max(y0 + 1, (int) ((long) (ty + 1) * sh / th));
            java.util.Arrays.fill(red, 0);
            java.util.Arrays.fill(green, 0);
            java.util.Arrays.fill(blue, 0);
            for (int y = y0; y < y1; y++) {
                int row = y * sw;
                for (int tx = 0; tx < width; tx++) { // each block's part of this row summed in registers
                    int r = 0, g = 0, b = 0;
                    for (int x = x0[tx]; x < x0[tx + 1]; x++) {
                        int p = src[row + x];
                        r += (p >> 16) & 0xff;
                        g += (p >> 8) & 0xff;
                        b += p & 0xff;
                    }
                    red[tx] += r;
                    green[tx] += g;
                    blue[tx] += b;
                }
            }
            for (int tx = 0; tx < width; tx++) {
                long n = (long) (x0[tx + 1] - x0[tx]) * (y1 - y0);
                dst[ty * width + tx] = (int) ((red[tx] + n / 2) / n) << 16 | (int) ((green[tx] + n / 2) / n) << 8
                        | (int) ((blue[tx] + n / 2) / n);
            }
        }
        return out;
    }

    /**
     * The image's pixels as packed RGB, row by row (the alpha byte, if any, is not to be read): the raster's own
     * array when the image is {@code TYPE_INT_RGB}, as every figure is, which saves {@link BufferedImage#getRGB}'s
     * colour-model call per pixel (most of a thumbnail's time); a converted copy otherwise.
     */
    private static int[] pixels(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        if (img.getType() == BufferedImage.TYPE_INT_RGB && img.getRaster().getDataBuffer() instanceof DataBufferInt db
                && db.getNumBanks() == 1 && db.getData().length == w * h && img.getRaster().getParent() == null) {
            return db.getData();
        }
        return img.getRGB(0, 0, w, h, null, 0, w);
    }

    private static void chunk(DataOutputStream out, String type, byte[] body) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(body);
        out.writeInt(body.length);
        out.write(t);
        out.write(body);
        out.writeInt((int) crc.getValue());
    }
}
