package convlab.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a case's section of the HTML report shows besides its tables: a PNG figure per layer (null where a layer has
 * none), notes on what could not be drawn, the gradient heatmaps (a PNG per layer) and, when {@code frameworkCode}, the
 * same layers as PyTorch, TensorFlow/Keras and DL4J code. The report escapes all of it; callers pass plain text.
 */
public record CaseExtras(List<byte[]> figures, List<Note> notes, List<byte[]> gradientFigures, boolean frameworkCode) {

    public static final CaseExtras NONE = new CaseExtras(List.of(), List.of(), List.of(), false);

    public CaseExtras {
        figures = Collections.unmodifiableList(new ArrayList<>(figures)); // null entries allowed: a layer without a figure
        notes = List.copyOf(notes);
        gradientFigures = List.copyOf(gradientFigures);
    }

    /** A note in a case's section: plain text, or an error (a figure that failed to be drawn). */
    public record Note(boolean error, String text) {

        /** The note's class in the HTML: {@code note} or {@code error}. */
        public String cls() {
            return error ? "error" : "note";
        }
    }

    public CaseExtras withFigures(List<byte[]> f) {
        return new CaseExtras(f, notes, gradientFigures, frameworkCode);
    }

    public CaseExtras withNote(Note n) {
        List<Note> all = new ArrayList<>(notes);
        all.add(n);
        return new CaseExtras(figures, all, gradientFigures, frameworkCode);
    }

    public CaseExtras withGradientFigures(List<byte[]> g) {
        return new CaseExtras(figures, notes, g, frameworkCode);
    }

    public CaseExtras withFrameworkCode() {
        return new CaseExtras(figures, notes, gradientFigures, true);
    }
}
