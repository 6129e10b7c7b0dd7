package convlab.report;

import convlab.io.AtomicFiles;
import java.nio.file.Path;

/** A report in its three forms: JSON for machines, Markdown for pull requests, self-contained HTML for people. */
public interface Report {

    String json();

    String markdown();

    String html();

    /** Writes {@code report.json}, {@code report.md} and {@code report.html} into {@code dir}, each atomically. */
    default void writeAll(Path dir) {
        AtomicFiles.writeString(dir.resolve("report.json"), json());
        AtomicFiles.writeString(dir.resolve("report.md"), markdown());
        AtomicFiles.writeString(dir.resolve("report.html"), html());
    }
}
