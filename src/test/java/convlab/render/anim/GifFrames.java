package convlab.render.anim;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * A GIF decoded with ImageIO's reader and composited the way a viewer shows it: each image drawn at its position over
 * what came before (transparent pixels leave it), then disposed as its graphic control extension says.
 */
final class GifFrames {

    /** One decoded frame: what the viewer shows, and the frame's own metadata. */
    record Frame(BufferedImage shown, int left, int top, int width, int height, int delayCentis, String disposal,
            boolean transparent, boolean localColorTable, int localColorTableSize, IIOMetadataNode metadata) {
    }

    final int screenWidth;
    final int screenHeight;
    final List<Frame> frames;
    /** The NETSCAPE2.0 loop count, or -1 when the extension is missing. */
    final int loopCount;
    final boolean hasGlobalColorTable;

    private GifFrames(int w, int h, List<Frame> frames, int loopCount, boolean global) {
        this.screenWidth = w;
        this.screenHeight = h;
        this.frames = frames;
        this.loopCount = loopCount;
        this.hasGlobalColorTable = global;
    }

    static GifFrames read(Path gif) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in, false);
            IIOMetadataNode stream = (IIOMetadataNode) reader.getStreamMetadata().getAsTree("javax_imageio_gif_stream_1.0");
            IIOMetadataNode screen = child(stream, "LogicalScreenDescriptor");
            int w = Integer.parseInt(screen.getAttribute("logicalScreenWidth"));
            int h = Integer.parseInt(screen.getAttribute("logicalScreenHeight"));
            boolean global = child(stream, "GlobalColorTable") != null;
            int n = reader.getNumImages(true);
            BufferedImage canvas = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
            List<Frame> frames = new ArrayList<>();
            int loop = -1;
            for (int i = 0; i < n; i++) {
                BufferedImage raw = reader.read(i);
                IIOMetadataNode md = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode d = child(md, "ImageDescriptor");
                IIOMetadataNode gce = child(md, "GraphicControlExtension");
                IIOMetadataNode lct = child(md, "LocalColorTable");
                int left = Integer.parseInt(d.getAttribute("imageLeftPosition"));
                int top = Integer.parseInt(d.getAttribute("imageTopPosition"));
                int fw = Integer.parseInt(d.getAttribute("imageWidth"));
                int fh = Integer.parseInt(d.getAttribute("imageHeight"));
                IIOMetadataNode apps = child(md, "ApplicationExtensions");
                if (apps != null) {
                    for (Node a = apps.getFirstChild(); a != null; a = a.getNextSibling()) {
                        IIOMetadataNode app = (IIOMetadataNode) a;
                        if ("NETSCAPE".equals(app.getAttribute("applicationID")) && "2.0".equals(app.getAttribute("authenticationCode"))) {
                            byte[] b = (byte[]) app.getUserObject();
                            if (b.length >= 3 && b[0] == 1) {
                                loop = (b[1] & 0xff) | ((b[2] & 0xff) << 8);
                            }
                        }
                    }
                }
                Graphics2D g = canvas.createGraphics();
                g.setComposite(AlphaComposite.SrcOver);
                g.drawImage(raw, left, top, null);
                g.dispose();
                BufferedImage shown = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                Graphics2D s = shown.createGraphics();
                s.drawImage(canvas, 0, 0, null);
                s.dispose();
                String disposal = gce == null ? "none" : gce.getAttribute("disposalMethod");
                if (disposal.equals("restoreToBackgroundColor")) {
                    Graphics2D c = canvas.createGraphics();
                    c.setComposite(AlphaComposite.Clear);
                    c.fillRect(left, top, fw, fh);
                    c.dispose();
                }
                frames.add(new Frame(shown, left, top, raw.getWidth(), raw.getHeight(),
                        gce == null ? 0 : Integer.parseInt(gce.getAttribute("delayTime")), disposal,
                        gce != null && "TRUE".equals(gce.getAttribute("transparentColorFlag")),
                        lct != null, lct == null ? 0 : Integer.parseInt(lct.getAttribute("sizeOfLocalColorTable")), md));
            }
            return new GifFrames(w, h, frames, loop, global);
        } finally {
            reader.dispose();
        }
    }

    static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) {
                return (IIOMetadataNode) n;
            }
        }
        return null;
    }

    /** The pixel a viewer shows in frame {@code i}, as 0xRRGGBB. */
    int rgb(int i, int x, int y) {
        return frames.get(i).shown().getRGB(x, y) & 0xffffff;
    }
}
