package convlab.cli;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvTransposeLayer;
import convlab.core.ConvTransposeSpec;
import convlab.core.DType;
import convlab.core.Describe;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Layer;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.Tensor;
import convlab.io.Case;
import convlab.ops.Ops;
import convlab.report.Explainer;
import convlab.report.Im2colExplainer;
import convlab.report.TransposeExplainer;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code explain --op conv_transpose2d ...}, and explain on a case whose layers are not all conv2d: each layer
 * explained on the previous layer's output shape, whatever its op. The options are {@link ExplainCommand}'s.
 */
final class ExplainTranspose {

    private final ExplainCommand o;

    ExplainTranspose(ExplainCommand options) {
        this.o = options;
    }

    /** The layer the options describe, explained. */
    int fromFlags(PrintWriter out, PrintWriter err) {
        ExplainCommand.refuseIm2col(o.im2col, "conv_transpose2d");
        if (o.layer != null) {
            throw new IllegalArgumentException("--layer selects a layer of a case file, but no case file was given");
        }
        if (o.paddingMode != null) {
            throw new IllegalArgumentException("--padding-mode: conv_transpose2d crops its output rather than padding its input, so it has no padding mode");
        }
        if (o.input == null || o.filters == null || o.kernel == null) {
            throw new IllegalArgumentException("explain --op conv_transpose2d needs --input, --filters (output channels) and --kernel"
                    + " (try: explain --op conv_transpose2d --input 3x4x4 --filters 2 --kernel 3 --stride 2 --padding 1 --output-padding 1)");
        }
        Layout shown = o.layout == null ? Layout.NCHW : Layout.parse(o.layout.toUpperCase(Locale.ROOT));
        int[] shape = ExplainCommand.inputShape(o.input, shown);
        ConvTransposeLayer layer = layer(shape[1]);
        try {
            out.print(TransposeExplainer.explain(shape, layer, shown).text());
        } catch (Geometry.ShapeException e) {
            return impossible(out, err, shape, layer, e, -1, shown);
        }
        out.println();
        out.flush();
        return Main.AGREE;
    }

    /** Every layer of a case (or --layer K), each on the previous layer's output shape. */
    int fromCase(Case c, PrintWriter out, PrintWriter err) {
        List<Layer> layers = c.layerList();
        if (o.layer != null && (o.layer < 1 || o.layer > layers.size())) {
            throw new IllegalArgumentException("--layer " + o.layer + " is out of range: the case has " + layers.size()
                    + " layer(s), 1 to " + layers.size());
        }
        Layout shown = o.layout == null ? c.layout() : Layout.parse(o.layout.toUpperCase(Locale.ROOT));
        out.println("Explaining case " + c.name() + " (" + c.file() + "): " + layers.size() + " layer" + (layers.size() == 1 ? "" : "s"));
        out.println();
        int[] shape = c.input().shape();
        Tensor x = c.input(); // with --im2col: this layer's input numbers, by the formula
        for (int k = 0; k < layers.size(); k++) {
            Layer l = layers.get(k);
            String text;
            try {
                text = Ops.of(l.op()).explain(shape, l, shown);
            } catch (Geometry.ShapeException e) {
                return impossible(out, err, shape, l, e, layers.size() > 1 ? k : -1, shown);
            }
            if (o.layer == null || o.layer == k + 1) {
                if (layers.size() > 1) {
                    out.println("== layer " + (k + 1) + " (layers[" + k + "], " + l.op() + ") ==");
                }
                out.print(text);
                out.println();
                if (o.im2col) {
                    out.println(l instanceof ConvLayer conv ? Im2colExplainer.explain(shape, conv, x, shown)
                            : "im2col: unfolds conv2d layers; this layer is " + l.op() + "\n");
                }
            }
            shape = l.geometry(shape).outputShape();
            if (o.im2col) {
                x = l.forward(x).activated();
            }
        }
        out.flush();
        return Main.AGREE;
    }

    private static int impossible(PrintWriter out, PrintWriter err, int[] shape, Layer l, Geometry.ShapeException e, int index, Layout shown) {
        if (index >= 0) {
            out.println("== layers[" + index + "] ==");
        }
        out.println("Layer: input " + Explainer.shapeIn(shape, shown) + ", " + Describe.unapplied(l));
        out.println("Impossible: " + e.getMessage());
        out.flush();
        err.println("convlab: " + (index >= 0 ? "layers[" + index + "] is impossible: " : "impossible layer: ") + e.getMessage());
        err.flush();
        return Main.INVALID;
    }

    /** The transposed layer the options describe, on {@code channels} input channels; zero weights (only shapes matter). */
    private ConvTransposeLayer layer(int channels) {
        int g = o.groups == null ? 1 : o.groups;
        if (g < 1) {
            throw new IllegalArgumentException("--groups: expected an int >= 1, but found " + g);
        }
        if (o.filters < 1 || o.filters % g != 0) {
            throw new IllegalArgumentException("--filters: expected output channels >= 1 that split evenly into --groups " + g + ", but found " + o.filters);
        }
        Hw k = ExplainCommand.hw("--kernel", o.kernel);
        String p = o.padding == null ? "valid" : o.padding.trim().toLowerCase(Locale.ROOT);
        ConvTransposeSpec s = new ConvTransposeSpec(
                o.stride == null ? Hw.of(1) : ExplainCommand.hw("--stride", o.stride),
                o.dilation == null ? Hw.of(1) : ExplainCommand.hw("--dilation", o.dilation),
                p.equals("same_lower") ? Padding.sameLower() : ExplainCommand.padding(p),
                o.outputPadding == null ? Hw.of(0) : outputPadding(o.outputPadding),
                o.outputShape == null ? null : ExplainCommand.hw("--output-shape", o.outputShape),
                g,
                o.activation == null ? Activation.NONE : Activation.parse(o.activation.toLowerCase(Locale.ROOT)));
        Tensor w = Tensor.zeros(DType.FLOAT32, channels, o.filters / g, k.h(), k.w());
        Tensor b = o.bias == null || o.bias ? Tensor.zeros(DType.FLOAT32, o.filters) : null;
        try {
            return new ConvTransposeLayer(w, b, s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("impossible layer: " + e.getMessage(), e);
        }
    }

    /** {@code 1} or {@code 1x0}: ints >= 0. */
    private static Hw outputPadding(String text) {
        String[] parts = text.trim().split("x", -1);
        try {
            if (parts.length == 1 || parts.length == 2) {
                int h = Integer.parseInt(parts[0].trim());
                int w = Integer.parseInt(parts[parts.length - 1].trim());
                if (h >= 0 && w >= 0) {
                    return new Hw(h, w);
                }
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw new IllegalArgumentException("--output-padding: expected an int >= 0 or PHxPW, but found \"" + text + "\"");
    }
}
