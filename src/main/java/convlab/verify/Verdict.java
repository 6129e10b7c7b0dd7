package convlab.verify;

import java.util.Locale;

/** The outcome of a case or a run, with the exit code it maps to. */
public enum Verdict {
    AGREE(0), DISAGREE(1), INVALID(2);

    public final int exitCode;

    Verdict(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The worse of two verdicts: invalid over disagree over agree. */
    public Verdict worst(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
