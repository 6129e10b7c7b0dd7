package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.engine.Engines;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What each case of data/discrepancies shows with ND4J/DL4J 1.0.0-M2.1 today. When an upgrade fixes one, its test
 * fails here: move the case to data/golden and update data/discrepancies/README.md.
 */
class DiscrepanciesTest {

    static Map<String, CaseResult.EngineCheck> run(String name) {
        CaseResult r = new Verifier(Engines.all()).verify(Path.of("data", "discrepancies", name, "case.json"));
        assertThat(r.problem()).isEmpty();
        // The reference always matches PyTorch's expected output: the disagreement is the engine's.
        assertThat(r.layers().get(0).referenceVsExpected().agree()).isTrue();
        return r.layers().get(0).engines().stream().collect(Collectors.toMap(CaseResult.EngineCheck::engine, e -> e));
    }

    @Test
    void oneDnnRejectsDilation() {
        var e = run("onednn-dilation");
        assertThat(e.get("nd4j-onednn").outcome()).isEqualTo(Outcome.ERROR);
        assertThat(e.get("nd4j-onednn").run().message()).contains("dilated convolution");
        assertThat(e.get("nd4j").outcome()).isEqualTo(Outcome.AGREE);
        assertThat(e.get("dl4j").outcome()).isEqualTo(Outcome.AGREE);
    }

    @Test
    void nd4jSameModePadsNegativelyWhenTheStrideOutrunsTheKernel() {
        var e = run("nd4j-same-negative-padding");
        assertThat(e.get("nd4j").outcome()).isEqualTo(Outcome.DISAGREE);
        assertThat(e.get("nd4j").vsExpected().agree()).isFalse();
        assertThat(e.get("nd4j-onednn").outcome()).isEqualTo(Outcome.ERROR);
        assertThat(e.get("nd4j-onednn").run().message()).contains("dilated convolution");
        assertThat(e.get("dl4j").outcome()).isEqualTo(Outcome.ERROR);
        assertThat(e.get("dl4j").run().message()).contains("Invalid padding values calculated");
        Probe.Result p = Probe.run(Engines.named("nd4j"), new Verifier(java.util.List.of())
                .verify(Path.of("data", "discrepancies", "nd4j-same-negative-padding", "case.json")).layers().get(0).conv(), new int[] {1, 2, 5, 12});
        assertThat(p.diagnosis()).contains("pads -1 column(s) on the left where the reference pads 0");
    }

    @Test
    void nd4jAndDl4jMaxPoolingSkipNan() {
        var e = run("nd4j-maxpool-nan");
        for (String engine : java.util.List.of("nd4j", "nd4j-onednn", "dl4j")) {
            assertThat(e.get(engine).outcome()).as(engine).isEqualTo(Outcome.DISAGREE);
            assertThat(e.get(engine).vsExpected().mismatches()).as("%s: the 9 NaN outputs of PyTorch are numbers", engine).isEqualTo(9);
        }
    }

    @Test
    void oneDnnMaxPoolingIgnoresDilationInNd4jAndInDl4j() {
        var e = run("onednn-maxpool-dilation");
        assertThat(e.get("nd4j").outcome()).isEqualTo(Outcome.AGREE);
        assertThat(e.get("nd4j-onednn").outcome()).isEqualTo(Outcome.DISAGREE);
        assertThat(e.get("dl4j").outcome()).as("DL4J leaves the helpers on, so its float32 pooling is oneDNN's").isEqualTo(Outcome.DISAGREE);
    }

    @Test
    void nd4jPoolingSameModePadsNegativelyToo() {
        var e = run("nd4j-pool-same-negative-padding");
        for (String engine : java.util.List.of("nd4j", "nd4j-onednn", "dl4j")) {
            assertThat(e.get(engine).outcome()).as(engine).isEqualTo(Outcome.DISAGREE);
        }
    }

    /** The gradient check of a *-grad case: the reference matches PyTorch's every gradient; per engine, its gradients. */
    static Map<String, GradientResult.EngineGradients> runGradients(String name) {
        CaseResult r = new Verifier(Engines.all()).verify(Path.of("data", "discrepancies", name, "case.json"));
        assertThat(r.problem()).isEmpty();
        GradientResult.LayerGradients l = r.gradients().layers().get(0);
        assertThat(l.referenceVsExpected()).hasSize(3);
        l.referenceVsExpected().forEach((k, c) -> assertThat(c.agree()).as("reference %s vs PyTorch: %s", k, c.summary()).isTrue());
        return l.engines().stream().collect(Collectors.toMap(GradientResult.EngineGradients::engine, e -> e));
    }

    @Test
    void nd4jSameModeNegativePaddingReachesTheInputAndWeightGradients() {
        var e = runGradients("nd4j-same-negative-padding-grad");
        var nd4j = e.get("nd4j");
        assertThat(nd4j.status()).isEqualTo("disagree");
        assertThat(nd4j.vsExpected().get(convlab.core.Gradients.Kind.INPUT).agree()).isFalse();
        assertThat(nd4j.vsExpected().get(convlab.core.Gradients.Kind.WEIGHTS).agree()).isFalse();
        assertThat(nd4j.vsExpected().get(convlab.core.Gradients.Kind.BIAS).agree()).as("db sums dy, whatever the padding").isTrue();
        assertThat(e.get("nd4j-onednn").run().message()).isEqualTo("forward pass: " + "Op [conv2d] execution failed with message could not create a descriptor for a dilated convolution forward propagation primitive");
        assertThat(e.get("dl4j").run().message()).startsWith("forward pass: Invalid padding values calculated: [0, -1]");
    }

    @Test
    void oneDnnCannotRunTheDilatedBackwardPass() {
        var e = runGradients("onednn-dilation-grad");
        assertThat(e.get("nd4j-onednn").status()).isEqualTo("error");
        assertThat(e.get("nd4j-onednn").run().message()).contains("dilated convolution");
        assertThat(e.get("nd4j").status()).isEqualTo("agree");
        assertThat(e.get("nd4j").vsExpected()).hasSize(3);
        assertThat(e.get("dl4j").status()).isEqualTo("agree");
    }
}
