package convlab.cli;

import convlab.core.ConvLayer;
import convlab.core.ConvTransposeLayer;
import convlab.core.Layer;
import convlab.core.Output;
import convlab.core.PoolLayer;
import convlab.core.Tensor;
import convlab.io.Case;
import convlab.render.anim.Animation;
import convlab.render.anim.AnimationOptions;
import convlab.render.anim.AnimationSummary;
import convlab.render.anim.Animations;
import convlab.render.anim.PoolAnimation;
import convlab.render.anim.ProgressListener;
import convlab.render.anim.StampAnimation;
import convlab.render.anim.Style;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * {@code animate} on a stack that is not conv2d alone: every layer in the way its op reads. A conv2d layer as
 * {@link Animation} ({@code DIR/layer<k>-<style>.gif}), a conv_transpose2d layer as {@link StampAnimation}
 * ({@code DIR/layer<k>-stamp.gif}, output channel 0: every input value stamping its scaled kernel), a pooling layer
 * as {@link PoolAnimation} ({@code DIR/layer<k>-pool.gif}: the window sliding over each channel). Layer k animates
 * over the reference output of layer k-1.
 */
final class AnimateLayers {

    private AnimateLayers() {
    }

    /**
     * Animates every layer (or layer {@code only}); with {@code frames} every frame is also a PNG in
     * {@code DIR/layer<k>-<kind>-frames}. A {@code size} (slides) is for conv2d layers: pooling and stamp frames keep
     * their own size, and stderr says so once per GIF.
     */
    static int run(Case c, Integer only, List<Style> styles, int fps, int maxFrames, int batch, Path out, boolean frames,
            String size, PrintWriter stdout, PrintWriter stderr) {
        try {
            return runChecked(c, only, styles, fps, maxFrames, batch, out, frames, size, stdout, stderr);
        } catch (java.io.UncheckedIOException e) {
            stderr.println("convlab: " + e.getMessage());
            return Main.INVALID;
        }
    }

    private static int runChecked(Case c, Integer only, List<Style> styles, int fps, int maxFrames, int batch, Path out,
            boolean frames, String size, PrintWriter stdout, PrintWriter stderr) {
        List<Layer> layers = c.layerList();
        if (only != null && (only < 1 || only > layers.size())) {
            throw new IllegalArgumentException("Expected --layer between 1 and " + layers.size() + " (the case has "
                    + layers.size() + " layer" + (layers.size() == 1 ? "" : "s") + "), but found " + only);
        }
        List<Output> outputs = Layer.forwardAll(c.input(), layers);
        for (int k = 1; k <= layers.size(); k++) {
            if (only != null && only != k) {
                continue;
            }
            Tensor in = k == 1 ? c.input() : outputs.get(k - 2).activated();
            String title = c.name() + ", layer " + k + " of " + layers.size();
            Layer l = layers.get(k - 1);
            if (l instanceof ConvTransposeLayer t) {
                StampAnimation a = StampAnimation.of(in, t, batch, 0, maxFrames, title);
                writeOwnSize(new OwnSize(a::write, a::render, a.frameCount(), a.width(), a.height()), out, "layer" + k + "-stamp",
                        "output channel 0, " + a.totalStamps() + " stamps", frames, size, stdout, stderr);
            } else if (l instanceof PoolLayer p) {
                PoolAnimation a = PoolAnimation.of(in, p, batch, maxFrames, fps, title);
                writeOwnSize(new OwnSize(a::write, a::render, a.frameCount(), a.width(), a.height()), out, "layer" + k + "-pool",
                        a.totalSteps() + " windows", frames, size, stdout, stderr);
            } else {
                for (Style st : styles) {
                    Animation animation = Animation.of(in, (ConvLayer) l, new AnimationOptions(st, fps, maxFrames, batch, title));
                    Path gif = out.resolve(Animations.gifName(k, st));
                    Path dir = frames ? out.resolve(Animations.framesDirName(k, st)) : null;
                    AnimationSummary s = Animations.write(animation, gif, dir, ProgressListener.none());
                    stdout.println(Sizes.wroteGif(gif, s.frames(), s.width(), s.height(), s.bytes(), s.millis(), null, dir));
                }
            }
            stdout.flush();
        }
        return 0;
    }

    /** An animation that keeps its own frame size (stamps, pooling): how to write it and draw its frames. */
    private record OwnSize(ToLongFunction<Path> write, IntFunction<BufferedImage> render, int frameCount, int width, int height) {
    }

    /**
     * Writes {@code DIR/STEM.gif}, with {@code frames} its PNGs in {@code DIR/STEM-frames}, says that {@code --size} does not
     * apply, and prints what it wrote ({@code detail} after the timing).
     */
    private static void writeOwnSize(OwnSize a, Path out, String stem, String detail, boolean frames, String size, PrintWriter stdout,
            PrintWriter stderr) {
        Path gif = out.resolve(stem + ".gif");
        long t0 = System.nanoTime();
        long bytes = a.write().applyAsLong(gif);
        Path dir = null;
        if (frames) {
            dir = out.resolve(stem + "-frames");
            Animations.writeFrames(a.render(), a.frameCount(), dir);
        }
        sizeNotice(size, gif, a.width(), a.height(), stderr);
        stdout.println(Sizes.wroteGif(gif, a.frameCount(), a.width(), a.height(), bytes, (System.nanoTime() - t0) / 1_000_000, detail, dir));
    }

    private static void sizeNotice(String size, Path gif, int width, int height, PrintWriter stderr) {
        if (size != null) {
            stderr.println("convlab: " + gif.getFileName() + ": --size lays out conv2d layers only; these frames keep their own size, "
                    + width + "x" + height);
            stderr.flush();
        }
    }
}
