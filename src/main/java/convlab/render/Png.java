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

    /** Each thread's deflater, reset for every image: a new one allocates and frees some 300 KB of zlib state. */
    private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED));

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
        Deflater deflater = DEFLATER.get();
        deflater.reset();
        DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16);
        byte[] row = new byte[1 + 3 * w]; // row[0] = 0: filter None
        int[] rgb = pixels(img);
        for (int y = 0; y < h; y++) {
            // a row equal to the one above it (a third of a figure's rows) is packed already
            if (y == 0 || !java.util.Arrays.equals(rgb, y * w, y * w + w, rgb, (y - 1) * w, y * w)) {
                for (int x = 0, i = 1; x < w; x++) {
                    int p = rgb[y * w + x];
                    row[i++] = (byte) (p >> 16);
                    row[i++] = (byte) (p >> 8);
                    row[i++] = (byte) p;
                }
            }
            z.write(row);
        }
        z.finish(); // not close(): the deflater is this thread's, reset for its next image
        chunk(data, "IDAT", idat.toByteArray());
        chunk(data, "IEND", new byte[0]);
        data.flush();
    }

    /**
     * A smaller copy, {@code width} pixels wide (height in proportion, at least 1), each pixel the mean of the block
     * of source pixels it covers (area averaging, which keeps thin lines visible; Java2D's scaled drawImage cost a
     * fifth of a figure's time). An image already that narrow comes back as it is.
     *
     * <p>Each band of rows is summed down its columns first, then across each block's columns. A row equal to the
     * row above it (a third of a figure's rows: flat cells and margins) is not read again but counted twice. Red and
     * blue are summed in one int ({@code p & 0xff00ff}), which holds while a band has at most 257 rows; a taller band
     * sums in two parts.
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
        int[] redBlue = new int[sw], green = new int[sw]; // a band's column sums, in bits 16-31 | 0-15 and 8-31
        long[] r = new long[width], g = new long[width], b = new long[width];
        for (int ty = 0; ty < th; ty++) {
            int y0 = (int) ((long) ty * sh / th);
            int y1 = Math.max(y0 + 1, (int) ((long) (ty + 1) * sh / th));
            java.util.Arrays.fill(r, 0);
            java.util.Arrays.fill(g, 0);
            java.util.Arrays.fill(b, 0);
            for (int part = y0; part < y1; part += MAX_BAND) {
                java.util.Arrays.fill(redBlue, 0);
                java.util.Arrays.fill(green, 0);
                int end = Math.min(y1, part + MAX_BAND);
                for (int y = part; y < end; ) {
                    int row = y * sw;
                    int times = 1; // this row and the equal ones right below it
                    while (y + times < end && java.util.Arrays.equals(src, row, row + sw, src, row + times * sw, row + (times + 1) * sw)) {
                        times++;
                    }
                    for (int x = 0; x < sw; x++) {
                        int p = src[row + x];
                        redBlue[x] += times * (p & 0xff00ff);
                        green[x] += times * (p & 0xff00);
                    }
                    y += times;
                }
                for (int tx = 0; tx < width; tx++) {
                    for (int x = x0[tx]; x < x0[tx + 1]; x++) {
                        r[tx] += redBlue[x] >>> 16;
                        b[tx] += redBlue[x] & 0xffff;
                        g[tx] += green[x] >>> 8;
                    }
                }
            }
            for (int tx = 0; tx < width; tx++) {
                long n = (long) (x0[tx + 1] - x0[tx]) * (y1 - y0);
                dst[ty * width + tx] = (int) ((r[tx] + n / 2) / n) << 16 | (int) ((g[tx] + n / 2) / n) << 8 | (int) ((b[tx] + n / 2) / n);
            }
        }
        return out;
    }

    /** The most rows {@link #shrink} sums in one int per column: 257 x 255 still fits in blue's 16 bits. */
    static final int MAX_BAND = 257;

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
