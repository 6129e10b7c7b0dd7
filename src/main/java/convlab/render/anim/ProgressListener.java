package convlab.render.anim;

/** Told after each frame is written, for progress bars. */
@FunctionalInterface
public interface ProgressListener {

    /** {@code done} of {@code total} frames are written. */
    void framesWritten(int done, int total);

    /** A listener that ignores progress. */
    static ProgressListener none() {
        return (done, total) -> { };
    }
}
