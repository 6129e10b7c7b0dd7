package convlab.render.anim;

import convlab.core.Layer;
import convlab.core.Tensor;
import convlab.io.AtomicFiles;
import convlab.render.NetworkFigure;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole network walked layer by layer ({@link NetworkFigure}): a frame with the input, then for each layer a frame
 * per output channel it produces (at most {@value #MAX_PER_LAYER}; more channels fill in several at a time), the map
 * being produced framed with the input maps it reads, and a last frame holding every layer.
 */
public final class NetworkAnimation {

    /** The most frames one layer gets. */
    public static final int MAX_PER_LAYER = 8;

    private final NetworkFigure figure;
    private final List<NetworkFigure.View> views = new ArrayList<>();
    private final int delayCentis;

    private NetworkAnimation(NetworkFigure figure, int fps) {
        if (fps < 1 || fps > AnimationOptions.MAX_FPS) {
            throw new IllegalArgumentException("Expected fps between 1 and " + AnimationOptions.MAX_FPS + ", but found " + fps);
        }
        this.figure = figure;
        this.delayCentis = Math.max(2, Math.round(100f / fps));
        views.add(new NetworkFigure.View(0, figure.channels(0) - 1, true));
        for (int k = 1; k < figure.columns(); k++) {
            int c = figure.channels(k);
            int shown = Math.min(c, MAX_PER_LAYER);
            for (int f = 0; f < shown; f++) {
                int upTo = (int) Math.round((f + 1) * (double) c / shown) - 1; // channels through this one are drawn
                views.add(new NetworkFigure.View(k, upTo, true));
            }
        }
        views.add(NetworkFigure.View.all());
    }

    /** The walk through {@code layers} on batch item {@code n} of {@code input}, {@code fps} frames a second. */
    public static NetworkAnimation of(String name, Tensor input, List<? extends Layer> layers, int n, int fps) {
        return new NetworkAnimation(NetworkFigure.of(name, input, layers, n), fps);
    }

    public NetworkFigure figure() {
        return figure;
    }

    public int frameCount() {
        return views.size();
    }

    /** What frame {@code frame} shows. */
    public NetworkFigure.View view(int frame) {
        return views.get(frame);
    }

    public int width() {
        return figure.width();
    }

    public int height() {
        return figure.height();
    }

    /** Frame {@code frame}, text on or off and colours in steps, so that the GIF's palette is exact. */
    public BufferedImage render(int frame) {
        return figure.image(views.get(frame), 1.0, true);
    }

    /** Writes every frame to {@code gif} (atomically), each held three times as long as a step, 3 s on the last; returns its size in bytes. */
    public long write(Path gif) {
        AtomicFiles.write(gif, sink -> {
            try (GifWriter w = new GifWriter(sink, width(), height())) {
                for (int f = 0; f < frameCount(); f++) {
                    w.write(render(f), f == frameCount() - 1 ? 300 : 3 * delayCentis);
                }
            }
        });
        try {
            return Files.size(gif);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the size of " + gif + ": " + e.getMessage(), e);
        }
    }
}
