package convlab.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.text.NumberFormat;
import java.util.Locale;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.AxisSpace;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYZDataset;

/**
 * The JFreeChart parts of a figure: one heatmap (an {@link XYPlot} with a block renderer over a {@link ScalePaint},
 * integer pixel-index axes, row 0 at the top) drawn into a given cell area, and a colour bar
 * ({@link PaintScaleLegend}).
 */
final class Charts {

    private Charts() {
    }

    /** Room left of a heatmap's cell area for the row ticks. */
    static final double AXIS_LEFT = 24;
    /** Room below a heatmap's cell area for the column ticks. */
    static final double AXIS_BOTTOM = 15;
    /** Width of a colour bar: the strip and its tick labels. */
    static final double BAR_WIDTH = 62;
    static final double STRIP_WIDTH = 14;

    private static final Color OUTLINE = new Color(0x80, 0x80, 0x80);

    /**
     * Draws a heatmap whose cells fill {@code cells} exactly.
     *
     * @param values    row-major, {@code rows * cols}
     * @param labelFont the font to print each cell's value in, or null for none
     * @param tight     print values with {@link Compact#tight} (for differences) rather than {@link Numbers#format}
     * @param raster    when not null, drawn (stretched, nearest neighbour) in place of the cells: a picture, or the
     *                  cells pre-rendered for a big map
     * @return the cell area JFreeChart reports it drew in
     */
    static Rectangle2D heatmap(Graphics2D g, Rectangle2D cells, int rows, int cols, double[] values, Scale scale,
                               Font labelFont, boolean tight, BufferedImage raster) {
        double[] xs = new double[rows * cols];
        double[] ys = new double[xs.length];
        double[] zs = new double[xs.length];
        for (int r = 0, i = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++, i++) {
                xs[i] = c;
                ys[i] = r;
                zs[i] = values == null ? 0 : values[i];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("cells", new double[][] {xs, ys, zs});

        boolean text = !Text.omitted(g);
        CellRenderer renderer = new CellRenderer(text ? labelFont : null, tight, raster);
        renderer.setPaintScale(new ScalePaint(scale));
        renderer.setBlockAnchor(RectangleAnchor.CENTER);

        XYPlot plot = new XYPlot(data, indexAxis(cols, cells.getWidth() / cols, false, text),
                indexAxis(rows, cells.getHeight() / rows, true, text), renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setInsets(RectangleInsets.ZERO_INSETS);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(OUTLINE);
        plot.setOutlineStroke(new BasicStroke(1f));
        AxisSpace bottom = new AxisSpace();
        bottom.setBottom(AXIS_BOTTOM);
        plot.setFixedDomainAxisSpace(bottom);
        AxisSpace left = new AxisSpace();
        left.setLeft(AXIS_LEFT);
        plot.setFixedRangeAxisSpace(left);

        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setPadding(RectangleInsets.ZERO_INSETS);
        chart.setBackgroundPaint(null);
        chart.setBorderVisible(false);
        chart.setAntiAlias(false); // cells meet edge to edge; smoothing would blend neighbours
        chart.setTextAntiAlias(true);
        chart.getRenderingHints().put(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        ChartRenderingInfo info = new ChartRenderingInfo(null);
        Rectangle2D area = new Rectangle2D.Double(cells.getX() - AXIS_LEFT, cells.getY(),
                cells.getWidth() + AXIS_LEFT, cells.getHeight() + AXIS_BOTTOM);
        chart.draw(g, area, info);
        return info.getPlotInfo().getDataArea();
    }

    /**
     * An axis over pixel indices 0..n-1 with integer ticks (every 1, 2, 5, 10, 20... indices, as close as their
     * labels allow); cell i spans [i - 0.5, i + 0.5].
     */
    private static NumberAxis indexAxis(int n, double cell, boolean vertical, boolean labels) {
        NumberAxis axis = new NumberAxis(null);
        NumberFormat f = NumberFormat.getIntegerInstance(Locale.ROOT);
        f.setGroupingUsed(false);
        double label = Math.max(20, Text.width(Integer.toString(Math.max(n - 1, 0)), Text.TICK) + 10);
        axis.setTickUnit(new NumberTickUnit(niceUnit(Math.max(1, label / cell), false), f), false, false);
        axis.setAutoTickUnitSelection(false, false);
        axis.setAutoRangeIncludesZero(false);
        axis.setRange(-0.5, n - 0.5);
        axis.setInverted(vertical);
        styleTicks(axis, Text.MUTED);
        axis.setTickLabelsVisible(labels);
        axis.setTickLabelInsets(new RectangleInsets(1, 1, 1, 1));
        return axis;
    }

    /** The tick look every axis of a figure shares: small labels, short outside marks, no axis line or minor ticks. */
    private static void styleTicks(NumberAxis axis, java.awt.Paint labels) {
        axis.setAxisLineVisible(false);
        axis.setTickLabelFont(Text.TICK);
        axis.setTickLabelPaint(labels);
        axis.setTickMarkPaint(OUTLINE);
        axis.setTickMarkInsideLength(0);
        axis.setTickMarkOutsideLength(3);
        axis.setMinorTickMarksVisible(false);
    }

    /**
     * The smallest of 1, 2, 5, 10, 20, 50... (also 2.5, 25... unless {@code integer}) times a power of ten that is at
     * least {@code atLeast}.
     */
    static double niceUnit(double atLeast, boolean fractions) {
        double p = Math.pow(10, Math.floor(Math.log10(atLeast)));
        double[] steps = fractions ? new double[] {1, 2, 2.5, 5, 10} : new double[] {1, 2, 5, 10};
        for (double s : steps) {
            if (s * p >= atLeast * (1 - 1e-12)) {
                return fractions || s * p >= 1 ? s * p : 1;
            }
        }
        return 10 * p;
    }

    /** Draws a vertical colour bar: the strip along the left of {@code area}, ticks and labels to its right. */
    static void colorBar(Graphics2D g, Rectangle2D area, Scale scale) {
        NumberAxis axis = new NumberAxis(null);
        axis.setAutoRangeIncludesZero(false);
        axis.setRange(scale.lo(), scale.hi());
        double range = scale.hi() - scale.lo();
        int maxTicks = (int) Math.max(2, Math.floor(area.getHeight() / 30));
        NumberFormat f = Compact.numberFormat(range * 1e-9);
        axis.setTickUnit(new NumberTickUnit(niceUnit(range / maxTicks, true), f), false, false);
        axis.setAutoTickUnitSelection(false, false);
        axis.setNumberFormatOverride(f);
        styleTicks(axis, Text.INK);
        axis.setTickLabelsVisible(!Text.omitted(g));
        PaintScaleLegend legend = new PaintScaleLegend(new ScalePaint(scale), axis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        legend.setStripWidth(STRIP_WIDTH);
        legend.setSubdivisionCount(128);
        legend.setAxisOffset(0);
        legend.setMargin(RectangleInsets.ZERO_INSETS);
        legend.setPadding(RectangleInsets.ZERO_INSETS);
        legend.setFrame(BlockBorder.NONE);
        legend.setBackgroundPaint(null);
        legend.setStripOutlineVisible(true);
        legend.setStripOutlinePaint(OUTLINE);
        legend.setStripOutlineStroke(new BasicStroke(1f));
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        legend.draw(g, area);
    }

    /**
     * Fills each cell (no outline, so neighbours never overlap) and prints its value; or, given a raster, draws that
     * once over the whole cell area.
     */
    static final class CellRenderer extends XYBlockRenderer {
        private final Font labelFont;
        /** Half the label font's cap height: a glyph vector's bounds, measured once, not once per cell. */
        private final double halfCap;
        private final boolean tight;
        private final transient BufferedImage raster;

        CellRenderer(Font labelFont, boolean tight, BufferedImage raster) {
            this.labelFont = labelFont;
            this.halfCap = labelFont == null ? 0 : Text.capHeight(labelFont) / 2;
            this.tight = tight;
            this.raster = raster;
        }

        @Override
        public void drawItem(Graphics2D g2, XYItemRendererState state, Rectangle2D dataArea, PlotRenderingInfo info,
                             XYPlot plot, ValueAxis domainAxis, ValueAxis rangeAxis, XYDataset dataset, int series,
                             int item, CrosshairState crosshairState, int pass) {
            if (raster != null) {
                if (item == 0) {
                    drawRaster(g2, dataArea);
                }
                return;
            }
            double x = dataset.getXValue(series, item);
            double y = dataset.getYValue(series, item);
            double z = ((XYZDataset) dataset).getZValue(series, item);
            RectangleEdge xEdge = plot.getDomainAxisEdge();
            RectangleEdge yEdge = plot.getRangeAxisEdge();
            double x0 = domainAxis.valueToJava2D(x - 0.5, dataArea, xEdge);
            double x1 = domainAxis.valueToJava2D(x + 0.5, dataArea, xEdge);
            double y0 = rangeAxis.valueToJava2D(y - 0.5, dataArea, yEdge);
            double y1 = rangeAxis.valueToJava2D(y + 0.5, dataArea, yEdge);
            Rectangle2D block = new Rectangle2D.Double(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
            Paint p = getPaintScale().getPaint(z);
            g2.setPaint(p);
            g2.fill(block);
            if (labelFont != null) {
                Color ink = ColorMap.textOn((Color) p);
                double baseline = block.getCenterY() + halfCap;
                Text.drawCentred(g2, tight ? Compact.tight(z) : Numbers.format(z), labelFont, ink, block.getCenterX(), baseline);
            }
        }

        private void drawRaster(Graphics2D g2, Rectangle2D area) {
            Object old = g2.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
            g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            AffineTransform at = new AffineTransform();
            at.translate(area.getX(), area.getY());
            at.scale(area.getWidth() / raster.getWidth(), area.getHeight() / raster.getHeight());
            g2.drawImage(raster, at, null);
            if (old != null) {
                g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, old);
            }
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
