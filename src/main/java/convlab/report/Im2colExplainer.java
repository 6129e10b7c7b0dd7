package convlab.report;

import convlab.core.ConvLayer;
import convlab.core.Geometry;
import convlab.core.Layout;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.core.Unfold;
import convlab.render.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code explain --im2col}: a conv2d layer as the matrix product frameworks compute ({@link Unfold}), with the column
 * matrix written out for small layers. With the input's numbers (a case file) the matrices hold numbers and the
 * first output value is worked through; from shapes alone each cell names the input cell it copies.
 */
public final class Im2colExplainer {

    /** The most rows and columns of a matrix printed; the rest is counted. */
    static final int MAX_ROWS = 12;
    static final int MAX_COLUMNS = 8;

    private Im2colExplainer() {
    }

    /**
     * The im2col view of {@code layer} on an input of {@code inputShape} (NCHW); {@code input} holds the numbers, or
     * is null to name the cells instead. Throws {@link Geometry.ShapeException} for an impossible layer.
     */
    public static String explain(int[] inputShape, ConvLayer layer, Tensor input, Layout shown) {
        Geometry g = Geometry.of(inputShape, layer);
        int rows = Unfold.rows(g), cols = Unfold.columns(g), groups = layer.spec().groups();
        StringBuilder sb = new StringBuilder();
        sb.append("im2col, as frameworks compute it (PyTorch's torch.nn.functional.unfold): per batch item")
                .append(groups == 1 ? "" : " and group").append(", out = W x cols + b\n");
        sb.append(String.format(Locale.ROOT, "  cols: %d x %d, row (c, kh, kw) one weight of a filter, column (oh, ow) one output position's"
                + " window read in the same order%n", rows, cols));
        sb.append(String.format(Locale.ROOT, "  W:    %d x %d, the OIHW weights as they are: one filter per row%n", g.og(), rows));
        sb.append(String.format(Locale.ROOT, "  out:  %d x %d, one output plane of %dx%d per row%s%n", g.og(), cols, g.oh(), g.ow(),
                groups == 1 ? "" : "; each of the " + groups + " groups has its own cols (its " + g.cg() + " channels) and W (its "
                        + g.og() + " filters)"));
        long copied = (long) groups * rows * cols, inputValues = (long) g.c() * g.h() * g.w();
        sb.append(String.format(Locale.ROOT, "  Memory: the column matrices hold %,d values per batch item, from %,d input values (%.1fx)%n",
                copied, inputValues, inputValues == 0 ? 0.0 : (double) copied / inputValues));
        sb.append('\n');
        // Only the cells shown are worked out: a real layer's column matrix has millions.
        int shownRows = Math.min(rows, MAX_ROWS), shownCols = Math.min(cols, MAX_COLUMNS);
        String[][] cells = new String[shownRows][shownCols];
        PaddingMode mode = layer.spec().paddingMode();
        for (int r = 0; r < shownRows; r++) {
            for (int p = 0; p < shownCols; p++) {
                int[] t = Unfold.tap(g, 0, r, p);
                boolean zero = mode.source(t[1], g.h()) < 0 || mode.source(t[2], g.w()) < 0;
                cells[r][p] = zero ? (input != null ? "pad" : "0")
                        : input != null ? Numbers.format(mode.read(input, 0, t[0], t[1], t[2], g.h(), g.w())) : cell(t, mode, g, shown);
            }
        }
        List<String> rowLabels = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int[] k = Unfold.kernelCell(g, r);
            rowLabels.add("c" + k[0] + " kh" + k[1] + " kw" + k[2]);
        }
        List<String> columnLabels = new ArrayList<>();
        for (int p = 0; p < cols; p++) {
            columnLabels.add("(" + p / g.ow() + "," + p % g.ow() + ")");
        }
        sb.append("  cols of batch item 0").append(groups == 1 ? "" : ", group 0").append(input == null ? ", each cell the input cell it copies"
                + (mode == PaddingMode.ZEROS ? " (0: a zero of the padding)" : " (the " + mode + " padding names the cell it copies)")
                : mode == PaddingMode.ZEROS ? " (pad: a zero of the padding)" : "").append(":\n");
        table(sb, rowLabels, columnLabels, cells);
        if (input != null) {
            Tensor w = Unfold.weightMatrix(layer, 0);
            String[][] wc = new String[Math.min(g.og(), MAX_ROWS)][shownRows];
            List<String> filters = new ArrayList<>();
            for (int o = 0; o < g.og(); o++) {
                filters.add("filter " + o);
                for (int r = 0; o < wc.length && r < shownRows; r++) {
                    wc[o][r] = Numbers.format(w.get(o, r));
                }
            }
            sb.append('\n').append("  W").append(groups == 1 ? "" : " of group 0").append(":\n");
            table(sb, filters, rowLabels, wc);
            sb.append('\n').append(firstOutput(g, layer, w, input, rows)).append('\n');
        }
        return sb.toString();
    }

    /** The input cell {@code tap = {c, ih, iw}} copies (not a zero of the padding), in the shown layout's order: {@code x[0,1,2]}. */
    private static String cell(int[] tap, PaddingMode mode, Geometry g, Layout shown) {
        int ih = mode.source(tap[1], g.h()), iw = mode.source(tap[2], g.w());
        return shown == Layout.NHWC ? "x[" + ih + "," + iw + "," + tap[0] + "]" : "x[" + tap[0] + "," + ih + "," + iw + "]";
    }

    /** out[0][0][0][0] as row 0 of W times column 0 of cols, plus the bias: the first terms written out. */
    private static String firstOutput(Geometry g, ConvLayer layer, Tensor w, Tensor input, int rows) {
        StringBuilder terms = new StringBuilder();
        PaddingMode mode = layer.spec().paddingMode();
        double sum = 0.0;
        int written = Math.min(rows, 4);
        for (int r = 0; r < rows; r++) {
            int[] t = Unfold.tap(g, 0, r, 0);
            double a = w.get(0, r), b = mode.read(input, 0, t[0], t[1], t[2], g.h(), g.w());
            sum += a * b;
            if (r < written) {
                terms.append(r == 0 ? "" : " + ").append(Numbers.format(a)).append("*").append(Numbers.format(b));
            }
        }
        if (rows > written) {
            terms.append(" + ... (").append(rows - written).append(" more)");
        }
        double bias = layer.bias() == null ? 0.0 : layer.bias().flat(0);
        return "  out[0][0][0][0] = W row 0 . cols column 0" + (layer.bias() == null ? "" : " + b[0]") + " = " + terms
                + (layer.bias() == null ? "" : " + " + Numbers.format(bias)) + " = " + Numbers.format(sum + bias) + " (before the activation)";
    }

    /** A matrix as aligned text: at most {@link #MAX_ROWS} rows and {@link #MAX_COLUMNS} columns, the rest counted. */
    static void table(StringBuilder sb, List<String> rowLabels, List<String> columnLabels, String[][] cells) {
        int rows = Math.min(rowLabels.size(), MAX_ROWS), cols = Math.min(columnLabels.size(), MAX_COLUMNS);
        // cells holds at least the rows and columns shown
        int labelWidth = rowLabels.stream().limit(rows).mapToInt(String::length).max().orElse(0);
        int[] widths = new int[cols];
        for (int p = 0; p < cols; p++) {
            widths[p] = columnLabels.get(p).length();
            for (int r = 0; r < rows; r++) {
                widths[p] = Math.max(widths[p], cells[r][p].length());
            }
        }
        StringBuilder head = new StringBuilder("    " + " ".repeat(labelWidth));
        for (int p = 0; p < cols; p++) {
            head.append("  ").append(Numbers.pad(columnLabels.get(p), widths[p]));
        }
        if (columnLabels.size() > cols) {
            head.append("  ... ").append(columnLabels.size() - cols).append(columnLabels.size() - cols == 1 ? " more column" : " more columns");
        }
        sb.append(head.toString().stripTrailing()).append('\n');
        for (int r = 0; r < rows; r++) {
            StringBuilder line = new StringBuilder("    " + rowLabels.get(r) + " ".repeat(labelWidth - rowLabels.get(r).length()));
            for (int p = 0; p < cols; p++) {
                line.append("  ").append(Numbers.pad(cells[r][p], widths[p]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        if (rowLabels.size() > rows) {
            sb.append("    ... ").append(rowLabels.size() - rows).append(rowLabels.size() - rows == 1 ? " more row\n" : " more rows\n");
        }
    }
}
