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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

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
                Path gif = out.resolve("layer" + k + "-stamp.gif");
                long t0 = System.nanoTime();
                long bytes = a.write(gif);
                Path dir = frames ? writeFrames(a::render, a.frameCount(), out, "layer" + k + "-stamp") : null;
                sizeNotice(size, gif, a.width(), a.height(), stderr);
                stdout.println("wrote " + gif + " (" + a.frameCount() + " frames, " + a.width() + "x" + a.height() + ", "
                        + Sizes.kb(bytes) + ", " + (System.nanoTime() - t0) / 1_000_000 + " ms; output channel 0, " + a.totalStamps() + " stamps)"
                        + pngs(dir, a.frameCount()));
            } else if (l instanceof PoolLayer p) {
                PoolAnimation a = PoolAnimation.of(in, p, batch, maxFrames, fps, title);
                Path gif = out.resolve("layer" + k + "-pool.gif");
                long t0 = System.nanoTime();
                long bytes = a.write(gif);
                Path dir = frames ? writeFrames(a::render, a.frameCount(), out, "layer" + k + "-pool") : null;
                sizeNotice(size, gif, a.width(), a.height(), stderr);
                stdout.println("wrote " + gif + " (" + a.frameCount() + " frames, " + a.width() + "x" + a.height() + ", "
                        + Sizes.kb(bytes) + ", " + (System.nanoTime() - t0) / 1_000_000 + " ms; " + a.totalSteps() + " windows)"
                        + pngs(dir, a.frameCount()));
            } else {
                for (Style st : styles) {
                    Animation animation = Animation.of(in, (ConvLayer) l, new AnimationOptions(st, fps, maxFrames, batch, title));
                    Path gif = out.resolve(Animations.gifName(k, st));
                    Path dir = frames ? out.resolve(Animations.framesDirName(k, st)) : null;
                    AnimationSummary s = Animations.write(animation, gif, dir, ProgressListener.none());
                    stdout.println("wrote " + gif + " (" + s.frames() + " frames, " + s.width() + "x" + s.height() + ", "
                            + Sizes.kb(s.bytes()) + ", " + s.millis() + " ms)" + pngs(dir, s.frames()));
                }
            }
            stdout.flush();
        }
        return 0;
    }

    private static Path writeFrames(java.util.function.IntFunction<java.awt.image.BufferedImage> render, int count, Path out, String stem) {
        Path dir = out.resolve(stem + "-frames");
        Animations.writeFrames(render, count, dir);
        return dir;
    }

    private static String pngs(Path dir, int count) {
        return dir == null ? "" : " and " + count + " PNGs in " + dir;
    }

    private static void sizeNotice(String size, Path gif, int width, int height, PrintWriter stderr) {
        if (size != null) {
            stderr.println("convlab: " + gif.getFileName() + ": --size lays out conv2d layers only; these frames keep their own size, "
                    + width + "x" + height);
            stderr.flush();
        }
    }
}
