package convlab.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run in a child JVM by {@link AtomicFilesTest}: writes report.json and report.md of a new set, then starts report.html
 * and never finishes it, saying "writing" once it is under way, so the test can kill it there.
 */
public final class SlowWriter {

    private SlowWriter() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Map<Path, AtomicFiles.Writer> set = new LinkedHashMap<>();
        set.put(dir.resolve("report.json"), out -> out.write("new json".getBytes(StandardCharsets.UTF_8)));
        set.put(dir.resolve("report.md"), out -> out.write("new md".getBytes(StandardCharsets.UTF_8)));
        set.put(dir.resolve("report.html"), out -> {
            out.write(new byte[1 << 20]);
            out.flush();
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicFiles.writeAll(set);
    }
}
