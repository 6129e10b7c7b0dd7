package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.DType;
import convlab.core.Tensor;
import convlab.io.Npy;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {

    @TempDir
    Path dir;

    @Test
    void classicLayerFromFlags() {
        Cli.Run r = Cli.run("explain", "--input", "3x8x8", "--filters", "2", "--kernel", "3");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("Layer: input 1x3x8x8 (NCHW), 2 filters of 3x3x3")
                .contains("Output shape: 1x2x6x6 (NCHW)")
                .contains("Padding: none (valid)")
                .contains("Parameters: 56 (weights 2x3x3x3 = 54, bias 2)")
                .contains("Multiply-adds: 1,944 ")
                .contains("\nPyTorch (").contains("\nTensorFlow / Keras (").contains("\nDL4J (")
                .contains("torch.nn.Conv2d(3, 2, kernel_size=(3, 3)");
    }

    /** --im2col on a two-layer case: each layer's column matrix, the second from the first layer's output. */
    @Test
    void im2colShowsEachLayersMatrices() {
        Cli.Run r = Cli.run("explain", "data/golden/torch_two_layers/case.json", "--im2col");

        assertThat(r.exit()).isZero();
        assertThat(r.out().split("im2col, as frameworks compute it", -1)).hasSize(3);
        assertThat(r.out()).contains("cols of batch item 0").contains("out[0][0][0][0] = W row 0 . cols column 0");
        Cli.Run flags = Cli.run("explain", "--input", "2x4x4", "--filters", "3", "--kernel", "3", "--im2col");
        assertThat(flags.exit()).isZero();
        assertThat(flags.out()).contains("cols: 18 x 4").contains("x[0,2,2]").contains("... 6 more rows").doesNotContain("out[0][0][0][0]");
    }

    /** A stack with pooling: each conv2d layer unfolded, on its own input's numbers; other ops say why not; flags of other ops refuse it. */
    @Test
    void im2colOnAMixedStackAndOtherOps() {
        Cli.Run r = Cli.run("explain", "data/golden/torch_small_cnn/case.json", "--im2col");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().split("im2col, as frameworks compute it", -1)).hasSize(3);
        assertThat(r.out()).contains("im2col: unfolds conv2d layers; this layer is max_pool2d")
                .contains("im2col: unfolds conv2d layers; this layer is avg_pool2d");
        for (String[] args : new String[][] {{"--op", "max_pool2d", "--input", "1x4x4", "--kernel", "2"},
                {"--op", "conv_transpose2d", "--input", "3x4x4", "--filters", "2", "--kernel", "3"}}) {
            List<String> all = new ArrayList<>(List.of("explain"));
            all.addAll(List.of(args));
            all.add("--im2col");
            Cli.Run refused = Cli.run(all.toArray(String[]::new));
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err().strip()).startsWith("convlab: --im2col unfolds a conv2d layer").doesNotContain("\n").doesNotContain("Exception");
        }
    }

    @Test
    void everyOptionReachesTheLayer() {
        Cli.Run r = Cli.run("explain", "--input", "2x3x8x8", "--filters", "6", "--kernel", "3x5", "--stride", "2x1", "--padding", "0,1,2,2",
                "--dilation", "1x2", "--groups", "3", "--padding-mode", "replicate", "--activation", "relu", "--no-bias");

        assertThat(r.exit()).isZero();
        // OH = floor((8 + 0 + 1 - 1*(3-1) - 1) / 2) + 1 = 4; OW = floor((8 + 2 + 2 - 2*(5-1) - 1) / 1) + 1 = 4
        assertThat(r.out())
                .contains("Layer: input 2x3x8x8 (NCHW), 6 filters of 1x3x5")
                .contains("stride 2x1, padding [0, 1, 2, 2], dilation 1x2, replicate padding, groups 3, relu, no bias")
                .doesNotContain("ConvSpec(")
                .contains("Output shape: 2x6x4x4")
                .contains("Padding: top=0 bottom=1 left=2 right=2 (explicit, asymmetric)")
                .contains("Parameters: 90 (weights 6x1x3x5 = 90, no bias)")
                .contains("Multiply-adds: 2,880 ")
                .contains("x = F.pad(x, (2, 2, 0, 1), mode='replicate')")
                .contains("y = torch.relu(y)")
                .contains("activation='relu'")
                .contains("Activation.RELU");
    }

    @Test
    void sameStride2FromFlags() {
        Cli.Run r = Cli.run("explain", "--input", "3x8x8", "--filters", "2", "--kernel", "3", "--stride", "2", "--padding", "same");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Output shape: 1x2x4x4").contains("Padding: top=0 bottom=1 left=0 right=1 (same");
    }

    @Test
    void nhwcInputIsReadAsHeightWidthChannels() {
        Cli.Run r = Cli.run("explain", "--input", "8x6x3", "--layout", "nhwc", "--filters", "2", "--kernel", "3");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("input 1x8x6x3 (NHWC; 1x3x8x6 as NCHW)").contains("Output shape: 1x6x4x2 (NHWC; 1x2x6x4 as NCHW)");
    }

    @Test
    void anImpossibleLayerIsHeadedInTheLayoutAsked() {
        // conv2d, pooling and transposed: the header shows the input in NHWC (and as NCHW), never NCHW alone, and no record toString.
        for (String[] args : new String[][] {
            {"explain", "--layout", "NHWC", "--input", "4x4x3", "--filters", "2", "--kernel", "5"},
            {"explain", "--layout", "NHWC", "--op", "max_pool2d", "--input", "4x4x3", "--kernel", "5"},
            {"explain", "--layout", "NHWC", "--op", "conv_transpose2d", "--input", "4x4x3", "--filters", "2", "--kernel", "3", "--padding", "5"}}) {
            Cli.Run r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out()).as(String.join(" ", args)).contains("Layer: input 1x4x4x3 (NHWC; 1x3x4x4 as NCHW), ")
                    .contains("Impossible: ").doesNotContain("Layer(").doesNotContain("Spec(");
        }
        assertThat(Cli.run("explain", "--input", "3x4x4", "--filters", "2", "--kernel", "5").out())
                .contains("Layer: input 1x3x4x4 (NCHW), 2 filters of 3x5x5 (C/groups x KH x KW)");
    }

    @Test
    void anImpossibleKernelExitsWith2AndSaysWhy() {
        Cli.Run r = Cli.run("explain", "--input", "3x4x4", "--filters", "2", "--kernel", "5");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("Impossible: The kernel spans 5 rows").doesNotContain("Output shape");
        assertThat(r.err().strip()).startsWith("convlab: impossible layer: The kernel spans 5 rows (KH=5, dilation 1)")
                .doesNotContain("\n");
    }

    @Test
    void channelsThatDoNotSplitIntoGroupsExitWith2() {
        Cli.Run r = Cli.run("explain", "--input", "3x8x8", "--filters", "4", "--kernel", "3", "--groups", "2");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("C=3").contains("groups=2");
    }

    @Test
    void filtersThatDoNotSplitIntoGroupsExitWith2() {
        Cli.Run r = Cli.run("explain", "--input", "3x8x8", "--filters", "8", "--kernel", "3", "--groups", "3");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("convlab: impossible layer: ").contains("8 filters").contains("groups=3");
    }

    @Test
    void reflectPaddingAsWideAsTheInputExitsWith2() {
        Cli.Run r = Cli.run("explain", "--input", "1x3x3", "--filters", "1", "--kernel", "3", "--padding", "3", "--padding-mode", "reflect");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Reflect padding needs each pad smaller than the input side");
    }

    @Test
    void badOrMissingOptionsExitWith2() {
        assertThat(Cli.run("explain", "--input", "3x8x8", "--filters", "2", "--kernel", "3x").exit()).isEqualTo(2);
        assertThat(Cli.run("explain", "--input", "3x8x8", "--filters", "2", "--kernel", "3", "--padding", "1,2,3").exit()).isEqualTo(2);
        Cli.Run lower = Cli.run("explain", "--input", "1x6x6", "--filters", "1", "--kernel", "3", "--stride", "2", "--padding", "same_lower");
        assertThat(lower.exit()).isZero();
        assertThat(lower.out()).contains("top=1 bottom=0 left=1 right=0").contains("ONNX SAME_LOWER");
        assertThat(Cli.run("explain", "--input", "8x8", "--filters", "2", "--kernel", "3").exit()).isEqualTo(2);
        Cli.Run missing = Cli.run("explain", "--input", "3x8x8");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--filters and --kernel");
    }

    Path twoLayerCase(int secondKernel) throws Exception {
        Npy.write(dir.resolve("x.npy"), Tensor.zeros(DType.FLOAT32, 1, 3, 9, 9));
        Npy.write(dir.resolve("w1.npy"), Tensor.zeros(DType.FLOAT32, 4, 3, 3, 3));
        Npy.write(dir.resolve("w2.npy"), Tensor.zeros(DType.FLOAT32, 2, 4, secondKernel, secondKernel));
        Path f = dir.resolve("two.case.json");
        Files.writeString(f, """
                {"name": "two", "input": "x.npy", "layers": [
                  {"weights": "w1.npy", "stride": 2},
                  {"weights": "w2.npy", "padding": "same"}
                ]}""");
        return f;
    }

    @Test
    void aCaseFileExplainsEveryLayerOnThePreviousOutput() throws Exception {
        Cli.Run r = Cli.run("explain", twoLayerCase(3).toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("Explaining case two")
                .contains("== layer 1 (layers[0]) ==").contains("== layer 2 (layers[1]) ==")
                .contains("Layer: input 1x3x9x9 (NCHW), 4 filters of 3x3x3")
                .contains("Output shape: 1x4x4x4")
                .contains("Layer: input 1x4x4x4 (NCHW), 2 filters of 4x3x3")
                .contains("Output shape: 1x2x4x4")
                .contains("Parameters: 108 (weights 4x3x3x3 = 108, no bias)");
    }

    @Test
    void layerPicksOneLayerOfACase() throws Exception {
        Cli.Run r = Cli.run("explain", twoLayerCase(3).toString(), "--layer", "2");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("== layer 2 (layers[1]) ==").doesNotContain("== layer 1 (layers[0]) ==")
                .contains("Layer: input 1x4x4x4 (NCHW)");
        assertThat(Cli.run("explain", twoLayerCase(3).toString(), "--layer", "3").exit()).isEqualTo(2);
    }

    @Test
    void anImpossibleLayerInACaseIsNamed() throws Exception {
        // same padding never makes a layer impossible, so make the first layer's output too small for a valid 5x5
        Npy.write(dir.resolve("x.npy"), Tensor.zeros(DType.FLOAT32, 1, 3, 9, 9));
        Npy.write(dir.resolve("w1.npy"), Tensor.zeros(DType.FLOAT32, 4, 3, 3, 3));
        Npy.write(dir.resolve("w2.npy"), Tensor.zeros(DType.FLOAT32, 2, 4, 5, 5));
        Path f = dir.resolve("bad.case.json");
        Files.writeString(f, """
                {"input": "x.npy", "layers": [{"weights": "w1.npy", "stride": 2}, {"weights": "w2.npy"}]}""");

        Cli.Run r = Cli.run("explain", f.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("Output shape: 1x4x4x4").contains("Impossible: The kernel spans 5 rows");
        assertThat(r.err()).contains("layers[1] is impossible: The kernel spans 5 rows");
    }

    @Test
    void aCaseFileAndLayerOptionsTogetherExitWith2() throws Exception {
        Cli.Run r = Cli.run("explain", twoLayerCase(3).toString(), "--kernel", "3");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not both");
    }

    /** Records the name of every class anyone asks it for; parent is the platform loader, so it defines all app classes. */
    static final class RecordingLoader extends URLClassLoader {
        final Set<String> requested = ConcurrentHashMap.newKeySet();

        RecordingLoader(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            return super.loadClass(name, resolve);
        }
    }

    static URL[] testClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    static int runIsolated(RecordingLoader loader, StringWriter out, String... args) throws Exception {
        Class<?> main = Class.forName("convlab.cli.Main", true, loader);
        Object cl = main.getMethod("commandLine").invoke(null);
        cl.getClass().getMethod("setOut", PrintWriter.class).invoke(cl, new PrintWriter(out));
        cl.getClass().getMethod("setErr", PrintWriter.class).invoke(cl, new PrintWriter(new StringWriter()));
        return (int) cl.getClass().getMethod("execute", String[].class).invoke(cl, (Object) args);
    }

    /**
     * Runs explain in a fresh class loader over the same class path (ND4J and DL4J jars included) and checks that no
     * class of ND4J, DL4J, JavaCPP or convlab.engine was ever asked for: every class the run touched, directly or
     * through another class, was resolved through this loader, which records the name.
     */
    @Test
    void explainNeverLoadsNd4j() throws Exception {
        URL[] cp = testClassPath();
        assertThat(cp).as("the test class path has the ND4J jars, so loading them would succeed and be seen")
                .anySatisfy(u -> assertThat(u.toString()).contains("nd4j-api"));
        Path caseFile = twoLayerCase(3);
        try (RecordingLoader loader = new RecordingLoader(cp)) {
            StringWriter out = new StringWriter();
            int flags = runIsolated(loader, out, "explain", "--input", "3x8x8", "--filters", "2", "--kernel", "3", "--groups", "1",
                    "--padding", "same", "--padding-mode", "reflect");
            int fromCase = runIsolated(loader, out, "explain", caseFile.toString());

            assertThat(flags).isZero();
            assertThat(fromCase).isZero();
            assertThat(out.toString()).contains("DL4J (").contains("Explaining case two");
            // The recording sees what the run really used, including classes reached only through other classes.
            assertThat(loader.requested).contains("convlab.report.Explainer", "picocli.CommandLine",
                    "com.fasterxml.jackson.databind.ObjectMapper");
            // Other subcommands' signatures may name the plain engine interface and records (no ND4J behind them);
            // the engine implementations that start ND4J must never be touched (CommandEngine runs a user command).
            assertThat(loader.requested).noneMatch(n -> n.startsWith("org.nd4j.") || n.startsWith("org.deeplearning4j.")
                    || n.startsWith("org.bytedeco.")
                    || n.startsWith("convlab.engine.") && !n.equals("convlab.engine.Engine") && !n.startsWith("convlab.engine.LayerRun")
                    && !n.equals("convlab.engine.CommandEngine"));
        }
        // And it would see an ND4J class if one were asked for.
        try (RecordingLoader control = new RecordingLoader(cp)) {
            Class.forName("org.nd4j.linalg.factory.Nd4j", false, control);
            assertThat(control.requested).contains("org.nd4j.linalg.factory.Nd4j");
        }
    }

    @Test
    void maxPoolingWithCeilModeWorksTheSizeRuleThroughAndWritesEachFramework() {
        Cli.Run r = Cli.run("explain", "--op", "max_pool2d", "--input", "2x7x8", "--kernel", "3", "--stride", "2", "--padding", "1", "--ceil-mode");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("Layer: input 1x2x7x8 (NCHW), max_pool2d: 2 channels, max pooling 3x3 window, stride 2x2, padding 1")
                .contains("Output shape: 1x2x4x5 (NCHW)")
                .contains("OW = ceil((W + p0 + p1 - d*(K-1) - 1) / s) + 1 = ceil((8 + 1 + 1 - 1*(3-1) - 1) / 2) + 1 = 5")
                .contains("padded cells hold -infinity, so they never win")
                .contains("Comparisons: 360 ")
                .contains("torch.nn.MaxPool2d(kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(1, 1), ceil_mode=True)")
                .contains("tf.keras.layers.MaxPooling2D(pool_size=(3, 3), strides=(2, 2), padding='valid')")
                .contains("constant_values=-np.inf").contains("Keras has no ceil mode. The equivalent: 0 extra row(s)")
                .contains("new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)")
                .contains("Pad.Mode.CONSTANT, Double.NEGATIVE_INFINITY");
    }

    @Test
    void averagePoolingSaysWhatKerasDividesBy() {
        Cli.Run r = Cli.run("explain", "--op", "avg_pool2d", "--input", "8x7x2", "--layout", "nhwc", "--kernel", "3", "--stride", "2",
                "--padding", "same", "--no-count-include-pad");

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("same padding, rows: OH = ceil(H / s) = ceil(8 / 2) = 4")
                .contains("Output shape: 1x4x4x2 (NHWC; 1x2x4x4 as NCHW)")
                .contains("do not count: the divisor is the number of input cells")
                .contains("tf.keras.layers.AveragePooling2D(pool_size=(3, 3), strides=(2, 2), padding='same')")
                .contains("Keras's AveragePooling2D has no count_include_pad: its 'same' divides by the input cells only")
                .contains("pool(F.pad(torch.ones_like(x), pads))")
                .contains(".avgPoolIncludePadInDivisor(false)").contains("ConvolutionMode.Same");
    }

    @Test
    void poolingOptionsThatDoNotApplyExitWith2() {
        assertThat(Cli.run("explain", "--op", "avg_pool2d", "--input", "2x8x8", "--kernel", "2", "--dilation", "2").err())
                .contains("avg_pool2d has no dilation");
        assertThat(Cli.run("explain", "--op", "max_pool2d", "--input", "2x8x8", "--kernel", "2", "--filters", "3").exit()).isEqualTo(2);
        assertThat(Cli.run("explain", "--op", "max_pool2d", "--input", "2x8x8", "--kernel", "2", "--no-count-include-pad").exit()).isEqualTo(2);
        assertThat(Cli.run("explain", "--op", "min_pool2d", "--input", "2x8x8", "--kernel", "2").err()).contains("max_pool2d");
        Cli.Run tooBig = Cli.run("explain", "--op", "max_pool2d", "--input", "2x3x3", "--kernel", "4");
        assertThat(tooBig.exit()).isEqualTo(2);
        assertThat(tooBig.err()).contains("The pooling window spans 4 rows");
    }

    @Test
    void aMixedStackCaseExplainsEachLayerByItsOp() throws Exception {
        Cli.Run r = Cli.run("explain", "data/golden/torch_small_cnn/case.json");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Explaining case torch_small_cnn").contains("== layer 2 (layers[1], max_pool2d) ==")
                .contains("max_pool2d: 4 channels, max pooling 2x2 window").contains("Output shape: 1x4x6x6")
                .contains("== layer 4 (layers[3], avg_pool2d) ==").contains("torch.nn.AvgPool2d(").contains("Output shape: 1x3x2x2");
        assertThat(Cli.run("explain", "data/golden/torch_small_cnn/case.json", "--layer", "2").out())
                .doesNotContain("== layer 1 ").contains("== layer 2 ");
    }
}
