package convlab.report.lesson;

import convlab.report.Snippet;
import java.util.List;

/**
 * What the lesson page shows, as the template reads it: chapters (a layer, or the boundary between two layers), the
 * cross-check, and the page's data as JSON. Built by {@link LessonModel}, rendered by {@link LessonPage}. A section
 * that may be absent is a list of zero or one element, so the template needs no null handling.
 */
public record Lesson(String title, String command, String caseName, String source, List<Chapter> chapters, CrossCheck check,
                     String data) {

    public Lesson {
        chapters = List.copyOf(chapters);
    }

    /** One chapter: exactly one of {@code layer} and {@code boundary} holds one element. */
    public record Chapter(String id, int number, String title, List<LayerChapter> layer, List<Boundary> boundary) {
    }

    /**
     * A layer played step by step: its input channels (with the padding ring), its filters, its output maps before
     * and after the activation, and how many steps (output cells, filter by filter) it takes.
     */
    public record LayerChapter(int k, String op, String describe, String shapes, List<String> intro, String formula,
                               List<Grid> inputs, List<Filter> filters, List<OutputMap> outputs, int steps, int lastStep,
                               String activation) {
        public boolean hasFilters() {
            return !filters.isEmpty();
        }
    }

    /** One filter's weights, a slice per input channel it reads, and its bias in words. */
    public record Filter(int oc, List<Grid> slices, String bias) {
    }

    /** One output channel: before the activation (none without one) and after. Only {@code act} has {@code data-output}. */
    public record OutputMap(int oc, List<Grid> pre, Grid act) {
    }

    /** Layer k's output maps restacked as layer k+1's input, and why the next kernel is as deep as it is. */
    public record Boundary(int from, int to, List<String> text, List<Grid> maps, List<Grid> kernel, String kernelLabel) {
        public boolean hasKernel() {
            return !kernel.isEmpty();
        }
    }

    /** A heatmap grid of cells; {@code numbers} says whether cells are large enough to print their value. */
    public record Grid(String label, int cellPx, boolean numbers, List<Row> rows) {
    }

    public record Row(List<Cell> cells) {
    }

    /**
     * One cell: {@code attr} names its address attribute ({@code data-in}, {@code data-w}, {@code data-pre},
     * {@code data-output}, {@code data-map}), {@code key} its address, {@code value} the number in full precision.
     */
    public record Cell(String attr, String key, String value, String text, String bg, String fg, String cls) {
    }

    /** The cross-check: per layer, each party's comparison with the reference; then each conv2d layer's framework code. */
    public record CrossCheck(String summary, boolean compared, List<CheckLayer> layers, List<CodeLayer> code) {
        public boolean hasCode() {
            return !code.isEmpty();
        }
    }

    public record CheckLayer(int k, String describe, List<CheckRow> rows) {
    }

    public record CheckRow(String party, String status, String maxAbs, String maxRel, String where, String time, String note) {
    }

    public record CodeLayer(int k, List<Snippet> snippets) {
    }
}
