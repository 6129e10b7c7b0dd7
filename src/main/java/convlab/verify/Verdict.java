package convlab.verify;

import java.util.Locale;

/**
 * The outcome of a case or a run, with the exit code it maps to: 0 agree, 1 disagree, 2 invalid input, 3 an internal
 * error (a bug in convlab, recorded against the case it happened in).
 */
public enum Verdict {
    AGREE(0), DISAGREE(1), INVALID(2), ERROR(3);

    public final int exitCode;

    Verdict(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The worse of two verdicts: error over invalid over disagree over agree. */
    public Verdict worst(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
