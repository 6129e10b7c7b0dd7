package convlab.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What a case's section of the HTML report shows besides its tables: the figures of the layers that have one and the
 * gradient heatmaps (PNG files beside the report, linked, never embedded), notes on what could not be drawn and,
 * when {@code frameworkCode}, the same layers as PyTorch, TensorFlow/Keras and DL4J code. The report escapes all of
 * it; callers pass plain text. It holds no image bytes, so a run keeps only this per case however many it has.
 */
public record CaseExtras(List<FigureFile> figures, List<Note> notes, List<FigureFile> gradientFigures, boolean frameworkCode) {

    public static final CaseExtras NONE = new CaseExtras(List.of(), List.of(), List.of(), false);

    public CaseExtras {
        figures = List.copyOf(figures);
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

    public CaseExtras withFigures(List<FigureFile> f) {
        return new CaseExtras(f, notes, gradientFigures, frameworkCode);
    }

    public CaseExtras withNote(Note n) {
        List<Note> all = new ArrayList<>(notes);
        all.add(n);
        return new CaseExtras(figures, all, gradientFigures, frameworkCode);
    }

    public CaseExtras withGradientFigures(List<FigureFile> g) {
        return new CaseExtras(figures, notes, g, frameworkCode);
    }

    public CaseExtras withFrameworkCode() {
        return new CaseExtras(figures, notes, gradientFigures, true);
    }
}
