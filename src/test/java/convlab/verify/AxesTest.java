package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.DType;
import convlab.core.Gradients;
import convlab.core.Layout;
import convlab.core.Op;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.core.WeightsLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Positions printed in the case's layout: one formatter for every worst element and "at". */
class AxesTest {

    @Test
    void aDataPositionIsNamedInTheCasesLayout() {
        List<Integer> nchw = List.of(0, 2, 1, 3);
        assertThat(Axes.data(Layout.NCHW).format(nchw)).isEqualTo("n=0, c=2, h=1, w=3");
        assertThat(Axes.data(Layout.NHWC).format(nchw)).isEqualTo("n=0, h=1, w=3, c=2");
    }

    @Test
    void weightsAndBiasArePrintedInTheirOwnLayouts() {
        List<Integer> oihw = List.of(4, 1, 0, 2);
        assertThat(Axes.weights(Op.CONV2D, WeightsLayout.OIHW).format(oihw)).isEqualTo("o=4, c=1, kh=0, kw=2");
        assertThat(Axes.weights(Op.CONV2D, WeightsLayout.HWIO).format(oihw)).isEqualTo("kh=0, kw=2, c=1, o=4");
        assertThat(Axes.weights(Op.CONV_TRANSPOSE2D, WeightsLayout.HWOI).format(List.of(1, 4, 0, 2))).isEqualTo("kh=0, kw=2, o=4, c=1");
        assertThat(Axes.gradient(Gradients.Kind.BIAS, Op.CONV2D, Layout.NHWC, WeightsLayout.HWIO).format(List.of(3))).isEqualTo("o=3");
    }

    @Test
    void aComparisonSaysWhereItsWorstElementIsInTheCasesLayout() {
        // NCHW [1, 2, 2, 3]: one element off at n=0, c=1, h=0, w=2.
        Tensor expected = Tensor.fill(DType.FLOAT64, new int[] {1, 2, 2, 3}, i -> i[1] * 10 + i[2] * 3 + i[3]);
        Tensor actual = Tensor.fill(DType.FLOAT64, new int[] {1, 2, 2, 3}, i -> expected.get(i[0], i[1], i[2], i[3])
                + (i[1] == 1 && i[2] == 0 && i[3] == 2 ? 0.5 : 0));
        Comparison c = Comparison.of(actual, expected, new Tolerance(1e-9, 0));
        assertThat(c.where()).as("by default NCHW").isEqualTo("n=0, c=1, h=0, w=2");
        assertThat(c.withAxes(Axes.data(Layout.NHWC)).summary()).contains("worst n=0, h=0, w=2, c=1: 12.5 vs 12.0");
        assertThat(c.withAxes(Axes.data(Layout.NHWC)).agree()).isFalse();
    }
}
