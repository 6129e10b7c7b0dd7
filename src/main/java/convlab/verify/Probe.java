package convlab.verify;

import convlab.core.Activation;
import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Tensor;
import convlab.engine.Engine;
import convlab.engine.LayerRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds out which input cell each kernel tap of an engine reads. Every input cell holds its own number
 * ({@code 1 + c*H*W + y*W + x}, exact even in float32) and the weights are one-hot on a single tap, so every output
 * value names the cell that tap read (0 when it read a zero of the padding). One run per tap; bias and activation
 * are switched off. Comparing the engine's map with the reference's turns "max error 3.2" into a sentence.
 */
public final class Probe {

    private Probe() {
    }

    /** A tap that read a different cell in the engine than in the reference, at one output position. */
    public record Difference(int oc, int oh, int ow, int ic, int kh, int kw, Cell reference, Cell engine) {
        @Override
        public String toString() {
            return "output (o=" + oc + ", h=" + oh + ", w=" + ow + ") tap (c=" + ic + ", kh=" + kh + ", kw=" + kw + ") reads "
                    + engine + " in the engine but " + reference + " in the reference";
        }
    }

    /** An input cell, or padding (a zero). */
    public record Cell(int c, int y, int x, boolean padding) {
        @Override
        public String toString() {
            return padding ? "a zero of the padding" : "input (c=" + c + ", y=" + y + ", x=" + x + ")";
        }
    }

    /** What the probe found: the differences (at most a few dozen kept) and a one-paragraph diagnosis. */
    public record Result(List<Difference> differences, int compared, String diagnosis, String error) {
    }

    /** Probes an engine on batch item 0 of an input of the given NCHW shape. */
    public static Result run(Engine engine, ConvLayer layer, int[] inputShape) {
        int[] shape = {1, inputShape[1], inputShape[2], inputShape[3]};
        ConvLayer plain = layer.withSpec(layer.spec().withActivation(Activation.NONE));
        Geometry g = Geometry.of(shape, plain);
        int hw = g.h() * g.w();
        Tensor input = Tensor.fill(DType.FLOAT32, shape, i -> 1 + i[1] * hw + i[2] * g.w() + i[3]);
        List<Difference> diffs = new ArrayList<>();
        int compared = 0;
        int[] rowShift = new int[2];
        int[] colShift = new int[2];
        int paddingMismatch = 0;
        for (int ic = 0; ic < g.cg(); ic++) {
            for (int kh = 0; kh < g.kernel().h(); kh++) {
                for (int kw = 0; kw < g.kernel().w(); kw++) {
                    final int tc = ic, th = kh, tw = kw;
                    Tensor w = Tensor.fill(DType.FLOAT32, g.weightShape(), i -> i[1] == tc && i[2] == th && i[3] == tw ? 1 : 0);
                    ConvLayer probe = new ConvLayer(w, null, plain.spec());
                    Tensor ref = Conv2d.forward(input, probe).activated();
                    LayerRun run = engine.run(input, List.of(probe)).get(0);
                    if (run.status() != LayerRun.Status.OK) {
                        return new Result(diffs, compared, "", run.status() + ": " + run.message());
                    }
                    Tensor out = run.output();
                    if (!java.util.Arrays.equals(out.shape(), ref.shape())) {
                        return new Result(diffs, compared, "the engine's output has shape " + out.shapeString() + " where the reference's is "
                                + ref.shapeString() + ", so its output-size rule differs", "");
                    }
                    for (int i = 0; i < ref.size(); i++) {
                        compared++;
                        Cell r = cell(ref.flat(i), g);
                        Cell e = cell(out.flat(i), g);
                        if (r.equals(e)) {
                            continue;
                        }
                        int[] idx = ref.unravel(i);
                        if (diffs.size() < 40) {
                            diffs.add(new Difference(idx[1], idx[2], idx[3], ic, kh, kw, r, e));
                        }
                        if (r.padding() != e.padding()) {
                            paddingMismatch++;
                        } else {
                            tally(rowShift, e.y() - r.y());
                            tally(colShift, e.x() - r.x());
                        }
                    }
                }
            }
        }
        return new Result(diffs, compared, diagnose(diffs, compared, paddingMismatch, rowShift, colShift, g), "");
    }

    private static Cell cell(double v, Geometry g) {
        long k = Math.round(v);
        if (k <= 0 || Math.abs(v - k) > 1e-3) {
            return new Cell(-1, -1, -1, true);
        }
        int idx = (int) k - 1;
        int hw = g.h() * g.w();
        return new Cell(idx / hw, idx % hw / g.w(), idx % g.w(), false);
    }

    /** Counts a shift: slot 0 holds the shift seen first, slot 1 how often it was seen. */
    private static void tally(int[] shift, int d) {
        if (shift[1] == 0 || shift[0] == d) {
            shift[0] = d;
            shift[1]++;
        }
    }

    /**
     * One axis's shift, when there is one, in words: "Rows are shifted by 1: the engine pads 2 row(s) on top where the
     * reference pads 1 (reference: 1 top, 2 bottom), so it puts the extra padding row on the top instead of the bottom."
     */
    private static void shifted(StringBuilder sb, int[] shift, int p0, int p1, String units, String unit, String first, String last, String onFirst) {
        if (shift[1] == 0 || shift[0] == 0) {
            return;
        }
        int engineFirst = p0 - shift[0];
        sb.append(units).append(" are shifted by ").append(shift[0])
                .append(": the engine pads ").append(engineFirst).append(" ").append(unit).append("(s) ").append(onFirst)
                .append(" where the reference pads ").append(p0).append(" (reference: ").append(p0).append(" ").append(first)
                .append(", ").append(p1).append(" ").append(last).append(")");
        if (p1 > p0 && engineFirst > p0) {
            sb.append(", so it puts the extra padding ").append(unit).append(" on the ").append(first).append(" instead of the ").append(last);
        }
        sb.append(engineFirst < 0 ? ", a negative padding that skips input " + unit + "s. " : ". ");
    }

    private static String diagnose(List<Difference> diffs, int compared, int paddingMismatch, int[] rowShift, int[] colShift, Geometry g) {
        if (diffs.isEmpty()) {
            return "every tap reads the same input cell as in the reference (" + compared + " tap readings compared)";
        }
        StringBuilder sb = new StringBuilder();
        Difference first = diffs.get(0);
        sb.append("The engine reads different input cells than the reference: first, ").append(first).append(". ");
        shifted(sb, rowShift, g.pads().top(), g.pads().bottom(), "Rows", "row", "top", "bottom", "on top");
        shifted(sb, colShift, g.pads().left(), g.pads().right(), "Columns", "column", "left", "right", "on the left");
        if (paddingMismatch > 0) {
            sb.append(paddingMismatch).append(" readings differ in whether they hit padding (for example a padding mode the engine does not apply). ");
        }
        return sb.toString().trim();
    }
}
