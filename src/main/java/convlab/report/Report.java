package convlab.report;

import com.samskivert.mustache.Template;
import convlab.io.AtomicFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A report in its three forms: JSON for machines, Markdown for pull requests, HTML for people (its figures are files beside it). */
public interface Report {

    String json();

    String markdown();

    String html();

    /** The file names a report writes; no case may take one of them as its name. */
    List<String> FILES = List.of("report.json", "report.md", "report.html");

    /** A report rendered from one model: JSON by Jackson, Markdown and HTML by its two templates. */
    abstract class OfModel implements Report {
        private final Object model;
        private final Template markdown;
        private final Template html;

        protected OfModel(Object model, Template markdown, Template html) {
            this.model = model;
            this.markdown = markdown;
            this.html = html;
        }

        @Override
        public String json() {
            return Json.pretty(model);
        }

        @Override
        public String markdown() {
            return markdown.execute(model);
        }

        @Override
        public String html() {
            return html.execute(model);
        }
    }

    /**
     * Writes {@code report.json}, {@code report.md} and {@code report.html} into {@code dir} as a consistent set: all
     * three are written to temporary files first and moved into place together ({@link AtomicFiles#writeAll}).
     */
    default void writeAll(Path dir) {
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(dir.resolve(FILES.get(0)), json());
        files.put(dir.resolve(FILES.get(1)), markdown());
        files.put(dir.resolve(FILES.get(2)), html());
        AtomicFiles.writeStrings(files);
    }
}
