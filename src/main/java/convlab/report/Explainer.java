package convlab.report;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.Describe;
import convlab.core.Geometry;
import convlab.core.Layout;
import convlab.core.OpGeometry;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.io.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Explains a convolution layer in words and numbers: its output shape with the size rule worked through, where the
 * padding goes and why, how many parameters and multiply-adds it has, and the same layer written for PyTorch,
 * TensorFlow/Keras and DL4J. Shapes only: nothing is computed on data, so this answers at once.
 */
public final class Explainer {

    private Explainer() {
    }

    /**
     * One layer explained.
     *
     * @param geometry the layer's shapes (input, weights, padding, output), all NCHW
     * @param bias     whether the layer adds a bias
     * @param layout   the layout the user's data is in, used to show shapes the way the user wrote them
     */
    public record Explanation(Geometry geometry, boolean bias, Layout layout, Snippet pytorch, Snippet keras, Snippet dl4j)
            implements WeightedExplanation {

        /** For the whole batch: one multiply-add per weight tap per output value. */
        public long multiplyAdds() {
            return geometry.multiplyAdds();
        }

        /** The explanation as plain text with section headings, ending with a newline. */
        public String text() {
            Geometry g = geometry;
            StringBuilder sb = new StringBuilder();
            sb.append("Layer: input ").append(shapeIn(g.inputShape(), layout)).append(", ").append(g.o()).append(" filter")
                    .append(g.o() == 1 ? "" : "s").append(" of ").append(g.cg()).append('x').append(g.kernel().h()).append('x')
                    .append(g.kernel().w()).append(" (C/groups x KH x KW), ").append(Describe.spec(g.spec()))
                    .append(bias ? ", with bias" : ", no bias").append('\n');
            appendOutput(sb, g, layout, "");
            for (String line : paddingLines(g)) {
                sb.append(line).append('\n');
            }
            sb.append(parametersLine(""));
            sb.append("Multiply-adds: ").append(number(multiplyAdds())).append(" (N*O*OH*OW outputs x C/groups*KH*KW taps = ")
                    .append(g.n()).append('*').append(g.o()).append('*').append(g.oh()).append('*').append(g.ow()).append(" x ")
                    .append(g.cg()).append('*').append(g.kernel().h()).append('*').append(g.kernel().w());
            if (g.n() > 1) {
                sb.append("; ").append(number(multiplyAdds() / g.n())).append(" per sample");
            }
            sb.append(")\n");
            appendSnippets(sb, snippets());
            return sb.toString();
        }
    }

    /** What the explanations of a layer with weights share: its parameter count and its three snippets. */
    public interface WeightedExplanation {

        OpGeometry geometry();

        boolean bias();

        Snippet pytorch();

        Snippet keras();

        Snippet dl4j();

        /** The weights' element count: the product of their shape. */
        default long weightCount() {
            long count = 1;
            for (int d : geometry().weightShape()) {
                count *= d;
            }
            return count;
        }

        /** One bias per output channel, or none. */
        default long biasCount() {
            return bias() ? geometry().outputShape()[1] : 0;
        }

        /** Weights plus bias. */
        default long parameters() {
            return weightCount() + biasCount();
        }

        default List<Snippet> snippets() {
            return List.of(pytorch(), keras(), dl4j());
        }

        /** "Parameters: P (weights SHAPE = W{layoutNote}, bias B)" or "..., no bias)", with its newline. */
        default String parametersLine(String layoutNote) {
            return "Parameters: " + number(parameters()) + " (weights " + Tensor.shapeString(geometry().weightShape()) + " = "
                    + number(weightCount()) + layoutNote + (bias() ? ", bias " + number(biasCount()) : ", no bias") + ")\n";
        }
    }

    /**
     * The output shape ({@code note} after it), the size rule's lines indented, and the activation when there is one:
     * the part every op's explanation shares.
     */
    static void appendOutput(StringBuilder sb, OpGeometry g, Layout layout, String note) {
        sb.append("Output shape: ").append(shapeIn(g.outputShape(), layout)).append(note).append('\n');
        for (String line : g.explain()) {
            sb.append("  ").append(line).append('\n');
        }
        Activation a = g.spec().activation();
        if (a != Activation.NONE) {
            sb.append("  then ").append(a).append(" on each value (the shape does not change)\n");
        }
    }

    /** Each framework's code under its heading, indented, with its notes: the end of every explanation. */
    static void appendSnippets(StringBuilder sb, List<Snippet> snippets) {
        for (Snippet s : snippets) {
            sb.append('\n').append(s.framework()).append(" (").append(s.layouts()).append("):\n");
            for (String line : s.code().split("\n", -1)) {
                sb.append(line.isEmpty() ? "" : "    " + line).append('\n');
            }
            for (String note : s.notes()) {
                sb.append("  Note: ").append(note).append('\n');
            }
        }
    }

    /**
     * Explains one layer applied to an input of the given NCHW shape.
     *
     * @throws Geometry.ShapeException when the layer cannot apply to that input; the message says why
     */
    public static Explanation explain(int[] inputShape, ConvLayer layer, Layout layout) {
        Geometry g = Geometry.of(inputShape, layer);
        boolean bias = layer.bias() != null;
        return new Explanation(g, bias, layout, FrameworkSnippets.pytorch(g, bias, layout), FrameworkSnippets.keras(g, bias, layout),
                FrameworkSnippets.dl4j(g, bias, layout));
    }

    /** As {@link #explain(int[], ConvLayer, Layout)} for NCHW data. */
    public static Explanation explain(int[] inputShape, ConvLayer layer) {
        return explain(inputShape, layer, Layout.NCHW);
    }

    /** A layer of a stack that cannot apply to its input: which one, the input it got, and why. */
    public static final class ImpossibleLayerException extends IllegalArgumentException {
        private final int index;
        private final int[] inputShape;

        ImpossibleLayerException(int index, int[] inputShape, Geometry.ShapeException cause) {
            super("layers[" + index + "] cannot apply to its input " + Tensor.shapeString(inputShape) + " (NCHW): " + cause.getMessage(), cause);
            this.index = index;
            this.inputShape = inputShape.clone();
        }

        public int index() {
            return index;
        }

        public int[] inputShape() {
            return inputShape.clone();
        }

        /** The reason alone, as {@link Geometry.ShapeException} gave it. */
        public String reason() {
            return getCause().getMessage();
        }
    }

    /**
     * Explains a stack of layers: layer k+1's input shape is layer k's output shape.
     *
     * @throws ImpossibleLayerException at the first layer that cannot apply to its input
     */
    public static List<Explanation> explain(int[] inputShape, List<ConvLayer> layers, Layout layout) {
        List<Explanation> out = new ArrayList<>();
        int[] shape = inputShape.clone();
        for (int k = 0; k < layers.size(); k++) {
            Explanation e;
            try {
                e = explain(shape, layers.get(k), layout);
            } catch (Geometry.ShapeException ex) {
                throw new ImpossibleLayerException(k, shape, ex);
            }
            out.add(e);
            shape = e.geometry().outputShape();
        }
        return out;
    }

    /** Every layer of a case, each taking the previous layer's output shape. */
    public static List<Explanation> explain(Case c) {
        return explain(c.input().shape(), c.convLayers(), c.layout());
    }

    /** The padding split and the reason for it, one line each; the first line starts with "Padding:". */
    public static List<String> paddingLines(Geometry g) {
        List<String> lines = new ArrayList<>();
        Padding.Sides p = g.pads();
        Padding padding = g.spec().padding();
        if (padding instanceof Padding.Valid) {
            lines.add("Padding: none (valid)");
        } else if (padding instanceof Padding.Explicit) {
            lines.add("Padding: " + p + " (explicit" + (p.isSymmetric() ? "" : ", asymmetric") + ")");
        } else if (padding instanceof Padding.Same same) {
            {
                boolean lower = same.lower();
                lines.add("Padding: " + p + " (" + padding + ": the output is ceil(input / stride) on each axis)");
                lines.add("  rows:    " + Geometry.sameSplit(g, lower, true));
                lines.add("  columns: " + Geometry.sameSplit(g, lower, false));
                if (p.isSymmetric()) {
                    lines.add("  Both totals are even, so they split evenly.");
                } else if (lower) {
                    lines.add("  An odd total puts the extra pixel on the top/left, as ONNX SAME_LOWER does (TensorFlow, Keras,"
                            + " PyTorch and DL4J put it bottom/right; none of them has this form).");
                } else {
                    lines.add("  An odd total puts the extra pixel on the bottom/right, as TensorFlow/Keras ('SAME'), ONNX SAME_UPPER,"
                            + " PyTorch (padding='same') and DL4J (ConvolutionMode.Same) do.");
                }
            }
        }
        if (!p.isZero()) {
            lines.add("  Padded cells hold: " + fill(g.spec().paddingMode()));
        }
        return lines;
    }

    private static String fill(PaddingMode m) {
        return switch (m) {
            case ZEROS -> "zeros";
            case REFLECT -> "reflect: the input mirrored about its edge cell, which is not repeated (row -1 reads row 1)";
            case REPLICATE -> "replicate: the edge cell repeated (row -1 reads row 0)";
            case CIRCULAR -> "circular: the input wrapped around (row -1 reads row H-1)";
        };
    }

    /** A shape given as NCHW, shown in the user's layout (and as NCHW too when that differs). */
    public static String shapeIn(int[] nchw, Layout layout) {
        if (layout == Layout.NCHW) {
            return Tensor.shapeString(nchw) + " (NCHW)";
        }
        int[] nhwc = {nchw[0], nchw[2], nchw[3], nchw[1]};
        return Tensor.shapeString(nhwc) + " (NHWC; " + Tensor.shapeString(nchw) + " as NCHW)";
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
