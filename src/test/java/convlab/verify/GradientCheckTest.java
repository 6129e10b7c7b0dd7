package convlab.verify;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Backward;
import convlab.core.DType;
import convlab.core.Gradients;
import convlab.core.Layer;
import convlab.core.Tensor;
import convlab.engine.Engine;
import convlab.engine.GradRun;
import convlab.engine.LayerRun;
import convlab.io.CaseFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The gradient check: golden gradients from PyTorch/TensorFlow, the random dy, and engines that are off or fail. */
class GradientCheckTest {

    static Stream<Path> goldenGradientCases() {
        List<Path> files = CaseFiles.find(List.of(Path.of("data", "golden"))).stream()
                .filter(p -> p.getParent().getFileName().toString().startsWith("grad_")).toList();
        assertThat(files).as("gradient golden cases under data/golden/grad_*").hasSizeGreaterThanOrEqualTo(14);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenGradientCases")
    void referenceGradientsMatchTheFramework(Path file) {
        CaseResult r = new Verifier(List.of()).verify(file);
        assertThat(r.problem()).isEmpty();
        GradientResult g = r.gradients();
        assertThat(g).as("a case with gradOutput is checked without --gradients").isNotNull();
        assertThat(g.seed()).isNull();
        for (GradientResult.LayerGradients l : g.layers()) {
            var layer = r.kase().layers().get(l.index()).layer();
            int expected = 1 + (layer.weights() != null ? 1 : 0) + (layer.bias() != null ? 1 : 0);
            assertThat(l.referenceVsExpected().keySet()).as("layer %d has every expected gradient", l.index() + 1)
                    .hasSize(expected);
            l.referenceVsExpected().forEach((kind, c) -> assertThat(c.agree()).as("layer %d %s: %s", l.index() + 1, kind, c.summary()).isTrue());
        }
        assertThat(r.verdict()).isEqualTo(Verdict.AGREE);
    }

    /** An engine whose backward pass is the reference's, distorted on the weights' gradient, or failing. */
    record FakeEngine(String name, double offset, String error) implements Engine {
        @Override
        public String description() {
            return "a test double";
        }

        @Override
        public List<LayerRun> run(Tensor input, List<? extends Layer> layers) {
            return layers.stream().map(l -> LayerRun.unsupported("no forward")).toList();
        }

        @Override
        public List<GradRun> backward(Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
            List<GradRun> runs = new ArrayList<>();
            for (Gradients g : Backward.all(input, layers, gradOutput)) {
                runs.add(error != null ? GradRun.error(error, 0)
                        : GradRun.ok(new Gradients(g.gradInput(), g.gradWeights().map(v -> v + offset), g.gradBias()), DType.FLOAT64, List.of(), 1));
            }
            return runs;
        }
    }

    static final Path CLASSIC = Path.of("data", "golden", "torch_classic", "case.json");

    @Test
    void withoutGradOutputOrGradientsNothingIsChecked() {
        assertThat(new Verifier(List.of()).verify(CLASSIC).gradients()).isNull();
    }

    @Test
    void aRandomDyIsSeededAndTheSeedIsKept() {
        Verifier v = new Verifier(List.of(new FakeEngine("same", 0, null))).withGradients(42);
        CaseResult a = v.verify(CLASSIC);
        CaseResult b = v.verify(CLASSIC);
        assertThat(a.gradients().seed()).isEqualTo(42L);
        assertThat(a.gradients().source()).contains("seed 42");
        assertThat(a.gradients().gradOutput()).isEqualTo(b.gradients().gradOutput());
        assertThat(a.gradients().gradOutput().shape()).containsExactly(1, 2, 6, 6);
        assertThat(new Verifier(List.of()).withGradients(43).verify(CLASSIC).gradients().gradOutput()).isNotEqualTo(a.gradients().gradOutput());
        var e = a.gradients().layers().get(0).engines().get(0);
        assertThat(e.status()).isEqualTo("agree");
        assertThat(e.vsReference().keySet()).containsExactlyInAnyOrder(Gradients.Kind.values());
        assertThat(a.verdict()).isEqualTo(Verdict.AGREE);
    }

    @Test
    void anEngineWhoseGradientIsOffDisagreesAndSaysWhichGradient() {
        CaseResult r = new Verifier(List.of(new FakeEngine("off", 1e-3, null))).withGradients(1).verify(CLASSIC);
        var e = r.gradients().layers().get(0).engines().get(0);
        assertThat(e.status()).isEqualTo("disagree");
        assertThat(e.vsReference().get(Gradients.Kind.WEIGHTS).agree()).isFalse();
        assertThat(e.vsReference().get(Gradients.Kind.WEIGHTS).maxAbs()).isBetween(0.9e-3, 1.1e-3);
        assertThat(e.vsReference().get(Gradients.Kind.INPUT).agree()).isTrue();
        assertThat(r.verdict()).isEqualTo(Verdict.DISAGREE);
    }

    @Test
    void anEngineWhoseBackwardFailsIsReportedButDoesNotDisagree() {
        CaseResult r = new Verifier(List.of(new FakeEngine("broken", 0, "boom"))).withGradients(1).verify(CLASSIC);
        var e = r.gradients().layers().get(0).engines().get(0);
        assertThat(e.status()).isEqualTo("error");
        assertThat(e.run().message()).isEqualTo("boom");
        assertThat(e.vsReference()).isEmpty();
        assertThat(r.verdict()).isEqualTo(Verdict.AGREE);
    }

    @Test
    void aGoldenGradientThatIsOffDisagrees() throws Exception {
        Path dir = copyOfGolden("grad_torch_groups");
        Tensor gb = convlab.io.Npy.read(dir.resolve("expectedGradBias.npy"));
        convlab.io.Npy.write(dir.resolve("expectedGradBias.npy"), gb.map(v -> v + 0.5));
        CaseResult r = new Verifier(List.of()).verify(dir.resolve("case.json"));
        var l = r.gradients().layers().get(0);
        assertThat(l.referenceVsExpected().get(Gradients.Kind.BIAS).agree()).isFalse();
        assertThat(l.referenceVsExpected().get(Gradients.Kind.INPUT).agree()).isTrue();
        assertThat(r.verdict()).isEqualTo(Verdict.DISAGREE);
    }

    @Test
    void aGradOutputOfTheWrongShapeMakesTheCaseInvalidNamingBothShapes() throws Exception {
        Path dir = copyOfGolden("grad_tf_same_stride2");
        convlab.io.Npy.write(dir.resolve("gradOutput.npy"), Tensor.zeros(DType.FLOAT64, 1, 3, 3, 4));
        CaseResult r = new Verifier(List.of()).verify(dir.resolve("case.json"));
        assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(r.problem()).contains("field 'gradOutput'").contains("1x4x4x4 in NHWC").contains("found 1x3x3x4");
    }

    /** A golden case's folder copied to a temporary folder, to be spoiled by a test. */
    static Path copyOfGolden(String name) throws java.io.IOException {
        Path dir = java.nio.file.Files.createTempDirectory("convlab-grad");
        try (var files = java.nio.file.Files.list(Path.of("data", "golden", name))) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }
}
