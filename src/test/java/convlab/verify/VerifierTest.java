package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Layer;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.engine.Engine;
import convlab.engine.LayerRun;
import convlab.io.CaseFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class VerifierTest {

    static final Path CLASSIC = Path.of("data", "golden", "torch_classic", "case.json");

    /** An engine that runs the reference and then distorts its output, or fails, as told. */
    record FakeEngine(String name, DoubleUnaryOperator distort, String error) implements Engine {
        @Override
        public String description() {
            return "a test double";
        }

        @Override
        public List<LayerRun> run(Tensor input, List<? extends Layer> layers) {
            List<LayerRun> runs = new ArrayList<>();
            Tensor x = input;
            for (Layer l : layers) {
                if (error != null) {
                    runs.add(LayerRun.error(error, 0));
                    continue;
                }
                x = l.forward(x).activated();
                runs.add(LayerRun.ok(x.map(distort), DType.FLOAT64, List.of(), 0));
            }
            return runs;
        }
    }

    @Test
    void anEngineThatIsOffDisagreesAndSaysWhere() {
        Engine off = new FakeEngine("off", v -> v + 1e-3, null);
        CaseResult r = new Verifier(List.of(off)).verify(CLASSIC);
        assertThat(r.verdict()).isEqualTo(Verdict.DISAGREE);
        Comparison c = r.layers().get(0).engines().get(0).vsReference();
        assertThat(c.agree()).isFalse();
        assertThat(c.maxAbs()).isBetween(0.9e-3, 1.1e-3);
        assertThat(c.worst()).hasSize(4);
        assertThat(c.mismatches()).isEqualTo(72);
    }

    @Test
    void anEngineThatFailsIsReportedButDoesNotDisagree() {
        Engine broken = new FakeEngine("broken", v -> v, "native op failed");
        Engine exact = new FakeEngine("exact", v -> v, null);
        CaseResult r = new Verifier(List.of(broken, exact)).verify(CLASSIC);
        assertThat(r.verdict()).isEqualTo(Verdict.AGREE);
        assertThat(r.layers().get(0).engines().get(0).outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.layers().get(0).engines().get(1).outcome()).isEqualTo(Outcome.AGREE);
    }

    @Test
    void comparisonFindsTheWorstElementAndTreatsNaNAsData() {
        Tensor e = Tensor.of(new int[] {1, 1, 2, 2}, new double[] {1, Double.NaN, 3, 4});
        Tensor same = Tensor.of(new int[] {1, 1, 2, 2}, new double[] {1, Double.NaN, 3, 4});
        assertThat(Comparison.of(same, e, Tolerance.FLOAT64).agree()).isTrue();
        Tensor off = Tensor.of(new int[] {1, 1, 2, 2}, new double[] {1, Double.NaN, 3.5, 4});
        Comparison c = Comparison.of(off, e, Tolerance.FLOAT64);
        assertThat(c.agree()).isFalse();
        assertThat(c.worst()).containsExactly(0, 0, 1, 0);
        assertThat(c.maxAbs()).isEqualTo(0.5);
        Tensor nanMissing = Tensor.of(new int[] {1, 1, 2, 2}, new double[] {1, 2, 3, 4});
        assertThat(Comparison.of(nanMissing, e, Tolerance.FLOAT64).worst()).containsExactly(0, 0, 0, 1);
        Tensor wrongShape = Tensor.of(new int[] {1, 1, 1, 4}, new double[] {1, 2, 3, 4});
        assertThat(Comparison.of(wrongShape, e, Tolerance.FLOAT64).problem()).contains("1x1x2x2").contains("1x1x1x4");
    }

    @Test
    void toleranceIsAbsPlusRelTimesExpected() {
        Tolerance t = new Tolerance(1e-3, 1e-2);
        assertThat(t.agrees(100.9, 100)).isTrue();   // 0.9 <= 0.001 + 1.0
        assertThat(t.agrees(101.1, 100)).isFalse();  // 1.1 >  1.001
        assertThat(t.agrees(Double.NaN, 1)).isFalse();
        assertThat(t.agrees(Double.NaN, Double.NaN)).isTrue();
    }

    @Test
    void anImpossibleCaseIsInvalidWithTheReason() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("convlab");
        java.nio.file.Files.writeString(dir.resolve("case.json"),
                "{\"input\": \"" + CLASSIC.getParent().resolve("input.npy").toAbsolutePath() + "\", \"weights\": \""
                        + CLASSIC.getParent().resolve("weights.npy").toAbsolutePath() + "\", \"dilation\": 5}");
        CaseResult r = new Verifier(List.of()).verify(dir.resolve("case.json"));
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.problem()).contains("case.json").contains("spans 11 rows");
        assertThat(CaseFiles.find(List.of(dir))).hasSize(1);
    }
}
