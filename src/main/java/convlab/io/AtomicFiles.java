package convlab.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a file to a temporary sibling and moves it into place, so nobody ever sees it half-written. Temporary files
 * still being written are removed when the JVM exits (SIGINT, SIGTERM), so an interrupted run leaves no litter.
 * A failure becomes an {@link OutputException} saying which file and why, in one line.
 */
public final class AtomicFiles {

    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::deleteLive, "convlab-temp-cleanup"));
    }

    private AtomicFiles() {
    }

    /** Something that writes bytes and may fail. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer writer) {
        writeAll(Map.of(target, writer));
    }

    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes several files as a set: every one is written to its temporary sibling first, and only when all are
     * complete are they moved into place, one right after the other. An interruption or failure while writing
     * leaves the old set as it was.
     */
    public static void writeAll(Map<Path, Writer> files) {
        Map<Path, Path> temps = new LinkedHashMap<>();
        Path current = null;
        try {
            for (Map.Entry<Path, Writer> f : files.entrySet()) {
                current = f.getKey();
                Path tmp = createTemp(current);
                temps.put(current, tmp);
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    f.getValue().write(out);
                }
            }
            for (Map.Entry<Path, Path> t : temps.entrySet()) {
                current = t.getKey();
                Files.move(t.getValue(), current, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new OutputException(current, e);
        } finally {
            for (Path tmp : temps.values()) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move succeeded or the write already failed; nothing more to say
                } finally {
                    LIVE.remove(tmp);
                }
            }
        }
    }

    /** Text files as a set ({@link #writeAll}), each UTF-8. */
    public static void writeStrings(Map<Path, String> files) {
        Map<Path, Writer> writers = new LinkedHashMap<>();
        files.forEach((p, text) -> writers.put(p, out -> out.write(text.getBytes(StandardCharsets.UTF_8))));
        writeAll(writers);
    }

    /**
     * Makes {@code dir} (and its parents) a directory to write into, or throws an {@link OutputException} saying why it
     * cannot be one: an existing file in the way, no permission, a read-only or virtual file system.
     */
    public static Path directory(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".convlab-write-check", ".tmp");
            Files.delete(probe);
            return dir;
        } catch (IOException e) {
            throw new OutputException(dir, e);
        }
    }

    private static Path createTemp(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = target.getFileName().toString();
        Path tmp = Files.createTempFile(dir, "." + (name.length() > 100 ? name.substring(0, 100) : name), ".tmp");
        LIVE.add(tmp);
        try {
            // createTempFile makes the file private (0600); outputs are for sharing, like any file a user writes.
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows and other non-POSIX file systems keep their defaults
        }
        return tmp;
    }

    /** The temporary files being written right now (for tests). */
    static List<Path> live() {
        return new ArrayList<>(LIVE);
    }

    static void deleteLive() {
        for (Path tmp : LIVE) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort while the JVM exits
            }
        }
    }

    /** An output could not be written: the file and the reason in one line. */
    public static final class OutputException extends RuntimeException {
        public OutputException(Path file, IOException cause) {
            super("cannot write " + file + ": " + reason(cause), cause);
        }

        private static String reason(IOException e) {
            String other = e instanceof FileSystemException f && f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "";
            if (e instanceof FileAlreadyExistsException f) {
                return f.getFile() + " exists and is not a directory" + other;
            }
            if (e instanceof NotDirectoryException f) {
                return f.getFile() + " is not a directory";
            }
            if (e instanceof AccessDeniedException f) {
                return "permission denied for " + f.getFile();
            }
            if (e instanceof NoSuchFileException f) {
                return "no such file or directory " + f.getFile();
            }
            if (e instanceof FileSystemException f && f.getReason() != null) {
                return f.getReason() + (f.getFile() == null ? "" : " (" + f.getFile() + ")");
            }
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
