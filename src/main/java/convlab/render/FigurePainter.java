package convlab.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The drawing half of a figure: what {@link FigureBuilder} placed is painted here (and by {@link Charts} for
 * heatmaps and colour bars, {@link Text} for text). Nothing here decides where anything goes.
 */
final class FigurePainter {

    private static final Color ERROR_FILL = new Color(0xfd, 0xec, 0xea);
    private static final Color ERROR_INK = new Color(0xb0, 0x1c, 0x1c);
    private static final Color UNSUPPORTED_FILL = new Color(0xf4, 0xf4, 0xf4);
    private static final Color UNSUPPORTED_INK = new Color(0x8a, 0x5a, 0x00);
    /** Room inside a message box's border. */
    static final double MESSAGE_PAD = 8;

    private FigurePainter() {
    }

    /** A thin vertical rule between two sections. */
    static void rule(Graphics2D g, double x, double top, double bottom) {
        g.setPaint(Text.RULE);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Line2D.Double(x, top, x, bottom));
    }

    /**
     * A failed, unsupported or incomparable engine's box: red for an error, grey for unsupported, its status in bold
     * and the (already wrapped and cut) lines of its message below.
     */
    static void messageBox(Graphics2D g, Rectangle2D box, boolean error, String status, List<String> lines) {
        Color fill = error ? ERROR_FILL : UNSUPPORTED_FILL;
        Color ink = error ? ERROR_INK : UNSUPPORTED_INK;
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setPaint(fill);
        g.fill(box);
        g.setPaint(ink);
        g.setStroke(new BasicStroke(1f));
        g.draw(box);
        double base = box.getY() + MESSAGE_PAD + Text.ascent(Text.STATUS);
        Text.draw(g, status, Text.STATUS, ink, box.getX() + MESSAGE_PAD, base);
        base += messageStatusHeight() - Text.ascent(Text.STATUS) + Text.ascent(Text.MESSAGE);
        for (String line : lines) {
            Text.draw(g, line, Text.MESSAGE, Text.INK, box.getX() + MESSAGE_PAD, base);
            base += Text.lineHeight(Text.MESSAGE);
        }
    }

    /** The height a message box's status line takes, gap included. */
    static double messageStatusHeight() {
        return Text.lineHeight(Text.STATUS) + 4;
    }

    /** The cells as an image, each cell k x k pixels (k about the cell size), for big maps. */
    static BufferedImage cellRaster(double[] values, int rows, int cols, Scale scale, double cell) {
        int k = (int) Math.max(1, Math.round(cell));
        BufferedImage img = new BufferedImage(cols * k, rows * k, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int rgb = scale.color(values[r * cols + c]).getRGB();
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        img.setRGB(c * k + dx, r * k + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    /**
     * A picture as an opaque RGB image the size the panel shows it: each pixel k x k when it has the map's size,
     * else resampled to the panel.
     */
    static BufferedImage pictureRaster(BufferedImage picture, int rows, int cols, double cell) {
        int k = (int) Math.max(1, Math.round(cell));
        boolean sameSize = picture.getWidth() == cols && picture.getHeight() == rows;
        int w = sameSize ? cols * k : (int) Math.max(1, Math.round(cols * cell));
        int h = sameSize ? rows * k : (int) Math.max(1, Math.round(rows * cell));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setPaint(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, sameSize
                    ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(picture, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return img;
    }
}
