package convlab.report;

import convlab.core.Describe;
import convlab.core.Geometry;
import convlab.core.Layout;
import convlab.core.PoolGeometry;
import convlab.core.PoolLayer;
import java.util.List;

/**
 * Explains a pooling layer as {@link Explainer} does a convolution: its output shape with the size rule worked
 * through (floor or ceil mode, and how same padding splits), what the window does with padded cells, how many
 * comparisons or additions it makes, and the same layer in PyTorch, TensorFlow/Keras and DL4J
 * ({@link PoolSnippets}). Shapes only.
 */
public final class PoolExplainer {

    private PoolExplainer() {
    }

    /** One pooling layer explained; {@link #text()} is what {@code convlab explain} prints. */
    public record Explanation(PoolGeometry geometry, PoolLayer layer, Layout layout, List<Snippet> snippets) {

        public String text() {
            PoolGeometry g = geometry;
            StringBuilder sb = new StringBuilder();
            sb.append("Layer: input ").append(Explainer.shapeIn(g.inputShape(), layout)).append(", ").append(layer.op()).append(": ")
                    .append(Describe.pool(g, layer)).append('\n');
            Explainer.appendOutput(sb, g, layout, " (pooling keeps the channels)");
            sb.append("Padding: ").append(g.pads().isZero() ? "none" : g.pads().toString()).append(" (").append(layer.spec().padding()).append(")");
            sb.append(layer.isMax() ? "; padded cells hold -infinity, so they never win\n"
                    : layer.spec().countIncludePad() ? "; padded cells hold 0 and count in the divisor (count_include_pad=True)\n"
                    : "; padded cells hold 0 and do not count: the divisor is the number of input cells in the window\n");
            sb.append("Parameters: 0 (pooling has no weights)\n");
            sb.append(layer.isMax() ? "Comparisons: " : "Additions: ").append(Explainer.number(g.multiplyAdds()))
                    .append(" (N*C*OH*OW outputs x KH*KW window cells = ").append(g.n()).append('*').append(g.c()).append('*').append(g.oh())
                    .append('*').append(g.ow()).append(" x ").append(g.kernel().h()).append('*').append(g.kernel().w()).append(")\n");
            Explainer.appendSnippets(sb, snippets);
            return sb.toString();
        }
    }

    /**
     * Explains one pooling layer applied to an input of the given NCHW shape.
     *
     * @throws Geometry.ShapeException when the layer cannot apply to that input; the message says why
     */
    public static Explanation explain(int[] inputShape, PoolLayer layer, Layout layout) {
        PoolGeometry g = layer.geometry(inputShape);
        return new Explanation(g, layer, layout, List.of(PoolSnippets.pytorch(g, layer, layout), PoolSnippets.keras(g, layer, layout),
                PoolSnippets.dl4j(g, layer, layout)));
    }
}
