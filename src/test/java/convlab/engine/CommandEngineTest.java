package convlab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Padding;
import convlab.core.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A user's command as an engine: what it is given, what it must write, and every way it can fail without stopping the run. */
class CommandEngineTest {

    static final Random R = new Random(5);
    static final Tensor X = Tensor.fill(DType.FLOAT64, new int[] {1, 2, 5, 5}, i -> R.nextGaussian());
    static final ConvLayer LAYER = new ConvLayer(Tensor.fill(DType.FLOAT64, new int[] {3, 2, 3, 3}, i -> R.nextGaussian()),
            Tensor.fill(DType.FLOAT64, new int[] {3}, i -> R.nextGaussian()), ConvSpec.defaults().withPadding(Padding.same()));

    static CommandEngine bash(String script, int timeoutSeconds) {
        return new CommandEngine("t", List.of("bash", "-c", script, "bash"), Duration.ofSeconds(timeoutSeconds), false);
    }

    @Test
    void theNumpyExampleAgreesAndItsFolderHoldsTheContract() throws Exception {
        CommandEngine e = new CommandEngine("mine", List.of("python3", "examples/my_conv.py"), Duration.ofSeconds(60), true);
        assertThat(e.command().get(1)).startsWith("/").endsWith("examples/my_conv.py");
        LayerRun run = e.run(X, List.of(LAYER)).get(0);
        assertThat(run.status()).as(run.message()).isEqualTo(LayerRun.Status.OK);
        EnginesTest.assertAgrees(Conv2d.forward(X, LAYER).activated(), run);
        Path dir = Path.of(run.notes().get(0).replaceFirst(".* in ", ""));
        assertThat(Files.readString(dir.resolve("layer.json"))).contains("\"padding\" : [ 1, 1, 1, 1 ]").contains("\"op\" : \"conv2d\"");
        assertThat(dir.resolve("bias.npy")).exists();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "fails        | 60 | echo broken >&2; exit 3                                  | exit code 3; stderr: broken",
            "hangs        | 1  | sleep 30                                                  | timed out after 1 s",
            "garbage      | 60 | echo nonsense > output.npy                                | output.npy:",
            "wrong shape  | 60 | python3 -c 'import numpy as np; np.save(\"output.npy\", np.zeros((1, 3, 4, 4)))' | output.npy has shape 1x3x4x4, but the layer's output is 1x3x5x5",
            "nothing      | 60 | true                                                      | wrote no output.npy"})
    void aBadCommandIsThatLayersErrorAndTheNextLayerIsNotRun(String what, int timeout, String script, String message) {
        List<LayerRun> runs = bash(script, timeout).run(X, List.of(LAYER, LAYER.withSpec(ConvSpec.defaults())));
        assertThat(runs.get(0).status()).as(what).isEqualTo(LayerRun.Status.ERROR);
        assertThat(runs.get(0).message()).as(what).contains(message);
        assertThat(runs.get(1).message()).isEqualTo("not run: layer 1 failed");
    }

    @Test
    void theNumpyExamplesBackwardPassEqualsTheReferencesThroughAStack() {
        ConvLayer second = new ConvLayer(Tensor.fill(DType.FLOAT64, new int[] {2, 3, 3, 3}, i -> R.nextGaussian()), null,
                ConvSpec.defaults().withActivation(convlab.core.Activation.TANH));
        List<ConvLayer> stack = List.of(LAYER, second);
        Tensor dy = Tensor.fill(DType.FLOAT64, new int[] {1, 2, 3, 3}, i -> R.nextGaussian());
        CommandEngine e = new CommandEngine("mine", List.of("python3", "examples/my_conv.py"), Duration.ofSeconds(60), false);
        List<GradRun> runs = e.backward(X, stack, dy);
        List<convlab.core.Gradients> reference = convlab.core.Backward.all(X, stack, dy);
        for (int k = 0; k < 2; k++) {
            assertThat(runs.get(k).status()).as(runs.get(k).message()).isEqualTo(LayerRun.Status.OK);
            for (convlab.core.Gradients.Kind kind : convlab.core.Gradients.Kind.values()) {
                Tensor want = kind.of(reference.get(k));
                Tensor got = kind.of(runs.get(k).gradients());
                assertThat(got == null).as("layer %d %s", k + 1, kind).isEqualTo(want == null);
                for (int i = 0; want != null && i < want.size(); i++) {
                    assertThat(got.flat(i)).as("layer %d %s element %d", k + 1, kind, i).isCloseTo(want.flat(i), org.assertj.core.data.Offset.offset(1e-9));
                }
            }
        }
    }

    @Test
    void aCommandWithoutABackwardPassIsAnErrorNamingTheFile() {
        GradRun run = bash("python3 -c 'import numpy as np; np.save(\"output.npy\", np.zeros((1, 3, 5, 5)))'", 60)
                .backward(X, List.of(LAYER), Tensor.zeros(DType.FLOAT64, 1, 3, 5, 5)).get(0);
        assertThat(run.status()).isEqualTo(LayerRun.Status.ERROR);
        assertThat(run.message()).isEqualTo("wrote no gradInput.npy");
    }

    @Test
    void commandsSplitAsAShellWouldButRunWithoutOne() {
        assertThat(CommandEngine.words("python3 'my conv.py' \"a \\\"b\\\"\" c\\ d  $HOME")).containsExactly("python3", "my conv.py", "a \"b\"", "c d", "$HOME");
        assertThat(CommandEngine.parse("x-1=java My.java", Duration.ofSeconds(1), false).name()).isEqualTo("x-1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommandEngine.parse("Bad=x", Duration.ofSeconds(1), false))
                .hasMessageContaining("lower-case letters");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommandEngine.parse("ok='unclosed", Duration.ofSeconds(1), false))
                .hasMessageContaining("closing '");
    }
}
