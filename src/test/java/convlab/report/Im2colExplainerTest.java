package convlab.report;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.core.Unfold;
import convlab.render.Numbers;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code explain --im2col}: the cells it prints are the column matrix's, by hand and on seeded layers. */
class Im2colExplainerTest {

    /** A 1x3x3 input, a 2x2 kernel, padding 1 on top and left: the windows of the first row read the padding. */
    @Test
    void fromShapesEachCellNamesTheInputCellItCopies() {
        ConvLayer layer = new ConvLayer(Tensor.zeros(DType.FLOAT64, 1, 1, 2, 2), null, ConvSpec.defaults().withPadding(Padding.explicit(1, 0, 1, 0)));
        String text = Im2colExplainer.explain(new int[] {1, 1, 3, 3}, layer, null, Layout.NCHW);
        assertThat(text).contains("cols: 4 x 9").contains("W:    1 x 4").contains("out:  1 x 9, one output plane of 3x3 per row")
                .contains("hold 36 values per batch item, from 9 input values (4.0x)").contains("(0: a zero of the padding)")
                .contains("... 1 more column");
        // column (0,0) is the window at padded (-1,-1): three zeros and x[0,0,0]; column (1,1) the window at (0,0)
        assertThat(row(text, "c0 kh0 kw0")).startsWith("0", "0", "0", "0", "x[0,0,0]");
        assertThat(row(text, "c0 kh1 kw1")).startsWith("x[0,0,0]", "x[0,0,1]", "x[0,0,2]", "x[0,1,0]", "x[0,1,1]");
        String nhwc = Im2colExplainer.explain(new int[] {1, 1, 3, 3}, layer, null, Layout.NHWC);
        assertThat(row(nhwc, "c0 kh1 kw1")).startsWith("x[0,0,0]", "x[0,1,0]", "x[0,2,0]", "x[1,0,0]");
        ConvLayer reflect = layer.withSpec(layer.spec().withPaddingMode(PaddingMode.REFLECT));
        // reflect: padded row -1 copies row 1, padded column -1 copies column 1
        assertThat(row(Im2colExplainer.explain(new int[] {1, 1, 3, 3}, reflect, null, Layout.NCHW), "c0 kh0 kw0"))
                .startsWith("x[0,1,1]", "x[0,1,0]", "x[0,1,1]", "x[0,0,1]");
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 40);
    }

    /** With numbers: every printed cell is the column matrix's, and the worked first output is the formula's. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void withNumbersTheCellsAreTheColumnMatrix(long seed) {
        Random r = new Random(seed);
        int c = 1 + r.nextInt(3), h = 3 + r.nextInt(5), w = 3 + r.nextInt(5), k = 1 + r.nextInt(3);
        Tensor x = Tensor.fill(DType.FLOAT64, new int[] {1, c, h, w}, i -> r.nextGaussian());
        ConvSpec spec = ConvSpec.defaults().withStride(Hw.of(1 + r.nextInt(2))).withPadding(Padding.symmetric(r.nextInt(2)))
                .withPaddingMode(PaddingMode.values()[r.nextInt(PaddingMode.values().length)]);
        ConvLayer layer = new ConvLayer(Tensor.fill(DType.FLOAT64, new int[] {2, c, k, k}, i -> r.nextGaussian()),
                Tensor.fill(DType.FLOAT64, new int[] {2}, i -> r.nextGaussian()), spec);
        String text = Im2colExplainer.explain(x.shape(), layer, x, Layout.NCHW);
        Geometry g = Geometry.of(x.shape(), layer);
        Tensor cols = Unfold.columnMatrix(x, layer, 0, 0);
        for (int row = 0; row < Math.min(Unfold.rows(g), Im2colExplainer.MAX_ROWS); row++) {
            int[] cell = Unfold.kernelCell(g, row);
            List<String> printed = row(text, "c" + cell[0] + " kh" + cell[1] + " kw" + cell[2]);
            for (int p = 0; p < Math.min(Unfold.columns(g), Im2colExplainer.MAX_COLUMNS); p++) {
                int[] t = Unfold.tap(g, 0, row, p);
                boolean zero = spec.paddingMode().source(t[1], h) < 0 || spec.paddingMode().source(t[2], w) < 0;
                assertThat(printed.get(p)).as("seed %d row %d column %d", seed, row, p).isEqualTo(zero ? "pad" : Numbers.format(cols.get(row, p)));
            }
        }
        String first = Numbers.format(Conv2d.forward(x, layer).preActivation().flat(0));
        assertThat(text).as("seed %d", seed).containsPattern("out\\[0\\]\\[0\\]\\[0\\]\\[0\\] = W row 0 \\. cols column 0 \\+ b\\[0\\] = .* = "
                + java.util.regex.Pattern.quote(first) + " \\(before the activation\\)");
    }

    /** The cells after a row label (the first line that starts with it), split on spaces. */
    private static List<String> row(String text, String label) {
        String line = Arrays.stream(text.split("\n")).filter(l -> l.strip().startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + label + " in\n" + text));
        return List.of(line.strip().substring(label.length()).strip().split(" +"));
    }
}
