package convlab.engine;

import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Tensor;
import java.util.List;

/**
 * Run in a fresh JVM by {@link EnginesTest#startUpIsQuiet()}: starts ND4J and runs every engine once on a small
 * layer. It prints nothing itself, so anything on its stdout or stderr came from ND4J, DL4J or JavaCPP. Exits 1
 * (saying why on stderr) if a run is not OK.
 */
public final class QuietStartProbe {

    private QuietStartProbe() {
    }

    public static void main(String[] args) {
        Tensor x = Tensor.fill(DType.FLOAT32, new int[] {1, 2, 5, 5}, i -> (i[1] + 1) * 0.1 * i[2] - 0.05 * i[3]);
        ConvLayer layer = new ConvLayer(Tensor.fill(DType.FLOAT32, new int[] {3, 2, 3, 3}, i -> 0.01 * (i[0] - i[1] + i[2] * i[3])),
                Tensor.fill(DType.FLOAT32, new int[] {3}, i -> 0.5));
        for (Engine e : Engines.all()) {
            for (LayerRun run : e.run(x, List.of(layer))) {
                if (run.status() != LayerRun.Status.OK) {
                    System.err.println(e.name() + ": expected OK, but found " + run.status() + ": " + run.message());
                    System.exit(1);
                }
            }
        }
    }
}
