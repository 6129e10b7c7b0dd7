package convlab.render.anim;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes an animated GIF one frame at a time, holding only the previous frame: the GIF89a stream and its LZW
 * compression written here (the JDK's ImageIO writer spent most of a demo's time in its LZW string table). Each frame
 * gets a local colour table with exactly its own colours (at most 256, which {@link CellColors} sees to; beyond that
 * the most frequent colours are kept and the rest mapped to the nearest of them, deterministically, without
 * dithering). The first frame is written whole; each later frame only as the rectangle where it differs from the one
 * before, with the pixels that did not change marked transparent, and disposal {@code doNotDispose} so it is drawn
 * over its predecessor. The stream loops forever (NETSCAPE2.0 application extension, count 0).
 */
public final class GifWriter implements Closeable {

    /** The byte that ends a GIF stream. */
    static final int TRAILER = 0x3b;

    private final OutputStream out;
    private final int width;
    private final int height;
    private final Lzw lzw = new Lzw();
    private int[] previous;
    private int frames;
    private int quantisedFrames;

    /** A GIF of {@code width x height} written to {@code sink}, which {@link #close} does not close. */
    public GifWriter(OutputStream sink, int width, int height) throws IOException {
        if (width < 1 || height < 1 || width > 0xffff || height > 0xffff) {
            throw new IllegalArgumentException("Expected a GIF of 1 to 65535 pixels each way, but found " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.out = new BufferedOutputStream(sink, 1 << 16);
        out.write("GIF89a".getBytes(StandardCharsets.US_ASCII));
        // Logical screen: a global colour table of 2 entries (white, black), colour resolution 8 bits, background 0.
        // Every frame brings its own local table; the global one is only there for decoders that want one.
        short16(width);
        short16(height);
        out.write(0x80 | 0x70);
        out.write(0);
        out.write(0);
        out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0});
        // NETSCAPE2.0: sub-block 1, loop count 0 = forever.
        out.write(new byte[] {0x21, (byte) 0xff, 0x0b});
        out.write("NETSCAPE2.0".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {3, 1, 0, 0, 0});
    }

    /** Appends a frame of the GIF's size, shown for {@code delayCentis} hundredths of a second. */
    public void write(BufferedImage frame, int delayCentis) throws IOException {
        if (frame.getWidth() != width || frame.getHeight() != height) {
            throw new IllegalArgumentException("Expected a frame of " + width + "x" + height + ", but found "
                    + frame.getWidth() + "x" + frame.getHeight());
        }
        int[] px = pixels(frame);
        Rectangle box = previous == null ? new Rectangle(0, 0, width, height) : changed(previous, px);
        boolean diff = previous != null;

        // The colours of the changed pixels (only those; unchanged ones become transparent), counted a run at a time;
        // stretches that did not change are skipped with Arrays.mismatch (vectorised).
        int limit = diff ? 255 : 256;
        ColorIndex index = new ColorIndex();
        for (int y = box.y; y < box.y + box.height; y++) {
            int end = y * width + box.x + box.width;
            int i = y * width + box.x;
            while (i < end) {
                if (diff) {
                    int skip = Arrays.mismatch(px, i, end, previous, i, end);
                    if (skip < 0) {
                        break;
                    }
                    i += skip;
                }
                int colour = px[i];
                int run = 1;
                while (i + run < end && px[i + run] == colour && (!diff || px[i + run] != previous[i + run])) {
                    run++;
                }
                index.count(colour & 0xffffff, run);
                i += run;
            }
        }
        int[] palette = index.palette(limit);
        if (index.size() > limit) {
            quantisedFrames++;
        }
        // A later frame's index 0 is transparent and its colours start at 1: a fresh array is already all transparent.
        int transparent = diff ? 0 : -1;
        int first = diff ? 1 : 0;
        int size = Math.max(2, palette.length + first);
        int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(size - 1));
        int tableSize = 1 << bits;
        byte[] data = new byte[box.width * box.height];
        int lastRgb = 0;
        int lastIndex = -1; // none yet: any int is a pixel value (getRGB's white is -1)
        for (int y = 0; y < box.height; y++) {
            int start = (box.y + y) * width + box.x;
            int end = start + box.width;
            for (int i = start; i < end; i++) {
                if (diff) {
                    int skip = Arrays.mismatch(px, i, end, previous, i, end);
                    if (skip < 0) {
                        break;
                    }
                    i += skip;
                }
                int rgb = px[i];
                if (lastIndex < 0 || rgb != lastRgb) {
                    lastRgb = rgb;
                    lastIndex = first + index.indexOf(rgb & 0xffffff);
                }
                data[y * box.width + i - start] = (byte) lastIndex;
            }
        }

        // Graphic control extension: disposal doNotDispose (1), the transparent index if any, the delay.
        out.write(new byte[] {0x21, (byte) 0xf9, 4, (byte) ((1 << 2) | (transparent >= 0 ? 1 : 0))});
        short16(delayCentis);
        out.write(Math.max(0, transparent));
        out.write(0);
        // Image descriptor with a local colour table of 2^bits entries, not interlaced.
        out.write(0x2c);
        short16(box.x);
        short16(box.y);
        short16(box.width);
        short16(box.height);
        out.write(0x80 | (bits - 1));
        byte[] table = new byte[3 * tableSize];
        for (int c = 0; c < palette.length; c++) {
            table[3 * (first + c)] = (byte) (palette[c] >> 16);
            table[3 * (first + c) + 1] = (byte) (palette[c] >> 8);
            table[3 * (first + c) + 2] = (byte) palette[c];
        }
        out.write(table);
        lzw.encode(data, Math.max(2, bits), out);
        out.flush(); // hand the bytes on; keep nothing but the previous frame
        // One buffer for the whole GIF, not a copy per frame; outside the changed box the frame equals it already.
        if (previous == null) {
            previous = px.clone();
        } else {
            for (int y = box.y; y < box.y + box.height; y++) {
                System.arraycopy(px, y * width + box.x, previous, y * width + box.x, box.width);
            }
        }
        frames++;
    }

    private void short16(int v) throws IOException {
        out.write(v & 0xff);
        out.write((v >> 8) & 0xff);
    }

    /**
     * The frame's pixels: RGB in the low 24 bits, read in place from a {@code TYPE_INT_RGB} frame's raster (the
     * writer copies them into its previous-frame buffer when the frame is written, so the caller may draw the next
     * frame into the same image). The top byte is not cleared (a pass over every pixel of every frame); colours are
     * looked up by their low 24 bits, and a pixel whose top byte alone differs from the frame before only counts as
     * changed, which costs bytes, never a wrong colour.
     */
    private int[] pixels(BufferedImage frame) {
        if (frame.getType() == BufferedImage.TYPE_INT_RGB && frame.getRaster().getDataBuffer() instanceof DataBufferInt db
                && db.getNumBanks() == 1 && db.getData().length == width * height) {
            return db.getData();
        }
        return frame.getRGB(0, 0, width, height, null, 0, width);
    }

    /** The bounding box of the pixels that differ; a single pixel when nothing does (a GIF frame cannot be empty). */
    private Rectangle changed(int[] a, int[] b) {
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int first = Arrays.mismatch(a, row, row + width, b, row, row + width);
            if (first < 0) {
                continue;
            }
            // The last differing pixel: whole blocks of 64 compared from the right end (Arrays.equals is vectorised),
            // then pixel by pixel inside the block that differs.
            int end = width;
            while (end - first > 64 && Arrays.equals(a, row + end - 64, row + end, b, row + end - 64, row + end)) {
                end -= 64;
            }
            int last = end - 1;
            while (a[row + last] == b[row + last]) {
                last--;
            }
            x0 = Math.min(x0, first);
            x1 = Math.max(x1, last);
            y0 = Math.min(y0, y);
            y1 = y;
        }
        return x1 < 0 ? new Rectangle(0, 0, 1, 1) : new Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /** Frames written so far. */
    public int frames() {
        return frames;
    }

    /** Frames that had more than 256 colours and were quantised (0 in convlab's own animations). */
    public int quantisedFrames() {
        return quantisedFrames;
    }

    /** Writes the trailer and flushes; the sink stays open. */
    @Override
    public void close() throws IOException {
        out.write(TRAILER);
        out.flush();
    }

    /**
     * GIF's variable-length LZW (codes of 3 to 12 bits, least significant bit first, a clear code when the 4096-entry
     * table is full), packed into data sub-blocks of at most 255 bytes: the same steps as the classic
     * {@code compress}-derived GIF encoders. The strings are a direct table indexed by (prefix code, next index), 0
     * where there is none (string codes start above the clear code), so a pixel costs one look-up; a reset clears
     * only the entries it used.
     *
     * <p>Runs take a short cut. Most of a frame is runs of one index (the transparent pixels that did not change, a
     * white background), and the only strings a run of {@code b} walks through are {@code b}, {@code bb},
     * {@code bbb}, ...: the table holds them as a chain, kept per index in {@code chains[b]} as it grows. While the
     * current string is {@code b} repeated {@code m} times and the next pixels are {@code b}, the encoder jumps along
     * the chain by the length of the run instead of looking each pixel up. The codes written are the same, code for
     * code (a test holds the plain loop to it).
     */
    static final class Lzw {
        private static final int MAX_CODES = 4096;
        private final short[] table = new short[MAX_CODES << 8];
        private final int[] used = new int[MAX_CODES];
        private int usedCount;
        private final byte[] block = new byte[256];
        private OutputStream out;
        private int blockSize;
        private int bitBuffer;
        private int bitCount;
        private int codeSize;
        private int next;
        private int clear;
        /** {@code chains[b][m]}: the code of {@code b} repeated {@code m} times, for m from 1 to {@code chainLength[b]}. */
        private final short[][] chains = new short[256][];
        private final int[] chainLength = new int[256];

        void encode(byte[] data, int minCodeSize, OutputStream sink) throws IOException {
            out = sink;
            blockSize = 0;
            bitBuffer = 0;
            bitCount = 0;
            out.write(minCodeSize);
            clear = 1 << minCodeSize;
            int end = clear + 1;
            reset(minCodeSize);
            emit(clear);
            int prefix = data[0] & 0xff;
            int run = 1; // the string so far is data[i-1] repeated run times, or run = 0 when it is not one index repeated
            for (int i = 1; i < data.length; i++) {
                int k = data[i] & 0xff;
                if (run > 0 && k == (data[i - 1] & 0xff)) {
                    // The short cut: walk the chain of k, kk, kkk, ... as far as both the run and the chain go.
                    // How far the run goes, found 8 bytes at a time (Arrays.mismatch of the data against itself one
                    // byte back): a frame's changed box is mostly one transparent run after another.
                    int room = chainLength[k] - run;
                    int limit = (int) Math.min(data.length, (long) i + Math.max(room, 0));
                    int m = limit > i ? Arrays.mismatch(data, i, limit, data, i - 1, limit - 1) : 0;
                    int j = m < 0 ? limit : i + m;
                    if (j > i) {
                        run += j - i;
                        prefix = chains[k][run];
                        i = j - 1; // the last pixel consumed
                        continue;
                    }
                }
                int slot = (prefix << 8) | k;
                int code = table[slot];
                if (code != 0) {
                    prefix = code;
                    run = run > 0 && k == (data[i - 1] & 0xff) ? run + 1 : 0;
                    continue;
                }
                emit(prefix);
                if (next < MAX_CODES) {
                    if (run > 0 && k == (data[i - 1] & 0xff)) {
                        grow(k, run + 1, next); // the string just added is k repeated run + 1 times
                    }
                    table[slot] = (short) next++;
                    used[usedCount++] = slot;
                } else {
                    emit(clear);
                    reset(minCodeSize);
                }
                prefix = k;
                run = 1;
            }
            emit(prefix);
            emit(end);
            if (bitCount > 0) {
                put(bitBuffer & 0xff);
            }
            if (blockSize > 0) {
                flushBlock();
            }
            out.write(0); // block terminator
        }

        /** Records that {@code code} is the string {@code k} repeated {@code length} times, the chain's next link. */
        private void grow(int k, int length, int code) {
            if (chains[k] == null) {
                chains[k] = new short[MAX_CODES + 1];
            }
            chains[k][length] = (short) code;
            chainLength[k] = length;
        }

        private void reset(int minCodeSize) {
            for (int i = 0; i < usedCount; i++) {
                table[used[i]] = 0;
            }
            usedCount = 0;
            for (int b = 0; b < 256; b++) { // every chain starts again at its single index, whose code is the index
                chainLength[b] = 1;
                if (chains[b] != null) {
                    chains[b][1] = (short) b;
                }
            }
            codeSize = minCodeSize + 1;
            next = clear + 2;
        }

        /** Writes a code at the current size; the size grows once the table holds a code that needs one more bit. */
        private void emit(int code) throws IOException {
            bitBuffer |= code << bitCount;
            bitCount += codeSize;
            while (bitCount >= 8) {
                put(bitBuffer & 0xff);
                bitBuffer >>>= 8;
                bitCount -= 8;
            }
            if (code == clear) {
                return; // reset() sets the size
            }
            if (next > (1 << codeSize) - 1 && codeSize < 12) {
                codeSize++;
            }
        }

        private void put(int b) throws IOException {
            block[1 + blockSize++] = (byte) b;
            if (blockSize == 255) {
                flushBlock();
            }
        }

        private void flushBlock() throws IOException {
            block[0] = (byte) blockSize;
            out.write(block, 0, blockSize + 1);
            blockSize = 0;
        }
    }

    /**
     * Colour counts, then a palette of at most {@code limit} colours and each colour's index in it. An open-addressing
     * table keyed by RGB (frames have a few hundred colours at most, and millions of pixels).
     */
    static final class ColorIndex {
        private int[] keys = new int[1024];
        private int[] counts = new int[1024];
        private int[] index = new int[1024];
        private int size;

        ColorIndex() {
            Arrays.fill(keys, -1);
        }

        private int slot(int rgb) {
            int mask = keys.length - 1;
            int h = (rgb * 0x9E3779B1) >>> 7;
            int i = h & mask;
            while (keys[i] != -1 && keys[i] != rgb) {
                i = (i + 1) & mask;
            }
            return i;
        }

        void count(int rgb, int n) {
            int i = slot(rgb);
            if (keys[i] == -1) {
                if ((size + 1) * 2 > keys.length) {
                    grow();
                    i = slot(rgb);
                }
                keys[i] = rgb;
                size++;
            }
            counts[i] += n;
        }

        private void grow() {
            int[] oldKeys = keys;
            int[] oldCounts = counts;
            keys = new int[oldKeys.length * 2];
            counts = new int[keys.length];
            index = new int[keys.length];
            Arrays.fill(keys, -1);
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != -1) {
                    int i = slot(oldKeys[j]);
                    keys[i] = oldKeys[j];
                    counts[i] = oldCounts[j];
                }
            }
        }

        int size() {
            return size;
        }

        /**
         * Every colour when they fit; otherwise the {@code limit} most frequent (ties: lower RGB first), every other
         * colour mapping to its nearest kept colour (squared RGB distance; ties: lower index). Colours are listed
         * most frequent first either way, so palettes do not depend on hashing.
         */
        int[] palette(int limit) {
            long[] order = new long[size];
            int n = 0;
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != -1) {
                    // Sort by count descending, then RGB ascending: pack (MAX - count, rgb).
                    order[n++] = ((long) (Integer.MAX_VALUE - counts[i]) << 24) | keys[i];
                }
            }
            Arrays.sort(order);
            int keep = Math.min(limit, size);
            int[] palette = new int[keep];
            for (int i = 0; i < keep; i++) {
                palette[i] = (int) (order[i] & 0xffffff);
                index[slot(palette[i])] = i;
            }
            for (int i = keep; i < size; i++) {
                int rgb = (int) (order[i] & 0xffffff);
                index[slot(rgb)] = nearest(palette, rgb);
            }
            return palette;
        }

        int indexOf(int rgb) {
            return index[slot(rgb)];
        }

        private static int nearest(int[] palette, int rgb) {
            int best = 0;
            long bestD = Long.MAX_VALUE;
            for (int i = 0; i < palette.length; i++) {
                int dr = ((palette[i] >> 16) & 0xff) - ((rgb >> 16) & 0xff);
                int dg = ((palette[i] >> 8) & 0xff) - ((rgb >> 8) & 0xff);
                int db = (palette[i] & 0xff) - (rgb & 0xff);
                long d = (long) dr * dr + (long) dg * dg + (long) db * db;
                if (d < bestD) {
                    bestD = d;
                    best = i;
                }
            }
            return best;
        }
    }
}
