package convlab.render.anim;

import convlab.core.ConvLayer;
import convlab.core.Tensor;
import convlab.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writing animations: a looping GIF per layer and, on request, each frame as a PNG. Frames are rendered and written
 * one at a time, so memory stays at a few frames whatever the layer's size; big layers are sampled to at most
 * {@link AnimationOptions#maxFrames()} computing frames (see {@link FramePlan}).
 *
 * <pre>
 *   AnimationSummary s = Animations.write(input, layer, AnimationOptions.defaults(), Path.of("layer1-panels.gif"));
 *   BufferedImage first = Animations.frame(input, layer, AnimationOptions.defaults().withStyle(Style.STACK), 0);
 * </pre>
 */
public final class Animations {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Animations() {
    }

    /** Animates {@code layer} over {@code input} ({@code [N, C, H, W]}) into {@code gif}. */
    public static AnimationSummary write(Tensor input, ConvLayer layer, AnimationOptions options, Path gif) {
        return write(Animation.of(input, layer, options), gif, null, ProgressListener.none());
    }

    /**
     * Writes {@code animation} to {@code gif} (atomically: a temporary file moved into place) and, when
     * {@code framesDir} is not null, every frame to {@code framesDir/frame-0001.png} and on (stale frame PNGs there
     * are removed first).
     */
    public static AnimationSummary write(Animation animation, Path gif, Path framesDir, ProgressListener progress) {
        return write(List.of(animation), gif, framesDir, progress);
    }

    /**
     * Writes several animations of one size (see {@link #chain}) one after the other into one GIF, and their frames
     * numbered on into {@code framesDir} when it is not null.
     */
    public static AnimationSummary write(List<Animation> animations, Path gif, Path framesDir, ProgressListener progress) {
        return write(animations, gif, framesDir, progress, null);
    }

    /**
     * As {@link #write(List, Path, Path, ProgressListener)}, and, when {@code firstAlone} is not null, the first
     * animation as a GIF of its own there: the chain's bytes up to the end of its frames and the GIF trailer, so one
     * rendering and one encoding make both (a GIF holds each frame as its change from the one before, and the
     * first animation's frames come first).
     */
    public static AnimationSummary write(List<Animation> animations, Path gif, Path framesDir, ProgressListener progress, Path firstAlone) {
        long start = System.nanoTime();
        FrameLayout l = animations.get(0).layout();
        int total = 0;
        int steps = 0;
        long totalSteps = 0;
        boolean sampled = false;
        for (Animation a : animations) {
            if (a.layout().width() != l.width() || a.layout().height() != l.height()) {
                throw new IllegalArgumentException("Expected animations of one frame size, but found " + l.width() + "x"
                        + l.height() + " and " + a.layout().width() + "x" + a.layout().height());
            }
            total += a.frameCount();
            steps += a.plan().steps();
            totalSteps += a.plan().totalSteps();
            sampled |= a.plan().sampled();
        }
        int all = total;
        int[] quantised = new int[1];
        boolean[] firstDone = new boolean[1];
        if (framesDir != null) {
            clearFrames(framesDir);
        }
        AtomicFiles.write(gif, sink -> {
            java.io.ByteArrayOutputStream first = firstAlone == null ? null : new java.io.ByteArrayOutputStream();
            java.io.OutputStream out = first == null ? sink : new java.io.FilterOutputStream(sink) { // the sink, and a copy until the first animation ends
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    sink.write(b, off, len);
                    if (!firstDone[0]) {
                        first.write(b, off, len);
                    }
                }
            };
            try (GifWriter w = new GifWriter(out, l.width(), l.height())) {
                int n = 0;
                BufferedImage img = null; // each frame drawn over the one before, once the writer has it
                for (Animation a : animations) {
                    for (int f = 0; f < a.frameCount(); f++) {
                        img = a.render(f, img);
                        w.write(img, a.delayCentis(f)); // flushes the frame's bytes on to the sink
                        if (framesDir != null) {
                            writePng(img, framesDir.resolve(frameFileName(n)));
                        }
                        n++;
                        progress.framesWritten(n, all);
                    }
                    if (first != null && !firstDone[0]) {
                        firstDone[0] = true;
                        AtomicFiles.write(firstAlone, os -> {
                            first.writeTo(os);
                            os.write(GifWriter.TRAILER);
                        });
                    }
                }
                quantised[0] = w.quantisedFrames();
            }
        });
        long bytes;
        try {
            bytes = Files.size(gif);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the size of " + gif + ": " + e.getMessage(), e);
        }
        return new AnimationSummary(gif, framesDir, animations.get(0).options().style(), total, steps, totalSteps,
                sampled, l.width(), l.height(), bytes, quantised[0], (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The animations of a stack of layers over {@code input}, all of one frame size so they play as one GIF: layer
     * k+1 reads layer k's output and opens with the intro frame that shows it restacked. Each layer's title is
     * {@code titles.get(k)}. Without a canvas in {@code options}, every layer is drawn at its own scale and centred
     * on a canvas as large as the largest.
     */
    public static List<Animation> chain(Tensor input, List<ConvLayer> layers, AnimationOptions options, List<String> titles) {
        List<Tensor> inputs = layerInputs(input, layers);
        List<Animation> out = new ArrayList<>();
        AnimationOptions.Canvas canvas = options.canvas();
        if (canvas == null) {
            int w = 0;
            int h = 0;
            for (int k = 0; k < layers.size(); k++) {
                FrameLayout l = Animation.of(inputs.get(k), layers.get(k), options(options, k, titles)).layout();
                w = Math.max(w, l.width());
                h = Math.max(h, l.height());
            }
            canvas = new AnimationOptions.Canvas(Math.max(w, 320), Math.max(h, 200), false);
        }
        for (int k = 0; k < layers.size(); k++) {
            out.add(Animation.of(inputs.get(k), layers.get(k), options(options, k, titles).withCanvas(canvas)));
        }
        return out;
    }

    private static AnimationOptions options(AnimationOptions base, int k, List<String> titles) {
        return base.withFromLayer(k).withTitle(titles.get(k));
    }

    /** One frame of {@code layer}'s animation over {@code input}, for notebooks and tests. */
    public static BufferedImage frame(Tensor input, ConvLayer layer, AnimationOptions options, int frame) {
        return Animation.of(input, layer, options).render(frame);
    }

    /** What each layer of a stack takes: the input, then each layer's reference (activated) output in turn. */
    public static List<Tensor> layerInputs(Tensor input, List<ConvLayer> layers) {
        List<Tensor> inputs = new ArrayList<>();
        Tensor x = input;
        for (ConvLayer layer : layers) {
            inputs.add(x);
            x = layer.forward(x).activated();
        }
        return inputs;
    }

    /** {@code layer1-panels.gif} for layer number 1 (layers count from 1). */
    public static String gifName(int layerNumber, Style style) {
        return "layer" + layerNumber + "-" + style + ".gif";
    }

    /** {@code layers-panels.gif}: every layer of a case in one GIF. */
    public static String chainName(Style style) {
        return "layers-" + style + ".gif";
    }

    /** {@code layer1-panels-frames}: where {@code --frames} puts a layer's PNGs. */
    public static String framesDirName(int layerNumber, Style style) {
        return "layer" + layerNumber + "-" + style + "-frames";
    }

    /** {@code frame-0001.png} for frame 0: numbered from 1, at least four digits. */
    public static String frameFileName(int frame) {
        return String.format(Locale.ROOT, "frame-%04d.png", frame + 1);
    }

    /**
     * Frames {@code 0 .. count-1} of an animation that writes its own GIF (pooling, transposed stamps) as PNGs in
     * {@code dir}, {@code frame-0001.png} and on, replacing stale frame PNGs there.
     */
    public static void writeFrames(IntFunction<BufferedImage> render, int count, Path dir) {
        clearFrames(dir);
        for (int f = 0; f < count; f++) {
            writePng(render.apply(f), dir.resolve(frameFileName(f)));
        }
    }

    static void clearFrames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "frame-*.png")) {
            for (Path p : s) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not clear old frames in " + dir + ": " + e.getMessage(), e);
        }
    }

    static void writePng(BufferedImage img, Path file) {
        AtomicFiles.write(file, sink -> {
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(sink)) {
                if (!ImageIO.write(img, "png", ios)) {
                    throw new IOException("no PNG writer available");
                }
            }
        });
    }
}
