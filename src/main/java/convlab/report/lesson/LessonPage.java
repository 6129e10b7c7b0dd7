package convlab.report.lesson;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import convlab.io.AtomicFiles;
import convlab.io.Resources;
import java.io.StringReader;
import java.nio.file.Path;

/**
 * Renders a {@link Lesson} as one self-contained HTML file: the template ({@code lesson.html.mustache}, escaping by
 * jmustache), its styles and script and the data as JSON all in the page, so it opens from {@code file://} offline.
 */
public final class LessonPage {

    private static final String DIR = "/convlab/report/lesson/";

    private LessonPage() {
    }

    public static String html(Lesson lesson) {
        Template t = Mustache.compiler().emptyStringIsFalse(true)
                .withLoader(name -> new StringReader(resource(name + ".mustache")))
                .compile(resource("lesson.html.mustache"));
        return t.execute(new Page(lesson, resource("lesson.css"), resource("lesson.js")));
    }

    /** Writes the page (to a temporary name, then moved into place). */
    public static void write(Lesson lesson, Path file) {
        AtomicFiles.writeString(file, html(lesson));
    }

    /** What the template reads: the lesson's fields, and the page's styles and script. */
    private record Page(Lesson lesson, String css, String js) {
    }

    private static String resource(String name) {
        return Resources.text(DIR + name);
    }
}
