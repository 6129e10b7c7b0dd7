package convlab.io;

import java.nio.file.Path;

/**
 * Bad input from a user's file: the message names the file, the field and what was expected, and is meant to be
 * printed as one line, without a stack trace.
 */
public final class InvalidInputException extends RuntimeException {

    public InvalidInputException(Path file, String field, String problem) {
        super(file + (field == null ? "" : ": field '" + field + "'") + ": " + problem);
    }

    public InvalidInputException(Path file, String problem) {
        this(file, null, problem);
    }
}
