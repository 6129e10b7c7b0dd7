/**
 * Framework engines that compute the same layers as the reference core: ND4J's {@code conv2d} and
 * {@code maxpool2d}/{@code avgpool2d} ops on libnd4j's built-in kernels ({@code nd4j}) and through oneDNN in float32
 * ({@code nd4j-onednn}), and DL4J's {@code ConvolutionLayer} and {@code SubsamplingLayer} in one
 * {@code MultiLayerNetwork} ({@code dl4j}); and convlab's own {@code im2col} engine, plain Java that computes
 * conv2d the way frameworks do (an im2col column matrix times the weight matrix, a blocked GEMM) and needs no ND4J.
 * {@link convlab.engine.Engines} lists them
 * and starts ND4J once per JVM; {@link convlab.engine.FrameworkInfo} says what started.
 *
 * <p>The only package that may import org.nd4j or org.deeplearning4j; the {@link convlab.engine.Engine} interface
 * and its result records ({@link convlab.engine.LayerRun}, {@link convlab.engine.FrameworkInfo}) are plain Java, so
 * callers can hold results without touching ND4J. Each engine also has a backward pass ({@code Engine.backward}:
{@code conv2d_bp} for the ND4J engines, {@code backpropGradient} for DL4J; {@link convlab.engine.GradRun} per
layer). Engines never throw from {@code run} or {@code backward}: what a framework cannot
 * express is {@code UNSUPPORTED}, what fails is {@code ERROR} with the framework's message, and a few calls known
 * to crash the JVM or to print to stdout from native code are refused with an error that says so.
 */
package convlab.engine;
