package convlab.cli;

import convlab.core.ConvLayer;
import convlab.core.Layer;
import convlab.core.Tensor;
import convlab.io.AtomicFiles;
import convlab.io.Case;
import convlab.render.anim.AnimationOptions;
import convlab.render.anim.GradientAnimation;
import convlab.render.anim.GradientReplay;
import convlab.verify.GradientCheck;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code animate CASE --gradients dw|dx|both}: a conv2d layer's backward pass as GIFs, {@code DIR/layer<k>-dw.gif}
 * (one filter's dL/dW growing position by position) and {@code DIR/layer<k>-dx.gif} (each delta value stamping its
 * kernel back onto dL/dX). dy is what {@code verify --gradients} feeds the backward pass
 * ({@link GradientCheck#layerGradOutputs}). Every animation is built, and so checked, before anything is written.
 */
final class AnimateGradients {

    private AnimateGradients() {
    }

    /** What to animate: the kinds, and the options {@code animate} shares with the forward animations. */
    record Request(List<GradientReplay.Kind> kinds, Integer layer, Integer filter, long seed, int fps, int maxFrames, int batch,
                   double scale, AnimationOptions.Canvas canvas, boolean frames) {
    }

    static List<GradientReplay.Kind> kinds(String s) {
        return "both".equals(s.trim()) ? List.of(GradientReplay.Kind.DW, GradientReplay.Kind.DX) : List.of(GradientReplay.Kind.parse(s));
    }

    static int run(Case c, Request q, Path out, PrintWriter stdout, PrintWriter stderr) {
        List<Layer> layers = c.layerList();
        if (q.layer() != null && (q.layer() < 1 || q.layer() > layers.size())) {
            throw new IllegalArgumentException("Expected --layer between 1 and " + layers.size() + " (the case has "
                    + layers.size() + " layer" + (layers.size() == 1 ? "" : "s") + "), but found " + q.layer());
        }
        List<Integer> targets = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int k = 1; k <= layers.size(); k++) {
            if (q.layer() != null && q.layer() != k) {
                continue;
            }
            if (layers.get(k - 1) instanceof ConvLayer) {
                targets.add(k);
            } else {
                skipped.add("layer " + k + " (" + layers.get(k - 1).op() + ")");
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("Expected a conv2d layer for --gradients, but " + String.join(", ", skipped)
                    + (skipped.size() == 1 ? " is" : " are") + " not conv2d: gradient animations are drawn for conv2d layers only");
        }
        List<Tensor> dys = GradientCheck.layerGradOutputs(c, q.seed());
        List<Tensor> inputs = new ArrayList<>(List.of(c.input()));
        for (convlab.core.Output o : Layer.forwardAll(c.input(), layers)) {
            inputs.add(o.activated());
        }
        List<GradientAnimation> animations = new ArrayList<>();
        List<Path> gifs = new ArrayList<>();
        for (int k : targets) {
            ConvLayer layer = (ConvLayer) layers.get(k - 1);
            String title = c.name() + ", layer " + k + " of " + layers.size();
            for (GradientReplay.Kind kind : q.kinds()) {
                int filter = kind == GradientReplay.Kind.DW ? (q.filter() == null ? 0 : q.filter()) : (q.filter() == null ? -1 : q.filter());
                try {
                    GradientReplay replay = GradientReplay.of(kind, inputs.get(k - 1), layer, dys.get(k - 1), filter, q.batch(), q.maxFrames());
                    animations.add(GradientAnimation.of(replay, title, dyNote(c, k, layers.size(), q.seed()), q.fps(), q.scale(), q.canvas()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("layer " + k + ", --gradients " + kind + ": " + e.getMessage(), e);
                }
                gifs.add(out.resolve("layer" + k + "-" + kind + ".gif"));
            }
        }
        for (String s : skipped) {
            stderr.println("convlab: " + s + " skipped: gradient animations are drawn for conv2d layers only");
        }
        stderr.flush();
        try {
            AtomicFiles.directory(out);
            for (int i = 0; i < animations.size(); i++) {
                GradientAnimation a = animations.get(i);
                Path gif = gifs.get(i);
                String name = gif.getFileName().toString();
                Path framesDir = q.frames() ? out.resolve(name.substring(0, name.length() - ".gif".length()) + "-frames") : null;
                long t0 = System.nanoTime();
                long bytes = a.write(gif, framesDir);
                GradientReplay r = a.replay();
                stdout.println(Sizes.wroteGif(gif, a.frameCount(), a.width(), a.height(), bytes, (System.nanoTime() - t0) / 1_000_000,
                        r.totalSteps() + " delta values" + (r.sampled() ? ", sampled" : ""), framesDir));
                stdout.flush();
            }
        } catch (UncheckedIOException e) {
            stderr.println("convlab: " + e.getMessage());
            return Main.INVALID;
        }
        return 0;
    }

    /** Where dy comes from, in words, for the frame's subtitle. */
    static String dyNote(Case c, int k, int layerCount, long seed) {
        String source = c.gradOutput() != null ? "the case's gradOutput"
                : "a random dL/dy, uniform in [-1, 1), seed " + seed + " (as verify --gradients --gradient-seed " + seed + ")";
        return k == layerCount ? "dy = dL/dy of the output: " + source + "."
                : "dy = dL/dy of this layer's output: layer " + (k + 1) + "'s dL/dx, back from " + source + ".";
    }
}
