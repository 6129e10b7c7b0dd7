package convlab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * im2col's column matrix against the formula's own taps: column {@code oh*OW + ow} of group g's matrix holds, row by
 * row, the input values {@link ConvLayer#taps} lists for output {@code (oh, ow)} of any filter of that group, and
 * {@code W * cols + b} is {@link Conv2d}'s output, on seeded layers with every conv2d feature.
 */
class UnfoldTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 120);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void eachColumnIsOneWindowAndTheProductIsTheConvolution(long seed) {
        LayerContractTest.Sample s = LayerContractTest.conv2d(new Random(seed));
        Tensor x = s.input();
        ConvLayer layer = (ConvLayer) s.layer();
        Geometry g = Geometry.of(x.shape(), layer);
        int rows = Unfold.rows(g), cols = Unfold.columns(g);
        for (int n = 0; n < g.n(); n++) {
            for (int group = 0; group < layer.spec().groups(); group++) {
                Tensor m = Unfold.columnMatrix(x, layer, n, group);
                assertThat(m.shape()).containsExactly(rows, cols);
                Tensor w = Unfold.weightMatrix(layer, group);
                assertThat(w.shape()).containsExactly(g.og(), rows);
                int oc = group * g.og(); // the group's first filter: its taps read the group's window
                for (int p = 0; p < cols; p++) {
                    List<Tap> taps = layer.taps(x, n, oc, p / g.ow(), p % g.ow());
                    assertThat(taps).as("seed %d, %s: taps of output %d", seed, layer, p).hasSize(rows);
                    for (int r = 0; r < rows; r++) {
                        Tap t = taps.get(r);
                        String where = String.format(java.util.Locale.ROOT, "seed %d, %s, n %d group %d row %d column %d", seed, layer, n, group, r, p);
                        assertThat(Double.doubleToLongBits(m.get(r, p))).as(where).isEqualTo(Double.doubleToLongBits(t.x()));
                        assertThat(Double.doubleToLongBits(w.get(0, r))).as(where + " (weight)").isEqualTo(Double.doubleToLongBits(t.w()));
                        assertThat(Unfold.tap(g, group, r, p)).as(where + " (tap)").containsExactly(t.c(), t.ih(), t.iw());
                        assertThat(Unfold.kernelCell(g, r)).as(where + " (kernel cell)").containsExactly(t.ic(), t.kh(), t.kw());
                    }
                }
            }
            Tensor product = Unfold.product(x, layer, n);
            Tensor want = Conv2d.forward(x, layer).preActivation().slice(n);
            for (int i = 0; i < want.size(); i++) {
                double tolerance = 1e-12 * (1 + Math.abs(want.flat(i)));
                assertThat(product.flat(i)).as("seed %d, %s, n %d, element %d", seed, layer, n, i).isCloseTo(want.flat(i), within(tolerance));
            }
        }
    }
}
