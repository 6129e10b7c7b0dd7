package convlab.report;

import convlab.core.Activation;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.OpGeometry;
import java.util.ArrayList;
import java.util.List;

/** The lines and spellings every op's framework snippets share ({@link FrameworkSnippets}, {@link TransposeSnippets}, {@link PoolSnippets}). */
final class SnippetCode {

    private SnippetCode() {
    }

    /** The start of a Keras snippet: numpy and tensorflow imported, then a blank line. */
    static void kerasImports(List<String> code) {
        code.add("import numpy as np");
        code.add("import tensorflow as tf");
        code.add("");
    }

    /** A random NHWC input {@code x} of the geometry's shape ({@code note} after it), and for NCHW data how to turn it into NHWC. */
    static void kerasInput(List<String> code, OpGeometry g, String note, Layout layout) {
        code.add("x = np.random.rand(" + g.n() + ", " + g.h() + ", " + g.w() + ", " + g.c() + ").astype('float32')  # " + note);
        if (layout == Layout.NCHW) {
            code.add("# from NCHW data: x = np.transpose(x_nchw, (0, 2, 3, 1))  (a torch tensor: x.permute(0, 2, 3, 1))");
        }
    }

    /** {@code y = f(y)} with the framework's function for the activation ({@code relu}, {@code tanh}, {@code sigmoid}), nothing for none. */
    static void activation(List<String> code, Activation a, String relu, String tanh, String sigmoid) {
        String f = switch (a) {
            case NONE -> null;
            case RELU -> relu;
            case TANH -> tanh;
            case SIGMOID -> sigmoid;
        };
        if (f != null) {
            code.add("y = " + f + "(y)");
        }
    }

    /** {@link #activation} with PyTorch's functions. */
    static void torchActivation(List<String> code, Activation a) {
        activation(code, a, "torch.relu", "torch.tanh", "torch.sigmoid");
    }

    /** DL4J's {@code Activation} constant: {@code IDENTITY} for none. */
    static String dl4jActivation(Activation a) {
        return switch (a) {
            case NONE -> "IDENTITY";
            case RELU -> "RELU";
            case TANH -> "TANH";
            case SIGMOID -> "SIGMOID";
        };
    }

    /** Python's {@code print(tuple(y.shape))  # (d0, d1, ...)}. */
    static String printShape(int... dims) {
        return "print(tuple(y.shape))  # " + join("(", dims, ")");
    }

    /** Java's {@code System.out.println(Arrays.toString(y.shape()));  // [d0, d1, ...]}. */
    static String printShapeJava(int... dims) {
        return "System.out.println(Arrays.toString(y.shape()));  // " + bracket(dims);
    }

    /** A Java program: its imports sorted (static imports last), a blank line, then its body. */
    static List<String> java(List<String> imports, List<String> body) {
        List<String> code = new ArrayList<>(imports.stream().filter(i -> !i.startsWith("import static")).sorted().toList());
        code.addAll(imports.stream().filter(i -> i.startsWith("import static")).sorted().toList());
        code.add("");
        code.addAll(body);
        return code;
    }

    /** {@code (h, w)}. */
    static String tuple(Hw hw) {
        return "(" + hw.h() + ", " + hw.w() + ")";
    }

    /** {@code [d0, d1, ...]}. */
    static String bracket(int[] dims) {
        return join("[", dims, "]");
    }

    private static String join(String open, int[] dims, String close) {
        StringBuilder b = new StringBuilder(open);
        for (int i = 0; i < dims.length; i++) {
            b.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return b.append(close).toString();
    }
}
