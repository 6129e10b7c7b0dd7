package convlab.verify;

import convlab.core.Gradients;
import convlab.core.Layout;
import convlab.core.Op;
import convlab.core.WeightsLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * How a position in a tensor is printed for people: its axes' names in the tensor's own order (data as NCHW, conv2d
 * weights as OIHW, transposed weights as IOHW) and the order the case wrote them in. NHWC data prints
 * {@code n=0, h=1, w=0, c=0}; NCHW data {@code n=0, c=0, h=1, w=0}: the one formatter behind every "worst element"
 * and "at" of the verify report, the console, the sweep's diagnosis and the lesson page.
 *
 * @param names the axis names in the tensor's order
 * @param order the axes in the order they are printed (indices into {@code names})
 */
public record Axes(List<String> names, List<Integer> order) {

    private static final List<String> DATA = List.of("n", "c", "h", "w");

    public Axes {
        names = List.copyOf(names);
        order = List.copyOf(order);
        if (names.size() != order.size()) {
            throw new IllegalArgumentException("Expected an order for each of the " + names.size() + " axes, but found " + order);
        }
    }

    /** A data tensor (held as NCHW) in the case's layout. */
    public static Axes data(Layout layout) {
        return new Axes(DATA, layout == Layout.NHWC ? List.of(0, 2, 3, 1) : List.of(0, 1, 2, 3));
    }

    /** Weights held in their op's core layout, printed in the layout the case gave them in (null: the core's). */
    public static Axes weights(Op op, WeightsLayout given) {
        List<String> names = op == Op.CONV_TRANSPOSE2D ? List.of("c", "o", "kh", "kw") : List.of("o", "c", "kh", "kw");
        boolean hw = given == WeightsLayout.HWIO || given == WeightsLayout.HWOI;
        return new Axes(names, hw ? List.of(2, 3, 1, 0) : List.of(0, 1, 2, 3));
    }

    /** The axes of one gradient of a layer: dL/dx as data, dL/dw as weights, dL/db one value per output channel. */
    public static Axes gradient(Gradients.Kind kind, Op op, Layout layout, WeightsLayout weights) {
        return switch (kind) {
            case INPUT -> data(layout);
            case WEIGHTS -> weights(op, weights);
            case BIAS -> new Axes(List.of("o"), List.of(0));
        };
    }

    /** The names a tensor of {@code rank} gets when nothing says better: NCHW data for rank 4, else i0, i1, ... */
    static Axes byRank(int rank) {
        if (rank == 4) {
            return data(Layout.NCHW);
        }
        List<String> names = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < rank; k++) {
            names.add(rank == 1 ? "i" : "i" + k);
            order.add(k);
        }
        return new Axes(names, order);
    }

    /** {@code index} (in the tensor's order) as {@code n=0, h=1, w=0, c=0}. */
    public String format(List<Integer> index) {
        if (index.size() != names.size()) {
            return byRank(index.size()).format(index);
        }
        StringBuilder sb = new StringBuilder();
        for (int k : order) {
            sb.append(sb.length() == 0 ? "" : ", ").append(names.get(k)).append('=').append(index.get(k));
        }
        return sb.toString();
    }
}
