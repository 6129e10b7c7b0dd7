package convlab.render;

import convlab.io.AtomicFiles;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.apache.batik.dom.GenericDOMImplementation;
import org.apache.batik.svggen.ImageHandlerBase64Encoder;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2DIOException;
import org.apache.batik.svggen.SVGGraphics2D;
import org.w3c.dom.DOMImplementation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * One figure per convolution layer, as PNG or SVG. The figure reads left to right as the computation flows: the
 * input channels, the kernels (one row per filter, its bias beside it), the outputs (before and after the
 * activation), and a cross-check of each engine against the reference. Every group of panels shares one colour
 * scale and one colour bar. Rendering is headless and deterministic: the same data and options give the same bytes.
 *
 * <pre>
 *   Figure f = Figures.render(data, FigureOptions.defaults());
 *   Figures.writePng(f, Path.of("layer0.png"), 2.0);
 *   Figures.writeSvg(f, Path.of("layer0.svg"));
 *   byte[] png = Figures.png(f, 1.0);            // for embedding in a report
 * </pre>
 */
public final class Figures {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Figures() {
    }

    /** Lays out one layer's figure; draw it with {@link Figure#draw} or write it with the methods below. */
    public static Figure render(FigureData data, FigureOptions options) {
        return FigureBuilder.build(data, options);
    }

    /** Where {@link #render} puts each panel, in figure units (PNG pixels at scale 1). */
    public static FigureLayout layout(FigureData data, FigureOptions options) {
        return render(data, options).layout();
    }

    /** The PNG's size in pixels for a figure at {@code scale}: {@code ceil(width * scale) x ceil(height * scale)}. */
    public static Dimension pngSize(Figure figure, double scale) {
        return new Dimension((int) Math.ceil(figure.width() * scale), (int) Math.ceil(figure.height() * scale));
    }

    /** The figure drawn into an opaque RGB image, {@code scale} pixels per figure unit. */
    public static BufferedImage image(Figure figure, double scale) {
        checkScale(scale);
        Dimension size = pngSize(figure, scale);
        BufferedImage img = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.scale(scale, scale);
            figure.draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Below this many pixels a figure's body text (its 11-unit captions and panel titles) is a grey smear, not
     * words, so a thumbnail that small is drawn without text, straight at its size.
     */
    static final double LEGIBLE_PX = 5;

    /**
     * The figure as a thumbnail {@code width} pixels wide, beside {@code full}, the figure already drawn larger:
     * {@code full} itself when it is no wider. A thumbnail in which the body text would be under {@link #LEGIBLE_PX}
     * is drawn at its own size without any text (the cells, colour bars, ticks and rules, every cell in its exact
     * colour): drawing the text and then averaging it away ({@link Png#shrink}) cost more than half of what a report
     * figure took. A larger thumbnail is {@code full} shrunk, its text with it.
     */
    public static BufferedImage thumbnail(Figure figure, BufferedImage full, int width) {
        if (full.getWidth() <= width) {
            return full;
        }
        double scale = width / (double) figure.width();
        if (Text.CAPTION.getSize2D() * scale >= LEGIBLE_PX) {
            return Png.shrink(full, width);
        }
        int height = Math.max(1, (int) Math.round(full.getHeight() * (width / (double) full.getWidth())));
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(Text.OMIT, Boolean.TRUE);
            g.scale(scale, scale);
            figure.draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The figure as PNG bytes, marked with {@code 96 * scale} dots per inch. */
    public static byte[] png(Figure figure, double scale) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writePng(image(figure, scale), 96 * scale, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Renders and encodes in one step, at the options' scale. */
    public static byte[] png(FigureData data, FigureOptions options) {
        return png(render(data, options), options.scale());
    }

    /** Writes the figure as a PNG, atomically (a temporary file in the same folder, then a move). */
    public static void writePng(Figure figure, Path file, double scale) {
        byte[] bytes = png(figure, scale);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /**
     * The figure on an opaque {@code width x height} image: scaled to fit (its aspect kept) and centred on white, for
     * slides of a fixed size.
     */
    public static BufferedImage image(Figure figure, int width, int height) {
        double scale = Math.min(width / (double) figure.width(), height / (double) figure.height());
        checkScale(scale);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Theme.BACKGROUND);
            g.fillRect(0, 0, width, height);
            g.translate((width - figure.width() * scale) / 2, (height - figure.height() * scale) / 2);
            g.scale(scale, scale);
            figure.draw(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Writes the figure as a PNG of exactly {@code width x height} (see {@link #image(Figure, int, int)}). */
    public static void writePng(Figure figure, Path file, int width, int height) {
        BufferedImage img = image(figure, width, height);
        double dpi = 96 * Math.min(width / (double) figure.width(), height / (double) figure.height());
        AtomicFiles.write(file, out -> writePng(img, dpi, out));
    }

    /** Renders and writes a PNG at the options' scale. */
    public static void writePng(FigureData data, FigureOptions options, Path file) {
        writePng(render(data, options), file, options.scale());
    }

    /**
     * The figure as an SVG document: text kept as text, pictures embedded as PNG, no timestamps and no DOCTYPE;
     * sized in figure units with a viewBox.
     */
    public static String svg(Figure figure) {
        return svg(figure.width(), figure.height(), "convlab figure", figure::draw);
    }

    /** A drawing of {@code width x height} as an SVG document, as {@link #svg(Figure)} makes it. */
    static String svg(int width, int height, String comment, java.util.function.Consumer<Graphics2D> draw) {
        DOMImplementation dom = GenericDOMImplementation.getDOMImplementation();
        Document doc = dom.createDocument("http://www.w3.org/2000/svg", "svg", null);
        SVGGeneratorContext ctx = SVGGeneratorContext.createDefault(doc);
        ctx.setComment(comment);
        ctx.setEmbeddedFontsOn(false);
        ctx.setPrecision(4);
        ctx.setImageHandler(new PngImageHandler());
        SVGGraphics2D g = new SVGGraphics2D(ctx, false);
        g.setSVGCanvasSize(new Dimension(width, height));
        draw.accept(g);
        Element root = g.getRoot();
        root.setAttributeNS(null, "viewBox", String.format(Locale.ROOT, "0 0 %d %d", width, height));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            g.stream(root, w, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            g.dispose();
        }
        // Batik writes the SVG 1.0 DOCTYPE; XML parsers would try to fetch its DTD from the network, so leave it out.
        return out.toString(StandardCharsets.UTF_8).replaceFirst("<!DOCTYPE[^>]*>\\s*", "");
    }

    /** Writes the figure as SVG (UTF-8), atomically. */
    public static void writeSvg(Figure figure, Path file) {
        byte[] bytes = svg(figure).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Renders and writes an SVG. */
    public static void writeSvg(FigureData data, FigureOptions options, Path file) {
        writeSvg(render(data, options), file);
    }

    /** Embeds pictures as base64 PNG through ImageIO, so Batik needs no codec module of its own. */
    private static final class PngImageHandler extends ImageHandlerBase64Encoder {
        @Override
        public void encodeImage(RenderedImage image, java.io.OutputStream out) throws SVGGraphics2DIOException {
            try {
                if (!ImageIO.write(image, "png", out)) {
                    throw new SVGGraphics2DIOException("No PNG writer available");
                }
            } catch (IOException e) {
                throw new SVGGraphics2DIOException(e);
            }
        }
    }

    private static void checkScale(double scale) {
        if (!(scale > 0 && scale <= 8)) {
            throw new IllegalArgumentException("Expected a PNG scale in (0, 8], but found " + scale);
        }
    }

    /** PNG with a pHYs chunk for the resolution and nothing else that varies (no time, no text): {@link Png}. */
    private static void writePng(BufferedImage img, double dpi, java.io.OutputStream out) throws IOException {
        Png.write(img, dpi, out);
    }
}
