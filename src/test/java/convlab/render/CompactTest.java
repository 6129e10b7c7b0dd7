package convlab.render;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Tensor;
import org.junit.jupiter.api.Test;

class CompactTest {

    @Test
    void formatsShortly() {
        assertThat(Compact.format(0.1234)).isEqualTo("0.12");
        assertThat(Compact.format(-1.26)).isEqualTo("-1.3");
        assertThat(Compact.format(1.23e-7)).isEqualTo("1.2e-07");
        assertThat(Compact.format(1e-7)).isEqualTo("1e-07");
        assertThat(Compact.format(0.0042)).isEqualTo("0.0042");
        assertThat(Compact.format(0.5)).isEqualTo("0.5");
        assertThat(Compact.format(2.0)).isEqualTo("2");
        assertThat(Compact.format(99.97)).isEqualTo("100");
        assertThat(Compact.format(1234.4)).isEqualTo("1234");
        assertThat(Compact.format(123456)).isEqualTo("1.2e+05");
        assertThat(Compact.format(0)).isEqualTo("0");
        assertThat(Compact.format(-0.0)).isEqualTo("0");
        assertThat(Compact.format(Double.NaN)).isEqualTo("NaN");
        assertThat(Compact.format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(Compact.tight(-1.8e-8)).isEqualTo("-2e-08");
        assertThat(Compact.tight(0.25)).isEqualTo("0.25");
    }

    @Test
    void scalesIgnoreNaNAndInfinityAndCentreDifferencesOnZero() {
        Tensor t = Tensor.of(new int[] {4}, new double[] {Double.NaN, 0.5, Double.POSITIVE_INFINITY, 2});
        Scale s = Scale.fitting(t);
        assertThat(s.lo()).isEqualTo(0.5);
        assertThat(s.hi()).isEqualTo(2);
        assertThat(s.color(Double.POSITIVE_INFINITY)).isEqualTo(s.top());
        Scale d = Scale.symmetric(Tensor.of(new int[] {2}, new double[] {1e-7, 3e-8}));
        assertThat(d.diverging()).isTrue();
        assertThat(d.lo()).isEqualTo(-1e-7);
        assertThat(d.color(0)).isEqualTo(d.neutral());
        assertThat(Scale.symmetric(Tensor.of(new int[] {1}, new double[] {0})).hi()).isEqualTo(1);
    }

    @Test
    void niceTickUnits() {
        assertThat(Charts.niceUnit(0.3, false)).isEqualTo(1);
        assertThat(Charts.niceUnit(2.2, false)).isEqualTo(5);
        assertThat(Charts.niceUnit(11, false)).isEqualTo(20);
        assertThat(Charts.niceUnit(0.22, true)).isEqualTo(0.25);
        assertThat(Charts.niceUnit(1.3e-8, true)).isCloseTo(2e-8, org.assertj.core.data.Offset.offset(1e-20));
    }
}
