package convlab.render.anim;

/**
 * How to animate one layer.
 *
 * @param style     how the maps are drawn
 * @param fps       frames per second while the kernel moves, 1 to 50 (a GIF counts time in hundredths of a second)
 * @param maxFrames the most computing frames; above it positions are sampled evenly (see {@link FramePlan})
 * @param batch     which item of the input batch to show (index into N)
 * @param title     shown before the frame's own title, e.g. {@code "classic, layer 1 of 2"}; empty for none
 * @param scale     every font and length multiplied by this (1 = the default frame); ignored when {@code canvas}
 *                  fits the frame to its size
 * @param canvas    the frame's exact size, or null for the layout's own size
 * @param fromLayer the number (from 1) of the layer whose output this layer reads, or 0 when it reads the case's
 *                  input: its maps are then labelled as that layer's output channels, and the animation opens with an
 *                  intro frame showing how they restack as this layer's input
 * @param numbers   print the values in every map's cells, whatever their size (the type shrinks to fit)
 * @param selection which steps get frames of their own (one filter, some output rows); the maps fill in every value
 */
public record AnimationOptions(Style style, int fps, int maxFrames, int batch, String title, double scale, Canvas canvas,
                               int fromLayer, boolean numbers, FramePlan.Selection selection) {

    public static final int DEFAULT_FPS = 4;
    public static final int DEFAULT_MAX_FRAMES = 400;
    public static final int MAX_FPS = 50;

    /**
     * A frame size in pixels. With {@code fit} the frame is laid out again (landscape where that gives bigger type)
     * at the largest scale whose drawing fits; without it the drawing keeps its scale and is centred on the canvas.
     */
    public record Canvas(int width, int height, boolean fit) {
        public Canvas {
            if (width < 320 || height < 200 || width > 8192 || height > 8192) {
                throw new IllegalArgumentException("Expected a frame size from 320x200 to 8192x8192, but found " + width + "x" + height);
            }
        }

        /** {@code "1920x1080"} as a canvas the frame is fitted to. */
        public static Canvas parse(String s) {
            String[] p = s.trim().split("[xX]");
            try {
                if (p.length == 2) {
                    return new Canvas(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), true);
                }
            } catch (NumberFormatException e) {
                // the message below says what was expected
            }
            throw new IllegalArgumentException("Expected a size WIDTHxHEIGHT such as 1920x1080, but found \"" + s + "\"");
        }
    }

    public AnimationOptions {
        if (style == null) {
            throw new IllegalArgumentException("Expected a style, but found null");
        }
        if (fps < 1 || fps > MAX_FPS) {
            throw new IllegalArgumentException("Expected --fps between 1 and " + MAX_FPS + ", but found " + fps);
        }
        if (maxFrames < 1) {
            throw new IllegalArgumentException("Expected --max-frames >= 1, but found " + maxFrames);
        }
        if (batch < 0) {
            throw new IllegalArgumentException("Expected --batch >= 0, but found " + batch);
        }
        if (!(scale >= 0.25 && scale <= 8)) {
            throw new IllegalArgumentException("Expected --scale between 0.25 and 8, but found " + scale);
        }
        if (fromLayer < 0) {
            throw new IllegalArgumentException("Expected a previous layer number >= 0, but found " + fromLayer);
        }
        title = title == null ? "" : title;
        selection = selection == null ? FramePlan.Selection.ALL : selection;
    }

    public AnimationOptions(Style style, int fps, int maxFrames, int batch, String title) {
        this(style, fps, maxFrames, batch, title, 1.0, null, 0, false, FramePlan.Selection.ALL);
    }

    /** Panels, {@value #DEFAULT_FPS} fps, at most {@value #DEFAULT_MAX_FRAMES} frames, batch item 0, no title. */
    public static AnimationOptions defaults() {
        return new AnimationOptions(Style.PANELS, DEFAULT_FPS, DEFAULT_MAX_FRAMES, 0, "");
    }

    public AnimationOptions withStyle(Style s) {
        return new AnimationOptions(s, fps, maxFrames, batch, title, scale, canvas, fromLayer, numbers, selection);
    }

    public AnimationOptions withFps(int f) {
        return new AnimationOptions(style, f, maxFrames, batch, title, scale, canvas, fromLayer, numbers, selection);
    }

    public AnimationOptions withMaxFrames(int m) {
        return new AnimationOptions(style, fps, m, batch, title, scale, canvas, fromLayer, numbers, selection);
    }

    public AnimationOptions withBatch(int n) {
        return new AnimationOptions(style, fps, maxFrames, n, title, scale, canvas, fromLayer, numbers, selection);
    }

    public AnimationOptions withTitle(String t) {
        return new AnimationOptions(style, fps, maxFrames, batch, t, scale, canvas, fromLayer, numbers, selection);
    }

    public AnimationOptions withScale(double s) {
        return new AnimationOptions(style, fps, maxFrames, batch, title, s, canvas, fromLayer, numbers, selection);
    }

    public AnimationOptions withCanvas(Canvas c) {
        return new AnimationOptions(style, fps, maxFrames, batch, title, scale, c, fromLayer, numbers, selection);
    }

    public AnimationOptions withFromLayer(int k) {
        return new AnimationOptions(style, fps, maxFrames, batch, title, scale, canvas, k, numbers, selection);
    }

    public AnimationOptions withNumbers(boolean on) {
        return new AnimationOptions(style, fps, maxFrames, batch, title, scale, canvas, fromLayer, on, selection);
    }

    public AnimationOptions withSelection(FramePlan.Selection sel) {
        return new AnimationOptions(style, fps, maxFrames, batch, title, scale, canvas, fromLayer, numbers, sel);
    }

    /** The delay of a computing frame in hundredths of a second: {@code round(100 / fps)}. */
    public int frameDelayCentis() {
        return Math.max(2, (int) Math.round(100.0 / fps));
    }
}
