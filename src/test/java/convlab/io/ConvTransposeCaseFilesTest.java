package convlab.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.ConvLayer;
import convlab.core.ConvTransposeLayer;
import convlab.core.DType;
import convlab.core.Hw;
import convlab.core.Padding;
import convlab.core.Tensor;
import convlab.core.WeightsLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The case-file fields of {@code conv_transpose2d}: IOHW/HWOI weights, outputPadding, outputShape, mixed stacks. */
class ConvTransposeCaseFilesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void arrays() {
        Npy.write(dir.resolve("x.npy"), Tensor.fill(DType.FLOAT64, new int[] {1, 4, 5, 3}, i -> i[1] + i[2] * 0.1 + i[3] * 0.01));
        // HWOI [kH, kW, O/groups, C] = [3, 2, 2, 3]: a 3x2 kernel, 3 input channels, 2 outputs
        Npy.write(dir.resolve("w.npy"), Tensor.fill(DType.FLOAT64, new int[] {3, 2, 2, 3}, i -> i[0] * 10 + i[1] - i[2] + i[3] * 0.5));
        Npy.write(dir.resolve("b.npy"), Tensor.of(new int[] {2}, new double[] {0.5, -0.5}));
    }

    Path write(String json) throws Exception {
        Path f = dir.resolve("case.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void readsHwoiWeightsOutputPaddingAndOutputShape() throws Exception {
        Case c = CaseFiles.load(write("""
                {"op": "conv_transpose2d", "input": "x.npy", "layout": "NHWC", "weights": "w.npy", "weightsLayout": "HWOI",
                 "bias": "b.npy", "stride": 2, "padding": "same", "outputPadding": [1, 0], "outputShape": [9, 6]}
                """));
        ConvTransposeLayer layer = (ConvTransposeLayer) c.layers().get(0).layer();
        assertThat(layer.weights().shape()).as("IOHW [C, O/groups, KH, KW]").containsExactly(3, 2, 3, 2);
        assertThat(layer.weights().get(2, 1, 2, 0)).isEqualTo(20 + 0 - 1 + 1.0);
        assertThat(layer.spec().outputPadding()).isEqualTo(new Hw(1, 0));
        assertThat(layer.spec().outputShape()).isEqualTo(new Hw(9, 6));
        assertThat(layer.spec().padding()).isEqualTo(Padding.same());
        assertThat(layer.geometry(c.input().shape()).outputShape()).containsExactly(1, 2, 9, 6);
        // written back and read again: the same layer
        Path again = CaseWriter.write(c, Files.createDirectories(dir.resolve("again")));
        ConvTransposeLayer back = (ConvTransposeLayer) CaseFiles.load(again).layers().get(0).layer();
        assertThat(back).isEqualTo(layer);
        assertThat(CaseFiles.load(again).layers().get(0).weightsLayout()).isEqualTo(WeightsLayout.HWOI);
    }

    @Test
    void iohwIsTheDefaultAndAStackMayMixOps() throws Exception {
        Npy.write(dir.resolve("wi.npy"), Tensor.fill(DType.FLOAT64, new int[] {4, 2, 3, 3}, i -> i[0] - i[1]));
        Npy.write(dir.resolve("wc.npy"), Tensor.fill(DType.FLOAT64, new int[] {3, 2, 1, 1}, i -> 1));
        Case c = CaseFiles.load(write("""
                {"input": "x.npy", "layers": [
                  {"op": "conv_transpose2d", "weights": "wi.npy", "outputPadding": 1, "stride": 2},
                  {"weights": "wc.npy"}]}
                """));
        assertThat(c.layers().get(0).layer()).isInstanceOf(ConvTransposeLayer.class);
        assertThat(c.layers().get(0).weightsLayout()).isEqualTo(WeightsLayout.IOHW);
        assertThat(c.layers().get(1).layer()).isInstanceOf(ConvLayer.class);
    }

    @Test
    void aLayoutOfTheOtherOpIsRejectedSayingWhichOnesFit() throws Exception {
        assertThatThrownBy(() -> CaseFiles.load(write("""
                {"op": "conv_transpose2d", "input": "x.npy", "weights": "w.npy", "weightsLayout": "HWIO"}
                """))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'weightsLayout'").hasMessageContaining("expected IOHW or HWOI for conv_transpose2d, but found HWIO (a conv2d layout)");
        assertThatThrownBy(() -> CaseFiles.load(write("""
                {"input": "x.npy", "weights": "w.npy", "weightsLayout": "IOHW"}
                """))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("expected OIHW or HWIO for conv2d, but found IOHW (a conv_transpose2d layout)");
    }

    @Test
    void badOutputFieldsAndConv2dOnlyFieldsAreRejected() throws Exception {
        assertThatThrownBy(() -> CaseFiles.load(write("""
                {"op": "conv_transpose2d", "input": "x.npy", "weights": "w.npy", "weightsLayout": "HWOI", "outputPadding": -1}
                """))).hasMessageContaining("'outputPadding'").hasMessageContaining("expected an int >= 0 or [h, w] of ints >= 0, but found -1");
        assertThatThrownBy(() -> CaseFiles.load(write("""
                {"op": "conv_transpose2d", "input": "x.npy", "weights": "w.npy", "weightsLayout": "HWOI", "outputShape": 8}
                """))).hasMessageContaining("'outputShape'").hasMessageContaining("expected [h, w] of ints >= 1, but found 8");
        assertThatThrownBy(() -> CaseFiles.load(write("""
                {"op": "conv_transpose2d", "input": "x.npy", "weights": "w.npy", "weightsLayout": "HWOI", "paddingMode": "reflect"}
                """))).hasMessageContaining("'paddingMode'").hasMessageContaining("unknown field");
        assertThatThrownBy(() -> CaseFiles.load(write("""
                {"input": "x.npy", "weights": "w.npy", "weightsLayout": "HWIO", "outputPadding": 1}
                """))).hasMessageContaining("'outputPadding'").hasMessageContaining("unknown field");
    }
}
