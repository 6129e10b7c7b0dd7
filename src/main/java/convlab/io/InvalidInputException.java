package convlab.io;

import java.nio.file.Path;

/**
 * Bad input from a user's file: the message names the file, the field and what was expected, and is meant to be
 * printed as one line, without a stack trace.
 */
public final class InvalidInputException extends RuntimeException {

    public InvalidInputException(Path file, String field, String problem) {
        super(printable(file + (field == null ? "" : ": field '" + field + "'") + ": " + problem));
    }

    /**
     * The message as one printable line: a file's own bytes quoted in it (a mangled header, a field name) may hold
     * newlines or control characters, which are written as escapes ({@code \n}, {@code \t}, or a backslash-u and four hex digits); at most 1000 characters.
     */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 1000));
        for (int i = 0; i < s.length() && sb.length() < 1000; i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() >= 1000 && s.length() > 1000 ? sb.substring(0, 997) + "..." : sb.toString();
    }

    public InvalidInputException(Path file, String problem) {
        this(file, null, problem);
    }
}
