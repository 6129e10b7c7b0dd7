package convlab.report;

import convlab.core.ConvTransposeGeometry;
import convlab.core.ConvTransposeLayer;
import convlab.core.ConvTransposeSpec;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Padding;
import java.util.ArrayList;
import java.util.List;

/**
 * Explains a transposed convolution layer in words and numbers: the full output each input value's stamp makes, the
 * output shape with the size rule worked through, what is cropped and why, parameters and multiply-adds, and the
 * same layer in PyTorch, TensorFlow/Keras and DL4J. Shapes only, as {@link Explainer} for conv2d.
 */
public final class TransposeExplainer {

    private TransposeExplainer() {
    }

    /** One transposed layer explained; shapes are NCHW, shown in {@code layout}. */
    public record Explanation(ConvTransposeGeometry geometry, boolean bias, Layout layout, Snippet pytorch, Snippet keras, Snippet dl4j)
            implements Explainer.WeightedExplanation {

        /** The explanation as plain text with section headings, ending with a newline. */
        public String text() {
            ConvTransposeGeometry g = geometry;
            ConvTransposeSpec s = g.spec();
            StringBuilder sb = new StringBuilder();
            sb.append("Layer: input ").append(Explainer.shapeIn(g.inputShape(), layout)).append(", transposed convolution to ").append(g.o())
                    .append(" output channel").append(g.o() == 1 ? "" : "s").append(": each input channel stamps ").append(g.og()).append('x')
                    .append(g.kernel().h()).append('x').append(g.kernel().w()).append(" weights (O/groups x KH x KW), ").append(s)
                    .append(bias ? ", with bias" : ", no bias").append('\n');
            Explainer.appendOutput(sb, g, layout, "");
            sb.append("  Each input value (ih, iw) adds its kernel, scaled by the value, at rows ih*").append(s.stride().h()).append(" + kh*")
                    .append(s.dilation().h()).append(" and columns iw*").append(s.stride().w()).append(" + kw*").append(s.dilation().w())
                    .append(" of the full ").append(g.fullH()).append('x').append(g.fullW()).append(" output; where stamps overlap they add up.\n");
            for (String line : cropLines(g)) {
                sb.append(line).append('\n');
            }
            sb.append(parametersLine(" [C, O/groups, KH, KW]"));
            sb.append("Multiply-adds: ").append(Explainer.number(g.multiplyAdds())).append(" (N*O*C/groups x the (input, kernel) row pairs"
                    + " x column pairs that land inside the output = ").append(g.n()).append('*').append(g.o()).append('*').append(g.cg())
                    .append(" x ").append(g.landingRows()).append(" x ").append(g.landingColumns()).append(")\n");
            Explainer.appendSnippets(sb, snippets());
            return sb.toString();
        }
    }

    /**
     * Explains one transposed layer on an input of the given NCHW shape.
     *
     * @throws convlab.core.Geometry.ShapeException when the layer cannot apply to that input; the message says why
     */
    public static Explanation explain(int[] inputShape, ConvTransposeLayer layer, Layout layout) {
        ConvTransposeGeometry g = layer.geometry(inputShape);
        boolean bias = layer.bias() != null;
        return new Explanation(g, bias, layout, TransposeSnippets.pytorch(g, bias, layout), TransposeSnippets.keras(g, bias, layout),
                TransposeSnippets.dl4j(g, bias, layout));
    }

    /** What is cropped from the full output and why, one line each; the first starts with "Crop:". */
    public static List<String> cropLines(ConvTransposeGeometry g) {
        ConvTransposeSpec s = g.spec();
        Padding.Sides c = g.pads();
        Padding padding = s.padding();
        List<String> lines = new ArrayList<>();
        Hw op = s.outputPadding();
        String appended = op.equals(Hw.of(0)) ? "" : " with output padding appended first (" + op.h() + " row(s) at the bottom, " + op.w()
                + " column(s) at the right)";
        lines.add("Crop: " + c + " of the full output" + appended);
        if (s.outputShape() != null) {
            lines.add("  The output shape " + s.outputShape() + " decides: the total crop is the full size + output padding - the output size,"
                    + (padding.isSame() ? " split as " + padding + " splits it" : " split as ONNX does with explicit pads ignored:"
                    + " the larger half at the top/left"));
        } else if (padding instanceof Padding.Valid) {
            lines.add("  valid: nothing is cropped; the output is the full output" + (op.equals(Hw.of(0)) ? "" : " plus the output padding"));
        } else if (padding instanceof Padding.Explicit) {
            lines.add("  padding " + padding + " removes that many rows and columns from the edges of the full output (PyTorch's and"
                    + " ONNX's pads); it does not add any. Conv2d with the same padding would map this output back to the input size.");
        } else {
            lines.add("  " + padding + ": the output is input * stride; the total crop is full + output padding - output, "
                    + (padding.equals(Padding.same()) ? "floor(total/2) at the top/left and the rest at the bottom/right (TensorFlow/Keras"
                    + " SAME, ONNX SAME_UPPER)" : "floor(total/2) at the bottom/right and the rest at the top/left (ONNX SAME_LOWER)"));
        }
        long rows = Math.max(0, c.top() + (long) g.oh() - g.fullH());
        long cols = Math.max(0, c.left() + (long) g.ow() - g.fullW());
        if (rows > 0 || cols > 0) {
            lines.add("  The output reaches past the full output: " + rows + " zero row(s) at the bottom and " + cols
                    + " zero column(s) at the right, which no stamp reaches; they hold only the bias.");
        }
        return lines;
    }
}
