/**
 * Framework engines that compute the same layers as the reference core: ND4J's {@code conv2d} op (built-in and
 * oneDNN paths) and DL4J's {@code ConvolutionLayer}. The only package that may import org.nd4j or
 * org.deeplearning4j; the {@link convlab.engine.Engine} interface and its result records are plain Java, so
 * callers can hold results without starting ND4J.
 */
package convlab.engine;
