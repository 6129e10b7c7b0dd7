package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Hw;
import convlab.core.Layer;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.engine.Engine;
import convlab.engine.LayerRun;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ProbeTest {

    /** An engine that runs the reference on a spec it rewrites first: a stand-in for a framework with a different rule. */
    record RewritingEngine(UnaryOperator<ConvSpec> rewrite) implements Engine {
        public String name() {
            return "rewriting";
        }

        public String description() {
            return "test double";
        }

        public List<LayerRun> run(Tensor input, List<? extends Layer> layers) {
            ConvLayer l = (ConvLayer) layers.get(0);
            Tensor out = Conv2d.forward(input, l.withSpec(rewrite.apply(l.spec()))).activated();
            return List.of(LayerRun.ok(out, DType.FLOAT64, List.of(), 0));
        }
    }

    static ConvLayer layer(ConvSpec spec) {
        return new ConvLayer(Tensor.fill(DType.FLOAT64, new int[] {2, 2, 3, 3}, i -> 1), null, spec);
    }

    @Test
    void anEngineThatAgreesReadsTheSameCells() {
        ConvSpec spec = ConvSpec.defaults().withPadding(Padding.same()).withStride(Hw.of(2));
        Probe.Result r = Probe.run(new RewritingEngine(s -> s), layer(spec), new int[] {1, 2, 6, 6});
        assertThat(r.differences()).isEmpty();
        assertThat(r.diagnosis()).startsWith("every tap reads the same input cell");
    }

    @Test
    void paddingTheOddRowOnTopIsNamed() {
        // same with stride 2 on 6x6 and k=3: total pad 1, the reference puts it bottom/right; this engine puts it top/left.
        ConvSpec spec = ConvSpec.defaults().withPadding(Padding.same()).withStride(Hw.of(2));
        Probe.Result r = Probe.run(new RewritingEngine(s -> s.withPadding(Padding.explicit(1, 0, 1, 0))), layer(spec), new int[] {1, 2, 6, 6});
        assertThat(r.differences()).isNotEmpty();
        assertThat(r.diagnosis()).contains("Rows are shifted by -1: the engine pads 1 row(s) on top where the reference pads 0")
                .contains("extra padding row on the top instead of the bottom").contains("Columns are shifted by -1")
                .contains("extra padding column on the left instead of the right");
    }

    @Test
    void negativePaddingIsNamed() {
        // 1x1 kernel, stride 3 on width 12: same needs no padding; an engine that pads -1 on the left reads one column later.
        ConvSpec spec = ConvSpec.defaults().withPadding(Padding.same()).withStride(Hw.of(3));
        ConvLayer one = new ConvLayer(Tensor.fill(DType.FLOAT64, new int[] {1, 1, 1, 1}, i -> 1), null, spec);
        Engine shifted = new Engine() {
            public String name() {
                return "shifted";
            }

            public String description() {
                return "reads one column to the right";
            }

            public List<LayerRun> run(Tensor input, List<? extends Layer> layers) {
                Tensor x = input;
                Tensor moved = Tensor.fill(x.dtype(), x.shape(), i -> i[3] + 1 < x.dim(3) ? x.get(i[0], i[1], i[2], i[3] + 1) : 0);
                return List.of(LayerRun.ok(layers.get(0).forward(moved).activated(), DType.FLOAT64, List.of(), 0));
            }
        };
        Probe.Result r = Probe.run(shifted, one, new int[] {1, 1, 5, 12});
        assertThat(r.diagnosis()).contains("pads -1 column(s) on the left where the reference pads 0").contains("negative padding");
    }

    @Test
    void aMissingPaddingModeIsNamed() {
        ConvSpec spec = ConvSpec.defaults().withPadding(Padding.symmetric(1)).withPaddingMode(PaddingMode.REFLECT);
        Probe.Result r = Probe.run(new RewritingEngine(s -> s.withPaddingMode(PaddingMode.ZEROS)), layer(spec), new int[] {1, 2, 5, 5});
        assertThat(r.diagnosis()).contains("differ in whether they hit padding");
        assertThat(r.differences().get(0).engine().padding()).isTrue();
        assertThat(r.differences().get(0).reference().padding()).isFalse();
    }
}
