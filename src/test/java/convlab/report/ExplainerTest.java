package convlab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.io.CaseFiles;
import convlab.io.Npy;
import convlab.report.Explainer.Explanation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainerTest {

    static ConvLayer layer(int filters, int channelsPerGroup, int kh, int kw, boolean bias, ConvSpec spec) {
        return new ConvLayer(Tensor.zeros(DType.FLOAT64, filters, channelsPerGroup, kh, kw),
                bias ? Tensor.zeros(DType.FLOAT64, filters) : null, spec);
    }

    static Explanation explain(int[] input, ConvLayer layer) {
        return Explainer.explain(input, layer);
    }

    @Test
    void classicValidLayerHasItsShapeParametersAndMultiplyAdds() {
        Explanation e = explain(new int[] {1, 3, 8, 8}, layer(2, 3, 3, 3, true, ConvSpec.defaults()));

        assertThat(e.geometry().outputShape()).containsExactly(1, 2, 6, 6);
        assertThat(e.weightCount()).isEqualTo(54);
        assertThat(e.biasCount()).isEqualTo(2);
        assertThat(e.parameters()).isEqualTo(56);
        assertThat(e.multiplyAdds()).isEqualTo(2L * 6 * 6 * 27);
        String t = e.text();
        assertThat(t).contains("Layer: input 1x3x8x8 (NCHW), 2 filters of 3x3x3")
                .contains("Output shape: 1x2x6x6 (NCHW)")
                .contains("OH = floor((H + p0 + p1 - d*(K-1) - 1) / s) + 1 = floor((8 + 0 + 0 - 1*(3-1) - 1) / 1) + 1 = 6")
                .contains("Padding: none (valid)")
                .contains("Parameters: 56 (weights 2x3x3x3 = 54, bias 2)")
                .contains("Multiply-adds: 1,944 ");
    }

    @Test
    void classicSnippetsCarryTheParametersAndLayouts() {
        Explanation e = explain(new int[] {1, 3, 8, 8}, layer(2, 3, 3, 3, true, ConvSpec.defaults()));

        assertThat(e.pytorch().code())
                .contains("x = torch.randn(1, 3, 8, 8)")
                .contains("torch.nn.Conv2d(3, 2, kernel_size=(3, 3), stride=(1, 1), padding='valid', dilation=(1, 1))")
                .contains("# (1, 2, 6, 6)")
                .doesNotContain("groups=").doesNotContain("bias=False").doesNotContain("F.pad");
        assertThat(e.pytorch().layouts()).contains("NCHW").contains("OIHW").contains("[2, 3, 3, 3]");
        assertThat(e.keras().code())
                .contains("np.random.rand(1, 8, 8, 3)")
                .contains("tf.keras.layers.Conv2D(2, kernel_size=(3, 3), strides=(1, 1), padding='valid', dilation_rate=(1, 1))")
                .contains("np.transpose(w, (2, 3, 1, 0))").contains("w.permute(2, 3, 1, 0)")
                .contains("np.transpose(x_nchw, (0, 2, 3, 1))").contains("x.permute(0, 2, 3, 1)")
                .contains("# (1, 6, 6, 2)");
        assertThat(e.keras().layouts()).contains("NHWC").contains("HWIO").contains("[3, 3, 3, 2]");
        assertThat(e.dl4j().code())
                .contains("new ConvolutionLayer.Builder(3, 3)")
                .contains(".nIn(3)").contains(".nOut(2)").contains(".stride(1, 1)").contains(".dilation(1, 1)")
                .contains("ConvolutionMode.Truncate").contains(".hasBias(true)").contains("Activation.IDENTITY")
                .contains("InputType.convolutional(8, 8, 3)")
                .contains("net.getParam(\"0_W\"): [2, 3, 3, 3]")
                .contains("// [1, 2, 6, 6]")
                .doesNotContain(".padding(");
        assertThat(e.dl4j().layouts()).contains("NCHW").contains("[out, in, kH, kW] = [2, 3, 3, 3]").contains("b [2]");
    }

    @Test
    void sameWithStride2OnAnEvenInputPadsOneRowAtTheBottom() {
        ConvSpec spec = ConvSpec.defaults().withStride(Hw.of(2)).withPadding(Padding.same());
        Explanation e = explain(new int[] {1, 3, 8, 8}, layer(2, 3, 3, 3, true, spec));

        assertThat(e.geometry().outputShape()).containsExactly(1, 2, 4, 4);
        assertThat(e.geometry().pads()).isEqualTo(new Padding.Sides(0, 1, 0, 1));
        assertThat(e.text())
                .contains("Padding: top=0 bottom=1 left=0 right=1 (same")
                .contains("OH = ceil(H / s) = ceil(8 / 2) = 4; total = max((OH-1)*s + (KH-1)*d + 1 - H, 0) = max((4-1)*2 + (3-1)*1 + 1 - 8, 0) = 1;"
                        + " top = 1 // 2 = 0, bottom = 1 - 0 = 1")
                .contains("extra pixel on the bottom/right");
        // PyTorch refuses padding='same' with a stride: the pads are written out, asymmetric so through F.pad.
        assertThat(e.pytorch().code())
                .contains("x = F.pad(x, (0, 1, 0, 1), mode='constant')")
                .contains("stride=(2, 2), padding=0,")
                .doesNotContain("'same'");
        assertThat(e.pytorch().notes()).anySatisfy(n -> assertThat(n).contains("not supported for strided convolutions"));
        assertThat(e.keras().code()).contains("strides=(2, 2), padding='same'").doesNotContain("ZeroPadding2D");
        assertThat(e.dl4j().code()).contains("ConvolutionMode.Same").contains(".stride(2, 2)").doesNotContain("ZeroPaddingLayer");
    }

    @Test
    void sameWithAnEvenKernelAndStride1UsesPyTorchsSame() {
        ConvSpec spec = ConvSpec.defaults().withPadding(Padding.same());
        Explanation e = explain(new int[] {1, 3, 5, 5}, layer(2, 3, 4, 4, true, spec));

        assertThat(e.geometry().outputShape()).containsExactly(1, 2, 5, 5);
        assertThat(e.geometry().pads()).isEqualTo(new Padding.Sides(1, 2, 1, 2));
        assertThat(e.pytorch().code()).contains("padding='same'").doesNotContain("F.pad");
        assertThat(e.pytorch().notes()).anySatisfy(n -> assertThat(n).contains("total//2 on the top/left and the rest on the bottom/right"));
    }

    @Test
    void dilation2WidensTheKernelSpan() {
        ConvSpec spec = ConvSpec.defaults().withDilation(Hw.of(2));
        Explanation e = explain(new int[] {1, 1, 7, 7}, layer(1, 1, 3, 3, false, spec));

        // span = 2*(3-1) + 1 = 5, so 7 - 5 + 1 = 3
        assertThat(e.geometry().outputShape()).containsExactly(1, 1, 3, 3);
        assertThat(e.parameters()).isEqualTo(9);
        assertThat(e.multiplyAdds()).isEqualTo(9L * 9);
        assertThat(e.text()).contains("floor((7 + 0 + 0 - 2*(3-1) - 1) / 1) + 1 = 3")
                .contains("Parameters: 9 (weights 1x1x3x3 = 9, no bias)");
        assertThat(e.pytorch().code()).contains("dilation=(2, 2)").contains("bias=False");
        assertThat(e.keras().code()).contains("dilation_rate=(2, 2)").contains("use_bias=False");
        assertThat(e.dl4j().code()).contains(".dilation(2, 2)").contains(".hasBias(false)");
    }

    @Test
    void stride2WithDilation2IsSlicedInKeras() {
        ConvSpec spec = ConvSpec.defaults().withStride(Hw.of(2)).withDilation(Hw.of(2)).withPadding(Padding.same());
        Explanation e = explain(new int[] {1, 3, 10, 9}, layer(2, 3, 3, 2, false, spec));

        assertThat(e.geometry().outputShape()).containsExactly(1, 2, 5, 5);
        assertThat(e.keras().code())
                .contains("strides=(1, 1), padding='valid'")
                .contains("dilation_rate=(2, 2)")
                .contains("y = y[:, ::2, ::2, :]")
                .contains("ZeroPadding2D(((" + e.geometry().pads().top() + ", " + e.geometry().pads().bottom() + ")");
        assertThat(e.keras().notes()).anySatisfy(n -> assertThat(n).contains("dilation_rate > 1"));
    }

    @Test
    void depthwiseWhenGroupsEqualsChannels() {
        ConvSpec spec = ConvSpec.defaults().withGroups(4).withPadding(Padding.symmetric(1));
        Explanation e = explain(new int[] {1, 4, 7, 7}, layer(8, 1, 3, 3, true, spec));

        assertThat(e.geometry().outputShape()).containsExactly(1, 8, 7, 7);
        assertThat(e.weightCount()).isEqualTo(8 * 9);
        assertThat(e.parameters()).isEqualTo(80);
        assertThat(e.multiplyAdds()).isEqualTo(8L * 7 * 7 * 9);
        assertThat(e.text()).contains("8 filters of 1x3x3").contains("Parameters: 80 (weights 8x1x3x3 = 72, bias 8)");
        assertThat(e.pytorch().code()).contains("torch.nn.Conv2d(4, 8,").contains("padding=(1, 1)").contains("groups=4");
        assertThat(e.keras().code())
                .contains("tf.keras.layers.DepthwiseConv2D(kernel_size=(3, 3)")
                .contains("depth_multiplier=2")
                .contains("ZeroPadding2D(((1, 1), (1, 1)))")
                .contains("np.transpose(w.reshape(4, 2, 3, 3), (2, 3, 0, 1))");
        assertThat(e.keras().layouts()).contains("[kH, kW, C, multiplier] = [3, 3, 4, 2]");
        assertThat(e.dl4j().code())
                .contains("new DepthwiseConvolution2D.Builder(3, 3)")
                .contains(".depthMultiplier(2)")
                .contains(".padding(1, 1)")
                .doesNotContain("ConvolutionLayer");
        assertThat(e.dl4j().layouts()).contains("[3, 3, 4, 2]");
    }

    @Test
    void groupsBelowChannelsNeedAGraphInDl4j() {
        ConvSpec spec = ConvSpec.defaults().withGroups(2).withPadding(Padding.explicit(0, 1, 1, 0));
        Explanation e = explain(new int[] {1, 4, 6, 6}, layer(6, 2, 3, 3, true, spec));

        assertThat(e.geometry().outputShape()).containsExactly(1, 6, 5, 5);
        assertThat(e.keras().code()).contains("tf.keras.layers.Conv2D(6,").contains("groups=2");
        assertThat(e.dl4j().code())
                .contains("new SubsetVertex(g * 2, (g + 1) * 2 - 1)")
                .contains(".nIn(2)").contains(".nOut(3)")
                .contains("new MergeVertex()")
                .contains("new ZeroPaddingLayer.Builder(0, 1, 1, 0)")
                .doesNotContain(".setInputTypes(");
    }

    @Test
    void reflectPaddingIsNamedAndTranslated() {
        ConvSpec spec = ConvSpec.defaults().withPadding(Padding.symmetric(1)).withPaddingMode(PaddingMode.REFLECT);
        Explanation e = explain(new int[] {1, 3, 6, 6}, layer(2, 3, 3, 3, true, spec));

        assertThat(e.geometry().outputShape()).containsExactly(1, 2, 6, 6);
        assertThat(e.text()).contains("Padding: top=1 bottom=1 left=1 right=1 (explicit)")
                .contains("Padded cells hold: reflect: the input mirrored about its edge cell");
        assertThat(e.pytorch().code()).contains("padding=(1, 1)").contains("padding_mode='reflect'");
        assertThat(e.keras().code())
                .contains("x = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode='REFLECT')")
                .contains("padding='valid'");
        assertThat(e.dl4j().code())
                .contains("Nd4j.pad(x, new int[][] {{0, 0}, {0, 0}, {1, 1}, {1, 1}}, Pad.Mode.REFLECT, 0)")
                .contains("InputType.convolutional(8, 8, 3)")
                .doesNotContain(".padding(");
        assertThat(e.dl4j().notes()).anySatisfy(n -> assertThat(n).contains("pad with zeros only"));
    }

    @Test
    void replicateAndCircularGetWorkingHelpers() {
        ConvSpec replicate = ConvSpec.defaults().withPadding(Padding.explicit(2, 1, 0, 2)).withPaddingMode(PaddingMode.REPLICATE);
        Explanation r = explain(new int[] {1, 2, 7, 7}, layer(2, 2, 5, 5, true, replicate));
        assertThat(r.pytorch().code()).contains("x = F.pad(x, (0, 2, 2, 1), mode='replicate')").contains("padding=0");
        assertThat(r.keras().code()).contains("def pad_replicate(").contains("x = pad_replicate(x, 2, 1, 0, 2)");
        assertThat(r.dl4j().code()).contains(".repeat(2, 2)").contains("Nd4j.concat(3, x,");

        ConvSpec replicate1 = ConvSpec.defaults().withPadding(Padding.symmetric(1)).withPaddingMode(PaddingMode.REPLICATE);
        Explanation r1 = explain(new int[] {1, 2, 7, 7}, layer(2, 2, 3, 3, true, replicate1));
        assertThat(r1.keras().code()).contains("mode='SYMMETRIC'");

        ConvSpec circular = ConvSpec.defaults().withPadding(Padding.explicit(1, 2, 2, 1)).withPaddingMode(PaddingMode.CIRCULAR);
        Explanation c = explain(new int[] {1, 1, 6, 5}, layer(2, 1, 3, 3, true, circular));
        assertThat(c.pytorch().code()).contains("x = F.pad(x, (2, 1, 1, 2), mode='circular')");
        assertThat(c.keras().code()).contains("def pad_circular(").contains("x = pad_circular(x, 1, 2, 2, 1)");
        assertThat(c.dl4j().code()).contains("interval(5, 6)").contains("interval(3, 5)");
    }

    @Test
    void asymmetricZeroPaddingGoesThroughPaddingLayers() {
        ConvSpec spec = ConvSpec.defaults().withPadding(Padding.explicit(0, 1, 1, 0));
        Explanation e = explain(new int[] {1, 1, 4, 4}, layer(1, 1, 2, 2, true, spec));

        assertThat(e.geometry().outputShape()).containsExactly(1, 1, 4, 4);
        assertThat(e.text()).contains("(explicit, asymmetric)");
        assertThat(e.pytorch().code()).contains("F.pad(x, (1, 0, 0, 1), mode='constant')");
        assertThat(e.keras().code()).contains("tf.keras.layers.ZeroPadding2D(((0, 1), (1, 0)))(x)");
        assertThat(e.dl4j().code()).contains("new ZeroPaddingLayer.Builder(0, 1, 1, 0)").contains("net.getParam(\"1_W\")");
    }

    @Test
    void nhwcLayoutShowsShapesTheWayTheUserWroteThem() {
        Explanation e = Explainer.explain(new int[] {2, 3, 8, 8}, layer(2, 3, 3, 3, true, ConvSpec.defaults()), Layout.NHWC);

        assertThat(e.text()).contains("input 2x8x8x3 (NHWC; 2x3x8x8 as NCHW)").contains("Output shape: 2x6x6x2 (NHWC; 2x2x6x6 as NCHW)")
                .contains("; 1,944 per sample");
        assertThat(e.pytorch().code()).contains("permute(0, 3, 1, 2)");
    }

    @Test
    void anImpossibleLayerSaysWhy() {
        ConvLayer big = layer(2, 3, 5, 5, true, ConvSpec.defaults());
        assertThatThrownBy(() -> explain(new int[] {1, 3, 4, 4}, big))
                .isInstanceOf(Geometry.ShapeException.class)
                .hasMessageContaining("The kernel spans 5 rows");
    }

    @Test
    void aStackFeedsEachLayerThePreviousOutputAndNamesTheLayerThatFails() {
        ConvLayer first = layer(4, 3, 3, 3, true, ConvSpec.defaults().withStride(Hw.of(2)));
        ConvLayer second = layer(2, 4, 3, 3, true, ConvSpec.defaults());
        List<Explanation> ok = Explainer.explain(new int[] {1, 3, 9, 9}, List.of(first, second), Layout.NCHW);
        assertThat(ok.get(0).geometry().outputShape()).containsExactly(1, 4, 4, 4);
        assertThat(ok.get(1).geometry().inputShape()).containsExactly(1, 4, 4, 4);
        assertThat(ok.get(1).geometry().outputShape()).containsExactly(1, 2, 2, 2);

        ConvLayer tooBig = layer(2, 4, 5, 5, true, ConvSpec.defaults());
        assertThatThrownBy(() -> Explainer.explain(new int[] {1, 3, 9, 9}, List.of(first, tooBig), Layout.NCHW))
                .isInstanceOfSatisfying(Explainer.ImpossibleLayerException.class, ex -> {
                    assertThat(ex.index()).isEqualTo(1);
                    assertThat(ex.inputShape()).containsExactly(1, 4, 4, 4);
                    assertThat(ex.reason()).contains("The kernel spans 5 rows");
                });
    }

    @Test
    void aCaseIsExplainedLayerByLayer(@TempDir Path dir) throws IOException {
        Npy.write(dir.resolve("x.npy"), Tensor.zeros(DType.FLOAT32, 1, 6, 4, 3));
        Npy.write(dir.resolve("w.npy"), Tensor.zeros(DType.FLOAT32, 3, 1, 3, 2));
        Npy.write(dir.resolve("w2.npy"), Tensor.zeros(DType.FLOAT32, 1, 3, 2, 2));
        Files.writeString(dir.resolve("case.json"), """
                {"input": "x.npy", "layout": "NHWC", "layers": [
                  {"weights": "w.npy", "weightsLayout": "OIHW", "groups": 3, "padding": [1, 0, 0, 1], "paddingMode": "circular"},
                  {"weights": "w2.npy", "weightsLayout": "OIHW"}
                ]}""");

        List<Explanation> e = Explainer.explain(CaseFiles.load(dir.resolve("case.json")));

        assertThat(e).hasSize(2);
        // NHWC 1x6x4x3 is NCHW 1x3x6x4; pads top 1, right 1: OH = 6 + 1 - 3 + 1 = 5, OW = 4 + 1 - 2 + 1 = 4
        assertThat(e.get(0).geometry().inputShape()).containsExactly(1, 3, 6, 4);
        assertThat(e.get(0).geometry().outputShape()).containsExactly(1, 3, 5, 4);
        assertThat(e.get(0).layout()).isEqualTo(Layout.NHWC);
        assertThat(e.get(0).text()).contains("input 1x6x4x3 (NHWC; 1x3x6x4 as NCHW)").contains("Padded cells hold: circular");
        assertThat(e.get(1).geometry().inputShape()).containsExactly(1, 3, 5, 4);
        assertThat(e.get(1).geometry().outputShape()).containsExactly(1, 1, 4, 3);
    }

    /**
     * The report package and the explain command must not reach ND4J, DL4J or the engines. This reads their real
     * import statements (the snippets' "import org.nd4j..." lines are string literals, indented, and do not count);
     * ExplainCommandTest checks at run time that no such class gets loaded.
     */
    @Test
    void reportAndExplainCommandImportNeitherNd4jNorTheEngines() throws IOException {
        // The plain engine records (Engine, LayerRun) are allowed: reports show engine results. The engine
        // implementations, which start ND4J, are not.
        Pattern forbidden = Pattern.compile("^import\\s+(static\\s+)?(org\\.nd4j|org\\.deeplearning4j|org\\.bytedeco|convlab\\.engine\\.(Engines|Nd4j|Dl4j|FrameworkInfo))\\b.*",
                Pattern.MULTILINE);
        List<Path> sources;
        try (Stream<Path> s = Files.list(Path.of("src/main/java/convlab/report"))) {
            sources = new java.util.ArrayList<>(s.filter(p -> p.toString().endsWith(".java")).toList());
        }
        sources.add(Path.of("src/main/java/convlab/cli/ExplainCommand.java"));
        assertThat(sources).hasSizeGreaterThanOrEqualTo(4);
        for (Path p : sources) {
            String text = Files.readString(p);
            assertThat(forbidden.matcher(text).find()).as("forbidden import in %s", p).isFalse();
        }
        // The pattern does catch a real import.
        assertThat(forbidden.matcher("package x;\nimport org.nd4j.linalg.factory.Nd4j;\n").find()).isTrue();
    }
}
