package convlab.report;

import static convlab.report.SnippetCode.bracket;
import static convlab.report.SnippetCode.tuple;

import convlab.core.Activation;
import convlab.core.ConvSpec;
import convlab.core.Geometry;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one layer as PyTorch, TensorFlow/Keras and DL4J code that computes the same thing. Where a framework
 * cannot say the configuration in one call, the code does it another way that works (padding first, grouping by
 * hand, striding by slicing) and a note says why.
 */
final class FrameworkSnippets {

    private FrameworkSnippets() {
    }

    /** The facts every framework's version needs, read once from the geometry. */
    private record Layer(Geometry g, boolean bias, Layout layout) {
        ConvSpec spec() {
            return g.spec();
        }

        Padding.Sides pads() {
            return g.pads();
        }

        boolean padded() {
            return !g.pads().isZero();
        }

        boolean same() {
            return spec().padding().isSame();
        }

        boolean valid() {
            return spec().padding() instanceof Padding.Valid;
        }

        PaddingMode mode() {
            return spec().paddingMode();
        }

        /** Padding with something other than zeros actually happens. */
        boolean nonZeroFill() {
            return padded() && mode() != PaddingMode.ZEROS;
        }

        boolean strided() {
            return spec().stride().h() > 1 || spec().stride().w() > 1;
        }

        boolean dilated() {
            return spec().dilation().h() > 1 || spec().dilation().w() > 1;
        }

        int groups() {
            return spec().groups();
        }

        /** Every input channel is its own group: a depthwise convolution. */
        boolean depthwise() {
            return groups() > 1 && groups() == g.c();
        }

        /** Filters per input channel in a depthwise convolution (Keras's depth_multiplier). */
        int multiplier() {
            return g.o() / g.c();
        }

        int maxPad() {
            Padding.Sides p = pads();
            return Math.max(Math.max(p.top(), p.bottom()), Math.max(p.left(), p.right()));
        }
    }

    // ---------------------------------------------------------------- PyTorch

    static Snippet pytorch(Geometry g, boolean bias, Layout layout) {
        Layer l = new Layer(g, bias, layout);
        Padding.Sides p = l.pads();
        List<String> notes = new ArrayList<>();
        String paddingArg;
        boolean modeArg = false;
        String fpad = null;
        if (l.same() && !l.strided()) {
            paddingArg = "'same'";
            modeArg = l.nonZeroFill();
            if (!p.isSymmetric()) {
                notes.add("padding='same' with an even total pads total//2 on the top/left and the rest on the bottom/right ("
                        + p + "), the same split as here; PyTorch warns that this makes a padded copy of the input.");
            }
        } else {
            if (l.same()) {
                notes.add("PyTorch rejects padding='same' for strided convolutions (ValueError: \"padding='same' is not supported"
                        + " for strided convolutions\"), so the 'same' pads (" + p + ") are written out.");
            }
            if (!l.padded()) {
                paddingArg = l.valid() ? "'valid'" : "0";
            } else if (p.isSymmetric()) {
                paddingArg = "(" + p.top() + ", " + p.left() + ")";
                modeArg = l.nonZeroFill();
            } else {
                paddingArg = "0";
                fpad = "x = F.pad(x, (" + p.left() + ", " + p.right() + ", " + p.top() + ", " + p.bottom() + "), mode='"
                        + torchPadMode(l.mode()) + "')  # (left, right, top, bottom): F.pad starts from the last axis";
                notes.add("nn.Conv2d pads each axis symmetrically (padding=(ph, pw)), so the asymmetric pads (" + p
                        + ") go through F.pad first and the convolution pads nothing. Mind F.pad's order: (left, right, top, bottom).");
            }
        }

        List<String> c = new ArrayList<>();
        c.add("import torch");
        if (fpad != null) {
            c.add("import torch.nn.functional as F");
        }
        c.add("");
        c.add("x = torch.randn(" + g.n() + ", " + g.c() + ", " + g.h() + ", " + g.w() + ")  # NCHW, PyTorch's layout");
        if (l.layout() == Layout.NHWC) {
            c.add("# from NHWC data: x = torch.from_numpy(x_nhwc).permute(0, 3, 1, 2)");
        }
        StringBuilder conv = new StringBuilder("conv = torch.nn.Conv2d(" + g.c() + ", " + g.o()
                + ", kernel_size=" + tuple(g.kernel()) + ", stride=" + tuple(l.spec().stride())
                + ", padding=" + paddingArg + ", dilation=" + tuple(l.spec().dilation()));
        if (l.groups() != 1) {
            conv.append(", groups=").append(l.groups());
        }
        if (!bias) {
            conv.append(", bias=False");
        }
        if (modeArg) {
            conv.append(", padding_mode='").append(l.mode()).append("'");
        }
        c.add(conv.append(")").toString());
        c.add("# conv.weight: [" + g.o() + ", " + g.cg() + ", " + g.kernel().h() + ", " + g.kernel().w()
                + "] = OIHW [out, in/groups, kH, kW]" + (bias ? "; conv.bias: [" + g.o() + "]" : ""));
        if (fpad != null) {
            c.add(fpad);
        }
        c.add("y = conv(x)");
        SnippetCode.torchActivation(c, l.spec().activation());
        c.add(SnippetCode.printShape(g.n(), g.o(), g.oh(), g.ow()));
        if (l.mode() == PaddingMode.REFLECT && l.padded()) {
            notes.add("'reflect' mirrors about the edge cell without repeating it (row -1 reads row 1).");
        }
        String layouts = "input NCHW; weight OIHW [out, in/groups, kH, kW] = " + bracket(g.weightShape());
        return new Snippet("PyTorch", layouts, String.join("\n", c), notes);
    }

    private static String torchPadMode(PaddingMode m) {
        return m == PaddingMode.ZEROS ? "constant" : m.toString();
    }

    // ---------------------------------------------------------------- TensorFlow / Keras

    static Snippet keras(Geometry g, boolean bias, Layout layout) {
        Layer l = new Layer(g, bias, layout);
        Padding.Sides p = l.pads();
        List<String> notes = new ArrayList<>();
        boolean sliceStride = l.strided() && l.dilated();
        String paddingArg;
        List<String> prePad = new ArrayList<>();
        List<String> helper = new ArrayList<>();
        if (l.same() && !l.nonZeroFill() && !sliceStride) {
            paddingArg = "'same'";
            if (!p.isSymmetric()) {
                notes.add("Keras's 'same' (TensorFlow's SAME) puts the odd pixel on the bottom/right (" + p + "), as here.");
            }
        } else {
            paddingArg = "'valid'";
            if (l.padded()) {
                String tfPads = "[[0, 0], [" + p.top() + ", " + p.bottom() + "], [" + p.left() + ", " + p.right() + "], [0, 0]]";
                switch (l.mode()) {
                    case ZEROS -> {
                        prePad.add("x = tf.keras.layers.ZeroPadding2D(((" + p.top() + ", " + p.bottom() + "), (" + p.left()
                                + ", " + p.right() + ")))(x)  # ((top, bottom), (left, right))");
                        if (!l.same()) {
                            notes.add("Keras's Conv2D takes padding='valid' or 'same' only, so explicit pads go through"
                                    + " ZeroPadding2D(((top, bottom), (left, right))) and the convolution is 'valid'.");
                        }
                    }
                    case REFLECT -> {
                        prePad.add("x = tf.pad(x, " + tfPads + ", mode='REFLECT')");
                        notes.add("Keras's layers pad with zeros only; tf.pad's 'REFLECT' is PyTorch's 'reflect' (edge not repeated).");
                    }
                    case REPLICATE -> {
                        if (l.maxPad() <= 1) {
                            prePad.add("x = tf.pad(x, " + tfPads + ", mode='SYMMETRIC')  # = replicate for pads of at most 1");
                            notes.add("tf.pad has no 'replicate' mode; 'SYMMETRIC' mirrors including the edge cell, which repeats"
                                    + " the edge exactly when no pad exceeds 1, as here. For larger pads, repeat the edge with tf.repeat.");
                        } else {
                            helper.add("def pad_replicate(x, top, bottom, left, right):  # x is NHWC; repeats the edge rows/columns");
                            helper.add("    x = tf.concat([tf.repeat(x[:, :1], top, axis=1), x, tf.repeat(x[:, -1:], bottom, axis=1)], axis=1)");
                            helper.add("    return tf.concat([tf.repeat(x[:, :, :1], left, axis=2), x, tf.repeat(x[:, :, -1:], right, axis=2)], axis=2)");
                            helper.add("");
                            prePad.add("x = pad_replicate(x, " + p.top() + ", " + p.bottom() + ", " + p.left() + ", " + p.right() + ")");
                            notes.add("tf.pad has no 'replicate' mode ('SYMMETRIC' repeats the edge only for pads of 1), so the"
                                    + " edge rows/columns are repeated with tf.repeat and tf.concat.");
                        }
                    }
                    case CIRCULAR -> {
                        helper.add("def pad_circular(x, top, bottom, left, right):  # x is NHWC; wraps around");
                        helper.add("    h, w = x.shape[1], x.shape[2]");
                        helper.add("    x = tf.concat([x[:, h - top:], x, x[:, :bottom]], axis=1)");
                        helper.add("    return tf.concat([x[:, :, w - left:], x, x[:, :, :right]], axis=2)");
                        helper.add("");
                        prePad.add("x = pad_circular(x, " + p.top() + ", " + p.bottom() + ", " + p.left() + ", " + p.right() + ")");
                        notes.add("tf.pad has no circular mode, so the wrap-around is built with tf.concat of the opposite edge.");
                    }
                    default -> throw new IllegalStateException();
                }
                if (l.same()) {
                    notes.add("The 'same' pads (" + p + ") are written out" + (l.nonZeroFill()
                            ? " because Keras's 'same' pads with zeros." : " because of the stride and dilation (below)."));
                }
            }
        }
        if (sliceStride) {
            notes.add((l.depthwise()
                    ? "tf.keras 2 documents strides > 1 as incompatible with dilation_rate > 1 (Keras 3's DepthwiseConv2D accepts it,"
                            + " its Conv2D raises ValueError), so to work in both"
                    : "Keras's Conv2D rejects strides > 1 together with dilation_rate > 1 (ValueError), so")
                    + " the convolution runs with stride 1 and y[:, ::" + l.spec().stride().h() + ", ::" + l.spec().stride().w()
                    + ", :] keeps every stride-th row and column: the same values as the strided convolution.");
        }

        List<String> c = new ArrayList<>();
        SnippetCode.kerasImports(c);
        c.addAll(helper);
        SnippetCode.kerasInput(c, g, "NHWC: Keras's default data_format='channels_last'", l.layout());
        c.addAll(prePad);
        Hw stride = sliceStride ? Hw.of(1) : l.spec().stride();
        StringBuilder conv = new StringBuilder();
        String weightComment;
        if (l.depthwise()) {
            conv.append("conv = tf.keras.layers.DepthwiseConv2D(kernel_size=").append(tuple(g.kernel()))
                    .append(", strides=").append(tuple(stride)).append(", padding=").append(paddingArg)
                    .append(", depth_multiplier=").append(l.multiplier())
                    .append(", dilation_rate=").append(tuple(l.spec().dilation()));
            weightComment = "# the kernel (conv.kernel in Keras 3, conv.depthwise_kernel in tf.keras 2): [" + g.kernel().h() + ", " + g.kernel().w() + ", " + g.c() + ", " + l.multiplier()
                    + "] = [kH, kW, C, multiplier]; from PyTorch's w [" + g.o() + ", 1, " + g.kernel().h() + ", " + g.kernel().w()
                    + "]: np.transpose(w.reshape(" + g.c() + ", " + l.multiplier() + ", " + g.kernel().h() + ", " + g.kernel().w()
                    + "), (2, 3, 0, 1))";
            notes.add("groups = C = " + g.c() + " is a depthwise convolution: DepthwiseConv2D with depth_multiplier = O / C = "
                    + l.multiplier() + "; its kernel is [kH, kW, C, multiplier] and output channel c*multiplier + m reads input"
                    + " channel c, as in PyTorch. Conv2D(groups=" + g.c() + ") computes the same with an HWIO kernel.");
        } else {
            conv.append("conv = tf.keras.layers.Conv2D(").append(g.o()).append(", kernel_size=").append(tuple(g.kernel()))
                    .append(", strides=").append(tuple(stride)).append(", padding=").append(paddingArg)
                    .append(", dilation_rate=").append(tuple(l.spec().dilation()));
            if (l.groups() != 1) {
                conv.append(", groups=").append(l.groups());
                notes.add("Conv2D's groups= needs TensorFlow 2.3 or later; some older TensorFlow builds had no grouped"
                        + " convolution kernel on the CPU. Filters are grouped as in PyTorch: group k makes filters"
                        + " [k*O/groups, (k+1)*O/groups).");
            }
            weightComment = "# conv.kernel: [" + g.kernel().h() + ", " + g.kernel().w() + ", " + g.cg() + ", " + g.o()
                    + "] = HWIO [kH, kW, in/groups, out]; from PyTorch's w (OIHW): np.transpose(w, (2, 3, 1, 0))"
                    + "  (torch: w.permute(2, 3, 1, 0))";
        }
        if (!bias) {
            conv.append(", use_bias=False");
        }
        if (l.spec().activation() != Activation.NONE) {
            conv.append(", activation='").append(l.spec().activation()).append("'");
        }
        c.add(conv.append(")").toString());
        c.add("y = conv(x)");
        if (sliceStride) {
            c.add("y = y[:, ::" + l.spec().stride().h() + ", ::" + l.spec().stride().w() + ", :]  # the stride, applied by slicing");
        }
        c.add(weightComment);
        c.add("# conv.set_weights([kernel" + (bias ? ", b" : "") + "])  (after the first call has built the layer)");
        c.add(SnippetCode.printShape(g.n(), g.oh(), g.ow(), g.o()));
        String layouts = "input NHWC (channels_last, the default); "
                + (l.depthwise() ? "depthwise_kernel [kH, kW, C, multiplier] = " + bracket(new int[] {g.kernel().h(), g.kernel().w(), g.c(), l.multiplier()})
                : "kernel HWIO [kH, kW, in/groups, out] = " + bracket(new int[] {g.kernel().h(), g.kernel().w(), g.cg(), g.o()}));
        return new Snippet("TensorFlow / Keras", layouts, String.join("\n", c), notes);
    }

    // ---------------------------------------------------------------- DL4J

    static Snippet dl4j(Geometry g, boolean bias, Layout layout) {
        Layer l = new Layer(g, bias, layout);
        Padding.Sides p = l.pads();
        List<String> notes = new ArrayList<>();
        List<String> imports = new ArrayList<>(List.of(
                "import java.util.Arrays;",
                "import org.deeplearning4j.nn.conf.ConvolutionMode;",
                "import org.deeplearning4j.nn.conf.NeuralNetConfiguration;",
                "import org.deeplearning4j.nn.conf.inputs.InputType;",
                "import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;",
                "import org.nd4j.linalg.activations.Activation;",
                "import org.nd4j.linalg.api.ndarray.INDArray;",
                "import org.nd4j.linalg.factory.Nd4j;"));
        List<String> body = new ArrayList<>();
        body.add("INDArray x = Nd4j.rand(new int[] {" + g.n() + ", " + g.c() + ", " + g.h() + ", " + g.w()
                + "});  // NCHW, DL4J's default CNN2DFormat");
        if (l.layout() == Layout.NHWC) {
            body.add("// from NHWC data: x = xNhwc.permute(0, 3, 1, 2)  (or build the layers with .dataFormat(CNN2DFormat.NHWC))");
        }

        // How the padding happens: on the array (non-zero fills), in a ZeroPaddingLayer, or in the convolution.
        int inH = g.h(), inW = g.w();
        String convMode = "Truncate";
        String convPadding = null;
        boolean zeroPadLayer = false;
        if (l.nonZeroFill()) {
            imports.add("import org.nd4j.linalg.api.ops.impl.transforms.Pad;");
            String widths = "new int[][] {{0, 0}, {0, 0}, {" + p.top() + ", " + p.bottom() + "}, {" + p.left() + ", " + p.right() + "}}";
            switch (l.mode()) {
                case REFLECT -> body.add("x = Nd4j.pad(x, " + widths + ", Pad.Mode.REFLECT, 0);  // mirror, edge not repeated");
                case REPLICATE -> {
                    if (l.maxPad() <= 1) {
                        body.add("x = Nd4j.pad(x, " + widths + ", Pad.Mode.SYMMETRIC, 0);  // = replicate for pads of at most 1");
                    } else {
                        imports.remove("import org.nd4j.linalg.api.ops.impl.transforms.Pad;");
                        imports.add("import static org.nd4j.linalg.indexing.NDArrayIndex.all;");
                        imports.add("import static org.nd4j.linalg.indexing.NDArrayIndex.interval;");
                        body.add("// replicate: repeat the edge rows, then the edge columns");
                        body.add(concat(2, p.top() == 0 ? null : "x.get(all(), all(), interval(0, 1), all()).repeat(2, " + p.top() + ")",
                                p.bottom() == 0 ? null : "x.get(all(), all(), interval(" + (g.h() - 1) + ", " + g.h() + "), all()).repeat(2, " + p.bottom() + ")"));
                        body.add(concat(3, p.left() == 0 ? null : "x.get(all(), all(), all(), interval(0, 1)).repeat(3, " + p.left() + ")",
                                p.right() == 0 ? null : "x.get(all(), all(), all(), interval(" + (g.w() - 1) + ", " + g.w() + ")).repeat(3, " + p.right() + ")"));
                    }
                }
                case CIRCULAR -> {
                    imports.remove("import org.nd4j.linalg.api.ops.impl.transforms.Pad;");
                    imports.add("import static org.nd4j.linalg.indexing.NDArrayIndex.all;");
                    imports.add("import static org.nd4j.linalg.indexing.NDArrayIndex.interval;");
                    body.add("// circular: wrap the opposite edge rows, then columns, around");
                    body.add(concat(2, p.top() == 0 ? null : "x.get(all(), all(), interval(" + (g.h() - p.top()) + ", " + g.h() + "), all())",
                            p.bottom() == 0 ? null : "x.get(all(), all(), interval(0, " + p.bottom() + "), all())"));
                    body.add(concat(3, p.left() == 0 ? null : "x.get(all(), all(), all(), interval(" + (g.w() - p.left()) + ", " + g.w() + "))",
                            p.right() == 0 ? null : "x.get(all(), all(), all(), interval(0, " + p.right() + "))"));
                }
                default -> throw new IllegalStateException();
            }
            body.removeIf(String::isEmpty);
            inH += p.top() + p.bottom();
            inW += p.left() + p.right();
            notes.add("DL4J's layers pad with zeros only, so the " + l.mode() + " padding (" + p + ") is applied to the input"
                    + " array with ND4J first; it cannot be part of the layer stack.");
        } else if (l.same()) {
            convMode = "Same";
            notes.add("ConvolutionMode.Same gives ceil(in / stride) and pads floor(total / 2) on the top/left, the rest on the"
                    + " bottom/right, as here (ConvolutionUtils.getSameModeTopLeftPadding).");
        } else if (l.padded() && p.isSymmetric()) {
            convPadding = p.top() + ", " + p.left();
        } else if (l.padded()) {
            zeroPadLayer = true;
            imports.add("import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;");
            notes.add("ConvolutionLayer pads each axis symmetrically (padding(ph, pw)), so the asymmetric pads go in a"
                    + " ZeroPaddingLayer.Builder(top, bottom, left, right) before it.");
        }
        if (convMode.equals("Truncate")) {
            notes.add("ConvolutionMode.Truncate floors (in + pads - span) / stride as here; Strict would reject sizes that do not divide.");
        }
        String act = SnippetCode.dl4jActivation(l.spec().activation());
        String kh = g.kernel().h() + ", " + g.kernel().w();
        String inputType = "InputType.convolutional(" + inH + ", " + inW + ", " + g.c() + ")";

        if (l.groups() == 1 || l.depthwise()) {
            String builder = l.depthwise() ? "DepthwiseConvolution2D" : "ConvolutionLayer";
            if (l.depthwise()) {
                imports.remove("import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;");
                imports.add("import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;");
            }
            imports.add("import org.deeplearning4j.nn.conf.MultiLayerConfiguration;");
            imports.add("import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;");
            body.add("MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()");
            body.add("        .list()");
            if (zeroPadLayer) {
                body.add("        .layer(new ZeroPaddingLayer.Builder(" + p.top() + ", " + p.bottom() + ", " + p.left() + ", " + p.right()
                        + ").build())  // (top, bottom, left, right)");
            }
            body.add("        .layer(new " + builder + ".Builder(" + kh + ")");
            body.add("                .nIn(" + g.c() + ")");
            body.add("                .nOut(" + g.o() + ")");
            if (l.depthwise()) {
                body.add("                .depthMultiplier(" + l.multiplier() + ")");
            }
            convOptions(body, "                ", l, convPadding, convMode, act);
            body.add("                .build())");
            body.add("        .setInputType(" + inputType + ")  // NCHW");
            body.add("        .build();");
            body.add("MultiLayerNetwork net = new MultiLayerNetwork(conf);");
            body.add("net.init();");
            String prefix = zeroPadLayer ? "1_" : "0_";
            if (l.depthwise()) {
                body.add("// net.getParam(\"" + prefix + "W\"): [" + g.kernel().h() + ", " + g.kernel().w() + ", " + g.c() + ", " + l.multiplier()
                        + "] = [kH, kW, C, multiplier]; from PyTorch's w [" + g.o() + ", 1, " + g.kernel().h() + ", " + g.kernel().w()
                        + "]: w.reshape(" + g.c() + ", " + l.multiplier() + ", " + g.kernel().h() + ", " + g.kernel().w() + ").permute(2, 3, 0, 1)");
                notes.add("groups = C = " + g.c() + " is a depthwise convolution: DepthwiseConvolution2D with depthMultiplier = O / C = "
                        + l.multiplier() + "; ConvolutionLayer has no groups. Its weights are [kH, kW, C, multiplier], not OIHW.");
            } else {
                body.add("// net.getParam(\"" + prefix + "W\"): " + bracket(g.weightShape()) + " = [out, in, kH, kW] (OIHW, as PyTorch)"
                        + (bias ? "; net.getParam(\"" + prefix + "b\"): [" + g.o() + "]" : ""));
            }
            body.add("// load weights with net.setParam(\"" + prefix + "W\", w)" + (bias ? " and net.setParam(\"" + prefix + "b\", b)" : ""));
            body.add("INDArray y = net.output(x);");
        } else {
            imports.add("import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;");
            imports.add("import org.deeplearning4j.nn.conf.graph.MergeVertex;");
            imports.add("import org.deeplearning4j.nn.conf.graph.SubsetVertex;");
            imports.add("import org.deeplearning4j.nn.graph.ComputationGraph;");
            int groups = l.groups(), og = g.og();
            body.add("ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()");
            body.add("        .graphBuilder()");
            body.add("        .addInputs(\"x\");  // NCHW [" + g.n() + ", " + g.c() + ", " + inH + ", " + inW + "]; no setInputTypes: see the note");
            String source = "\"x\"";
            if (zeroPadLayer) {
                body.add("graph.addLayer(\"pad\", new ZeroPaddingLayer.Builder(" + p.top() + ", " + p.bottom() + ", " + p.left() + ", "
                        + p.right() + ").build(), \"x\");  // (top, bottom, left, right)");
                source = "\"pad\"";
            }
            body.add("String[] convs = new String[" + groups + "];");
            body.add("for (int g = 0; g < " + groups + "; g++) {");
            body.add("    // group g: input channels [g*" + g.cg() + ", (g+1)*" + g.cg() + "), filters [g*" + og + ", (g+1)*" + og + ")");
            body.add("    graph.addVertex(\"in\" + g, new SubsetVertex(g * " + g.cg() + ", (g + 1) * " + g.cg() + " - 1), " + source
                    + ");  // inclusive channel range");
            body.add("    graph.addLayer(\"conv\" + g, new ConvolutionLayer.Builder(" + kh + ")");
            body.add("            .nIn(" + g.cg() + ")");
            body.add("            .nOut(" + og + ")");
            convOptions(body, "            ", l, convPadding, convMode, act);
            body.add("            .build(), \"in\" + g);");
            body.add("    convs[g] = \"conv\" + g;");
            body.add("}");
            body.add("graph.addVertex(\"y\", new MergeVertex(), convs).setOutputs(\"y\");  // concatenates the channels");
            body.add("ComputationGraph net = new ComputationGraph(graph.build());");
            body.add("net.init();");
            body.add("// net.getParam(\"conv\" + g + \"_W\"): [" + og + ", " + g.cg() + ", " + g.kernel().h() + ", " + g.kernel().w()
                    + "] = PyTorch's w[g*" + og + ":(g+1)*" + og + "]" + (bias ? "; \"conv\" + g + \"_b\": [" + og + "]" : ""));
            body.add("INDArray y = net.outputSingle(x);");
            notes.add("The graph sets nIn by hand and has no setInputTypes(" + inputType + "): in DL4J 1.0.0-M2.1 SubsetVertex reports"
                    + " from - to + 1 channels for convolutional input (0 here), so inferred nIn values would be wrong.");
            notes.add("DL4J's ConvolutionLayer has no groups (and groups=" + groups + " < C=" + g.c()
                    + " is not depthwise), so the graph splits the channels with SubsetVertex, runs one ConvolutionLayer per group"
                    + " and concatenates with MergeVertex.");
        }
        if (zeroPadLayer && !imports.contains("import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;")) {
            imports.add("import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;");
        }
        body.add(SnippetCode.printShapeJava(g.n(), g.o(), g.oh(), g.ow()));

        List<String> c = SnippetCode.java(imports, body);
        String layouts = "input NCHW (CNN2DFormat.NCHW, the default); "
                + (l.depthwise() ? "DepthwiseConvolution2D W [kH, kW, C, multiplier] = "
                        + bracket(new int[] {g.kernel().h(), g.kernel().w(), g.c(), l.multiplier()})
                        : "ConvolutionLayer W [out, in, kH, kW] = " + bracket(new int[] {g.og(), g.cg(), g.kernel().h(), g.kernel().w()})
                        + (l.groups() == 1 ? "" : " per group"))
                + (bias ? ", b [" + (l.groups() == 1 || l.depthwise() ? g.o() : g.og()) + "]" : "");
        return new Snippet("DL4J", layouts, String.join("\n", c), notes);
    }

    private static void convOptions(List<String> body, String indent, Layer l, String padding, String mode, String act) {
        body.add(indent + ".stride(" + l.spec().stride().h() + ", " + l.spec().stride().w() + ")");
        if (padding != null) {
            body.add(indent + ".padding(" + padding + ")");
        }
        body.add(indent + ".dilation(" + l.spec().dilation().h() + ", " + l.spec().dilation().w() + ")");
        body.add(indent + ".convolutionMode(ConvolutionMode." + mode + ")");
        body.add(indent + ".hasBias(" + l.bias() + ")");
        body.add(indent + ".activation(Activation." + act + ")");
    }

    /** {@code x = Nd4j.concat(axis, before, x, after);} leaving out empty sides, or "" when both are empty. */
    private static String concat(int axis, String before, String after) {
        if (before == null && after == null) {
            return "";
        }
        return "x = Nd4j.concat(" + axis + ", " + (before == null ? "" : before + ", ") + "x" + (after == null ? "" : ", " + after) + ");";
    }
}
