package convlab.bench;

import convlab.core.Conv2d;
import convlab.core.Conv2dFast;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
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
 * One 3x3 same-padded layer of C -> C channels on an NxCxSxS float32 input: the reference core against the ND4J
 * engines. Set-up checks that every engine matches the reference before anything is timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Conv2dBenchmark {

    /** N x C x S: batch, channels in and out, and the side of the square input. 2x64x56 is issue 15's "medium layer". */
    @Param({"1x3x32", "1x16x64", "2x64x56"})
    String layer;

    Tensor input;
    List<ConvLayer> layers;
    Engine nd4j;
    Engine onednn;

    @Setup
    public void setUp() {
        Random r = new Random(42);
        String[] d = layer.split("x");
        int batch = Integer.parseInt(d[0]), channels = Integer.parseInt(d[1]), size = Integer.parseInt(d[2]);
        input = Tensor.fill(DType.FLOAT32, new int[] {batch, channels, size, size}, i -> r.nextGaussian());
        Tensor w = Tensor.fill(DType.FLOAT32, new int[] {channels, channels, 3, 3}, i -> r.nextGaussian());
        layers = List.of(new ConvLayer(w, null, ConvSpec.defaults().withPadding(Padding.same())));
        nd4j = Engines.named("nd4j");
        onednn = Engines.named("nd4j-onednn");
        Tensor ref = Conv2d.forward(input, layers.get(0)).activated();
        Tensor fast = Conv2dFast.forward(input, layers.get(0)).activated();
        if (!fast.equals(ref)) {
            throw new IllegalStateException("Conv2dFast does not equal Conv2d bit for bit");
        }
        for (Engine e : List.of(nd4j, onednn)) {
            LayerRun run = e.run(input, layers).get(0);
            // the float32 error bound of the verifier: abs + rel*|r| + 2*n*eps*sum|x*w| (verify.ErrorBound)
            Tensor slack = ErrorBound.rounding(ErrorBound.magnitudes(input, layers.get(0)), layers.get(0), input.shape(), DType.FLOAT32);
            Comparison c = Comparison.of(run.output(), ref, Tolerance.FLOAT32, slack);
            if (!c.agree()) {
                throw new IllegalStateException(e.name() + " does not match the reference: " + c.summary());
            }
        }
        System.out.println("All results match. Starting benchmarks.");
    }

    @Benchmark
    public Tensor reference() {
        return Conv2d.forward(input, layers.get(0)).activated();
    }

    @Benchmark
    public Tensor referenceFast() {
        return Conv2dFast.forward(input, layers.get(0)).activated();
    }

    @Benchmark
    public List<LayerRun> nd4j() {
        return nd4j.run(input, layers);
    }

    @Benchmark
    public List<LayerRun> nd4jOnednn() {
        return onednn.run(input, layers);
    }
}
