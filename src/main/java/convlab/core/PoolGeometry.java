package convlab.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The shapes of one pooling layer: input {@code [N, C, H, W]}, a {@code KH x KW} window with stride and dilation,
 * resolved padding, and output {@code [N, C, OH, OW]} with
 * <pre>
 *   floor mode: OH = floor((H + pt + pb - dh*(KH-1) - 1) / sh) + 1
 *   ceil mode:  OH = ceil((H + pt + pb - dh*(KH-1) - 1) / sh) + 1, minus 1 when the last window would start at or
 *               below the bottom padding ((OH-1)*sh >= H + pt): a window is kept only when it starts inside the input
 *               or the top padding (PyTorch's rule)
 * </pre>
 * and likewise for OW. A ceil-mode window may reach past the bottom/right padding: those {@link #extraBottom} rows
 * and {@link #extraRight} columns hold nothing (max pooling never picks them, average pooling never counts them).
 * Every window must cover at least one input cell.
 */
public record PoolGeometry(Op op, int n, int c, int h, int w, PoolSpec spec, Padding.Sides pads, int oh, int ow)
        implements OpGeometry {

    public static PoolGeometry of(int[] input, PoolLayer layer) {
        Geometry.requireRank4(input);
        int n = input[0], c = input[1], h = input[2], w = input[3];
        Geometry.requireNonNegative(input);
        PoolSpec s = layer.spec();
        Padding.Sides p = layer.pads(h, w);
        int oh = size("OH", "rows", "KH", h, p.top(), p.bottom(), s.kernel().h(), s.stride().h(), s.dilation().h(), s.ceilMode());
        int ow = size("OW", "columns", "KW", w, p.left(), p.right(), s.kernel().w(), s.stride().w(), s.dilation().w(), s.ceilMode());
        coverInput("row", "OH", oh, h, p.top(), s.kernel().h(), s.stride().h(), s.dilation().h());
        coverInput("column", "OW", ow, w, p.left(), s.kernel().w(), s.stride().w(), s.dilation().w());
        return new PoolGeometry(layer.op(), n, c, h, w, s, p, oh, ow);
    }

    /** One axis of the size rule; throws when the window does not fit the padded input. */
    private static int size(String name, String cells, String kName, int in, int p0, int p1, int k, int s, int d, boolean ceil) {
        long room = Geometry.room("The pooling window", cells, kName, "", in, p0, p1, k, d, "weights");
        long out = (ceil ? Math.floorDiv(room + s - 1, (long) s) : room / s) + 1;
        if (ceil && (out - 1) * s >= (long) in + p0) {
            out--;
        }
        return Geometry.outputSize(out, name);
    }

    /** Throws when some output's window reads only padding (max pooling would give -inf, average 0/0). */
    private static void coverInput(String cell, String name, int out, int in, int p0, int k, int s, int d) {
        for (int o = 0; o < out; o++) {
            boolean covers = false;
            for (int i = 0; i < k && !covers; i++) {
                long at = (long) o * s + (long) i * d - p0;
                covers = at >= 0 && at < in;
            }
            if (!covers) {
                long first = (long) o * s - p0;
                throw new Geometry.ShapeException("Expected every pooling window to cover at least one input " + cell + ", but the window of "
                        + name + " index " + o + " reads " + cell + "s " + first + " to " + (first + (long) (k - 1) * d) + " of an input with "
                        + in + " (0 to " + (in - 1) + "): only padding (PyTorch asks for padding <= kernel / 2)");
            }
        }
    }

    /** Whether row {@code ih}, column {@code iw} is an input cell. */
    public boolean inside(int ih, int iw) {
        return ih >= 0 && ih < h && iw >= 0 && iw < w;
    }

    /** Whether row {@code ih}, column {@code iw} is an input cell or a padded one (not the ceil-mode extension beyond). */
    public boolean insidePadded(int ih, int iw) {
        return ih >= -pads.top() && ih < h + pads.bottom() && iw >= -pads.left() && iw < w + pads.right();
    }

    /** Rows the last ceil-mode window reaches beyond the bottom padding: never read, never counted. */
    public int extraBottom() {
        return extra(oh, spec.stride().h(), spec.kernel().h(), spec.dilation().h(), h + pads.top() + pads.bottom());
    }

    /** Columns the last ceil-mode window reaches beyond the right padding. */
    public int extraRight() {
        return extra(ow, spec.stride().w(), spec.kernel().w(), spec.dilation().w(), w + pads.left() + pads.right());
    }

    private static int extra(int out, int s, int k, int d, long padded) {
        return (int) Math.max(0, (long) (out - 1) * s + Geometry.span(k, d) - padded);
    }

    @Override
    public int[] outputShape() {
        return new int[] {n, c, oh, ow};
    }

    @Override
    public Hw kernel() {
        return spec.kernel();
    }

    /** Comparisons (max) or additions (average) for the whole batch: one per window cell per output value. */
    @Override
    public long multiplyAdds() {
        return (long) n * c * oh * ow * spec.kernel().h() * spec.kernel().w();
    }

    /** The size rule with this layer's numbers, one line per axis (and for same padding, how it was split). */
    @Override
    public List<String> explain() {
        List<String> lines = new ArrayList<>();
        if (spec.padding() instanceof Padding.Same same) {
            lines.add("same padding, rows: " + Geometry.sameSplit(this, same.lower(), true));
            lines.add("same padding, columns: " + Geometry.sameSplit(this, same.lower(), false));
        }
        lines.add(axis("OH", "H", h, pads.top(), pads.bottom(), spec.kernel().h(), spec.dilation().h(), spec.stride().h(), oh, extraBottom(), "row"));
        lines.add(axis("OW", "W", w, pads.left(), pads.right(), spec.kernel().w(), spec.dilation().w(), spec.stride().w(), ow, extraRight(), "column"));
        return lines;
    }

    private String axis(String out, String in, int size, int p0, int p1, int k, int d, int s, int result, int extra, String cell) {
        String round = spec.ceilMode() ? "ceil" : "floor";
        long numerator = (long) size + p0 + p1 - (long) d * (k - 1) - 1;
        long rounded = (spec.ceilMode() ? Math.floorDiv(numerator + s - 1, (long) s) : numerator / s) + 1;
        StringBuilder sb = new StringBuilder(Geometry.sizeRule(round, out, in, size, p0, p1, k, d, s, rounded));
        if (spec.ceilMode() && rounded != result) {
            sb.append("; the last window would start at ").append(cell).append(" (").append(rounded).append("-1)*").append(s)
                    .append(" - ").append(p0).append(" = ").append((rounded - 1) * s - p0).append(", past the input and the top/left padding: dropped, so ")
                    .append(out).append(" = ").append(result);
        } else if (spec.ceilMode() && numerator % s != 0) {
            sb.append("; ceil keeps a last window that starts inside the input");
        }
        if (extra > 0) {
            sb.append("; it reaches ").append(extra).append(" ").append(cell).append(extra == 1 ? "" : "s")
                    .append(" past the padding, which hold nothing (never picked, never counted)");
        }
        return sb.toString();
    }
}
