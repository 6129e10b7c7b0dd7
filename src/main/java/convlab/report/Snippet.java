package convlab.report;

import java.util.List;

/**
 * One framework's version of a layer: code a user can paste and run, the data and weight layouts that framework
 * expects, and notes on anything it cannot say directly (and what the code does instead).
 */
public record Snippet(String framework, String layouts, String code, List<String> notes) {

    public Snippet {
        notes = List.copyOf(notes);
    }
}
