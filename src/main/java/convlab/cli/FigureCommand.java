package convlab.cli;

import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.KernelPresets;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.PoolLayer;
import convlab.core.Tensor;
import convlab.io.Case;
import convlab.io.AtomicFiles;
import convlab.io.CaseFiles;
import convlab.io.CaseNames;
import convlab.io.Images;
import convlab.render.FigureData;
import convlab.render.FigureOptions;
import convlab.render.Figures;
import convlab.render.NetworkFigure;
import convlab.render.Im2colFigure;
import convlab.render.PoolFigure;
import convlab.verify.CaseResult;
import convlab.verify.Verdict;
import convlab.verify.Verifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code convlab figure CASE --out DIR}: one heatmap figure per layer, input to outputs and the engines' cross-check. */
@Command(name = "figure", mixinStandardHelpOptions = true,
        description = {"Draw heatmap figures of a case's layers (PNG, SVG).", "",
                "One figure per layer, left to right as the computation flows: every input channel, the kernels (a row per",
                "filter, with its bias), the outputs (before and after the activation) and each engine's difference from the",
                "reference (with the engine's output first where it disagrees). With --image, a PNG or JPEG becomes the input.",
                "A pooling layer gets a window figure instead (PNG): its padded input with one output's window, the cell",
                "max pooling picks or the cells the average's divisor counts, and the output.",
                "With --network, one figure of the whole network instead: every layer's output channels side by side."})
public final class FigureCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "CASE", description = "A case file (optional with --image).")
    Path caseFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the figures (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "figure");

    @Option(names = "--format", split = ",", paramLabel = "FMT", description = "png, svg or both (default: png).")
    List<String> formats = new ArrayList<>(List.of("png"));

    @Option(names = "--layer", paramLabel = "K", description = "Only layer K (1 is the first; default: every layer).")
    Integer layer;

    @Option(names = "--scale", description = "PNG pixels per layout unit; 2 gives a 192 dpi image (default: ${DEFAULT-VALUE}).")
    double scale = 1.0;

    @Option(names = "--values-up-to", paramLabel = "N", description = "Print values in the cells of maps up to N x N (default: ${DEFAULT-VALUE}).")
    int valuesUpTo = FigureOptions.DEFAULT_VALUE_THRESHOLD;

    @Option(names = "--batch", paramLabel = "N", description = "Which batch item to draw (default: ${DEFAULT-VALUE}).")
    int batch = 0;

    @Mixin
    ImageOptions imageOptions = new ImageOptions();

    @Option(names = "--size", paramLabel = "WxH",
            description = "PNGs of exactly this size (e.g. 1920x1080 for a slide): the figure scaled to fit and centred on white; not with --scale.")
    String size;

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Option(names = "--network", description = "One figure of the whole network instead: the input's channels, then every layer's "
            + "output channels side by side, each layer in words (DIR/<name>-network.png, and .svg with --format svg).")
    boolean network;

    @Option(names = "--im2col", description = "Also draw each conv2d layer as im2col's matrix product: the column matrix, the weight"
            + " matrix and out = W x cols + b, laid out as a matrix product (DIR/<name>-layer<K>-im2col.png).")
    boolean im2col;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        for (String f : formats) {
            if (!f.equals("png") && !f.equals("svg")) {
                throw new ParameterException(spec.commandLine(), "--format: expected png or svg, but found \"" + f + "\"");
            }
        }
        if (caseFile == null && imageOptions.image == null) {
            throw new ParameterException(spec.commandLine(), "figure needs a case file, or --image PHOTO");
        }
        int[] wh = size == null ? null : sizeOption(size);
        if (wh != null && scale != 1.0) {
            throw new ParameterException(spec.commandLine(), "Expected --size or --scale, not both: --size picks the scale that fits");
        }
        if (network && wh != null) {
            throw new ParameterException(spec.commandLine(), "--network takes --scale, not --size");
        }
        Case c = caseFile != null ? CaseFiles.load(caseFile) : null;
        CaseWarnings.print(c, spec.commandLine().getErr());
        boolean picture = imageOptions.image != null;
        if (picture) {
            c = imageOptions.caseFor(c, 32);
        }
        CaseResult r = new Verifier(engineOptions.engines()).verify(c);
        if (r.verdict() == Verdict.INVALID) {
            spec.commandLine().getErr().println("convlab: " + r.problem());
            return Main.INVALID;
        }
        if (layer != null && (layer < 1 || layer > r.layers().size())) {
            throw new ParameterException(spec.commandLine(), "--layer: expected 1 to " + r.layers().size() + ", but found " + layer);
        }
        AtomicFiles.directory(out); // only once the options and the case are known to be good: a refusal writes nothing
        if (network) {
            NetworkFigure figure = NetworkFigure.of(r.name(), c.input(), c.layerList(), batch);
            for (String f : formats) {
                Path file = out.resolve(r.name() + "-network." + f);
                if (f.equals("png")) {
                    figure.writePng(file, scale);
                } else {
                    figure.writeSvg(file);
                }
                o.println("wrote " + file + " (" + Sizes.kb(file.toFile().length()) + ")");
            }
            o.println(VerifyCommand.line(r));
            o.flush();
            return r.verdict().exitCode;
        }
        FigureOptions options = FigureOptions.defaults().withScale(scale).withValueThreshold(valuesUpTo).withBatchIndex(batch);
        List<FigureData> figures = CaseFigures.data(r, picture);
        for (CaseResult.LayerCheck l : r.layers()) {
            if (!l.isConv2d() && (layer == null || layer == l.index() + 1)) {
                spec.commandLine().getErr().println("convlab: layer " + (l.index() + 1) + " is " + l.layer().op()
                        + ", which figure does not draw yet (animate does)");
            }
        }
        for (int k = 0; k < figures.size(); k++) {
            int number = figures.get(k).layerIndex() + 1; // the layer's number in the case: figures skip some ops
            if (layer != null && layer != number) {
                continue;
            }
            String undrawable = CaseFigures.undrawable(r, number - 1);
            if (undrawable != null) {
                spec.commandLine().getErr().println("convlab: " + undrawable);
                return Main.INVALID;
            }
            var figure = Figures.render(figures.get(k), options);
            for (String f : formats) {
                Path file = out.resolve(r.name() + "-layer" + number + "." + f.toLowerCase(Locale.ROOT));
                if (f.equals("png") && wh != null) {
                    Figures.writePng(figure, file, wh[0], wh[1]);
                } else if (f.equals("png")) {
                    Figures.writePng(figure, file, scale);
                } else {
                    Figures.writeSvg(figure, file);
                }
                o.println("wrote " + file);
            }
        }
        writePoolFigures(r, o);
        if (im2col) {
            writeIm2colFigures(r, o);
        }
        o.println(VerifyCommand.line(r));
        o.flush();
        return r.verdict().exitCode;
    }

    /**
     * Each pooling layer's window figure ({@link PoolFigure#render(Tensor, PoolLayer, int, double)}, PNG), with the cell
     * max pooling picks (or the cells the divisor counts).
     */
    private void writePoolFigures(CaseResult r, java.io.PrintWriter o) {
        Tensor input = r.kase().input();
        for (CaseResult.LayerCheck l : r.layers()) {
            Tensor in = input;
            input = l.reference().activated();
            if (!(l.layer() instanceof PoolLayer pool) || (layer != null && layer != l.index() + 1)) {
                continue;
            }
            if (!formats.contains("png")) {
                o.println("layer " + (l.index() + 1) + " (" + pool.op() + "): pooling figures are PNG only");
                continue;
            }
            java.awt.image.BufferedImage img = PoolFigure.render(in, pool, batch, scale);
            Path file = out.resolve(r.name() + "-layer" + (l.index() + 1) + "-pool.png");
            PoolFigure.writePng(img, file);
            o.println("wrote " + file);
        }
    }

    /** Each conv2d layer as im2col's matrix product ({@link Im2colFigure}, PNG), on the layer's own input (the reference's). */
    private void writeIm2colFigures(CaseResult r, java.io.PrintWriter o) {
        Tensor input = r.kase().input();
        for (CaseResult.LayerCheck l : r.layers()) {
            Tensor in = input;
            input = l.reference().activated();
            if (!(l.layer() instanceof ConvLayer conv) || (layer != null && layer != l.index() + 1)) {
                continue;
            }
            String why = Im2colFigure.tooBig(in, conv);
            if (why != null) {
                o.println("layer " + (l.index() + 1) + ": no im2col figure: " + why);
                continue;
            }
            Path file = out.resolve(r.name() + "-layer" + (l.index() + 1) + "-im2col.png");
            PoolFigure.writePng(Im2colFigure.render(in, conv, Math.max(0, Math.min(batch, in.dim(0) - 1)), scale), file);
            o.println("wrote " + file);
        }
    }

    /** {@code "1920x1080"} as {@code {1920, 1080}}. */
    private int[] sizeOption(String s) {
        try {
            var canvas = convlab.render.anim.AnimationOptions.Canvas.parse(s);
            return new int[] {canvas.width(), canvas.height()};
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--size: " + e.getMessage());
        }
    }
}
