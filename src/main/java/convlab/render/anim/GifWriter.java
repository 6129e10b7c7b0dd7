package convlab.render.anim;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;

/**
 * Writes an animated GIF one frame at a time with the JDK's ImageIO GIF writer, holding only the previous frame.
 * Each frame gets a local colour table with exactly its own colours (at most 256, which {@link CellColors} sees to;
 * beyond that the most frequent colours are kept and the rest mapped to the nearest of them, deterministically,
 * without dithering). The first frame is written whole; each later frame only as the rectangle where it differs from
 * the one before, with the pixels that did not change marked transparent, and disposal {@code doNotDispose} so it is
 * drawn over its predecessor. The stream loops forever (NETSCAPE2.0 application extension, count 0).
 */
public final class GifWriter implements Closeable {

    private static final String IMAGE_FORMAT = "javax_imageio_gif_image_1.0";
    private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";

    private final ImageOutputStream out;
    private final ImageWriter writer;
    private final ImageWriteParam param;
    private final int width;
    private final int height;
    private int[] previous;
    private int frames;
    private int quantisedFrames;

    /** A GIF of {@code width x height} written to {@code sink}, which {@link #close} does not close. */
    public GifWriter(OutputStream sink, int width, int height) throws IOException {
        this.width = width;
        this.height = height;
        this.out = new MemoryCacheImageOutputStream(sink);
        this.writer = ImageIO.getImageWritersByFormatName("gif").next();
        this.param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
        writer.setOutput(out);
        writer.prepareWriteSequence(streamMetadata());
    }

    /**
     * A global colour table (white, black) and the screen size. Every frame brings its own local table; the global one
     * only keeps ImageIO from promoting the first frame's table to global.
     */
    private IIOMetadata streamMetadata() throws IIOInvalidTreeException {
        IIOMetadata sm = writer.getDefaultStreamMetadata(param);
        IIOMetadataNode root = new IIOMetadataNode(STREAM_FORMAT);
        IIOMetadataNode version = new IIOMetadataNode("Version");
        version.setAttribute("value", "89a");
        root.appendChild(version);
        IIOMetadataNode screen = new IIOMetadataNode("LogicalScreenDescriptor");
        screen.setAttribute("logicalScreenWidth", Integer.toString(width));
        screen.setAttribute("logicalScreenHeight", Integer.toString(height));
        screen.setAttribute("colorResolution", "8");
        screen.setAttribute("pixelAspectRatio", "0");
        root.appendChild(screen);
        IIOMetadataNode table = new IIOMetadataNode("GlobalColorTable");
        table.setAttribute("sizeOfGlobalColorTable", "2");
        table.setAttribute("backgroundColorIndex", "0");
        table.setAttribute("sortFlag", "FALSE");
        int[] rgb = {0xffffff, 0x000000};
        for (int i = 0; i < rgb.length; i++) {
            IIOMetadataNode e = new IIOMetadataNode("ColorTableEntry");
            e.setAttribute("index", Integer.toString(i));
            e.setAttribute("red", Integer.toString((rgb[i] >> 16) & 0xff));
            e.setAttribute("green", Integer.toString((rgb[i] >> 8) & 0xff));
            e.setAttribute("blue", Integer.toString(rgb[i] & 0xff));
            table.appendChild(e);
        }
        root.appendChild(table);
        sm.mergeTree(STREAM_FORMAT, root);
        return sm;
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

        // The colours of the changed pixels (only those; unchanged ones become transparent).
        int limit = diff ? 255 : 256;
        ColorIndex index = new ColorIndex();
        for (int y = box.y; y < box.y + box.height; y++) {
            for (int x = box.x; x < box.x + box.width; x++) {
                int i = y * width + x;
                if (!diff || px[i] != previous[i]) {
                    index.count(px[i]);
                }
            }
        }
        int[] palette = index.palette(limit);
        if (index.size() > limit) {
            quantisedFrames++;
        }
        int transparent = diff ? palette.length : -1;
        int size = Math.max(2, palette.length + (diff ? 1 : 0));
        int tableSize = Integer.highestOneBit(size - 1) << 1;
        byte[] r = new byte[tableSize];
        byte[] g = new byte[tableSize];
        byte[] b = new byte[tableSize];
        for (int i = 0; i < palette.length; i++) {
            r[i] = (byte) (palette[i] >> 16);
            g[i] = (byte) (palette[i] >> 8);
            b[i] = (byte) palette[i];
        }
        IndexColorModel icm = transparent >= 0
                ? new IndexColorModel(8, tableSize, r, g, b, transparent)
                : new IndexColorModel(8, tableSize, r, g, b);
        BufferedImage indexed = new BufferedImage(box.width, box.height, BufferedImage.TYPE_BYTE_INDEXED, icm);
        byte[] data = ((DataBufferByte) indexed.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < box.height; y++) {
            for (int x = 0; x < box.width; x++) {
                int i = (box.y + y) * width + box.x + x;
                data[y * box.width + x] = (byte) (diff && px[i] == previous[i] ? transparent : index.indexOf(px[i]));
            }
        }

        IIOMetadata md = writer.getDefaultImageMetadata(new ImageTypeSpecifier(indexed), param);
        IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(IMAGE_FORMAT);
        IIOMetadataNode descriptor = child(root, "ImageDescriptor");
        descriptor.setAttribute("imageLeftPosition", Integer.toString(box.x));
        descriptor.setAttribute("imageTopPosition", Integer.toString(box.y));
        descriptor.setAttribute("imageWidth", Integer.toString(box.width));
        descriptor.setAttribute("imageHeight", Integer.toString(box.height));
        descriptor.setAttribute("interlaceFlag", "FALSE");
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "doNotDispose");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", transparent >= 0 ? "TRUE" : "FALSE");
        gce.setAttribute("transparentColorIndex", Integer.toString(Math.max(0, transparent)));
        gce.setAttribute("delayTime", Integer.toString(delayCentis));
        if (frames == 0) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0}); // sub-block 1: loop count 0 = forever
            apps.appendChild(app);
        }
        md.setFromTree(IMAGE_FORMAT, root);
        writer.writeToSequence(new IIOImage(indexed, null, md), param);
        out.flush(); // hand the bytes on; keep nothing but the previous frame
        previous = px;
        frames++;
    }

    /** The frame's RGB values (alpha dropped), copied. */
    private int[] pixels(BufferedImage frame) {
        int[] px;
        if (frame.getType() == BufferedImage.TYPE_INT_RGB && frame.getRaster().getDataBuffer() instanceof DataBufferInt db
                && db.getNumBanks() == 1 && db.getData().length == width * height) {
            px = db.getData().clone();
        } else {
            px = frame.getRGB(0, 0, width, height, null, 0, width);
        }
        for (int i = 0; i < px.length; i++) {
            px[i] &= 0xffffff;
        }
        return px;
    }

    /** The bounding box of the pixels that differ; a single pixel when nothing does (a GIF frame cannot be empty). */
    private Rectangle changed(int[] a, int[] b) {
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                if (a[row + x] != b[row + x]) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = y;
                }
            }
        }
        return x1 < 0 ? new Rectangle(0, 0, 1, 1) : new Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) {
                return (IIOMetadataNode) n;
            }
        }
        IIOMetadataNode n = new IIOMetadataNode(name);
        root.appendChild(n);
        return n;
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
        try {
            writer.endWriteSequence();
            out.flush();
        } finally {
            writer.dispose();
            out.close();
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

        void count(int rgb) {
            int i = slot(rgb);
            if (keys[i] == -1) {
                if ((size + 1) * 2 > keys.length) {
                    grow();
                    i = slot(rgb);
                }
                keys[i] = rgb;
                size++;
            }
            counts[i]++;
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
