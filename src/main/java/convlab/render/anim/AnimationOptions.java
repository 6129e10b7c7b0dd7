package convlab.render.anim;

/**
 * How to animate one layer.
 *
 * @param style     how the maps are drawn
 * @param fps       frames per second while the kernel moves, 1 to 50 (a GIF counts time in hundredths of a second)
 * @param maxFrames the most computing frames; above it positions are sampled evenly (see {@link FramePlan})
 * @param batch     which item of the input batch to show (index into N)
 * @param title     shown before the frame's own title, e.g. {@code "classic, layer 1 of 2"}; empty for none
 */
public record AnimationOptions(Style style, int fps, int maxFrames, int batch, String title) {

    public static final int DEFAULT_FPS = 4;
    public static final int DEFAULT_MAX_FRAMES = 400;
    public static final int MAX_FPS = 50;

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
        title = title == null ? "" : title;
    }

    /** Panels, {@value #DEFAULT_FPS} fps, at most {@value #DEFAULT_MAX_FRAMES} frames, batch item 0, no title. */
    public static AnimationOptions defaults() {
        return new AnimationOptions(Style.PANELS, DEFAULT_FPS, DEFAULT_MAX_FRAMES, 0, "");
    }

    public AnimationOptions withStyle(Style s) {
        return new AnimationOptions(s, fps, maxFrames, batch, title);
    }

    public AnimationOptions withFps(int f) {
        return new AnimationOptions(style, f, maxFrames, batch, title);
    }

    public AnimationOptions withMaxFrames(int m) {
        return new AnimationOptions(style, fps, m, batch, title);
    }

    public AnimationOptions withBatch(int n) {
        return new AnimationOptions(style, fps, maxFrames, n, title);
    }

    public AnimationOptions withTitle(String t) {
        return new AnimationOptions(style, fps, maxFrames, batch, t);
    }

    /** The delay of a computing frame in hundredths of a second: {@code round(100 / fps)}. */
    public int frameDelayCentis() {
        return Math.max(2, (int) Math.round(100.0 / fps));
    }
}
