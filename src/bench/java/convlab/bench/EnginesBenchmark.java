package convlab.bench;

import convlab.core.Conv2d;
import convlab.core.Conv2dFast;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.engine.Engine;
import convlab.engine.Engines;
import convlab.engine.LayerRun;
import convlab.verify.Comparison;
import convlab.verify.ErrorBound;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Every way convlab can compute a conv2d, side by side on the layers of a real network (batch 2, float32): the formula
 * loops ({@link Conv2d}), {@link Conv2dFast}, the {@code im2col} engine, ND4J's built-in kernel, ND4J through oneDNN,
 * and DL4J's layer. Set-up checks that every one of them matches the formula loops (Conv2dFast bit for bit, the
 * engines within the verifier's float32 error bound) before anything is timed. {@code bench/jmh-table.sh} runs it
 * and prints the table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EnginesBenchmark {

    /** The layers: see {@link #layer(String)}. */
    @Param({"3x3", "1x1", "3x3s2", "dw3x3"})
    String shape;

    Tensor input;
    List<ConvLayer> layers;
    Engine im2col;
    Engine nd4j;
    Engine onednn;
    Engine dl4j;

    /** The input shape (NCHW) and the layer of each {@link #shape}, their numbers drawn from {@code r}. */
    static Tensor input(String shape, Random r) {
        int channels = shape.equals("1x1") ? 256 : 64;
        return Tensor.fill(DType.FLOAT32, new int[] {2, channels, 56, 56}, i -> r.nextGaussian());
    }

    /**
     * {@code 3x3}: 64 -> 64 channels, 3x3, padding 1 (issue 15's "medium layer", a ResNet stage-1 convolution);
     * {@code 1x1}: 256 -> 64, 1x1 (a bottleneck's reduction); {@code 3x3s2}: 64 -> 64, 3x3, stride 2, padding 1;
     * {@code dw3x3}: depthwise 3x3 over 64 channels (groups = 64), padding 1. All on 56x56.
     */
    static ConvLayer layer(String shape, Random r) {
        ConvSpec pad1 = ConvSpec.defaults().withPadding(Padding.symmetric(1));
        return switch (shape) {
            case "3x3" -> conv(r, 64, 64, 3, pad1);
            case "1x1" -> conv(r, 64, 256, 1, ConvSpec.defaults());
            case "3x3s2" -> conv(r, 64, 64, 3, pad1.withStride(Hw.of(2)));
            case "dw3x3" -> conv(r, 64, 1, 3, pad1.withGroups(64));
            default -> throw new IllegalArgumentException("Expected a shape 3x3, 1x1, 3x3s2 or dw3x3, but found " + shape);
        };
    }

    private static ConvLayer conv(Random r, int filters, int channelsPerGroup, int k, ConvSpec spec) {
        Tensor w = Tensor.fill(DType.FLOAT32, new int[] {filters, channelsPerGroup, k, k}, i -> r.nextGaussian() / Math.sqrt(channelsPerGroup * k * k));
        Tensor b = Tensor.fill(DType.FLOAT32, new int[] {filters}, i -> r.nextGaussian());
        return new ConvLayer(w, b, spec);
    }

    /** Multiply-adds of a shape's layer: GFLOP/s is 2 * this / time. */
    static long multiplyAdds(String shape) {
        Random r = new Random(42);
        Tensor x = input(shape, r);
        return Geometry.of(x.shape(), layer(shape, r)).multiplyAdds();
    }

    @Setup
    public void setUp() {
        Random r = new Random(42);
        input = input(shape, r);
        layers = List.of(layer(shape, r));
        im2col = Engines.named("im2col");
        nd4j = Engines.named("nd4j");
        onednn = Engines.named("nd4j-onednn");
        dl4j = Engines.named("dl4j");
        Tensor ref = Conv2d.forward(input, layers.get(0)).activated();
        if (!Conv2dFast.forward(input, layers.get(0)).activated().equals(ref)) {
            throw new IllegalStateException(shape + ": Conv2dFast does not equal Conv2d bit for bit");
        }
        // the float32 error bound of the verifier: abs + rel*|r| + 2*n*eps*sum|x*w| (verify.ErrorBound)
        Tensor slack = ErrorBound.rounding(ErrorBound.magnitudes(input, layers.get(0)), layers.get(0), input.shape(), DType.FLOAT32);
        for (Engine e : List.of(im2col, nd4j, onednn, dl4j)) {
            LayerRun run = e.run(input, layers).get(0);
            if (run.status() != LayerRun.Status.OK) {
                throw new IllegalStateException(shape + ": " + e.name() + " did not run: " + run.message());
            }
            Comparison c = Comparison.of(run.output(), ref, Tolerance.FLOAT32, slack);
            if (!c.agree()) {
                throw new IllegalStateException(shape + ": " + e.name() + " does not match the reference: " + c.summary());
            }
        }
        System.out.println(shape + ": all results match. Starting benchmarks.");
    }

    @Benchmark
    public Tensor reference() {
        return Conv2d.forward(input, layers.get(0)).activated();
    }

    @Benchmark
    public Tensor conv2dFast() {
        return Conv2dFast.forward(input, layers.get(0)).activated();
    }

    @Benchmark
    public List<LayerRun> im2col() {
        return im2col.run(input, layers);
    }

    @Benchmark
    public List<LayerRun> nd4j() {
        return nd4j.run(input, layers);
    }

    @Benchmark
    public List<LayerRun> nd4jOnednn() {
        return onednn.run(input, layers);
    }

    @Benchmark
    public List<LayerRun> dl4j() {
        return dl4j.run(input, layers);
    }
}
