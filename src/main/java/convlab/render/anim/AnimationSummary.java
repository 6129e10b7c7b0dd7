package convlab.render.anim;

import java.nio.file.Path;

/**
 * What {@link Animations#write} produced.
 *
 * @param gif            the GIF written
 * @param framesDir      the folder of frame PNGs, or null when none were asked for
 * @param style          how the frames were drawn
 * @param frames         frames in the GIF: computing frames plus {@link FramePlan#HOLD_FRAMES}
 * @param steps          computing frames (output values with a frame of their own)
 * @param totalSteps     output values of the layer ({@code filters x OH x OW})
 * @param sampled        whether {@code steps < totalSteps} (see {@link FramePlan#notice})
 * @param width          frame width in pixels
 * @param height         frame height in pixels
 * @param bytes          size of the GIF file
 * @param quantisedFrames frames that needed more than 256 colours (0 expected)
 * @param millis         wall time to render and write everything
 */
public record AnimationSummary(Path gif, Path framesDir, Style style, int frames, int steps, long totalSteps, boolean sampled,
        int width, int height, long bytes, int quantisedFrames, long millis) {
}
