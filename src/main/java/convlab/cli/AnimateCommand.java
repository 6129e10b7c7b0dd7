package convlab.cli;

import convlab.core.ConvLayer;
import convlab.core.Tensor;
import convlab.io.Case;
import convlab.io.AtomicFiles;
import convlab.io.CaseFiles;
import convlab.verify.CaseResult;
import convlab.verify.Verifier;
import convlab.render.anim.Animation;
import convlab.render.anim.AnimationOptions;
import convlab.render.anim.AnimationSummary;
import convlab.render.anim.Animations;
import convlab.render.anim.FramePlan;
import convlab.render.anim.NetworkAnimation;
import convlab.render.anim.ProgressListener;
import convlab.render.anim.Style;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convlab animate CASE --out DIR}: a looping GIF per layer of the case, computed from its numbers. */
@Command(name = "animate", mixinStandardHelpOptions = true,
        description = {"Animate a case's layers as looping GIFs, computed from its numbers.", "",
            "Write a looping GIF per layer showing each filter visit each output position: the receptive field on every "
                    + "input channel, the kernel slices, each channel's partial sum, the bias, the activation and the value "
                    + "written. Layer k animates over the reference output of layer k-1.",
            "Files: DIR/layer<k>-<style>.gif, and with --frames DIR/layer<k>-<style>-frames/frame-0001.png and on. "
                    + "Frames: filters x output positions, then " + FramePlan.HOLD_FRAMES + " frame holding the finished layer.",
            "With --gradients dw|dx|both: DIR/layer<k>-dw.gif and DIR/layer<k>-dx.gif, a conv2d layer's backward pass.",
            "A conv_transpose2d layer writes DIR/layer<k>-stamp.gif (each input value stamping its scaled kernel); a pooling "
                    + "layer DIR/layer<k>-pool.gif (the window sliding over each channel, the cell max pooling picks framed, or "
                    + "the average's sum and divisor spelled out)."
        })
public final class AnimateCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CASE", description = "A case file (JSON; optional with --image).")
    Path caseFile;

    @Mixin
    ImageOptions imageOptions = new ImageOptions();

    @Option(names = "--filter", paramLabel = "K", description = "Frames for filter K only, counting from 0 (the maps still fill in every filter).")
    Integer filter;

    @Option(names = "--rows", paramLabel = "R|FROM-TO",
            description = "Frames for these output rows only, counting from 0: 3, or 2-4 (the maps still fill in every value).")
    String rows;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write into (created if missing).")
    Path out;

    @Option(names = "--layer", paramLabel = "K", description = "Only layer K, counting from 1 (default: every layer).")
    Integer layer;

    @Option(names = "--style", paramLabel = "STYLE", defaultValue = "panels",
            description = "panels (flat heatmaps with values), stack (the classic slab of channels) or both; default ${DEFAULT-VALUE}.")
    String style;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "" + AnimationOptions.DEFAULT_FPS,
            description = "Frames per second while the kernel moves, 1 to " + AnimationOptions.MAX_FPS + "; default ${DEFAULT-VALUE}.")
    int fps;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "" + AnimationOptions.DEFAULT_MAX_FRAMES,
            description = "Most computing frames per GIF; above it output positions are sampled evenly (first and last kept) "
                    + "and a notice is printed. Default ${DEFAULT-VALUE}.")
    int maxFrames;

    @Option(names = "--frames", arity = "0..1", fallbackValue = "png", paramLabel = "png",
            description = "Also write every frame as a PNG (for slide decks): --frames or --frames png.")
    String frames;

    @Option(names = "--size", paramLabel = "WxH",
            description = "Frames of exactly this size, laid out again for it (landscape where that gives bigger type), "
                    + "e.g. 1920x1080 or 1280x720 for slides. Default: the layout's own size.")
    String size;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "1",
            description = "Every font and length times S (0.25 to 8; default ${DEFAULT-VALUE}); not with --size, which picks its own.")
    double scale;

    @Option(names = "--together", description = "Also write every layer into one GIF, DIR/layers-<style>.gif: layer 1 "
            + "running into layer 2 and on, each later layer opening with its input restacked from the one before.")
    boolean together;

    @Option(names = "--numbers", description = "Print the values in every cell, in type shrunk to fit, however big the maps.")
    boolean numbers;

    @Option(names = "--network", description = "One GIF of the whole network instead, DIR/<name>-network.gif: layer by layer, "
            + "a frame per output channel produced, the map being made framed with the maps it reads.")
    boolean network;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "0", description = "Which item of the input batch to show; default ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--gradients", paramLabel = "dw|dx|both",
            description = "The backward pass of each conv2d layer instead, from the real numbers: dw writes DIR/layer<k>-dw.gif "
                    + "(filter --filter K's dL/dW growing by delta x window, position by position, and dL/db), dx "
                    + "DIR/layer<k>-dx.gif (each delta value stamping its kernel back onto dL/dX, conv_transpose2d(delta, w)). "
                    + "--filter K picks dw's filter (default 0), or dx's frames (default: every filter's). "
                    + "dy is the case's gradOutput, else random from --gradient-seed, as verify --gradients draws it.")
    String gradients;

    @Option(names = "--gradient-seed", paramLabel = "SEED", defaultValue = "1",
            description = "With --gradients and no gradOutput in the case: the seed of the random dL/dy, uniform in [-1, 1) "
                    + "(default: ${DEFAULT-VALUE}, as verify's).")
    long gradientSeed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        List<Style> styles = styles(style);
        // Checked before any work, so a bad option costs nothing.
        if (frames != null && !"png".equals(frames.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("Expected --frames png (the only frame format), but found \"" + frames + "\"");
        }
        AnimationOptions.Canvas canvas = size == null ? null : AnimationOptions.Canvas.parse(size);
        if (canvas != null && scale != 1) {
            throw new IllegalArgumentException("Expected --size or --scale, not both: --size picks the scale that fits");
        }
        AnimationOptions base = new AnimationOptions(styles.get(0), fps, maxFrames, batch, "").withScale(scale)
                .withCanvas(canvas).withNumbers(numbers);
        List<convlab.render.anim.GradientReplay.Kind> gradientKinds = gradients == null ? null : AnimateGradients.kinds(gradients);
        if (gradientKinds != null) {
            for (String o : List.of("--network", "--together", "--rows", "--style", "--numbers")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new IllegalArgumentException("Expected --gradients without " + o + ", which is for the forward animations");
                }
            }
        }
        if (caseFile == null && imageOptions.image == null) {
            throw new IllegalArgumentException("Expected a case file, or --image PHOTO");
        }
        FramePlan.Selection selection = rows == null ? FramePlan.Selection.ALL : FramePlan.Selection.rows(-1, rows);
        if (filter != null) {
            if (filter < 0) {
                throw new IllegalArgumentException("Expected --filter >= 0, but found " + filter);
            }
            selection = selection.withFilter(filter);
        }
        base = base.withSelection(selection);
        Case c = caseFile == null ? null : CaseFiles.load(caseFile);
        CaseWarnings.print(c, stderr);
        if (imageOptions.image != null) {
            c = imageOptions.caseFor(c, 12);
        }
        // The reference alone first: an impossible layer or one over the size budget is a message naming the field.
        CaseResult checked = new Verifier(List.of()).verify(c);
        if (!checked.problem().isEmpty()) {
            stderr.println("convlab: " + checked.problem());
            return Main.INVALID;
        }
        if (gradientKinds != null) {
            return AnimateGradients.run(c, new AnimateGradients.Request(gradientKinds, layer, filter, gradientSeed, fps, maxFrames, batch,
                    scale, canvas, frames != null), out, stdout, stderr);
        }
        AtomicFiles.directory(out);
        if (network) {
            NetworkAnimation a = NetworkAnimation.of(c.name(), c.input(), c.layerList(), batch, fps);
            Path gif = out.resolve(c.name() + "-network.gif");
            long t0 = System.nanoTime();
            try {
                long bytes = a.write(gif);
                stdout.println(Sizes.wroteGif(gif, a.frameCount(), a.width(), a.height(), bytes, (System.nanoTime() - t0) / 1_000_000, null, null));
            } catch (UncheckedIOException e) {
                stderr.println("convlab: " + e.getMessage());
                return Main.INVALID;
            }
            stdout.flush();
            return 0;
        }
        if (!c.allConv2d()) {
            return AnimateLayers.run(c, layer, styles, fps, maxFrames, batch, out, frames != null, size, stdout, stderr);
        }
        List<ConvLayer> layers = c.convLayers();
        if (layer != null && (layer < 1 || layer > layers.size())) {
            throw new IllegalArgumentException("Expected --layer between 1 and " + layers.size() + " (the case has "
                    + layers.size() + " layer" + (layers.size() == 1 ? "" : "s") + "), but found " + layer);
        }
        int last = layer == null ? layers.size() : layer;
        List<Tensor> inputs = Animations.layerInputs(c.input(), layers.subList(0, last));
        int first = layer == null ? 1 : layer;
        try {
            for (int k = first; k <= last; k++) {
                for (Style st : styles) {
                    String title = c.name() + ", layer " + k + " of " + layers.size();
                    AnimationOptions opts = base.withStyle(st).withTitle(title).withFromLayer(k - 1);
                    Animation animation = Animation.of(inputs.get(k - 1), layers.get(k - 1), opts);
                    Path gif = out.resolve(Animations.gifName(k, st));
                    if (animation.plan().sampled()) {
                        stderr.println("convlab: " + gif.getFileName() + ": " + animation.plan().notice());
                        stderr.flush();
                    }
                    Path framesDir = frames != null ? out.resolve(Animations.framesDirName(k, st)) : null;
                    AnimationSummary s = write(animation, gif, framesDir);
                    stdout.println(Sizes.wroteGif(gif, s.frames(), s.width(), s.height(), s.bytes(), s.millis(), null, framesDir));
                    stdout.flush();
                }
            }
            if (together && layers.size() > 1) {
                for (Style st : styles) {
                    List<String> titles = new ArrayList<>();
                    for (int k = 1; k <= layers.size(); k++) {
                        titles.add(c.name() + ", layer " + k + " of " + layers.size());
                    }
                    Path gif = out.resolve(Animations.chainName(st));
                    AnimationSummary s = Animations.write(Animations.chain(c.input(), layers, base.withStyle(st), titles), gif, null,
                            ProgressListener.none());
                    stdout.println(Sizes.wroteGif(gif, s.frames(), s.width(), s.height(), s.bytes(), s.millis(), null, null));
                    stdout.flush();
                }
            }
        } catch (UncheckedIOException e) {
            stderr.println("convlab: " + e.getMessage());
            return Main.INVALID;
        }
        return 0;
    }

    /** Writes one animation, with a progress bar on stderr only when it is a terminal. */
    private static AnimationSummary write(Animation animation, Path gif, Path framesDir) {
        if (System.console() == null) {
            return Animations.write(animation, gif, framesDir, ProgressListener.none());
        }
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(gif.getFileName().toString())
                .setInitialMax(animation.frameCount())
                .setUnit(" frames", 1)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(200);
        try (ProgressBar bar = b.build()) {
            return Animations.write(animation, gif, framesDir, (done, total) -> bar.stepTo(done));
        }
    }

    private static List<Style> styles(String s) {
        List<Style> list = new ArrayList<>();
        if ("both".equals(s)) {
            list.add(Style.PANELS);
            list.add(Style.STACK);
        } else {
            try {
                list.add(Style.parse(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Expected --style panels, stack or both, but found \"" + s + "\"");
            }
        }
        return list;
    }
}
