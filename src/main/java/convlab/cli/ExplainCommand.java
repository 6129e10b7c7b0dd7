package convlab.cli;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Describe;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Op;
import convlab.core.Layout;
import convlab.core.Op;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import convlab.core.Tensor;
import convlab.io.Case;
import convlab.io.CaseFiles;
import convlab.report.Explainer.Explanation;
import convlab.report.Explainer;
import convlab.report.Im2colExplainer;
import convlab.report.PoolExplainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convlab explain}: a layer's output shape, padding, parameter count and multiply-adds, and the same layer in
 * PyTorch, TensorFlow/Keras and DL4J. Works from shapes alone and never starts ND4J.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain a convolution layer: output shape (the size rule worked through), padding split and why,"
                + " parameters, multiply-adds, and the same layer in PyTorch, TensorFlow/Keras and DL4J.",
                "Give a case file, or describe the layer with --input, --filters and --kernel (and the other options);"
                        + " pooling: --op max_pool2d|avg_pool2d with --input and --kernel."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:explained", "2:invalid input, or a layer that cannot apply to its input (the reason is printed)"})
public final class ExplainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "CASE.json", description = "A case file; every layer is explained unless --layer is given.")
    Path caseFile;

    @Option(names = "--layer", paramLabel = "K", description = "With a case file: explain only layer K (1 is the first, layers[0] in the file).")
    Integer layer;

    @Option(names = "--input", paramLabel = "SHAPE", description = "Input shape CxHxW or NxCxHxW (HxWxC or NxHxWxC with --layout NHWC).")
    String input;

    @Option(names = "--filters", paramLabel = "O", description = "Number of filters (output channels).")
    Integer filters;

    @Option(names = "--kernel", paramLabel = "K", description = "Kernel size: 3 or KHxKW, e.g. 3x5.")
    String kernel;

    @Option(names = "--stride", paramLabel = "S", description = "Stride: 2 or SHxSW (default 1).")
    String stride;

    @Option(names = "--padding", paramLabel = "P",
            description = "valid (default), same, same_lower (odd pixel top/left, ONNX SAME_LOWER), 1, PHxPW, or top,bottom,left,right (e.g. 0,1,1,0).")
    String padding;

    @Option(names = "--dilation", paramLabel = "D", description = "Dilation: 2 or DHxDW (default 1).")
    String dilation;

    @Option(names = "--groups", paramLabel = "G", description = "Groups (default 1); groups = C is depthwise.")
    Integer groups;

    @Option(names = "--padding-mode", paramLabel = "MODE", description = "zeros (default), reflect, replicate or circular.")
    String paddingMode;

    @Option(names = "--activation", paramLabel = "A", description = "none (default), relu, tanh or sigmoid.")
    String activation;

    @Option(names = "--bias", negatable = true, description = "Whether the layer adds a bias (default: --bias).")
    Boolean bias;

    @Option(names = "--op", paramLabel = "OP", description = "conv2d (default), conv_transpose2d (then --filters is the output"
            + " channels), max_pool2d or avg_pool2d.")
    String op;

    @Option(names = "--ceil-mode", description = "Pooling: round the output size up, as PyTorch's ceil_mode=True (default: floor).")
    Boolean ceilMode;

    @Option(names = "--count-include-pad", negatable = true,
            description = "avg_pool2d: whether the divisor counts padded cells (default: --count-include-pad, as PyTorch).")
    Boolean countIncludePad;

    @Option(names = "--layout", paramLabel = "L", description = "NCHW (default) or NHWC: how --input is written and shapes are shown.")
    String layout;

    @Option(names = "--output-padding", paramLabel = "P",
            description = "conv_transpose2d: rows/columns appended at the bottom/right before the crop: 1 or PHxPW (default 0).")
    String outputPadding;

    @Option(names = "--output-shape", paramLabel = "HxW", description = "conv_transpose2d: the output's HxW (TensorFlow's and ONNX's output_shape).")
    String outputShape;

    @Option(names = "--im2col", description = "conv2d: also show the layer as im2col's matrix product (out = W x cols + b), the column"
            + " matrix written out: the input's numbers with a case file, the input cells each entry copies with layer options.")
    boolean im2col;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int[] inputShape;
        List<ConvLayer> layers;
        List<Tensor> caseValues = null; // with --im2col and a case file: each layer's input
        Layout shown;
        String title;
        boolean flags = input != null || filters != null || kernel != null || stride != null || padding != null || dilation != null
                || groups != null || paddingMode != null || activation != null || bias != null || outputPadding != null
                || outputShape != null;
        Op chosen = op == null ? Op.CONV2D : Op.parse(op.toLowerCase(Locale.ROOT));
        if (caseFile == null && chosen == Op.CONV_TRANSPOSE2D) {
            return new ExplainTranspose(this).fromFlags(out, err);
        }
        if (outputPadding != null || outputShape != null) {
            throw new IllegalArgumentException("--output-padding and --output-shape describe a conv_transpose2d layer; add --op conv_transpose2d");
        }
        if (chosen == Op.MAX_POOL2D || chosen == Op.AVG_POOL2D || ceilMode != null || countIncludePad != null) {
            return explainPool(chosen, out, err);
        }
        if (caseFile != null) {
            if (flags) {
                throw new IllegalArgumentException("explain takes a case file or layer options (--input, --filters, --kernel, ...), not both");
            }
            Case c = CaseFiles.load(caseFile);
            CaseWarnings.print(c, err);
            if (!c.allConv2d()) {
                return new ExplainTranspose(this).fromCase(c, out, err); // every op, layer by layer
            }
            inputShape = c.input().shape();
            layers = c.convLayers();
            if (im2col) { // each layer's input numbers: the input, then the layers before, by the formula
                caseValues = new java.util.ArrayList<>();
                Tensor x = c.input();
                for (ConvLayer l : layers) {
                    caseValues.add(x);
                    try {
                        x = l.forward(x).activated();
                    } catch (Geometry.ShapeException e) {
                        break; // the impossible layer is reported below
                    }
                }
            }
            shown = layoutOr(c.layout());
            title = "case " + c.name() + " (" + caseFile + ")";
        } else {
            if (layer != null) {
                throw new IllegalArgumentException("--layer selects a layer of a case file, but no case file was given");
            }
            if (input == null || filters == null || kernel == null) {
                throw new IllegalArgumentException("explain needs a case file, or --input, --filters and --kernel (try: explain --input 3x32x32 --filters 8 --kernel 3)");
            }
            shown = layoutOr(Layout.NCHW);
            inputShape = inputShape(input, shown);
            layers = List.of(layer(inputShape[1]));
            title = null;
        }
        if (layer != null && (layer < 1 || layer > layers.size())) {
            throw new IllegalArgumentException("--layer " + layer + " is out of range: the case has " + layers.size()
                    + " layer(s), 1 to " + layers.size());
        }

        List<Explanation> explained;
        Explainer.ImpossibleLayerException failure = null;
        try {
            explained = Explainer.explain(inputShape, layers, shown);
        } catch (Explainer.ImpossibleLayerException e) {
            failure = e;
            explained = Explainer.explain(inputShape, layers.subList(0, e.index()), shown);
        }
        int from = layer == null ? 0 : layer - 1;
        int to = layer == null ? layers.size() : layer;
        if (title != null) {
            out.println("Explaining " + title + ": " + layers.size() + " layer" + (layers.size() == 1 ? "" : "s"));
            out.println();
        }
        for (int k = from; k < to; k++) {
            if (failure != null && failure.index() <= k) {
                impossible(out, failure, layers, layers.size() > 1, shown);
                out.flush();
                err.println("convlab: " + (layers.size() > 1 ? "layers[" + failure.index() + "] is impossible: " : "impossible layer: ")
                        + failure.reason());
                err.flush();
                return Main.INVALID;
            }
            if (layers.size() > 1) {
                out.println("== layer " + (k + 1) + " (layers[" + k + "]) ==");
            }
            out.print(explained.get(k).text());
            out.println();
            if (im2col) {
                Tensor values = caseValues == null ? null : caseValues.get(k);
                out.print(Im2colExplainer.explain(values == null ? layerInput(inputShape, layers, k) : values.shape(), layers.get(k), values, shown));
                out.println();
            }
        }
        out.flush();
        return Main.AGREE;
    }

    /** The NCHW shape layer {@code k} reads: the input's, through the layers before it. */
    private static int[] layerInput(int[] inputShape, List<ConvLayer> layers, int k) {
        int[] shape = inputShape;
        for (int j = 0; j < k; j++) {
            shape = Geometry.of(shape, layers.get(j)).outputShape();
        }
        return shape;
    }

    /** {@code --op max_pool2d|avg_pool2d}: one pooling layer from the options. */
    /** {@code --im2col} with a layer from options of another op than conv2d: one line, exit 2. */
    static void refuseIm2col(boolean im2col, Object op) {
        if (im2col) {
            throw new IllegalArgumentException("--im2col unfolds a conv2d layer into a matrix product; " + op + " has no such form here");
        }
    }

    private Integer explainPool(Op parsedOp, PrintWriter out, PrintWriter err) {
        refuseIm2col(im2col, parsedOp);
        if (parsedOp == Op.CONV2D) {
            throw new IllegalArgumentException("--ceil-mode and --count-include-pad describe pooling: give --op max_pool2d or --op avg_pool2d");
        }
        if (caseFile != null || layer != null) {
            throw new IllegalArgumentException("--op " + parsedOp + " describes a layer from options; a case file gives each layer's op itself");
        }
        if (filters != null || groups != null || paddingMode != null || bias != null) {
            throw new IllegalArgumentException("--op " + parsedOp + " has no weights: --filters, --groups, --padding-mode and --bias are for conv2d");
        }
        if (input == null || kernel == null) {
            throw new IllegalArgumentException("explain --op " + parsedOp + " needs --input and --kernel (try: explain --op " + parsedOp
                    + " --input 3x32x32 --kernel 2)");
        }
        if (parsedOp == Op.AVG_POOL2D && dilation != null) {
            throw new IllegalArgumentException("--dilation: avg_pool2d has no dilation (PyTorch's AvgPool2d, Keras and DL4J have none); max_pool2d has");
        }
        if (parsedOp == Op.MAX_POOL2D && countIncludePad != null) {
            throw new IllegalArgumentException("--count-include-pad is the divisor of avg_pool2d; max_pool2d never counts");
        }
        Layout shown = layoutOr(Layout.NCHW);
        int[] shape = inputShape(input, shown);
        Hw k = hw("--kernel", kernel);
        PoolSpec s = new PoolSpec(k, stride == null ? k : hw("--stride", stride), padding == null ? Padding.valid() : padding(padding),
                dilation == null ? Hw.of(1) : hw("--dilation", dilation), ceilMode != null && ceilMode,
                countIncludePad == null || countIncludePad,
                activationOption());
        PoolLayer pool = new PoolLayer(parsedOp, s);
        try {
            out.print(PoolExplainer.explain(shape, pool, shown).text());
        } catch (Geometry.ShapeException e) {
            out.println("Layer: input " + Explainer.shapeIn(shape, shown) + ", " + Describe.unapplied(pool));
            out.println("Impossible: " + e.getMessage());
            out.flush();
            err.println("convlab: impossible layer: " + e.getMessage());
            err.flush();
            return Main.INVALID;
        }
        out.flush();
        return Main.AGREE;
    }

    /** A case whose stack mixes ops: each layer explained by its op's explainer, on the previous layer's output. */
    private static void impossible(PrintWriter out, Explainer.ImpossibleLayerException e, List<ConvLayer> layers, boolean numbered, Layout shown) {
        ConvLayer l = layers.get(e.index());
        if (numbered) {
            out.println("== layers[" + e.index() + "] ==");
        }
        out.println("Layer: input " + Explainer.shapeIn(e.inputShape(), shown) + ", " + Describe.unapplied(l));
        out.println("Impossible: " + e.reason());
    }

    /** The layer the options describe, for an input with {@code channels} channels; weights are zeros (only shapes matter). */
    private ConvLayer layer(int channels) {
        if (filters < 1) {
            throw new IllegalArgumentException("--filters: expected an int >= 1, but found " + filters);
        }
        int g = groups == null ? 1 : groups;
        if (g < 1) {
            throw new IllegalArgumentException("--groups: expected an int >= 1, but found " + g);
        }
        Hw k = hw("--kernel", kernel);
        ConvSpec s = new ConvSpec(
                stride == null ? Hw.of(1) : hw("--stride", stride),
                dilation == null ? Hw.of(1) : hw("--dilation", dilation),
                padding == null ? Padding.valid() : padding(padding),
                paddingMode == null ? PaddingMode.ZEROS : PaddingMode.parse(paddingMode.toLowerCase(Locale.ROOT)),
                g,
                activationOption());
        // C/groups rounded down: when C does not split into the groups, Geometry says so with the numbers.
        Tensor w = Tensor.zeros(DType.FLOAT32, filters, Math.max(channels / g, 1), k.h(), k.w());
        Tensor b = bias == null || bias ? Tensor.zeros(DType.FLOAT32, filters) : null;
        try {
            return new ConvLayer(w, b, s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("impossible layer: " + e.getMessage(), e);
        }
    }

    /** {@code --layout}, or {@code otherwise} when it is not given. */
    private Layout layoutOr(Layout otherwise) {
        return layout == null ? otherwise : Layout.parse(layout.toUpperCase(Locale.ROOT));
    }

    /** {@code --activation}, none when it is not given. */
    private Activation activationOption() {
        return activation == null ? Activation.NONE : Activation.parse(activation.toLowerCase(Locale.ROOT));
    }

    /** {@code CxHxW} or {@code NxCxHxW} (in NHWC: {@code HxWxC} or {@code NxHxWxC}) as an NCHW shape. */
    static int[] inputShape(String text, Layout layout) {
        int[] d = ints("--input", text, "x");
        if (d.length != 3 && d.length != 4) {
            throw new IllegalArgumentException("--input: expected " + (layout == Layout.NCHW ? "CxHxW or NxCxHxW" : "HxWxC or NxHxWxC")
                    + ", but found \"" + text + "\"");
        }
        int[] four = d.length == 4 ? d : new int[] {1, d[0], d[1], d[2]};
        for (int v : four) {
            if (v < 1) {
                throw new IllegalArgumentException("--input: expected sizes >= 1, but found \"" + text + "\"");
            }
        }
        return layout == Layout.NCHW ? four : new int[] {four[0], four[3], four[1], four[2]};
    }

    /** {@code 3} or {@code 3x5}. */
    static Hw hw(String option, String text) {
        int[] d = ints(option, text, "x");
        if ((d.length != 1 && d.length != 2) || d[0] < 1 || d[d.length - 1] < 1) {
            throw new IllegalArgumentException(option + ": expected an int >= 1 or HxW, but found \"" + text + "\"");
        }
        return d.length == 1 ? Hw.of(d[0]) : new Hw(d[0], d[1]);
    }

    /** The one padding codec ({@link Padding#parse}), its message prefixed with the option. */
    static Padding padding(String text) {
        try {
            return Padding.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--padding: " + e.getMessage());
        }
    }

    private static int[] ints(String option, String text, String separator) {
        String[] parts = text.trim().split(java.util.regex.Pattern.quote(separator), -1);
        int[] d = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                d[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": expected integers separated by '" + separator + "', but found \"" + text + "\"");
            }
        }
        return d;
    }
}
