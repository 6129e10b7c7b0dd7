package convlab.cli;

import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.KernelPresets;
import convlab.core.Layout;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.io.Case;
import convlab.io.Images;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --image PHOTO} and the layer made for it, shared by {@code figure} and {@code animate}. */
final class ImageOptions {

    @Option(names = "--image", paramLabel = "PHOTO", description = "A PNG or JPEG: its RGB channels in [0, 1] become the input [1, 3, H, W].")
    Path image;

    @Option(names = "--max-size", paramLabel = "PX",
            description = "With --image: scale the image down so its longer side is at most PX (0 keeps it; default 32 for figure, 12 for animate).")
    Integer maxSize;

    @Option(names = "--presets", split = ",", paramLabel = "NAME",
            description = "With --image and no case: one filter per preset kernel (identity, box-blur, sharpen, sobel-x, sobel-y, laplacian, gaussian; default: sobel-x,sobel-y).")
    List<String> presets = new ArrayList<>(List.of("sobel-x", "sobel-y"));

    @Option(names = "--padding", paramLabel = "P",
            description = "With --image and no case: valid, same (default), same_lower, 1, PHxPW or top,bottom,left,right.")
    String padding = "same";

    @Option(names = "--stride", paramLabel = "S", description = "With --image and no case: 2 or SHxSW (default 1).")
    String stride = "1";

    @Option(names = "--padding-mode", paramLabel = "MODE", description = "With --image and no case: zeros (default), reflect, replicate or circular.")
    String paddingMode = "zeros";

    /** The picture, scaled so its longer side is at most {@code --max-size} (or {@code defaultMaxSize}). */
    Tensor picture(int defaultMaxSize) {
        return Images.read(image, maxSize == null ? defaultMaxSize : maxSize);
    }

    /** A case of the picture through one layer of the preset kernels, with the padding, stride and mode asked for. */
    Case presetCase(Tensor picture) {
        ConvSpec spec = ConvSpec.defaults().withPadding(ExplainCommand.padding(padding)).withStride(ExplainCommand.hw("--stride", stride))
                .withPaddingMode(PaddingMode.parse(paddingMode.toLowerCase(Locale.ROOT)));
        ConvLayer l = new ConvLayer(KernelPresets.weights(presets.toArray(String[]::new), 3), null, spec);
        String name = image.getFileName().toString().replaceAll("\\.[^.]*$", "");
        return new Case(name, image, "kernel presets " + String.join(", ", presets), picture, Layout.NCHW,
                List.of(new Case.Step(l, convlab.core.WeightsLayout.OIHW, null, null)));
    }

    /** {@code c} with the picture as its input, or the preset case when there is no case file. */
    Case caseFor(Case c, int defaultMaxSize) {
        Tensor picture = picture(defaultMaxSize);
        return c == null ? presetCase(picture) : new Case(c.name(), c.file(), c.source(), picture, c.layout(), c.layers());
    }
}
