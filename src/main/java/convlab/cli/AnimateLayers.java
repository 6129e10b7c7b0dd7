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

    static int run(Case c, Integer only, List<Style> styles, int fps, int maxFrames, int batch, Path out, PrintWriter stdout, PrintWriter stderr) {
        try {
            return runChecked(c, only, styles, fps, maxFrames, batch, out, stdout);
        } catch (java.io.UncheckedIOException e) {
            stderr.println("convlab: " + e.getMessage());
            return Main.INVALID;
        }
    }

    private static int runChecked(Case c, Integer only, List<Style> styles, int fps, int maxFrames, int batch, Path out, PrintWriter stdout) {
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
                stdout.println("wrote " + gif + " (" + a.frameCount() + " frames, " + a.width() + "x" + a.height() + ", "
                        + Sizes.kb(bytes) + ", " + (System.nanoTime() - t0) / 1_000_000 + " ms; output channel 0, " + a.totalStamps() + " stamps)");
            } else if (l instanceof PoolLayer p) {
                PoolAnimation a = PoolAnimation.of(in, p, batch, maxFrames, fps, title);
                Path gif = out.resolve("layer" + k + "-pool.gif");
                long t0 = System.nanoTime();
                long bytes = a.write(gif);
                stdout.println("wrote " + gif + " (" + a.frameCount() + " frames, " + a.width() + "x" + a.height() + ", "
                        + Sizes.kb(bytes) + ", " + (System.nanoTime() - t0) / 1_000_000 + " ms; " + a.totalSteps() + " windows)");
            } else {
                for (Style st : styles) {
                    Animation animation = Animation.of(in, (ConvLayer) l, new AnimationOptions(st, fps, maxFrames, batch, title));
                    Path gif = out.resolve(Animations.gifName(k, st));
                    AnimationSummary s = Animations.write(animation, gif, null, ProgressListener.none());
                    stdout.println("wrote " + gif + " (" + s.frames() + " frames, " + s.width() + "x" + s.height() + ", "
                            + Sizes.kb(s.bytes()) + ", " + s.millis() + " ms)");
                }
            }
            stdout.flush();
        }
        return 0;
    }
}
