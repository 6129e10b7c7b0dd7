package convlab.render;

import convlab.core.Gradients;
import convlab.core.Tensor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Heatmaps of one layer's backward pass, for the first sample of the batch, one band per quantity, each band with
 * its own zero-centred colour scale and colour bar: {@code delta = dy * act'(pre)} per output channel, dL/dx per
 * input channel, dL/dw per filter (one row of its input channels), and dL/db as one row of cells.
 */
public final class GradientFigure {

    private static final double MARGIN = 16;
    private static final double GAP = 10;
    private static final double TITLE = 16;
    private static final double BAR = 60;
    private static final double MIN_BAR_HEIGHT = 90;

    private GradientFigure() {
    }

    /** The figure as PNG bytes; {@code delta} is {@code [N, O, OH, OW]}, the gradients as {@link Gradients} holds them. */
    public static byte[] png(String title, Tensor delta, Gradients g) {
        List<Band> bands = new ArrayList<>();
        bands.add(new Band("delta = dL/dy * act'(pre), per output channel", List.of(maps(delta.slice(0), "oc "))));
        bands.add(new Band("dL/dx, per input channel", List.of(maps(g.gradInput().slice(0), "c "))));
        if (g.gradWeights() != null) {
            List<List<Map>> rows = new ArrayList<>();
            for (int oc = 0; oc < g.gradWeights().dim(0); oc++) {
                rows.add(maps(g.gradWeights().slice(oc), "oc " + oc + " ic "));
            }
            bands.add(new Band("dL/dw, one row per filter", rows));
        }
        if (g.gradBias() != null) {
            int o = g.gradBias().dim(0);
            bands.add(new Band("dL/db", List.of(List.of(new Map("oc 0.." + (o - 1), g.gradBias().reshape(1, o))))));
        }
        // As wide as the widest of the title, each band's title, and each band's maps with its colour bar.
        double width = MARGIN * 2 + Math.max(BAR, Text.width(title, Text.SECTION));
        double height = MARGIN + TITLE + GAP;
        for (Band b : bands) {
            width = Math.max(width, MARGIN * 2 + Math.max(b.width() + BAR, Text.width(b.title(), Band.TITLE_FONT)));
            height += b.height() + GAP;
        }
        BufferedImage img = new BufferedImage((int) Math.ceil(width), (int) Math.ceil(height + MARGIN), BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        gr.setColor(Color.WHITE);
        gr.fillRect(0, 0, img.getWidth(), img.getHeight());
        gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        // Drawn with the fractional metrics the widths above were measured with.
        gr.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        gr.setColor(Text.INK);
        gr.setFont(Text.SECTION);
        gr.drawString(title, (float) MARGIN, (float) (MARGIN + 12));
        double y = MARGIN + TITLE + GAP;
        for (Band b : bands) {
            b.draw(gr, MARGIN, y);
            y += b.height() + GAP;
        }
        gr.dispose();
        return Png.bytes(img, 96);
    }

    /** One heatmap: a rank-2 tensor and its caption. */
    private record Map(String caption, Tensor values) {
        static final double MAX_SIDE = 120;

        double cell() {
            return Math.max(6, Math.min(22, MAX_SIDE / Math.max(values.dim(0), values.dim(1))));
        }

        double width() {
            return Math.max(values.dim(1) * cell(), Text.width(caption, Text.CAPTION)) + Charts.AXIS_LEFT;
        }

        double height() {
            return values.dim(0) * cell() + Charts.AXIS_BOTTOM + 14;
        }

        void draw(Graphics2D g, double x, double y, Scale scale) {
            g.setColor(Text.INK);
            g.setFont(Text.CAPTION);
            g.drawString(caption, (float) (x + Charts.AXIS_LEFT), (float) (y + 10));
            Rectangle2D cells = new Rectangle2D.Double(x + Charts.AXIS_LEFT, y + 14, values.dim(1) * cell(), values.dim(0) * cell());
            Charts.heatmap(g, cells, values.dim(0), values.dim(1), values.toArray(), scale, null, true, null);
        }
    }

    /** The rank-2 maps of a rank-3 tensor {@code [k, rows, cols]}, captioned {@code prefix + k}. */
    private static List<Map> maps(Tensor t, String prefix) {
        List<Map> maps = new ArrayList<>();
        for (int k = 0; k < t.dim(0); k++) {
            maps.add(new Map(prefix + k, t.slice(k)));
        }
        return maps;
    }

    /** A titled group of rows of maps sharing one scale. */
    private record Band(String title, List<List<Map>> rows) {
        static final java.awt.Font TITLE_FONT = Text.PANEL_TITLE.deriveFont(java.awt.Font.BOLD);

        double width() {
            return rows.stream().mapToDouble(r -> r.stream().mapToDouble(m -> m.width() + GAP).sum()).max().orElse(0);
        }

        double rowHeight(List<Map> row) {
            return row.stream().mapToDouble(Map::height).max().orElse(0);
        }

        double height() {
            return TITLE + Math.max(14 + MIN_BAR_HEIGHT, rows.stream().mapToDouble(r -> rowHeight(r) + GAP / 2).sum());
        }

        void draw(Graphics2D g, double x, double y) {
            Tensor[] all = rows.stream().flatMap(List::stream).map(Map::values).toArray(Tensor[]::new);
            Scale scale = Scale.symmetric(all);
            g.setColor(Text.INK);
            g.setFont(TITLE_FONT);
            g.drawString(title, (float) x, (float) (y + 11));
            double top = y + TITLE;
            double rowY = top;
            for (List<Map> row : rows) {
                double mx = x;
                for (Map m : row) {
                    m.draw(g, mx, rowY, scale);
                    mx += m.width() + GAP;
                }
                rowY += rowHeight(row) + GAP / 2;
            }
            Charts.colorBar(g, new Rectangle2D.Double(x + width() + GAP, top + 14, BAR, Math.max(MIN_BAR_HEIGHT, rowY - top - 14 - GAP / 2)), scale);
        }
    }
}
