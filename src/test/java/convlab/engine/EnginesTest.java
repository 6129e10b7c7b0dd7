package convlab.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.Activation;
import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Output;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.engine.EngineCases.Case;
import convlab.engine.LayerRun.Status;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engines against the reference {@link Conv2d}: a seeded sweep ({@link EngineCases}) plus fixed cases for what
 * the sweep found. Tests whose names start with {@code finding} pin down behaviour of ND4J/DL4J 1.0.0-M2.1 that
 * disagrees with the reference (and with PyTorch/TensorFlow); they assert the current behaviour so that a framework
 * upgrade that changes it fails here and gets looked at.
 */
class EnginesTest {

    static final String ONEDNN_DILATION_MESSAGE =
            "Op [conv2d] execution failed with message could not create a descriptor for a dilated convolution forward propagation primitive";

    static Engine nd4j;
    static Engine onednn;
    static Engine dl4j;

    @BeforeAll
    static void start() {
        nd4j = Engines.named("nd4j");
        onednn = Engines.named("nd4j-onednn");
        dl4j = Engines.named("dl4j");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Start-up and the engine list

    @Test
    void startsOnceWithTheOneDnnBuild() {
        FrameworkInfo info = Engines.info();
        assertThat(info.started()).as("ND4J started: %s", info.startError()).isTrue();
        assertThat(info.nd4jVersion()).isEqualTo("1.0.0-M2.1");
        assertThat(info.dl4jVersion()).isEqualTo("1.0.0-M2.1");
        assertThat(info.backend()).isEqualTo("CPU");
        assertThat(info.nativeBuild()).isEqualTo("linux-x86_64-onednn-avx2");
        assertThat(info.oneDnnBuilt()).as("HAVE_ONEDNN in libnd4j's build information").isTrue();
        assertThat(info.oneDnnOn()).as("libnd4j Environment::isUseONEDNN").isTrue();
        assertThat(System.getProperty(Nd4jRuntime.PLATFORM_EXTENSION_PROPERTY)).isEqualTo("-onednn-avx2");
        assertThat(info.summary()).startsWith("ND4J/DL4J 1.0.0-M2.1, CPU backend, linux-x86_64-onednn-avx2 (oneDNN: yes)");

        long t0 = System.nanoTime();
        List<Engine> again = Engines.all();
        assertThat(System.nanoTime() - t0).as("a second Engines.all() must not start ND4J again").isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(again).isSameAs(Engines.all());
        assertThat(Engines.nd4jVersion()).isEqualTo(info.summary());
    }

    @Test
    void namesAreTheEnginesInOrder() {
        assertThat(Engines.all()).extracting(Engine::name).containsExactlyElementsOf(Engines.names());
        assertThat(Engines.names()).containsExactly("nd4j", "nd4j-onednn", "dl4j", "im2col");
        assertThat(Engines.all()).allSatisfy(e -> assertThat(e.description()).isNotBlank());
        assertThatThrownBy(() -> Engines.named("torch"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an engine name, one of nd4j, nd4j-onednn, dl4j, im2col, but found \"torch\"");
    }

    /** In a fresh JVM, starting ND4J and running every engine once prints nothing on stdout or stderr. */
    @Test
    void startUpIsQuiet() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), QuietStartProbe.class.getName())
                .redirectErrorStream(false).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("probe exit code; stderr: %s", err).isZero();
        assertThat(out).as("stdout of a fresh JVM running the engines").isEmpty();
        assertThat(err).as("stderr of a fresh JVM running the engines").isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The seeded sweep

    static Stream<Arguments> sweep() {
        List<Arguments> args = new ArrayList<>();
        for (Case c : EngineCases.sweep()) {
            for (String engine : Engines.names()) {
                args.add(Arguments.of(c, engine));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("sweep")
    void sweepAgreesWithReferenceOrFailsAsKnown(Case c, String engineName) {
        Engine engine = Engines.named(engineName);
        Tensor reference = Conv2d.forward(c.input(), c.layer()).activated();
        List<LayerRun> runs = engine.run(c.input(), List.of(c.layer()));
        assertThat(runs).hasSize(1);
        LayerRun run = runs.get(0);

        String dl4jUnsupported = Dl4jEngine.unsupportedBecause(c.layer(), c.input().dim(2), c.input().dim(3));
        boolean dilated = oneDnnSeesDilation(c.layer());
        boolean negativeSame = nd4jSameModePadsNegatively(c.input(), c.layer());
        String what = engineName + " on " + c + "; message: " + run.message();
        switch (engineName) {
            case "nd4j" -> {
                assertThat(run.status()).as(what).isEqualTo(Status.OK);
                assertThat(run.computedIn()).as(what).isEqualTo(c.dtype());
                if (negativeSame) {
                    assertThat(maxExcess(reference, run.output())).as("FINDING nd4j same-mode negative padding, expected a disagreement: " + what)
                            .isGreaterThan(0);
                } else {
                    assertAgrees(reference, run, what);
                }
            }
            case "nd4j-onednn" -> {
                if (dilated || negativeSame) {
                    assertThat(run.status()).as("FINDING oneDNN rejects: " + what).isEqualTo(Status.ERROR);
                    assertThat(run.message()).as(what).isEqualTo(ONEDNN_DILATION_MESSAGE);
                } else {
                    assertThat(run.status()).as(what).isEqualTo(Status.OK);
                    assertThat(run.computedIn()).as(what).isEqualTo(DType.FLOAT32);
                    assertAgrees(reference, run, what);
                }
            }
            case "dl4j" -> {
                if (dl4jUnsupported != null) {
                    assertThat(run.status()).as(what).isEqualTo(Status.UNSUPPORTED);
                    assertThat(run.message()).as(what).isEqualTo(dl4jUnsupported).startsWith("DL4J ");
                } else if (negativeSame) {
                    assertThat(run.status()).as("FINDING DL4J rejects negative same padding: " + what).isEqualTo(Status.ERROR);
                    assertThat(run.message()).as(what).startsWith("Invalid padding values calculated: [");
                } else {
                    assertThat(run.status()).as(what).isEqualTo(Status.OK);
                    assertThat(run.computedIn()).as(what).isEqualTo(c.dtype());
                    assertAgrees(reference, run, what);
                }
            }
            case "im2col" -> {
                assertThat(run.computedIn()).as(what).isEqualTo(c.dtype());
                assertAgrees(reference, run, what);
            }
            default -> throw new AssertionError("Expected a known engine, but found " + engineName);
        }
        if (run.status() == Status.OK) {
            assertThat(run.nanos()).isPositive();
            assertThat(run.output().dtype()).isEqualTo(run.computedIn());
            assertComposedPathsAreNoted(c, engineName, run);
        }
    }

    /** The generator really covers what the sweep claims to. */
    @Test
    void sweepCoversEveryCategory() {
        List<Case> cases = EngineCases.sweep();
        assertThat(cases).hasSize(EngineCases.SWEEP_SIZE);
        Set<Class<?>> kinds = new HashSet<>();
        Set<PaddingMode> modes = EnumSet.noneOf(PaddingMode.class);
        Set<DType> types = EnumSet.noneOf(DType.class);
        Set<String> features = new HashSet<>();
        for (Case c : cases) {
            ConvSpec s = c.spec();
            kinds.add(s.padding().getClass());
            modes.add(s.paddingMode());
            types.add(c.dtype());
            if (s.padding() instanceof Padding.Explicit) {
                features.add(s.padding().isSymmetric() ? "symmetric" : "asymmetric");
            }
            if (!s.stride().equals(Hw.of(1))) {
                features.add("stride");
            }
            if (!s.dilation().equals(Hw.of(1))) {
                features.add("dilation");
            }
            if (s.groups() > 1) {
                features.add("groups");
            }
            if (c.layer().kernel().h() != c.layer().kernel().w()) {
                features.add("rectangular kernel");
            }
            if (c.input().dim(2) % 2 == 1 || c.input().dim(3) % 2 == 1) {
                features.add("odd size");
            }
            if (c.layer().bias() == null) {
                features.add("no bias");
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(Padding.Valid.class, Padding.Same.class, Padding.Explicit.class);
        assertThat(modes).containsExactlyInAnyOrder(PaddingMode.values());
        assertThat(types).containsExactlyInAnyOrder(DType.values());
        assertThat(features).contains("symmetric", "asymmetric", "stride", "dilation", "groups", "rectangular kernel", "odd size", "no bias");
    }

    // ---------------------------------------------------------------------------------------------------------
    // oneDNN: is it really used?

    /**
     * The same float32 dilated layer runs on libnd4j's built-in kernel (helpers off) and fails only when helpers are
     * on: the call really goes to oneDNN, which rejects it. In float64 the nd4j engine runs it too.
     */
    @Test
    void oneDnnIsReallyUsedForFloat32() {
        Random r = new Random(7);
        ConvSpec spec = ConvSpec.defaults().withDilation(Hw.of(2)).withPadding(Padding.symmetric(1));
        for (DType t : DType.values()) {
            Tensor x = EngineCases.random(r, t, 1, 2, 9, 8);
            ConvLayer layer = new ConvLayer(EngineCases.random(r, t, 3, 2, 3, 3), EngineCases.random(r, t, 3), spec);
            Tensor reference = Conv2d.forward(x, layer).activated();
            LayerRun builtIn = nd4j.run(x, List.of(layer)).get(0);
            assertThat(builtIn.status()).as("nd4j %s: %s", t, builtIn.message()).isEqualTo(Status.OK);
            assertAgrees(reference, builtIn);
            LayerRun viaOneDnn = onednn.run(x, List.of(layer)).get(0);
            assertThat(viaOneDnn.status()).isEqualTo(Status.ERROR);
            assertThat(viaOneDnn.message()).isEqualTo(ONEDNN_DILATION_MESSAGE);
            assertThat(viaOneDnn.output()).isNull();
        }
    }

    /** oneDNN and the built-in kernel both agree with the reference, but sum in different orders: not bit-identical. */
    @Test
    void oneDnnAndBuiltInKernelAreDifferentCode() {
        Random r = new Random(11);
        Tensor x = EngineCases.random(r, DType.FLOAT32, 1, 16, 24, 24);
        ConvLayer layer = new ConvLayer(EngineCases.random(r, DType.FLOAT32, 16, 16, 3, 3), EngineCases.random(r, DType.FLOAT32, 16),
                ConvSpec.defaults().withPadding(Padding.same()));
        Tensor reference = Conv2d.forward(x, layer).activated();
        LayerRun a = nd4j.run(x, List.of(layer)).get(0);
        LayerRun b = onednn.run(x, List.of(layer)).get(0);
        assertAgrees(reference, a);
        assertAgrees(reference, b);
        assertThat(a.output()).as("built-in and oneDNN outputs bit for bit").isNotEqualTo(b.output());
    }

    @Test
    void oneDnnComputesFloat64InputInFloat32AndSaysSo() {
        Random r = new Random(3);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 1, 3, 6, 6);
        ConvLayer layer = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 2, 3, 3, 3), null);
        LayerRun run = onednn.run(x, List.of(layer)).get(0);
        assertThat(run.status()).isEqualTo(Status.OK);
        assertThat(run.computedIn()).isEqualTo(DType.FLOAT32);
        assertThat(run.output().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(run.notes()).contains("float64 input cast to float32: oneDNN's convolution takes float32 only");
        LayerRun exact = nd4j.run(x, List.of(layer)).get(0);
        assertThat(exact.computedIn()).isEqualTo(DType.FLOAT64);
        assertAgrees(Conv2d.forward(x, layer).activated(), exact);
    }

    @Test
    void runsLeaveNd4jHelpersSwitchAsTheyFoundIt() {
        Random r = new Random(5);
        Tensor x = EngineCases.random(r, DType.FLOAT32, 1, 1, 5, 5);
        ConvLayer layer = new ConvLayer(EngineCases.random(r, DType.FLOAT32, 1, 1, 2, 2), null);
        for (boolean before : new boolean[] {false, true}) {
            Nd4j.getEnvironment().allowHelpers(before);
            for (Engine e : Engines.all()) {
                e.run(x, List.of(layer));
                assertThat(Nd4j.getEnvironment().helpersAllowed()).as("helpers after %s", e.name()).isEqualTo(before);
            }
        }
        Nd4j.getEnvironment().allowHelpers(true);
    }

    // ---------------------------------------------------------------------------------------------------------
    // DL4J specifics

    /**
     * DL4J 1.0.0-M2.1 attaches no oneDNN helper to ConvolutionLayer (helper creation is off unless
     * {@code org.eclipse.deeplearning4j.helpers.disable=false}, and even then MKLDNNConvHelper's check looks up
     * {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class this version no longer has), so a float32 dilated
     * layer, which oneDNN rejects, runs fine on DL4J's built-in path.
     */
    @Test
    void findingDl4jUsesNoOneDnnHelper() {
        Random r = new Random(9);
        Tensor x = EngineCases.random(r, DType.FLOAT32, 1, 2, 9, 9);
        ConvLayer layer = new ConvLayer(EngineCases.random(r, DType.FLOAT32, 3, 2, 3, 3), EngineCases.random(r, DType.FLOAT32, 3),
                ConvSpec.defaults().withDilation(Hw.of(2)).withActivation(Activation.RELU));
        LayerRun run = dl4j.run(x, List.of(layer)).get(0);
        assertThat(run.status()).as(run.message()).isEqualTo(Status.OK);
        assertThat(run.notes()).contains("no layer helper attached (DL4J's built-in implementation; no oneDNN)");
        assertAgrees(Conv2d.forward(x, layer).activated(), run);
    }

    @Test
    void dl4jDeclinesWhatConvolutionLayerCannotExpress() {
        Random r = new Random(13);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 1, 4, 6, 6);
        ConvLayer grouped = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 4, 2, 3, 3), null, ConvSpec.defaults().withGroups(2));
        ConvLayer asymmetric = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 2, 4, 3, 3), null,
                ConvSpec.defaults().withPadding(Padding.explicit(0, 1, 1, 0)));
        ConvLayer reflect = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 2, 4, 3, 3), null,
                ConvSpec.defaults().withPadding(Padding.symmetric(1)).withPaddingMode(PaddingMode.REFLECT));
        ConvLayer reflectButValid = reflect.withSpec(reflect.spec().withPadding(Padding.valid()));

        assertThat(dl4j.run(x, List.of(grouped)).get(0)).isEqualTo(LayerRun.unsupported(
                "DL4J has ConvolutionLayer (groups=1) and DepthwiseConvolution2D (groups = input channels), but found groups=2 with 2 input channels per group"));
        for (int multiplier : new int[] {1, 3}) {
            for (Padding p : List.of(Padding.valid(), Padding.same(), Padding.symmetric(1))) {
                ConvLayer depthwise = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 4 * multiplier, 1, 3, 2), EngineCases.random(r, DType.FLOAT64, 4 * multiplier),
                        ConvSpec.defaults().withGroups(4).withPadding(p).withStride(new Hw(2, 1)).withDilation(new Hw(1, 2)));
                LayerRun run = dl4j.run(x, List.of(depthwise)).get(0);
                assertAgrees(Conv2d.forward(x, depthwise).activated(), run, "depthwise x" + multiplier + " " + p);
                assertThat(run.notes()).anyMatch(n -> n.startsWith("groups=4 as DepthwiseConvolution2D (depth multiplier " + multiplier + ")"));
            }
        }
        assertThat(dl4j.run(x, List.of(asymmetric)).get(0)).isEqualTo(LayerRun.unsupported(
                "DL4J ConvolutionLayer pads symmetrically (one size for top and bottom, one for left and right; ConvolutionMode.Same"
                + " puts an odd pixel bottom/right), but found padding [0, 1, 1, 0]"));
        ConvLayer sameLowerOdd = asymmetric.withSpec(ConvSpec.defaults().withPadding(Padding.sameLower()).withStride(Hw.of(2)));
        assertThat(dl4j.run(x, List.of(sameLowerOdd)).get(0).message()).endsWith("but found padding same_lower (top=1 bottom=0 left=1 right=0)");
        ConvLayer sameLowerEven = asymmetric.withSpec(ConvSpec.defaults().withPadding(Padding.sameLower()));
        LayerRun even = dl4j.run(x, List.of(sameLowerEven)).get(0);
        assertThat(even.notes()).contains("ConvolutionMode.Truncate, padding (1, 1): same_lower resolved by convlab");
        assertAgrees(Conv2d.forward(x, sameLowerEven).activated(), even);
        for (Engine e : List.of(Engines.named("nd4j"), Engines.named("nd4j-onednn"))) {
            assertAgrees(Conv2d.forward(x, sameLowerOdd).activated(), e.run(x, List.of(sameLowerOdd)).get(0));
        }
        assertThat(dl4j.run(x, List.of(reflect)).get(0)).isEqualTo(LayerRun.unsupported(
                "DL4J ConvolutionLayer pads with zeros only, but found paddingMode=reflect with padding 1"));
        LayerRun valid = dl4j.run(x, List.of(reflectButValid)).get(0);
        assertThat(valid.status()).as("a padding mode does not matter without padding: %s", valid.message()).isEqualTo(Status.OK);
        assertAgrees(Conv2d.forward(x, reflectButValid).activated(), valid);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stacks

    @Test
    void stacksChainEachEnginesOwnOutputs() {
        Random r = new Random(17);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 2, 3, 11, 10);
        List<ConvLayer> layers = List.of(
                new ConvLayer(EngineCases.random(r, DType.FLOAT64, 4, 3, 3, 3), EngineCases.random(r, DType.FLOAT64, 4),
                        ConvSpec.defaults().withPadding(Padding.same()).withActivation(Activation.RELU)),
                new ConvLayer(EngineCases.random(r, DType.FLOAT64, 5, 4, 3, 2), EngineCases.random(r, DType.FLOAT64, 5),
                        ConvSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.symmetric(1)).withActivation(Activation.TANH)),
                new ConvLayer(EngineCases.random(r, DType.FLOAT64, 2, 5, 1, 1), null,
                        ConvSpec.defaults().withActivation(Activation.SIGMOID)));
        List<Output> reference = Conv2d.forward(x, layers);
        for (Engine e : Engines.all()) {
            List<LayerRun> runs = e.run(x, layers);
            assertThat(runs).as(e.name()).hasSize(3);
            for (int i = 0; i < 3; i++) {
                LayerRun run = runs.get(i);
                assertThat(run.status()).as("%s layer %d: %s", e.name(), i + 1, run.message()).isEqualTo(Status.OK);
                assertAgrees(reference.get(i).activated(), run);
            }
        }
    }

    @Test
    void aFailedLayerStopsTheStack() {
        Random r = new Random(19);
        Tensor x = EngineCases.random(r, DType.FLOAT32, 1, 2, 12, 12);
        List<ConvLayer> layers = List.of(
                new ConvLayer(EngineCases.random(r, DType.FLOAT32, 3, 2, 3, 3), null),
                new ConvLayer(EngineCases.random(r, DType.FLOAT32, 3, 3, 3, 3), null, ConvSpec.defaults().withDilation(Hw.of(2))),
                new ConvLayer(EngineCases.random(r, DType.FLOAT32, 1, 3, 1, 1), null));
        List<LayerRun> runs = onednn.run(x, layers);
        assertThat(runs).extracting(LayerRun::status).containsExactly(Status.OK, Status.ERROR, Status.ERROR);
        assertThat(runs.get(1).message()).isEqualTo(ONEDNN_DILATION_MESSAGE);
        assertThat(runs.get(2).message()).isEqualTo("not run: layer 2 failed");
        assertAgrees(Conv2d.forward(x, layers.get(0)).activated(), runs.get(0));
    }

    @Test
    void anUnsupportedLayerStopsTheDl4jStackButNotTheOthers() {
        Random r = new Random(23);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 1, 4, 8, 8);
        List<ConvLayer> layers = List.of(
                new ConvLayer(EngineCases.random(r, DType.FLOAT64, 4, 4, 3, 3), EngineCases.random(r, DType.FLOAT64, 4)),
                new ConvLayer(EngineCases.random(r, DType.FLOAT64, 4, 2, 3, 3), null, ConvSpec.defaults().withGroups(2)),
                new ConvLayer(EngineCases.random(r, DType.FLOAT64, 2, 4, 1, 1), null));
        List<LayerRun> d = dl4j.run(x, layers);
        assertThat(d).extracting(LayerRun::status).containsExactly(Status.OK, Status.UNSUPPORTED, Status.UNSUPPORTED);
        assertThat(d.get(1).message()).startsWith("DL4J has ConvolutionLayer (groups=1) and DepthwiseConvolution2D (groups = input channels), but found groups=2");
        assertThat(d.get(2).message()).isEqualTo("not run: layer 2 is unsupported");
        List<Output> reference = Conv2d.forward(x, layers);
        assertAgrees(reference.get(0).activated(), d.get(0));
        List<LayerRun> n = nd4j.run(x, layers);
        assertThat(n).extracting(LayerRun::status).containsOnly(Status.OK);
        assertThat(n.get(1).notes()).contains("groups=2 composed: conv2d has no groups argument, so 2 conv2d calls on channel slices, then Nd4j.concat along channels");
        for (int i = 0; i < 3; i++) {
            assertAgrees(reference.get(i).activated(), n.get(i));
        }
    }

    /** DL4J rejects layer 2 when the network is built; layer 1 still gets its output from a shorter network. */
    @Test
    void dl4jErrorInALaterLayerKeepsEarlierOutputs() {
        Random r = new Random(29);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 1, 1, 8, 8);
        List<ConvLayer> layers = List.of(
                new ConvLayer(EngineCases.random(r, DType.FLOAT64, 2, 1, 3, 3), null, ConvSpec.defaults().withStride(Hw.of(2))),
                new ConvLayer(EngineCases.random(r, DType.FLOAT64, 2, 2, 5, 5), null),
                new ConvLayer(EngineCases.random(r, DType.FLOAT64, 1, 2, 1, 1), null));
        List<LayerRun> d = dl4j.run(x, layers);
        assertThat(d).extracting(LayerRun::status).containsExactly(Status.OK, Status.ERROR, Status.ERROR);
        assertThat(d.get(1).message()).isNotBlank();
        assertThat(d.get(2).message()).isEqualTo("not run: layer 2 failed");
        assertAgrees(Conv2d.forward(x, layers.get(0)).activated(), d.get(0));
    }

    @Test
    void enginesNeverThrow() {
        Random r = new Random(31);
        Tensor rank3 = EngineCases.random(r, DType.FLOAT64, 2, 5, 5);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 1, 3, 5, 5);
        ConvLayer layer = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 2, 3, 3, 3), null);
        ConvLayer wrongChannels = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 2, 4, 3, 3), null);
        for (Engine e : Engines.all()) {
            assertThat(e.run(rank3, List.of(layer, layer))).as(e.name()).extracting(LayerRun::status).containsExactly(Status.ERROR, Status.ERROR);
            List<LayerRun> wrong = e.run(x, List.of(wrongChannels));
            assertThat(wrong).as(e.name()).extracting(LayerRun::status).containsExactly(Status.ERROR);
            assertThat(wrong.get(0).message()).as(e.name()).isEqualTo(e.name().equals("dl4j")
                    ? "Expected DL4J's W parameter of layer 1 to have the weights' shape [2, 4, 3, 3], but DL4J built it as [2, 3, 3, 3]"
                            + " from the channels it derived from the input"
                    : e.name().equals("im2col") // the reference's own geometry check
                    ? "Input has C=3 channels and groups=1, so each filter must see 3 channel(s), but the weights 2x4x3x3 [O, C/groups, KH, KW] give each filter 4"
                    : "not run: the weights 2x4x3x3 with groups=1 take 4 input channels, but the input has 3");
            assertThat(e.run(null, List.of(layer))).as(e.name()).extracting(LayerRun::status).containsExactly(Status.ERROR);
            assertThat(e.run(x, List.of())).as(e.name()).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Findings: ND4J/DL4J 1.0.0-M2.1 behaviour that disagrees with the reference

    /**
     * FINDING (ND4J conv2d SAME mode): ND4J computes SAME's top/left padding as {@code ((OH-1)*s + (K-1)*d + 1 - H) / 2}
     * without clamping at 0, so when the stride is larger than the kernel's span the padding goes negative (here -1)
     * and the window starts one row late. TensorFlow, Keras and the reference clamp the total at 0.
     * <ul>
     *   <li>nd4j (built-in kernel) returns the convolution of the input without its first row: wrong numbers, no error;</li>
     *   <li>nd4j-onednn fails with oneDNN's "dilated convolution" message although the layer is not dilated;</li>
     *   <li>dl4j refuses with "Invalid padding values calculated: [-1, 0]".</li>
     * </ul>
     */
    @Test
    void findingNd4jSameModePadsNegativelyWhenStrideExceedsKernel() {
        Random r = new Random(37);
        Tensor x = EngineCases.random(r, DType.FLOAT32, 2, 1, 6, 3);
        ConvLayer layer = new ConvLayer(EngineCases.random(r, DType.FLOAT32, 1, 1, 1, 3), null,
                ConvSpec.defaults().withStride(Hw.of(3)).withPadding(Padding.same()));
        assertThat(nd4jSameModePadsNegatively(x, layer)).isTrue();
        assertThat(Geometry.of(x.shape(), layer).pads()).isEqualTo(new Padding.Sides(0, 0, 0, 0));
        Tensor reference = Conv2d.forward(x, layer).activated();

        LayerRun n = nd4j.run(x, List.of(layer)).get(0);
        assertThat(n.status()).isEqualTo(Status.OK);
        assertThat(n.output().shape()).isEqualTo(reference.shape());
        assertThat(maxExcess(reference, n.output())).as("nd4j disagrees with the reference").isGreaterThan(0);
        Tensor withoutFirstRow = dropFirstRow(x);
        Tensor shifted = Conv2d.forward(withoutFirstRow, layer.withSpec(layer.spec().withPadding(Padding.valid()))).activated();
        assertAgrees(shifted, n);

        LayerRun o = onednn.run(x, List.of(layer)).get(0);
        assertThat(o.status()).isEqualTo(Status.ERROR);
        assertThat(o.message()).isEqualTo(ONEDNN_DILATION_MESSAGE);

        LayerRun d = dl4j.run(x, List.of(layer)).get(0);
        assertThat(d.status()).isEqualTo(Status.ERROR);
        assertThat(d.message()).startsWith("Invalid padding values calculated: [-1, 0] - layer configuration is invalid?");
    }

    /**
     * FINDING (ND4J conv2d output size): ND4J sizes the output as {@code (H + 2p - span) / s + 1} with C++'s
     * truncating division, so a kernel that overshoots the input by less than one stride yields one output row instead
     * of an error: the missing rows are read as zeros. The reference (like PyTorch) rejects the layer; DL4J does too.
     */
    @Test
    void findingNd4jAcceptsAKernelLargerThanTheInput() {
        Random r = new Random(41);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 1, 2, 3, 7);
        ConvLayer layer = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 2, 2, 4, 3), EngineCases.random(r, DType.FLOAT64, 2),
                ConvSpec.defaults().withStride(new Hw(3, 1)));
        assertThatThrownBy(() -> Conv2d.forward(x, layer)).isInstanceOf(Geometry.ShapeException.class)
                .hasMessage("The kernel spans 4 rows (KH=4, dilation 1), but the padded input has only 3 rows (H=3 + 0 + 0)");
        Tensor asIfZeroPadded = Conv2d.forward(x, layer.withSpec(layer.spec().withPadding(Padding.explicit(0, 1, 0, 0)))).activated();
        for (Engine e : List.of(nd4j, onednn)) {
            LayerRun run = e.run(x, List.of(layer)).get(0);
            assertThat(run.status()).as("%s: %s", e.name(), run.message()).isEqualTo(Status.OK);
            assertThat(run.output().shape()).containsExactly(1, 2, 1, 5);
            assertAgrees(asIfZeroPadded, run);
        }
        LayerRun d = dl4j.run(x, List.of(layer)).get(0);
        assertThat(d.status()).isEqualTo(Status.ERROR);
        assertThat(d.message()).startsWith("Invalid input data or configuration: effective kernel height and input height must satisfy");
    }

    /**
     * FINDING (ND4J conv2d crash): when ND4J's output size comes out 0 (a kernel overshooting the input by one row at
     * stride 1), conv2d without a bias returns an empty array, and conv2d with a bias kills the JVM with SIGFPE in
     * libnd4j ({@code Threads::parallel_aligned_increment}). The engines refuse that call with an error instead.
     */
    @Test
    void findingNd4jCrashesOnEmptyOutputWithBias() {
        Random r = new Random(43);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 1, 2, 4, 6);
        ConvLayer withBias = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 3, 2, 5, 3), EngineCases.random(r, DType.FLOAT64, 3));
        ConvLayer withoutBias = new ConvLayer(withBias.weights(), null);
        for (Engine e : List.of(nd4j, onednn)) {
            LayerRun refused = e.run(x, List.of(withBias)).get(0);
            assertThat(refused.status()).isEqualTo(Status.ERROR);
            assertThat(refused.message()).isEqualTo("not run: ND4J would compute an empty output (OH=0, OW=4: the kernel spans 5x3, "
                    + "the padded input is 4x6), and conv2d with a bias on an empty output crashes the JVM (SIGFPE in libnd4j)");
            LayerRun empty = e.run(x, List.of(withoutBias)).get(0);
            assertThat(empty.status()).as("%s: %s", e.name(), empty.message()).isEqualTo(Status.OK);
            assertThat(empty.output().shape()).containsExactly(1, 3, 0, 4);
        }
        assertThat(dl4j.run(x, List.of(withBias)).get(0).status()).isEqualTo(Status.ERROR);
    }

    @Test
    void reflectPaddingLargerThanTheInputIsRefusedBeforeNd4jPrintsToStdout() {
        Random r = new Random(47);
        Tensor x = EngineCases.random(r, DType.FLOAT64, 1, 1, 3, 3);
        ConvLayer layer = new ConvLayer(EngineCases.random(r, DType.FLOAT64, 1, 1, 3, 3), null,
                ConvSpec.defaults().withPadding(Padding.explicit(3, 0, 0, 0)).withPaddingMode(PaddingMode.REFLECT));
        LayerRun run = nd4j.run(x, List.of(layer)).get(0);
        assertThat(run.status()).isEqualTo(Status.ERROR);
        assertThat(run.message()).isEqualTo("not run: Nd4j.pad(REFLECT) needs each pad smaller than the side it mirrors, "
                + "but found pads (top=3 bottom=0 left=0 right=0) for an input of 3x3");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    /**
     * Whether oneDNN gets a dilated kernel from libnd4j: a dilation above 1 on an axis where the kernel is longer than
     * 1 (on a length-1 axis the dilation changes nothing). libnd4j's oneDNN conv2d computes the right-hand padding
     * from the undilated kernel ({@code (OH-1)*sH - iH + kH - pH}), so oneDNN finds the shapes inconsistent and
     * refuses every such layer.
     */
    static boolean oneDnnSeesDilation(ConvLayer layer) {
        Hw d = layer.spec().dilation();
        return (d.h() > 1 && layer.kernel().h() > 1) || (d.w() > 1 && layer.kernel().w() > 1);
    }

    /**
     * Whether ND4J's SAME mode (used by the nd4j engines for {@code same} with zeros) computes a negative top or left
     * padding: its total {@code (OH-1)*s + (K-1)*d + 1 - H} is not clamped at 0, and C++ halves it toward zero, so a
     * total of -2 or less gives -1 or less.
     */
    static boolean nd4jSameModePadsNegatively(Tensor x, ConvLayer layer) {
        ConvSpec s = layer.spec();
        if (!s.padding().equals(Padding.same())) {
            return false;
        }
        Padding.Sides pads = s.padding().resolve(x.dim(2), x.dim(3), layer.kernel(), s.stride(), s.dilation());
        if (s.paddingMode() != PaddingMode.ZEROS && !pads.isZero()) {
            return false; // composed from pad + valid conv2d, not ND4J's SAME
        }
        return rawSameTotal(x.dim(2), layer.kernel().h(), s.stride().h(), s.dilation().h()) <= -2
                || rawSameTotal(x.dim(3), layer.kernel().w(), s.stride().w(), s.dilation().w()) <= -2;
    }

    private static int rawSameTotal(int in, int k, int s, int d) {
        int out = (in + s - 1) / s;
        return (out - 1) * s + (k - 1) * d + 1 - in;
    }

    private static Tensor dropFirstRow(Tensor x) {
        int[] shape = x.shape();
        int[] out = {shape[0], shape[1], shape[2] - 1, shape[3]};
        return Tensor.fill(x.dtype(), out, i -> x.get(i[0], i[1], i[2] + 1, i[3]));
    }

    /** float64: 1e-9 absolute plus 1e-9 relative; float32: 1e-4 and 1e-4. */
    static double tolerance(DType computedIn) {
        return computedIn == DType.FLOAT32 ? 1e-4 : 1e-9;
    }

    /**
     * The largest amount by which an element exceeds its allowed error {@code tol + tol*|ref|} (0 when all agree);
     * shapes must match.
     */
    static double maxExcess(Tensor reference, Tensor actual) {
        assertThat(actual.shape()).as("output shape").isEqualTo(reference.shape());
        double tol = tolerance(actual.dtype());
        double worst = 0;
        for (int i = 0; i < reference.size(); i++) {
            double allowed = tol + tol * Math.abs(reference.flat(i));
            double excess = Math.abs(reference.flat(i) - actual.flat(i)) - allowed;
            if (Double.isNaN(actual.flat(i)) || excess > worst) {
                worst = Double.isNaN(actual.flat(i)) ? Double.POSITIVE_INFINITY : excess;
            }
        }
        return worst;
    }

    static void assertAgrees(Tensor reference, LayerRun run) {
        assertAgrees(reference, run, "");
    }

    static void assertAgrees(Tensor reference, LayerRun run, String what) {
        assertThat(run.status()).as("status; message: %s %s", run.message(), what).isEqualTo(Status.OK);
        Tensor actual = run.output();
        assertThat(actual.shape()).as("output shape %s", what).isEqualTo(reference.shape());
        double tol = tolerance(run.computedIn());
        for (int i = 0; i < reference.size(); i++) {
            double ref = reference.flat(i);
            double got = actual.flat(i);
            double allowed = tol + tol * Math.abs(ref);
            if (!(Math.abs(ref - got) <= allowed)) {
                throw new AssertionError("Expected " + ref + " at " + Arrays.toString(reference.unravel(i)) + " (within " + allowed
                        + ", computed in " + run.computedIn() + "), but found " + got + "; notes: " + run.notes() + " " + what);
            }
        }
    }

    private static void assertComposedPathsAreNoted(Case c, String engineName, LayerRun run) {
        if (engineName.equals("dl4j")) {
            assertThat(run.notes()).anySatisfy(n -> assertThat(n).startsWith("ConvolutionMode."));
            return;
        }
        if (engineName.equals("im2col")) { // composes nothing: every feature is in its column matrix
            assertThat(run.notes()).singleElement().satisfies(n -> assertThat(n).startsWith("per batch item"));
            return;
        }
        ConvSpec s = c.spec();
        Padding.Sides pads = s.padding().resolve(c.input().dim(2), c.input().dim(3), c.layer().kernel(), s.stride(), s.dilation());
        String joined = String.join("\n", run.notes());
        if (s.groups() > 1) {
            assertThat(joined).contains("groups=" + s.groups() + " composed");
        }
        if (!pads.isZero() && s.paddingMode() != PaddingMode.ZEROS) {
            assertThat(joined).contains(s.paddingMode() + " padding (" + pads + ") composed");
        } else if (!pads.isZero() && s.padding() instanceof Padding.Explicit && !pads.isSymmetric()) {
            assertThat(joined).contains("asymmetric zero padding (" + pads + ") composed: Nd4j.pad(CONSTANT 0) then valid conv2d");
        } else {
            assertThat(joined).doesNotContain("padding (");
        }
    }
}
