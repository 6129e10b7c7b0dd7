package convlab.report;

import static convlab.report.SnippetCode.bracket;
import static convlab.report.SnippetCode.tuple;

import convlab.core.Activation;
import convlab.core.ConvTransposeGeometry;
import convlab.core.ConvTransposeSpec;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Padding;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one transposed convolution as PyTorch ({@code ConvTranspose2d}), TensorFlow/Keras ({@code Conv2DTranspose})
 * and DL4J ({@code Deconvolution2D}) code that computes the same thing. What a framework's layer cannot say in its
 * arguments (asymmetric crops, {@code same_lower}, an output shape, output padding beyond its limit, groups in Keras
 * and DL4J) is done the one way that always works: the layer's full output (no crop), then zero rows and columns
 * appended at the bottom/right where the output reaches past it, then the crop, then the bias and activation; a
 * note says why.
 */
final class TransposeSnippets {

    private TransposeSnippets() {
    }

    /** The facts every framework's version needs. */
    private record Layer(ConvTransposeGeometry g, boolean bias) {
        ConvTransposeSpec spec() {
            return g.spec();
        }

        Padding.Sides crops() {
            return g.pads();
        }

        /** Zero rows (columns) appended below (right of) the full output: where the output reaches past it. */
        long extraH() {
            return Math.max(0, crops().top() + (long) g.oh() - g.fullH());
        }

        long extraW() {
            return Math.max(0, crops().left() + (long) g.ow() - g.fullW());
        }

        boolean extended() {
            return extraH() > 0 || extraW() > 0;
        }

        boolean noOutputPadding() {
            return spec().outputPadding().equals(Hw.of(0));
        }

        int groups() {
            return spec().groups();
        }
    }

    // ---------------------------------------------------------------- PyTorch

    static Snippet pytorch(ConvTransposeGeometry g, boolean bias, Layout layout) {
        Layer l = new Layer(g, bias);
        ConvTransposeSpec s = l.spec();
        Padding.Sides c = l.crops();
        List<String> notes = new ArrayList<>();
        boolean direct = s.outputShape() == null && !s.padding().isSame() && c.isSymmetric()
                && s.outputPadding().h() < Math.max(s.stride().h(), s.dilation().h())
                && s.outputPadding().w() < Math.max(s.stride().w(), s.dilation().w());
        boolean biasAfter = !direct && bias && l.extended();
        List<String> code = new ArrayList<>();
        code.add("import torch");
        if (!direct && l.extended()) {
            code.add("import torch.nn.functional as F");
        }
        code.add("");
        code.add("x = torch.randn(" + g.n() + ", " + g.c() + ", " + g.h() + ", " + g.w() + ")  # NCHW, PyTorch's layout");
        if (layout == Layout.NHWC) {
            code.add("# from NHWC data: x = torch.from_numpy(x_nhwc).permute(0, 3, 1, 2)");
        }
        StringBuilder conv = new StringBuilder("conv = torch.nn.ConvTranspose2d(" + g.c() + ", " + g.o() + ", kernel_size=" + tuple(g.kernel())
                + ", stride=" + tuple(s.stride()));
        if (direct) {
            conv.append(", padding=(").append(c.top()).append(", ").append(c.left()).append(")");
            if (!l.noOutputPadding()) {
                conv.append(", output_padding=").append(tuple(s.outputPadding()));
            }
        }
        conv.append(", dilation=").append(tuple(s.dilation()));
        if (l.groups() != 1) {
            conv.append(", groups=").append(l.groups());
        }
        if (!bias || biasAfter) {
            conv.append(", bias=False");
        }
        code.add(conv.append(")").toString());
        code.add("# conv.weight: " + bracket(g.weightShape()) + " = IOHW [in, out/groups, kH, kW]" + (bias && !biasAfter ? "; conv.bias: [" + g.o() + "]" : ""));
        if (direct) {
            code.add("y = conv(x)");
        } else {
            if (biasAfter) {
                code.add("b = torch.randn(" + g.o() + ")  # the bias, added after the crop so that the appended zero rows get it too");
            }
            code.add("y = conv(x)  # the full output: (" + g.n() + ", " + g.o() + ", " + g.fullH() + ", " + g.fullW() + ")");
            if (l.extended()) {
                code.add("y = F.pad(y, (0, " + l.extraW() + ", 0, " + l.extraH() + "))  # zero columns at the right, zero rows at the bottom (F.pad starts from the last axis)");
            }
            code.add("y = y[:, :, " + c.top() + ":" + (c.top() + g.oh()) + ", " + c.left() + ":" + (c.left() + g.ow()) + "]  # the crop");
            if (biasAfter) {
                code.add("y = y + b.view(1, -1, 1, 1)");
            }
            notes.add(whyComposed("ConvTranspose2d", l, s.outputPadding().h() >= Math.max(s.stride().h(), s.dilation().h())
                    || s.outputPadding().w() >= Math.max(s.stride().w(), s.dilation().w())
                    ? "output_padding must be smaller than the stride or the dilation" : null));
        }
        SnippetCode.torchActivation(code, s.activation());
        code.add(SnippetCode.printShape(g.n(), g.o(), g.oh(), g.ow()));
        if (direct && !l.noOutputPadding()) {
            notes.add("output_padding adds rows and columns at the bottom/right only; PyTorch's padding crops both sides, so"
                    + " the odd extra row of a stride-2 up-sampling comes out at the bottom.");
        }
        return new Snippet("PyTorch", "input NCHW; weight IOHW [in, out/groups, kH, kW] = " + bracket(g.weightShape()), String.join("\n", code), notes);
    }

    /** Why a layer's arguments cannot say this configuration, for a note. */
    private static String whyComposed(String layer, Layer l, String extra) {
        ConvTransposeSpec s = l.spec();
        boolean keras = layer.equals("Conv2DTranspose");
        List<String> why = new ArrayList<>();
        if (s.outputShape() != null) {
            why.add("it has no output-shape argument");
        }
        if (s.padding().isSame() && !keras) {
            why.add("it has no 'same' padding");
        } else if (s.padding().equals(Padding.sameLower())) {
            why.add("its 'same' crops the odd row at the bottom/right, same_lower at the top/left");
        } else if (keras && s.padding().equals(Padding.same()) && !l.noOutputPadding()) {
            why.add("with output_padding its 'same' sizes the output (in-1)*s + k - 2*(k//2) + output_padding, not in*s");
        } else if (keras && s.padding() instanceof Padding.Explicit) {
            why.add("its padding is 'valid' (no crop) or 'same' (floor(total/2) at the top/left), and this crop (" + l.crops() + ") is neither"
                    + (l.crops().isSymmetric() && !l.noOutputPadding() ? "; padding='same' with output_padding gives the same shape but crops"
                    + " the extra row at the bottom, not the top" : ""));
        } else if (!keras && !l.crops().isSymmetric()) {
            why.add("its padding crops both sides alike (here " + l.crops() + ")");
        }
        if (extra != null) {
            why.add(extra);
        }
        return layer + " cannot say this configuration in its arguments (" + String.join("; ", why) + "), so it computes the full"
                + " output (no crop" + (l.extended() ? ", then zero rows/columns for an output larger than it" : "")
                + ") and the slice takes the crop" + (l.bias() && l.extended() ? "; the bias comes after, as the appended cells need it too" : "") + ".";
    }

    // ---------------------------------------------------------------- TensorFlow / Keras

    static Snippet keras(ConvTransposeGeometry g, boolean bias, Layout layout) {
        Layer l = new Layer(g, bias);
        ConvTransposeSpec s = l.spec();
        Padding.Sides c = l.crops();
        List<String> notes = new ArrayList<>();
        Hw natural = new Hw(g.h() * s.stride().h(), g.w() * s.stride().w());
        boolean sameDirect = s.padding().equals(Padding.same()) && l.noOutputPadding() && (s.outputShape() == null || s.outputShape().equals(natural));
        boolean validDirect = s.padding() instanceof Padding.Valid && s.outputShape() == null
                && s.outputPadding().h() < s.stride().h() && s.outputPadding().w() < s.stride().w();
        boolean dilated = s.dilation().h() > 1 || s.dilation().w() > 1;
        boolean direct = l.groups() == 1 && (sameDirect || validDirect);
        boolean after = !direct && (bias || s.activation() != Activation.NONE);
        List<String> code = new ArrayList<>();
        SnippetCode.kerasImports(code);
        SnippetCode.kerasInput(code, g, "NHWC: Keras's default data_format='channels_last'", layout);
        int filters = l.groups() == 1 ? g.o() : g.og();
        Hw spanned = new Hw((g.kernel().h() - 1) * s.dilation().h() + 1, (g.kernel().w() - 1) * s.dilation().w() + 1);
        if (dilated) {
            code.add("k = np.random.rand(" + g.kernel().h() + ", " + g.kernel().w() + ", " + filters + ", " + g.cg() + ").astype('float32')  # HWOI"
                    + (l.groups() == 1 ? "" : ", one group's"));
            code.add("kz = np.zeros((" + spanned.h() + ", " + spanned.w() + ", " + filters + ", " + g.cg() + "), dtype='float32')");
            code.add("kz[::" + s.dilation().h() + ", ::" + s.dilation().w() + "] = k  # the dilation: d-1 zeros between neighbouring kernel cells");
            notes.add("The dilation is written into the kernel (d-1 zeros between its cells, a " + spanned + " kernel) and the layer runs"
                    + " with dilation_rate 1: Keras's Conv2DTranspose rejects strides > 1 with dilation_rate > 1, and TensorFlow's"
                    + " CPU kernel without oneDNN rejects any dilation rate > 1 for it (\"Current CPU implementations do not yet support"
                    + " dilation rates larger than 1\").");
        }
        StringBuilder conv = new StringBuilder("tf.keras.layers.Conv2DTranspose(" + filters + ", kernel_size=" + tuple(dilated ? spanned : g.kernel())
                + ", strides=" + tuple(s.stride()) + ", padding='" + (direct && sameDirect ? "same" : "valid") + "'");
        if (!(direct && sameDirect)) {
            // always given: without it, 'valid' sizes the output in*stride + max(k - stride, 0), not the full output
            conv.append(", output_padding=").append(tuple(direct ? s.outputPadding() : Hw.of(0)));
        }
        if (!bias || after) {
            conv.append(", use_bias=False");
        }
        if (direct && s.activation() != Activation.NONE) {
            conv.append(", activation='").append(s.activation()).append("'");
        }
        conv.append(")");
        String kernelComment = "kernel: [" + (dilated ? spanned.h() + ", " + spanned.w() : g.kernel().h() + ", " + g.kernel().w()) + ", " + filters + ", " + g.cg()
                + "] = HWOI [kH, kW, out, in]; from PyTorch's w (IOHW" + (l.groups() == 1 ? "" : ", group k: w[k*" + g.cg() + ":(k+1)*" + g.cg() + "]")
                + "): np.transpose(w, (2, 3, 1, 0))";
        String setKz = dilated ? (l.groups() == 1 ? "conv.build((None, " + g.h() + ", " + g.w() + ", " + g.c() + ")); conv.set_weights([kz" + (bias && !after ? ", np.zeros(" + filters + ")" : "") + "])"
                : "for conv in convs: conv.build((None, " + g.h() + ", " + g.w() + ", " + g.cg() + ")); conv.set_weights([kz])  # group k's kz from w[k*" + g.cg() + ":(k+1)*" + g.cg() + "]") : null;
        if (l.groups() == 1) {
            code.add("conv = " + conv);
            if (setKz != null) {
                code.add(setKz);
            }
            code.add(direct ? "y = conv(x)" : "y = conv(x)  # the full output: (" + g.n() + ", " + g.fullH() + ", " + g.fullW() + ", " + g.o() + ")");
            code.add("# conv." + kernelComment);
        } else {
            code.add("convs = [" + conv + " for _ in range(" + l.groups() + ")]");
            if (setKz != null) {
                code.add(setKz);
            }
            code.add("xs = tf.split(x, " + l.groups() + ", axis=-1)  # group k reads input channels [k*" + g.cg() + ", (k+1)*" + g.cg() + ")");
            code.add("y = tf.concat([conv(xg) for conv, xg in zip(convs, xs)], axis=-1)  # the full output: (" + g.n() + ", " + g.fullH() + ", " + g.fullW() + ", " + g.o() + ")");
            code.add("# convs[k]." + kernelComment);
            notes.add("Conv2DTranspose has no groups argument, so each of the " + l.groups() + " groups is its own layer on its slice of"
                    + " the channels (tf.split), and tf.concat joins their outputs in group order, as PyTorch orders them.");
        }
        if (!direct) {
            if (l.extended()) {
                code.add("y = tf.pad(y, [[0, 0], [0, " + l.extraH() + "], [0, " + l.extraW() + "], [0, 0]])  # zero rows at the bottom, zero columns at the right");
            }
            code.add("y = y[:, " + c.top() + ":" + (c.top() + g.oh()) + ", " + c.left() + ":" + (c.left() + g.ow()) + ", :]  # the crop");
            if (bias) {
                code.add("b = np.random.rand(" + g.o() + ").astype('float32')");
                code.add("y = y + b  # the bias, after the crop");
            }
            if (s.activation() != Activation.NONE) {
                code.add("y = tf.nn." + s.activation() + "(y)");
            }
            if (l.groups() == 1 || !(s.padding() instanceof Padding.Valid) || s.outputShape() != null || !l.noOutputPadding()) {
                notes.add(whyComposed("Conv2DTranspose", l, s.outputPadding().h() >= s.stride().h() || s.outputPadding().w() >= s.stride().w()
                        ? "its output_padding must be smaller than the stride" : null));
            }
        }
        if (sameDirect && !c.isSymmetric()) {
            notes.add("Keras's 'same' (TensorFlow's SAME) crops floor(total/2) at the top/left and the rest at the bottom/right ("
                    + c + "), as here.");
        }
        code.add(SnippetCode.printShape(g.n(), g.oh(), g.ow(), g.o()));
        return new Snippet("TensorFlow / Keras", "input NHWC (channels_last, the default); kernel HWOI [kH, kW, out, in] = "
                + bracket(new int[] {g.kernel().h(), g.kernel().w(), filters, g.cg()}) + (l.groups() == 1 ? "" : " per group"),
                String.join("\n", code), notes);
    }

    // ---------------------------------------------------------------- DL4J

    static Snippet dl4j(ConvTransposeGeometry g, boolean bias, Layout layout) {
        Layer l = new Layer(g, bias);
        ConvTransposeSpec s = l.spec();
        Padding.Sides c = l.crops();
        List<String> notes = new ArrayList<>();
        if (l.groups() > 1) {
            notes.add("Deconvolution2D has no groups: build one network (or graph branch) per group on its slice of the channels"
                    + " and concatenate the outputs along channels, as the PyTorch version groups them.");
        }
        boolean same = s.padding().equals(Padding.same()) && l.noOutputPadding() && s.outputShape() == null;
        boolean direct = same || (!s.padding().isSame() && c.isSymmetric() && l.noOutputPadding() && s.outputShape() == null);
        List<String> imports = new ArrayList<>(List.of(
                "import java.util.Arrays;",
                "import org.deeplearning4j.nn.conf.ConvolutionMode;",
                "import org.deeplearning4j.nn.conf.MultiLayerConfiguration;",
                "import org.deeplearning4j.nn.conf.NeuralNetConfiguration;",
                "import org.deeplearning4j.nn.conf.inputs.InputType;",
                "import org.deeplearning4j.nn.conf.layers.Deconvolution2D;",
                "import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;",
                "import org.nd4j.linalg.activations.Activation;",
                "import org.nd4j.linalg.api.ndarray.INDArray;",
                "import org.nd4j.linalg.factory.Nd4j;"));
        boolean biasAfter = !direct && bias && l.extended();
        boolean actAfter = !direct && s.activation() != Activation.NONE;
        List<String> body = new ArrayList<>();
        int filters = l.groups() == 1 ? g.o() : g.og();
        int channels = l.groups() == 1 ? g.c() : g.cg();
        body.add("INDArray x = Nd4j.rand(new int[] {" + g.n() + ", " + channels + ", " + g.h() + ", " + g.w() + "});  // NCHW"
                + (l.groups() == 1 ? "" : ": one group's channels"));
        body.add("MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()");
        body.add("        .list()");
        body.add("        .layer(new Deconvolution2D.Builder(" + g.kernel().h() + ", " + g.kernel().w() + ")");
        body.add("                .nIn(" + channels + ")");
        body.add("                .nOut(" + filters + ")");
        body.add("                .stride(" + s.stride().h() + ", " + s.stride().w() + ")");
        if (direct && !same && !c.isZero()) {
            body.add("                .padding(" + c.top() + ", " + c.left() + ")");
        }
        body.add("                .dilation(" + s.dilation().h() + ", " + s.dilation().w() + ")");
        body.add("                .convolutionMode(ConvolutionMode." + (same ? "Same" : "Truncate") + ")");
        body.add("                .hasBias(" + (bias && !biasAfter) + ")");
        body.add("                .activation(Activation." + (actAfter ? "IDENTITY" : SnippetCode.dl4jActivation(s.activation())) + ")");
        body.add("                .build())");
        body.add("        .setInputType(InputType.convolutional(" + g.h() + ", " + g.w() + ", " + channels + "))  // NCHW");
        body.add("        .build();");
        body.add("MultiLayerNetwork net = new MultiLayerNetwork(conf);");
        body.add("net.init();");
        body.add("// net.getParam(\"0_W\"): " + bracket(new int[] {channels, filters, g.kernel().h(), g.kernel().w()})
                + " = [in, out, kH, kW] (IOHW, as PyTorch's ConvTranspose2d)");
        body.add("INDArray y = net.output(x);" + (direct ? "" : "  // the full output [" + g.n() + ", " + filters + ", " + g.fullH() + ", " + g.fullW() + "]"));
        if (!direct) {
            imports.add("import static org.nd4j.linalg.indexing.NDArrayIndex.all;");
            imports.add("import static org.nd4j.linalg.indexing.NDArrayIndex.interval;");
            if (l.extended()) {
                imports.add("import org.nd4j.linalg.api.ops.impl.transforms.Pad;");
                body.add("y = Nd4j.pad(y, new int[][] {{0, 0}, {0, 0}, {0, " + l.extraH() + "}, {0, " + l.extraW() + "}}, Pad.Mode.CONSTANT, 0);  // zero rows bottom, columns right");
            }
            body.add("y = y.get(all(), all(), interval(" + c.top() + ", " + (c.top() + g.oh()) + "), interval(" + c.left() + ", " + (c.left() + g.ow()) + ")).dup();  // the crop");
            if (biasAfter) {
                imports.add("import org.nd4j.linalg.factory.Broadcast;");
                body.add("INDArray b = Nd4j.rand(new int[] {" + filters + "});");
                body.add("y = Broadcast.add(y, b, y.ulike(), 1);  // the bias, after the crop");
            }
            if (actAfter) {
                imports.add("import org.nd4j.linalg.ops.transforms.Transforms;");
                body.add("y = Transforms." + s.activation() + "(y);");
            }
            notes.add("Deconvolution2D has no output padding or output shape and crops both sides alike (ConvolutionMode.Same crops"
                    + " floor(total/2) at the top), so it computes the full output and ND4J pads and crops it.");
        }
        if (same && (sameTotal(g.h(), g.kernel().h(), s.stride().h(), s.dilation().h()) <= -2
                || sameTotal(g.w(), g.kernel().w(), s.stride().w(), s.dilation().w()) <= -2)) {
            notes.add("Careful: here the stride outruns the kernel (the full output is 2 or more shorter than in*stride), and DL4J"
                    + " 1.0.0-M2.1's ConvolutionMode.Same then shifts every stamp (data/discrepancies/nd4j-deconv-same-negative-crop);"
                    + " use Truncate and append the zero rows/columns with Nd4j.pad instead.");
        }
        body.add(SnippetCode.printShapeJava(g.n(), filters, g.oh(), g.ow()));
        List<String> code = SnippetCode.java(imports, body);
        return new Snippet("DL4J", "input NCHW; Deconvolution2D W [in, out, kH, kW] = " + bracket(new int[] {channels, filters, g.kernel().h(), g.kernel().w()})
                + (l.groups() == 1 ? "" : " per group"), String.join("\n", code), notes);
    }

    private static long sameTotal(int in, int k, int s, int d) {
        return (long) (in - 1) * s + (long) (k - 1) * d + 1 - (long) in * s;
    }
}
