package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code explain --op conv_transpose2d} and explain on cases with transposed layers. */
class ExplainTransposeTest {

    @Test
    void theUpSamplingLayerWorksItsSizeThroughAndPrintsCodeThatReproducesIt() {
        Cli.Run r = Cli.run("explain", "--op", "conv_transpose2d", "--input", "3x4x4", "--filters", "2", "--kernel", "3", "--stride", "2",
                "--padding", "1", "--output-padding", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("transposed convolution to 2 output channels")
                .contains("Output shape: 1x2x8x8 (NCHW)")
                .contains("FH = (H-1)*s + (K-1)*d + 1 = (4-1)*2 + (3-1)*1 + 1 = 9; OH = FH + output_padding - top - bottom = 9 + 1 - 1 - 1 = 8")
                .contains("Crop: top=1 bottom=1 left=1 right=1 of the full output with output padding appended first")
                .contains("Parameters: 56 (weights 3x2x3x3 = 54 [C, O/groups, KH, KW], bias 2)")
                .contains("Multiply-adds: 726 ")
                .contains("conv = torch.nn.ConvTranspose2d(3, 2, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), dilation=(1, 1))")
                .contains("print(tuple(y.shape))  # (1, 2, 8, 8)")
                .contains("conv = tf.keras.layers.Conv2DTranspose(2, kernel_size=(3, 3), strides=(2, 2), padding='valid', output_padding=(0, 0), use_bias=False)")
                .contains("y = y[:, 1:9, 1:9, :]  # the crop")
                .contains("padding='same' with output_padding gives the same shape but crops the extra row at the bottom, not the top")
                .contains("print(tuple(y.shape))  # (1, 8, 8, 2)")
                .contains("new Deconvolution2D.Builder(3, 3)");
    }

    @Test
    void sameWithAStrideLongerThanTheKernelAppendsZerosAndWarnsAboutDl4j() {
        Cli.Run r = Cli.run("explain", "--op", "conv_transpose2d", "--input", "1x2x3", "--filters", "1", "--kernel", "1", "--stride", "3",
                "--padding", "same");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("Output shape: 1x1x6x9 (NCHW)")
                .contains("crop = FH + output_padding - OH = 4 + 0 - 6 = -2: nothing is cropped and 2 zero rows (bias only) are appended at the bottom")
                .contains("conv = tf.keras.layers.Conv2DTranspose(1, kernel_size=(1, 1), strides=(3, 3), padding='same')")
                .contains("y = F.pad(y, (0, 2, 0, 2))")
                .contains("data/discrepancies/nd4j-deconv-same-negative-crop");
    }

    @Test
    void impossibleLayersAndMisplacedOptionsAreRejected() {
        Cli.Run crop = Cli.run("explain", "--op", "conv_transpose2d", "--input", "1x2x2", "--filters", "1", "--kernel", "2", "--padding", "2");
        assertThat(crop.exit()).isEqualTo(2);
        assertThat(crop.out()).contains("Impossible: The padding crops 2 + 2 rows from a full output of 3 rows");
        assertThat(crop.err()).contains("convlab: impossible layer: The padding crops 2 + 2 rows");
        Cli.Run conv2d = Cli.run("explain", "--input", "3x4x4", "--filters", "2", "--kernel", "3", "--output-padding", "1");
        assertThat(conv2d.exit()).isEqualTo(2);
        assertThat(conv2d.err()).contains("--output-padding and --output-shape describe a conv_transpose2d layer; add --op conv_transpose2d");
        Cli.Run mode = Cli.run("explain", "--op", "conv_transpose2d", "--input", "3x4x4", "--filters", "2", "--kernel", "3", "--padding-mode", "reflect");
        assertThat(mode.exit()).isEqualTo(2);
        assertThat(mode.err()).contains("conv_transpose2d crops its output rather than padding its input");
        Cli.Run groups = Cli.run("explain", "--op", "conv_transpose2d", "--input", "4x4x4", "--filters", "3", "--kernel", "3", "--groups", "2");
        assertThat(groups.exit()).isEqualTo(2);
        assertThat(groups.err()).contains("--filters: expected output channels >= 1 that split evenly into --groups 2, but found 3");
        assertThat(Cli.run("explain", "--op", "pool", "--input", "3x4x4", "--filters", "2", "--kernel", "3").exit()).isEqualTo(2);
    }

    @Test
    void aCaseMixingOpsExplainsEachLayerOnThePreviousOutput() {
        Cli.Run r = Cli.run("explain", "data/golden/transpose/torch_convt_two_layers/case.json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("Explaining case torch_convt_two_layers")
                .contains("== layer 1 (layers[0], conv2d) ==")
                .contains("Output shape: 1x4x4x4 (NCHW)")
                .contains("== layer 2 (layers[1], conv_transpose2d) ==")
                .contains("Output shape: 1x3x8x8 (NCHW)");
        Cli.Run only2 = Cli.run("explain", "data/golden/transpose/torch_convt_two_layers/case.json", "--layer", "2");
        assertThat(only2.out()).doesNotContain("== layer 1").contains("input 1x4x4x4 (NCHW), transposed convolution to 3 output channels");
    }
}
