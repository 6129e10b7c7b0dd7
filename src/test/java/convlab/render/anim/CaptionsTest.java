package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.Padding;
import convlab.core.Tensor;
import convlab.render.Numbers;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionsTest {

    private static final Tensor X = Tensor.of(new int[] {1, 1, 3, 3}, new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9});
    private static final Tensor W = Tensor.of(new int[] {1, 1, 2, 2}, new double[] {0.5, -0.5, 1.0, 0.0});

    @Test
    void theSumIsSpelledOutWithTheNumbers() {
        ConvLayer layer = new ConvLayer(W, Tensor.of(new int[] {1}, new double[] {0.1}), ConvSpec.defaults().withActivation(Activation.RELU));
        Animation a = Animation.of(X, layer, AnimationOptions.defaults());
        // 0.1*0.5 + 0.2*-0.5 + 0.4*1 + 0.5*0 = 0.35; + 0.1 = 0.45; relu keeps it.
        List<Captions.Line> lines = a.caption(0);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).text())
                .isEqualTo("0.10*0.50  + 0.20*-0.50 + 0.40*1.00  + 0.50*0.00  = 0.35, +b=0.10 = 0.45 -> relu -> 0.45");
        assertThat(Captions.box(a.values(0), 4)).containsExactly(
                "c0     0.35",
                "bias   0.10",
                "       ----",
                "total  0.45",
                "relu   0.45");
    }

    @Test
    void paddingProductsAreMarkedAndChannelsGetALineEach() {
        Tensor x2 = Tensor.of(new int[] {1, 2, 2, 2}, new double[] {1, 2, 3, 4, 5, 6, 7, 8});
        Tensor w2 = Tensor.of(new int[] {1, 2, 2, 2}, new double[] {1, 0, 0, 0, 0, 0, 0, 1});
        ConvLayer layer = new ConvLayer(w2, null, ConvSpec.defaults().withPadding(Padding.symmetric(1)));
        Animation a = Animation.of(x2, layer, AnimationOptions.defaults());
        // Output (0, 0) reads padded rows -1..0 and columns -1..0: only (0, 0) is the input's own.
        List<Captions.Line> lines = a.caption(0);
        assertThat(lines).extracting(Captions.Line::text).containsExactly(
                "c0:  0.00*1.00 + 0.00*0.00 + 0.00*0.00 + 1.00*0.00 = 0.00",
                "c1:  0.00*0.00 + 0.00*0.00 + 0.00*0.00 + 5.00*1.00 = 5.00",
                "sum: 0.00 + 5.00 = 5.00");
        List<Captions.Span> terms = lines.get(0).spans().stream().filter(s -> s.text().contains("*")).toList();
        assertThat(terms).extracting(Captions.Span::muted).containsExactly(true, true, true, false);
    }

    @Test
    void numbersPrintCompactly() {
        assertThat(Numbers.format(0.123)).isEqualTo("0.12");
        assertThat(Numbers.format(-0.001)).isEqualTo("0.00");
        assertThat(Numbers.format(12.34)).isEqualTo("12.3");
        assertThat(Numbers.format(-123.4)).isEqualTo("-123");
        assertThat(Numbers.format(12345)).isEqualTo("1.2e+04");
        assertThat(Numbers.format(Double.NaN)).isEqualTo("NaN");
    }
}
