package convlab.render;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Where a figure draws things, in figure units (PNG pixels at scale 1; multiply by the scale for larger PNGs).
 * Tests and reports use it to find a panel and the cells inside it.
 *
 * @param width     the figure's width
 * @param height    the figure's height
 * @param panels    every panel, in drawing order
 * @param colorBars the colour strip of each group that has one
 */
public record FigureLayout(int width, int height, List<Panel> panels, Map<Group, Rectangle2D> colorBars) {

    public FigureLayout {
        panels = List.copyOf(panels);
        colorBars = Map.copyOf(colorBars);
    }

    /** Panels that share one colour scale and one colour bar. */
    public enum Group {
        INPUT, KERNELS, OUTPUTS, DIFFERENCES
    }

    /** What a panel holds. */
    public enum Kind {
        /** A map of numbers, one cell per element. */
        HEATMAP,
        /** The input as a picture. */
        IMAGE,
        /** Text in place of a map: an engine that failed or whose output cannot be compared. */
        MESSAGE
    }

    /**
     * One panel.
     *
     * @param title the title drawn above it, lines joined by a space
     * @param kind  what it holds
     * @param group the scale it uses (for {@link Kind#IMAGE} and {@link Kind#MESSAGE}: the group it stands in)
     * @param x     left edge of the cell area (or message box)
     * @param y     top edge of the cell area
     * @param w     width of the cell area
     * @param h     height of the cell area
     * @param rows  rows of cells (0 for a message)
     * @param cols  columns of cells (0 for a message)
     */
    public record Panel(String title, Kind kind, Group group, double x, double y, double w, double h, int rows, int cols) {

        public Rectangle2D area() {
            return new Rectangle2D.Double(x, y, w, h);
        }

        /** The side of one (square) cell. */
        public double cellSize() {
            return cols == 0 ? 0 : w / cols;
        }

        /** The rectangle cell {@code (row, col)} is drawn in; row 0 is at the top. */
        public Rectangle2D cell(int row, int col) {
            if (row < 0 || row >= rows || col < 0 || col >= cols) {
                throw new IndexOutOfBoundsException("Cell (" + row + ", " + col + ") is outside " + rows + "x" + cols);
            }
            double c = cellSize();
            return new Rectangle2D.Double(x + col * c, y + row * c, c, c);
        }

        public Point2D cellCentre(int row, int col) {
            Rectangle2D r = cell(row, col);
            return new Point2D.Double(r.getCenterX(), r.getCenterY());
        }
    }

    /** The panel with this exact title. */
    public Panel panel(String title) {
        for (Panel p : panels) {
            if (p.title().equals(title)) {
                return p;
            }
        }
        throw new NoSuchElementException("No panel titled \"" + title + "\"; titles: "
                + panels.stream().map(Panel::title).toList());
    }

    public List<Panel> panels(Group group) {
        return panels.stream().filter(p -> p.group() == group).toList();
    }
}
