package convlab.render.anim;

import java.awt.Point;
import java.awt.Polygon;
import java.awt.Rectangle;

/**
 * Where the cells of one {@code rows x cols} map sit in a frame. A flat grid is a plain table of rectangles; an
 * oblique grid is the same table seen from above and in front (the back row shifted right by {@code skew} pixels
 * per row), which is how the stack style draws a channel as a slice of a slab. Corners are rounded to whole pixels
 * once, so neighbouring cells share their edges exactly and fill without gaps or overlaps.
 */
public final class Grid {
    private final int rows;
    private final int cols;
    private final int x0;
    private final int y0;
    private final double cellW;
    private final double cellH;
    private final double skew;

    private Grid(int rows, int cols, int x0, int y0, double cellW, double cellH, double skew) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("Expected a grid of at least 1x1, but found " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.x0 = x0;
        this.y0 = y0;
        this.cellW = cellW;
        this.cellH = cellH;
        this.skew = skew;
    }

    /** A table whose top-left corner is {@code (x, y)}, {@code width x height} pixels in all. */
    static Grid flat(int rows, int cols, int x, int y, int width, int height) {
        return new Grid(rows, cols, x, y, width / (double) cols, height / (double) rows, 0);
    }

    /**
     * A slice seen obliquely: {@code cellW} wide, {@code cellH} tall, each row towards the back shifted
     * {@code skew} pixels right; {@code (x, y)} is the top-left of its bounding box.
     */
    static Grid oblique(int rows, int cols, int x, int y, double cellW, double cellH, double skew) {
        return new Grid(rows, cols, x, y, cellW, cellH, skew);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public boolean oblique() {
        return skew != 0;
    }

    /** The corner at the top-left of cell {@code (r, c)}; {@code r == rows} or {@code c == cols} give the far edges. */
    public Point corner(int r, int c) {
        int x = x0 + (int) Math.round(c * cellW + (rows - r) * skew);
        int y = y0 + (int) Math.round(r * cellH);
        return new Point(x, y);
    }

    /** The cell as a four-cornered polygon (a rectangle in a flat grid, a parallelogram in an oblique one). */
    public Polygon cell(int r, int c) {
        return quad(r, c, r + 1, c + 1);
    }

    /** The block of cells from {@code (r0, c0)} to {@code (r1, c1)} inclusive, as one polygon. */
    public Polygon span(int r0, int c0, int r1, int c1) {
        return quad(r0, c0, r1 + 1, c1 + 1);
    }

    /** The whole map's outline. */
    public Polygon outline() {
        return quad(0, 0, rows, cols);
    }

    private Polygon quad(int r0, int c0, int r1, int c1) {
        Point a = corner(r0, c0);
        Point b = corner(r0, c1);
        Point d = corner(r1, c1);
        Point e = corner(r1, c0);
        return new Polygon(new int[] {a.x, b.x, d.x, e.x}, new int[] {a.y, b.y, d.y, e.y}, 4);
    }

    /** The bounding box of the whole map. */
    public Rectangle bounds() {
        return outline().getBounds();
    }

    /** The centre of a cell, rounded to a pixel. */
    public Point center(int r, int c) {
        Point a = corner(r, c);
        Point d = corner(r + 1, c + 1);
        Point b = corner(r, c + 1);
        Point e = corner(r + 1, c);
        return new Point((a.x + b.x + d.x + e.x) / 4, (a.y + b.y + d.y + e.y) / 4);
    }

    /** The smallest width and height any cell has here, in pixels. */
    public int minCellSize() {
        int min = Integer.MAX_VALUE;
        for (int c = 0; c < cols; c++) {
            min = Math.min(min, corner(0, c + 1).x - corner(0, c).x);
        }
        for (int r = 0; r < rows; r++) {
            min = Math.min(min, corner(r + 1, 0).y - corner(r, 0).y);
        }
        return min;
    }

    /** Nominal cell width in pixels. */
    public double cellWidth() {
        return cellW;
    }

    /** Nominal cell height in pixels. */
    public double cellHeight() {
        return cellH;
    }
}
