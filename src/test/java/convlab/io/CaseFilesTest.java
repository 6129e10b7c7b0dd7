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
