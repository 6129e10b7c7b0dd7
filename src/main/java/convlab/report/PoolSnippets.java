package convlab.report;

import static convlab.report.SnippetCode.tuple;

import convlab.core.Activation;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.PoolGeometry;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one pooling layer as PyTorch ({@code MaxPool2d / AvgPool2d}), TensorFlow/Keras
 * ({@code MaxPooling2D / AveragePooling2D}) and DL4J ({@code SubsamplingLayer}) code that computes the same thing.
 * What a framework cannot say (Keras: no ceil mode, no count_include_pad, no pooling dilation; DL4J: no ceil mode,
 * symmetric padding only; PyTorch: symmetric padding of at most half the window) is written another way that
 * works, with a note: padding with -infinity first for max pooling, and for average pooling the sum over the count,
 * each an average pooling of the padded input and of a padded 0/1 mask of the cells the divisor counts.
 */
final class PoolSnippets {

    private PoolSnippets() {
    }

    /** The facts every framework's version needs. */
    private record Plan(PoolGeometry g, PoolLayer layer, Layout layout) {
        PoolSpec spec() {
            return layer.spec();
        }

        Padding.Sides p() {
            return g.pads();
        }

        boolean max() {
            return layer.isMax();
        }

        boolean include() {
            return spec().countIncludePad();
        }

        /** Rows and columns a ceil-mode window reaches past the padding. */
        boolean extended() {
            return g.extraBottom() > 0 || g.extraRight() > 0;
        }

        boolean dilated() {
            return !spec().dilation().equals(Hw.of(1));
        }

        boolean strided() {
            return spec().stride().h() > 1 || spec().stride().w() > 1;
        }

        boolean sameUpper() {
            return spec().padding().equals(Padding.same());
        }

        String name() {
            return max() ? "MaxPool2d" : "AvgPool2d";
        }

        /** The padded cells the divisor counts hold 1 in the mask: all of them (include) or none. */
        String maskFill() {
            return include() ? "1" : "0";
        }
    }

    // ---------------------------------------------------------------- PyTorch

    static Snippet pytorch(PoolGeometry g, PoolLayer layer, Layout layout) {
        Plan l = new Plan(g, layer, layout);
        Padding.Sides p = l.p();
        List<String> notes = new ArrayList<>();
        // PyTorch pads symmetrically, at most half the (effective, for max) window.
        int limitH = (l.max() ? (g.kernel().h() - 1) * l.spec().dilation().h() + 1 : g.kernel().h()) / 2;
        int limitW = (l.max() ? (g.kernel().w() - 1) * l.spec().dilation().w() + 1 : g.kernel().w()) / 2;
        boolean nativePad = p.isSymmetric() && p.top() <= limitH && p.left() <= limitW;
        List<String> c = new ArrayList<>();
        c.add("import torch");
        if (!nativePad) {
            c.add("import torch.nn.functional as F");
        }
        c.add("");
        c.add("x = torch.randn(" + g.n() + ", " + g.c() + ", " + g.h() + ", " + g.w() + ")  # NCHW, PyTorch's layout");
        if (layout == Layout.NHWC) {
            c.add("# from NHWC data: x = torch.from_numpy(x_nhwc).permute(0, 3, 1, 2)");
        }
        StringBuilder pool = new StringBuilder("pool = torch.nn." + l.name() + "(kernel_size=" + tuple(g.kernel()) + ", stride="
                + tuple(l.spec().stride()) + ", padding=" + (nativePad ? tuple(new Hw(p.top(), p.left())) : "0"));
        if (l.max()) {
            pool.append(", dilation=").append(tuple(l.spec().dilation()));
        }
        pool.append(", ceil_mode=").append(l.spec().ceilMode() ? "True" : "False");
        if (!l.max()) {
            pool.append(", count_include_pad=").append(l.include() ? "True" : "False");
        }
        c.add(pool.append(")").toString());
        String fpad = "(" + p.left() + ", " + p.right() + ", " + p.top() + ", " + p.bottom() + ")";
        if (nativePad) {
            c.add("y = pool(x)");
        } else if (l.max()) {
            c.add("x = F.pad(x, " + fpad + ", value=float('-inf'))  # (left, right, top, bottom): F.pad starts from the last axis");
            c.add("y = pool(x)");
        } else if (l.include()) {
            c.add("x = F.pad(x, " + fpad + ")  # zeros, (left, right, top, bottom); the pool counts them as PyTorch counts padding");
            c.add("y = pool(x)");
        } else {
            c.add("pads = " + fpad + "  # (left, right, top, bottom)");
            c.add("y = pool(F.pad(x, pads)) / pool(F.pad(torch.ones_like(x), pads))  # sum over the input cells / their number");
        }
        if (!nativePad) {
            notes.add((l.spec().padding().isSame() ? "PyTorch's pooling has no padding='same', so the " + l.spec().padding() + " pads (" + p
                    + ") are written out; " : "") + (p.isSymmetric()
                    ? "PyTorch's pooling takes padding of at most half the " + (l.max() ? "effective " : "") + "window (RuntimeError:"
                            + " \"pad should be at most half of effective kernel size\"), so the pads go through F.pad first."
                    : "PyTorch's pooling pads each axis symmetrically (padding=(ph, pw)), so the asymmetric pads (" + p + ") go through F.pad first.")
                    + (l.max() ? " F.pad's value=-inf keeps a padded cell from ever winning."
                    : l.include() ? " Zeros added by F.pad are counted, as count_include_pad=True counts padding."
                    : " With count_include_pad=False the F.pad zeros must not count: pooling the padded input and a padded"
                            + " tensor of ones with the same window and dividing gives sum / (number of input cells)."));
        }
        SnippetCode.torchActivation(c, l.spec().activation());
        c.add(SnippetCode.printShape(g.n(), g.c(), g.oh(), g.ow()));
        if (l.extended()) {
            notes.add("ceil_mode=True keeps a last window that starts inside the input and reaches " + g.extraBottom() + " row(s) and "
                    + g.extraRight() + " column(s) past the padding; PyTorch never counts or picks those cells.");
        }
        return new Snippet("PyTorch", "input NCHW; no weights", String.join("\n", c), notes);
    }

    // ---------------------------------------------------------------- TensorFlow / Keras

    static Snippet keras(PoolGeometry g, PoolLayer layer, Layout layout) {
        Plan l = new Plan(g, layer, layout);
        Padding.Sides p = l.p();
        List<String> notes = new ArrayList<>();
        List<String> c = new ArrayList<>();
        SnippetCode.kerasImports(c);
        SnippetCode.kerasInput(c, g, "NHWC, Keras's default", layout);
        boolean kerasSame = l.sameUpper() && !l.extended() && !l.dilated() && (l.max() || !l.include());
        boolean none = p.isZero() && !l.extended();
        String pads = "[[0, 0], [" + p.top() + ", " + (p.bottom() + g.extraBottom()) + "], [" + p.left() + ", " + (p.right() + g.extraRight()) + "], [0, 0]]";
        String layerName = l.max() ? "MaxPooling2D" : "AveragePooling2D";
        Hw stride = l.dilated() ? Hw.of(1) : l.spec().stride();
        String pool = l.dilated()
                ? "pool = lambda v: tf.nn.pool(v, window_shape=" + tuple(g.kernel()) + ", pooling_type='MAX', strides=(1, 1), padding='VALID', dilations="
                        + tuple(l.spec().dilation()) + ")"
                : "pool = tf.keras.layers." + layerName + "(pool_size=" + tuple(g.kernel()) + ", strides=" + tuple(stride) + ", padding="
                        + (kerasSame ? "'same'" : "'valid'") + ")";
        c.add(pool);
        if (kerasSame || none) {
            c.add("y = pool(x)");
        } else if (l.max()) {
            c.add("y = pool(tf.pad(x, " + pads + ", constant_values=-np.inf))  # [[0, 0], [top, bottom], [left, right], [0, 0]]");
        } else if (l.include() && !l.extended()) {
            c.add("y = pool(tf.pad(x, " + pads + "))  # zeros, counted like PyTorch's count_include_pad=True");
        } else {
            c.add("counted = tf.pad(tf.ones_like(x), [[0, 0], [" + p.top() + ", " + p.bottom() + "], [" + p.left() + ", " + p.right()
                    + "], [0, 0]], constant_values=" + l.maskFill() + ")  # 1 where the divisor counts a cell");
            c.add("counted = tf.pad(counted, [[0, 0], [0, " + g.extraBottom() + "], [0, " + g.extraRight() + "], [0, 0]])  # the ceil-mode cells never count");
            c.add("y = pool(tf.pad(x, " + pads + ")) / pool(counted)  # sum / divisor, as PyTorch");
        }
        if (l.dilated() && l.strided()) {
            c.add("y = y[:, ::" + l.spec().stride().h() + ", ::" + l.spec().stride().w() + ", :]  # the stride, applied by slicing");
        }
        SnippetCode.activation(c, l.spec().activation(), "tf.nn.relu", "tf.tanh", "tf.sigmoid");
        c.add(SnippetCode.printShape(g.n(), g.oh(), g.ow(), g.c()));
        if (l.dilated()) {
            notes.add("Keras's MaxPooling2D has no dilation; tf.nn.pool has dilations= but then wants strides of 1, so the stride"
                    + (l.strided() ? " is applied by slicing." : " (1 here) is unchanged."));
        }
        if (l.spec().ceilMode()) {
            notes.add("Keras has no ceil mode. The equivalent: " + (l.extended() ? g.extraBottom() + " extra row(s) at the bottom and "
                    + g.extraRight() + " extra column(s) on the right that " + (l.max() ? "hold -inf (never picked)" : "hold 0 and are left out of the count")
                    + ", as above." : "here ceil and floor give the same size, so nothing changes."));
        }
        if (!l.max()) {
            notes.add("Keras's AveragePooling2D has no count_include_pad: its 'same' divides by the input cells only (PyTorch's"
                    + " count_include_pad=False). " + (l.include() && !p.isZero()
                    ? "To count padded cells (count_include_pad=True), pad with zeros yourself and pool 'valid', as above."
                    : !l.include() && !kerasSame && !p.isZero() ? "Explicit pads that must not count are divided out with a padded mask of ones, as above." : ""));
        }
        if (l.max() && !kerasSame && !none) {
            notes.add("Explicit pads hold -inf, not ZeroPadding2D's zeros: a zero would win over negative inputs.");
        }
        return new Snippet("TensorFlow / Keras", "input NHWC (channels_last, the default); no weights", String.join("\n", c), notes);
    }

    // ---------------------------------------------------------------- DL4J

    static Snippet dl4j(PoolGeometry g, PoolLayer layer, Layout layout) {
        Plan l = new Plan(g, layer, layout);
        Padding.Sides p = l.p();
        List<String> notes = new ArrayList<>();
        boolean nativePad = (l.sameUpper() || p.isSymmetric()) && !l.extended();
        List<String> imports = new ArrayList<>(List.of("import java.util.Arrays;", "import org.deeplearning4j.nn.conf.ConvolutionMode;",
                "import org.deeplearning4j.nn.conf.MultiLayerConfiguration;", "import org.deeplearning4j.nn.conf.NeuralNetConfiguration;",
                "import org.deeplearning4j.nn.conf.inputs.InputType;", "import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;",
                "import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;", "import org.nd4j.linalg.api.ndarray.INDArray;",
                "import org.nd4j.linalg.factory.Nd4j;"));
        List<String> body = new ArrayList<>();
        body.add("INDArray x = Nd4j.rand(new int[] {" + g.n() + ", " + g.c() + ", " + g.h() + ", " + g.w() + "});  // NCHW, DL4J's default");
        if (layout == Layout.NHWC) {
            body.add("// from NHWC data: x = xNhwc.permute(0, 3, 1, 2)");
        }
        int inH = g.h(), inW = g.w();
        String widths = "new int[][] {{0, 0}, {0, 0}, {" + p.top() + ", " + (p.bottom() + g.extraBottom()) + "}, {" + p.left() + ", "
                + (p.right() + g.extraRight()) + "}}";
        boolean ratio = false;
        if (!nativePad) {
            imports.add("import org.nd4j.linalg.api.ops.impl.transforms.Pad;");
            inH += p.top() + p.bottom() + g.extraBottom();
            inW += p.left() + p.right() + g.extraRight();
            if (l.max()) {
                body.add("x = Nd4j.pad(x, " + widths + ", Pad.Mode.CONSTANT, Double.NEGATIVE_INFINITY);  // padded cells never win");
            } else {
                ratio = true;
                body.add("INDArray counted = Nd4j.pad(Nd4j.onesLike(x), new int[][] {{0, 0}, {0, 0}, {" + p.top() + ", " + p.bottom() + "}, {"
                        + p.left() + ", " + p.right() + "}}, Pad.Mode.CONSTANT, " + l.maskFill() + ");  // 1 where the divisor counts a cell");
                body.add("counted = Nd4j.pad(counted, new int[][] {{0, 0}, {0, 0}, {0, " + g.extraBottom() + "}, {0, " + g.extraRight()
                        + "}}, Pad.Mode.CONSTANT, 0);  // the ceil-mode cells never count");
                body.add("x = Nd4j.pad(x, " + widths + ", Pad.Mode.CONSTANT, 0);");
            }
            notes.add("SubsamplingLayer pads symmetrically and has no ceil mode, so the pads" + (l.extended() ? " and the ceil-mode extension ("
                    + g.extraBottom() + " row(s), " + g.extraRight() + " column(s))" : "") + " are applied to the array first"
                    + (l.max() ? ", with -infinity." : "; the average is then sum / count, two runs of the same network over the padded input"
                    + " and the padded mask."));
        }
        String mode = nativePad && l.sameUpper() ? "Same" : "Truncate";
        body.add("MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()");
        body.add("        .list()");
        body.add("        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType." + (l.max() ? "MAX" : "AVG") + ")");
        body.add("                .kernelSize(" + g.kernel().h() + ", " + g.kernel().w() + ")");
        body.add("                .stride(" + l.spec().stride().h() + ", " + l.spec().stride().w() + ")");
        if (nativePad && !l.sameUpper() && !p.isZero()) {
            body.add("                .padding(" + p.top() + ", " + p.left() + ")");
        }
        if (l.max()) {
            body.add("                .dilation(" + l.spec().dilation().h() + ", " + l.spec().dilation().w() + ")");
        } else {
            body.add("                .avgPoolIncludePadInDivisor(" + (ratio || l.include()) + ")");
        }
        body.add("                .convolutionMode(ConvolutionMode." + mode + ")");
        body.add("                .build())");
        String act = l.spec().activation() == Activation.NONE ? null : SnippetCode.dl4jActivation(l.spec().activation());
        if (act != null) {
            imports.add("import org.deeplearning4j.nn.conf.layers.ActivationLayer;");
            imports.add("import org.nd4j.linalg.activations.Activation;");
            body.add("        .layer(new ActivationLayer.Builder().activation(Activation." + act + ").build())  // SubsamplingLayer has no activation");
        }
        body.add("        .setInputType(InputType.convolutional(" + inH + ", " + inW + ", " + g.c() + "))  // NCHW");
        body.add("        .build();");
        body.add("MultiLayerNetwork net = new MultiLayerNetwork(conf);");
        body.add("net.init();");
        body.add(ratio ? "INDArray y = net.output(x).div(net.output(counted));  // sum / divisor" : "INDArray y = net.output(x);");
        body.add(SnippetCode.printShapeJava(g.n(), g.c(), g.oh(), g.ow()));
        if (ratio && act != null) {
            notes.add("With the sum / count form the activation must come after the division: drop the ActivationLayer and apply it to y.");
        }
        if (mode.equals("Same")) {
            notes.add("ConvolutionMode.Same pads floor(total / 2) on the top/left and the rest on the bottom/right, as here"
                    + (l.max() ? "." : "; avgPoolIncludePadInDivisor decides whether those cells count."));
        }
        if (l.dilated()) {
            notes.add("In float32 with ND4J's helpers on (the default), libnd4j hands max pooling to oneDNN, which ignores dilation and"
                    + " returns other numbers without an error (data/discrepancies/onednn-maxpool-dilation): use float64, or"
                    + " Nd4j.getEnvironment().allowHelpers(false).");
        }
        List<String> c = SnippetCode.java(imports, body);
        return new Snippet("DL4J", "input NCHW (CNN2DFormat.NCHW, the default); no parameters", String.join("\n", c), notes);
    }
}
