package convlab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void permuteMatchesNumpyTranspose() {
        Tensor t = Tensor.fill(DType.FLOAT64, new int[] {2, 3, 4}, i -> i[0] * 100 + i[1] * 10 + i[2]);
        Tensor p = t.permute(2, 0, 1);
        assertThat(p.shape()).containsExactly(4, 2, 3);
        assertThat(p.get(3, 1, 2)).isEqualTo(123);
    }

    @Test
    void layoutsRoundTrip() {
        Tensor t = Tensor.fill(DType.FLOAT64, new int[] {2, 3, 4, 5}, i -> i[0] * 1000 + i[1] * 100 + i[2] * 10 + i[3]);
        assertThat(Layout.NHWC.toNchw(Layout.NHWC.fromNchw(t))).isEqualTo(t);
        assertThat(WeightsLayout.HWIO.toOihw(WeightsLayout.HWIO.fromOihw(t))).isEqualTo(t);
        assertThat(WeightsLayout.HWIO.fromOihw(t).shape()).containsExactly(4, 5, 3, 2);
    }

    @Test
    void wrongSizesNameBothShapes() {
        assertThatThrownBy(() -> Tensor.of(new int[] {2, 2}, new double[3])).hasMessageContaining("2x2").hasMessageContaining("3 values");
    }

    @Test
    void rangeIgnoresNaN() {
        Tensor t = Tensor.of(new int[] {3}, new double[] {Double.NaN, -1, 2});
        assertThat(t.range()).containsExactly(-1, 2);
    }
}
