package convlab.report;

/**
 * A figure the HTML report links to instead of embedding it: the layer it shows (1-based), the PNG's path and its
 * thumbnail's, both relative to the report's folder, and the thumbnail's size in pixels.
 */
public record FigureFile(int layer, String href, String thumb, int width, int height) {
}
