/**
 * Pictures: colour maps and scales, JFreeChart heatmaps and figures, animation frames and GIF writing.
 * Depends on {@code convlab.core} and on the plain result records of {@code convlab.engine}/{@code convlab.verify};
 * never on ND4J. Everything renders headless and deterministically.
 */
package convlab.render;
