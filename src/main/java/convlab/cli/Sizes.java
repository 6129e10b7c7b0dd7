package convlab.cli;

import java.nio.file.Path;
import java.util.Locale;

/** File sizes as every command prints them: kibibytes (1 KiB = 1024 bytes) with one decimal. */
final class Sizes {

    private Sizes() {
    }

    /**
     * What a command prints for each GIF it writes: {@code wrote GIF (F frames, WxH, S KiB, M ms; DETAIL) and F PNGs in
     * DIR}, without the detail when it is null and without the PNGs when {@code pngDir} is null.
     */
    static String wroteGif(Path gif, int frames, int width, int height, long bytes, long millis, String detail, Path pngDir) {
        return "wrote " + gif + " (" + frames + " frames, " + width + "x" + height + ", " + kb(bytes) + ", " + millis + " ms"
                + (detail == null ? "" : "; " + detail) + ")" + (pngDir == null ? "" : " and " + frames + " PNGs in " + pngDir);
    }

    /** {@code 1536} bytes as {@code "1.5 KiB"}. */
    static String kb(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
