package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.engine.Engines;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the backward passes of conv_transpose2d and pooling show on the forward cases of data/discrepancies today
 * ({@code verify --gradients --gradient-seed 1}: a random dy, compared with the reference's taps-read gradients).
 * Each forward finding carries over to the gradients, and two engines fail where their forward pass ran.
 */
class BackwardDiscrepanciesTest {

    static final long SEED = 1;

    static Map<String, GradientResult.EngineGradients> run(String name) {
        CaseResult r = new Verifier(Engines.frameworks()).withGradients(SEED).verify(Path.of("data", "discrepancies", name, "case.json"));
        assertThat(r.problem()).isEmpty();
        assertThat(r.gradients()).isNotNull();
        return r.gradients().layers().get(0).engines().stream().collect(Collectors.toMap(GradientResult.EngineGradients::engine, e -> e));
    }

    @Test
    void negativeSameCropOfDeconv2dReachesItsGradientsAndOneDnnsBackwardOpFails() {
        var e = run("nd4j-deconv-same-negative-crop");
        for (String engine : List.of("nd4j", "dl4j")) {
            assertThat(e.get(engine).status()).as(engine).isEqualTo("disagree");
            assertThat(e.get(engine).vsReference().get(convlab.core.Gradients.Kind.BIAS).agree()).as("%s: db sums delta, whatever the crop", engine).isTrue();
        }
        assertThat(e.get("nd4j-onednn").status()).isEqualTo("error");
        assertThat(e.get("nd4j-onednn").run().message())
                .isEqualTo("Op [deconv2d_bp] execution failed with message could not create a descriptor for a dilated convolution forward propagation primitive");
    }

    @Test
    void negativeSamePaddingOfPoolingReachesItsGradientsAndDl4jRefusesToBackpropagate() {
        var e = run("nd4j-pool-same-negative-padding");
        assertThat(e.get("nd4j").status()).isEqualTo("disagree");
        assertThat(e.get("nd4j-onednn").status()).isEqualTo("disagree");
        assertThat(e.get("dl4j").status()).as("its forward pass ran (with the wrong numbers)").isEqualTo("error");
        assertThat(e.get("dl4j").run().message()).startsWith("Invalid padding values calculated: [0, -1] - layer configuration is invalid?");
    }

    @Test
    void oneDnnMaxPoolingsGradientIgnoresDilationToo() {
        var e = run("onednn-maxpool-dilation");
        assertThat(e.get("nd4j").status()).isEqualTo("agree");
        assertThat(e.get("nd4j-onednn").status()).isEqualTo("disagree");
        assertThat(e.get("dl4j").status()).isEqualTo("disagree");
    }

    @Test
    void maxPoolingsGradientSkipsNanAsItsForwardPassDoes() {
        var e = run("nd4j-maxpool-nan");
        for (String engine : List.of("nd4j", "nd4j-onednn", "dl4j")) {
            assertThat(e.get(engine).status()).as("%s: the reference sends a NaN window's gradient to the NaN, as PyTorch does", engine)
                    .isEqualTo("disagree");
        }
    }
}
