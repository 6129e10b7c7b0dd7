package convlab.report;

import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import convlab.io.Resources;

/**
 * The reports' templates ({@code src/main/resources/convlab/report/*.mustache}) and the two compilers that render
 * them, each with the escaping of its format: {@code {{x}}} is escaped by the engine, {@code {{{x}}}} is not.
 */
final class Templates {

    private static final String DIR = "/convlab/report/";

    /**
     * HTML: the engine escapes {@code & < > "}. Every attribute in the templates is double-quoted, so these four are
     * all that text and attribute values need; jmustache's own HTML escaper would also write {@code '}, {@code =} and
     * {@code `} as entities, which changes report text that tests and readers of the source rely on.
     */
    private static final Mustache.Compiler HTML = Mustache.compiler()
            .withEscaper(Escapers.simple(new String[][] {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}}))
            .emptyStringIsFalse(true).nullValue("");

    /** Markdown: {@code {{x}}} is a table cell ({@code |} escaped, a newline a space); prose uses {@code {{{x}}}}. */
    private static final Mustache.Compiler MARKDOWN = Mustache.compiler()
            .withEscaper(s -> s.replace("|", "\\|").replace("\n", " "))
            .emptyStringIsFalse(true).nullValue("");

    private Templates() {
    }

    static Template html(String name) {
        return HTML.compile(resource(name));
    }

    static Template markdown(String name) {
        return MARKDOWN.compile(resource(name));
    }

    private static String resource(String name) {
        return Resources.text(DIR + name);
    }
}
