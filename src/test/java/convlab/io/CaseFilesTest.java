package convlab.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.Activation;
import convlab.core.DType;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CaseFilesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void arrays() {
        Npy.write(dir.resolve("x.npy"), Tensor.fill(DType.FLOAT64, new int[] {1, 4, 5, 3}, i -> i[1] + i[2] * 0.1 + i[3] * 0.01));
        Npy.write(dir.resolve("w.npy"), Tensor.fill(DType.FLOAT64, new int[] {3, 3, 3, 2}, i -> i[0] - i[3]));
        Npy.write(dir.resolve("b.npy"), Tensor.of(new int[] {2}, new double[] {0.5, -0.5}));
    }

    Path write(String json) throws Exception {
        Path f = dir.resolve("case.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void readsASingleLayerCaseInNhwcAndHwio() throws Exception {
        Case c = CaseFiles.load(write("""
                {"name": "t", "input": "x.npy", "layout": "NHWC", "weights": "w.npy", "weightsLayout": "HWIO",
                 "bias": "b.npy", "stride": [2, 1], "padding": [0, 1, 1, 0], "activation": "relu",
                 "tolerance": {"abs": 1e-6, "rel": 0}}
                """));
        assertThat(c.layout()).isEqualTo(Layout.NHWC);
        assertThat(c.input().shape()).containsExactly(1, 3, 4, 5);
        assertThat(c.input().get(0, 2, 1, 3)).isEqualTo(1 + 0.3 + 0.02, org.assertj.core.api.Assertions.within(1e-12));
        var layer = (convlab.core.ConvLayer) c.layers().get(0).layer();
        assertThat(layer.weights().shape()).containsExactly(2, 3, 3, 3);
        assertThat(layer.spec().stride()).isEqualTo(new Hw(2, 1));
        assertThat(layer.spec().padding()).isEqualTo(Padding.explicit(0, 1, 1, 0));
        assertThat(layer.spec().activation()).isEqualTo(Activation.RELU);
        assertThat(c.layers().get(0).tolerance().abs()).isEqualTo(1e-6);
    }

    @Test
    void weightsWithoutALayoutAreReadInTheDataLayoutsPartner() throws Exception {
        // HWIO 3x3x3x4 on NHWC data of 3 channels: 4 filters of 3x3x3, not 3 filters of 3x3x4 (which also fits C = 3).
        Npy.write(dir.resolve("x3.npy"), Tensor.fill(DType.FLOAT64, new int[] {1, 5, 5, 3}, i -> i[3] + i[1] * 0.1));
        Npy.write(dir.resolve("hwio.npy"), Tensor.fill(DType.FLOAT64, new int[] {3, 3, 3, 4}, i -> i[0] * 1000 + i[1] * 100 + i[2] * 10 + i[3]));
        Case nhwc = CaseFiles.load(write("""
                {"input": "x3.npy", "layout": "NHWC", "weights": "hwio.npy"}
                """));
        Case.Step s = nhwc.layers().get(0);
        assertThat(s.weightsLayout()).isEqualTo(convlab.core.WeightsLayout.HWIO);
        assertThat(s.layer().weights().shape()).containsExactly(4, 3, 3, 3);
        // w[o][c][kh][kw] is hwio[kh][kw][c][o]
        assertThat(s.layer().weights().get(3, 2, 1, 0)).isEqualTo(1000 + 0 + 20 + 3);
        // The shape also reads as OIHW with 3 input channels: said once, naming the file, the field and both readings.
        assertThat(nhwc.warnings()).hasSize(1);
        assertThat(nhwc.warnings().get(0)).contains("case.json").contains("field 'weights'")
                .contains("fits both OIHW (3 filters of 3x3x4) and HWIO (4 filters of 3x3x3)").contains("read as HWIO");
        // Said explicitly, nothing to warn about; NCHW data still defaults to OIHW.
        Case explicit = CaseFiles.load(write("""
                {"input": "x3.npy", "layout": "NHWC", "weights": "hwio.npy", "weightsLayout": "HWIO"}
                """));
        assertThat(explicit.warnings()).isEmpty();
        Npy.write(dir.resolve("x3c.npy"), Tensor.zeros(DType.FLOAT64, 1, 3, 5, 5));
        Case nchw = CaseFiles.load(write("""
                {"input": "x3c.npy", "weights": "hwio.npy"}
                """));
        assertThat(nchw.layers().get(0).weightsLayout()).isEqualTo(convlab.core.WeightsLayout.OIHW);
        assertThat(nchw.layers().get(0).layer().weights().shape()).containsExactly(3, 3, 3, 4);
        assertThat(nchw.warnings()).hasSize(1).first().asString().contains("read as OIHW");
        // A shape that fits one reading only is not warned about: 4x3x2x2 has 3 input channels as OIHW, 2 as HWIO.
        Npy.write(dir.resolve("oihw.npy"), Tensor.zeros(DType.FLOAT64, 4, 3, 2, 2));
        assertThat(CaseFiles.load(write("""
                {"input": "x3c.npy", "weights": "oihw.npy"}
                """)).warnings()).isEmpty();
    }

    @Test
    void opDefaultsToConv2dAtCaseOrLayerLevelAndSameLowerParses() throws Exception {
        Case single = CaseFiles.load(write("""
                {"input": "x.npy", "layout": "NHWC", "weights": "w.npy", "weightsLayout": "HWIO", "padding": "same_lower"}
                """));
        assertThat(single.layers().get(0).layer().op()).isEqualTo(convlab.core.Op.CONV2D);
        assertThat(((convlab.core.ConvLayer) single.layers().get(0).layer()).spec().padding()).isEqualTo(Padding.sameLower());
        Case multi = CaseFiles.load(write("""
                {"input": "x.npy", "layout": "NHWC", "op": "conv2d",
                 "layers": [{"weights": "w.npy", "weightsLayout": "HWIO"}, {"op": "conv2d", "weights": "preset:identity", "padding": "same"}]}
                """));
        assertThat(multi.layerList()).extracting(convlab.core.Layer::op).containsExactly(convlab.core.Op.CONV2D, convlab.core.Op.CONV2D);
    }

    @Test
    void readsTheOutputGradientAtCaseLevelAndExpectedGradientsPerLayerInTheirLayouts() throws Exception {
        Npy.write(dir.resolve("dy.npy"), Tensor.fill(DType.FLOAT64, new int[] {1, 2, 3, 2}, i -> i[1] + i[2] * 0.1 + i[3] * 0.01));
        Case c = CaseFiles.load(write("""
                {"input": "x.npy", "layout": "NHWC", "gradOutput": "dy.npy",
                 "layers": [{"weights": "w.npy", "weightsLayout": "HWIO", "bias": "b.npy", "expectedGradInput": "x.npy",
                             "expectedGradWeights": "w.npy", "expectedGradBias": "b.npy"}]}
                """));
        assertThat(c.gradOutput().shape()).containsExactly(1, 2, 2, 3);
        assertThat(c.gradOutput().get(0, 1, 1, 2)).isEqualTo(1 + 0.2 + 0.01, org.assertj.core.api.Assertions.within(1e-12));
        Case.Step s = c.layers().get(0);
        assertThat(s.expectedGradInput()).isEqualTo(c.input());
        assertThat(s.expectedGradWeights()).isEqualTo(s.layer().weights());
        assertThat(s.expectedGradBias().toArray()).containsExactly(0.5, -0.5);
        assertThat(s.hasExpectedGradients()).isTrue();
        Case plain = CaseFiles.load(write("""
                {"input": "x.npy", "layout": "NHWC", "weights": "w.npy", "weightsLayout": "HWIO"}
                """));
        assertThat(plain.gradOutput()).isNull();
        assertThat(plain.layers().get(0).hasExpectedGradients()).isFalse();
    }

    @Test
    void presetsStandInForWeights() throws Exception {
        Case c = CaseFiles.load(write("""
                {"input": "x.npy", "layout": "NHWC", "weights": "preset:sobel-x,identity"}
                """));
        assertThat(c.name()).isEqualTo(dir.getFileName().toString());
        assertThat(c.layers().get(0).layer().weights().shape()).containsExactly(2, 3, 3, 3);
    }

    static Stream<Arguments> badCases() {
        return Stream.of(
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"weightsLayout\": \"HWIO\", \"layout\": \"NHWC\", \"stride\": \"two\"}", "'stride'", "expected an int >= 1 or [h, w]"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"weightsLayout\": \"HWIO\", \"layout\": \"NHWC\", \"padding\": \"full\"}", "'padding'", "expected valid, same, same_lower"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"op\": \"conv3d\"}", "'op'", "expected one of conv2d"),
                Arguments.of("{\"input\": \"x.npy\", \"layers\": [{\"op\": \"deconv\", \"weights\": \"w.npy\"}]}", "'layers[0].op'", "expected one of conv2d"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"padding\": [1, -1]}", "'padding'", "expected valid, same, same_lower"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"padding\": 2147483648}", "'padding'", "expected valid, same, same_lower"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"weightsLayout\": \"HWOI\"}", "'weightsLayout'", "expected OIHW or HWIO for conv2d, but found HWOI"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"layout\": \"CHW\"}", "'layout'", "one of NCHW, NHWC"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"activation\": \"gelu\"}", "'activation'", "none, relu, tanh, sigmoid"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"paddingMode\": \"mirror\"}", "'paddingMode'", "zeros, reflect"),
                Arguments.of("{\"input\": \"nope.npy\", \"weights\": \"w.npy\"}", "'input'", "does not exist"),
                Arguments.of("{\"weights\": \"w.npy\"}", "'input'", "missing"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"strides\": 2}", "'strides'", "unknown field"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"weightsLayout\": \"HWIO\", \"layout\": \"NHWC\", \"bias\": \"w.npy\"}", "'bias'", "rank-1"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"tolerance\": {\"abs\": -1, \"rel\": 0}}", "'tolerance'", "number >= 0"),
                Arguments.of("{\"input\": \"x.npy\", \"layers\": [{\"weights\": \"w.npy\", \"stride\": 0}]}", "'layers[0].stride'", "expected an int >= 1"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"preset:blurry\"}", "'weights'", "expected a preset"),
                Arguments.of("{\"input\": \"x.npy\", \"name\": \"a/b\", \"weights\": \"w.npy\"}", "'name'", "names a folder"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"gradOutput\": \"b.npy\"}", "'gradOutput'", "rank-4"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"expectedGradBias\": \"x.npy\", \"gradOutput\": \"x.npy\"}", "'expectedGradBias'", "rank-1"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"expectedGradInput\": \"x.npy\"}", "'expectedGrad*'", "need the case's gradOutput"),
                Arguments.of("{\"input\": \"x.npy\", \"layers\": [{\"weights\": \"w.npy\", \"gradOutput\": \"x.npy\"}]}", "'layers[0].gradOutput'", "unknown field"),
                Arguments.of("{\"input\": \"x.npy\", \"weights\": ", null, "not valid JSON"));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("badCases")
    void badInputNamesTheFileAndField(String json, String field, String expected) throws Exception {
        Path f = write(json);
        var thrown = assertThatThrownBy(() -> CaseFiles.load(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining(expected);
        if (field != null) {
            thrown.hasMessageContaining("field " + field);
        }
    }

    @Test
    void findsCaseFilesInDirectoriesRecursively() throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/case.json"), "{}");
        Files.writeString(dir.resolve("a/other.case.json"), "{}");
        Files.writeString(dir.resolve("a/report.json"), "{}");
        assertThat(CaseFiles.find(List.of(dir.resolve("a")))).containsExactly(dir.resolve("a/b/case.json"), dir.resolve("a/other.case.json"));
        assertThatThrownBy(() -> CaseFiles.find(List.of(dir.resolve("nothing")))).hasMessageContaining("no such file");
    }

    @Test
    void aStackMixesConvAndPoolingLayersAndWritesBackTheSame() throws Exception {
        Case c = CaseFiles.load(write("""
                {"input": "x.npy", "layout": "NHWC", "layers": [
                  {"weights": "w.npy", "weightsLayout": "HWIO", "padding": "same", "activation": "relu"},
                  {"op": "max_pool2d", "kernel": 2, "ceilMode": true, "dilation": [1, 1]},
                  {"op": "avg_pool2d", "kernel": [2, 1], "stride": 1, "padding": [0, 1, 0, 0], "countIncludePad": false}]}
                """));
        assertThat(c.layerList()).extracting(convlab.core.Layer::op)
                .containsExactly(convlab.core.Op.CONV2D, convlab.core.Op.MAX_POOL2D, convlab.core.Op.AVG_POOL2D);
        var max = (convlab.core.PoolLayer) c.layerList().get(1);
        assertThat(max.spec().stride()).as("stride defaults to the kernel").isEqualTo(Hw.of(2));
        assertThat(max.spec().ceilMode()).isTrue();
        var avg = (convlab.core.PoolLayer) c.layerList().get(2);
        assertThat(avg.spec()).isEqualTo(convlab.core.PoolSpec.of(new Hw(2, 1)).withStride(Hw.of(1))
                .withPadding(Padding.explicit(0, 1, 0, 0)).withCountIncludePad(false));
        assertThat(c.dtype()).isEqualTo(DType.FLOAT64);
        Case back = CaseFiles.load(CaseWriter.write(c, dir.resolve("written")));
        assertThat(back.layerList().subList(1, 3)).isEqualTo(c.layerList().subList(1, 3));
    }

    static Stream<Arguments> badPoolingFields() {
        return Stream.of(
                Arguments.of("{\"op\": \"max_pool2d\"}", "layers[0].kernel", "missing; expected an int >= 1 or [h, w]"),
                Arguments.of("{\"op\": \"avg_pool2d\", \"kernel\": 2, \"dilation\": 2}", "layers[0].dilation", "avg_pool2d has no dilation"),
                Arguments.of("{\"op\": \"max_pool2d\", \"kernel\": 2, \"countIncludePad\": false}", "layers[0].countIncludePad", "max_pool2d never counts"),
                Arguments.of("{\"op\": \"max_pool2d\", \"kernel\": 2, \"ceilMode\": 1}", "layers[0].ceilMode", "expected true or false, but found 1"),
                Arguments.of("{\"op\": \"max_pool2d\", \"kernel\": 2, \"weights\": \"w.npy\"}", "layers[0].weights", "unknown field"),
                Arguments.of("{\"op\": \"min_pool2d\", \"kernel\": 2}", "layers[0].op", "expected one of conv2d, conv_transpose2d, max_pool2d, avg_pool2d"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badPoolingFields")
    void badPoolingFieldsNameTheFieldAndWhatWasExpected(String layer, String field, String message) throws Exception {
        Path f = write("{\"input\": \"x.npy\", \"layers\": [" + layer + "]}");
        assertThatThrownBy(() -> CaseFiles.load(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'" + field + "'").hasMessageContaining(message);
    }
}
