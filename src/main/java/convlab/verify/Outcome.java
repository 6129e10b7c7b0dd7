package convlab.verify;

import java.util.Locale;

/** What one engine's run of one layer came to, from best to worst as a report shows it. */
public enum Outcome {
    /** It produced numbers, and they agree with the reference (and the expected output, if any). */
    AGREE,
    /** It produced numbers that do not agree. */
    DISAGREE,
    /** It threw, or its output could not be read: the message says what happened. */
    ERROR,
    /** The engine cannot express this configuration: the message says why. */
    UNSUPPORTED,
    /** The case itself is not valid input. */
    INVALID;

    /** The lower-case word reports and file formats use: {@code agree}, {@code disagree}, ... */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
