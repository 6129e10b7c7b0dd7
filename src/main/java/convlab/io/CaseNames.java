package convlab.io;

import java.util.List;
import java.util.Locale;

/**
 * The rule for case names. A name becomes a folder under {@code --out}, so it is one safe path segment: 1 to
 * {@value #MAX_LENGTH} characters of letters, digits, '.', '_' and '-', not starting with '.' (so never "." or "..",
 * nor a hidden or temporary file), and none of the names the reports themselves write (compared ignoring case, as
 * macOS and Windows file systems do).
 */
public final class CaseNames {

    public static final int MAX_LENGTH = 100;

    /** What a run writes into {@code --out} besides the case folders. */
    public static final List<String> RESERVED = List.of("report.json", "report.md", "report.html", "convlab-error.log", "failures", "cases");

    private CaseNames() {
    }

    /** Why {@code name} cannot name a case, or null when it can. */
    public static String problem(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            return "expected 1 to " + MAX_LENGTH + " characters (it names a folder), but found " + name.length();
        }
        if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
            return "expected letters, digits, '.', '_' or '-', not starting with '.' (it names a folder: one path segment), but found \"" + name + "\"";
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return "expected a name other than " + String.join(", ", RESERVED) + " (the report writes those), but found \"" + name + "\"";
        }
        return null;
    }

    /** Two names that would be the same folder on a case-insensitive file system. */
    public static boolean collide(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }
}
