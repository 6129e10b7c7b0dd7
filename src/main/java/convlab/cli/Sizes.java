package convlab.cli;

import java.util.Locale;

/** File sizes as every command prints them: kibibytes (1 KiB = 1024 bytes) with one decimal. */
final class Sizes {

    private Sizes() {
    }

    /** {@code 1536} bytes as {@code "1.5 KiB"}. */
    static String kb(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
