import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain-Java conv2d (JDK only, one file) in convlab's engine-command contract: run as
 * {@code java examples/MyConv.java FOLDER}, it reads input.npy [N, C, H, W], weights.npy [O, C/groups, KH, KW],
 * bias.npy [O] (when present) and layer.json, and writes output.npy [N, O, OH, OW] (float64).
 *
 * <pre>
 *   ./convlab verify data/golden --engine-command java-mine='java examples/MyConv.java' --engines none
 * </pre>
 */
public class MyConv {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        String layer = Files.readString(dir.resolve("layer.json"));
        String op = text(layer, "op");
        Array x = Array.read(dir.resolve("input.npy"));
        if (op.equals("max_pool2d") || op.equals("avg_pool2d")) {
            pool(x, layer, op.equals("max_pool2d")).write(dir.resolve("output.npy"));
            return;
        }
        if (op.equals("conv_transpose2d")) {
            convTranspose(x, Array.read(dir.resolve("weights.npy")),
                    Files.exists(dir.resolve("bias.npy")) ? Array.read(dir.resolve("bias.npy")) : null, layer).write(dir.resolve("output.npy"));
            return;
        }
        if (!op.equals("conv2d")) {
            System.err.println("MyConv computes conv2d, conv_transpose2d, max_pool2d and avg_pool2d, but the layer is " + op);
            System.exit(1);
        }
        Array w = Array.read(dir.resolve("weights.npy"));
        Array b = Files.exists(dir.resolve("bias.npy")) ? Array.read(dir.resolve("bias.npy")) : null;
        int[] stride = ints(layer, "stride"), dilation = ints(layer, "dilation"), pad = ints(layer, "padding");
        int groups = ints(layer, "groups")[0];
        String mode = text(layer, "paddingMode"), activation = text(layer, "activation");

        int N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
        int O = w.shape[0], Cg = w.shape[1], KH = w.shape[2], KW = w.shape[3], Og = O / groups;
        int OH = (H + pad[0] + pad[1] - dilation[0] * (KH - 1) - 1) / stride[0] + 1;
        int OW = (W + pad[2] + pad[3] - dilation[1] * (KW - 1) - 1) / stride[1] + 1;
        Array y = new Array(new int[] {N, O, OH, OW});
        for (int n = 0; n < N; n++) {
            for (int oc = 0; oc < O; oc++) {
                int g = oc / Og;
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow = 0; ow < OW; ow++) {
                        double sum = b == null ? 0 : b.data[oc];
                        for (int ic = 0; ic < Cg; ic++) {
                            for (int kh = 0; kh < KH; kh++) {
                                for (int kw = 0; kw < KW; kw++) {
                                    int ih = source(oh * stride[0] + kh * dilation[0] - pad[0], H, mode);
                                    int iw = source(ow * stride[1] + kw * dilation[1] - pad[2], W, mode);
                                    if (ih >= 0 && iw >= 0) {
                                        sum += x.get(n, g * Cg + ic, ih, iw) * w.get(oc, ic, kh, kw);
                                    }
                                }
                            }
                        }
                        y.data[((n * O + oc) * OH + oh) * OW + ow] = activate(sum, activation);
                    }
                }
            }
        }
        y.write(dir.resolve("output.npy"));
    }

    /**
     * Transposed convolution: each input value stamps its kernel w[ic][oc][kh][kw], scaled, onto the full output
     * (output padding appended at the bottom/right); the padding then crops it (a negative crop appends zeros).
     */
    static Array convTranspose(Array x, Array w, Array b, String layer) {
        int[] stride = ints(layer, "stride"), dilation = ints(layer, "dilation"), crop = ints(layer, "padding"), op = ints(layer, "outputPadding");
        int groups = ints(layer, "groups")[0];
        int N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
        int Og = w.shape[1], KH = w.shape[2], KW = w.shape[3], O = Og * groups, Cg = C / groups;
        int FH = (H - 1) * stride[0] + (KH - 1) * dilation[0] + 1 + op[0];
        int FW = (W - 1) * stride[1] + (KW - 1) * dilation[1] + 1 + op[1];
        int OH = FH - crop[0] - crop[1], OW = FW - crop[2] - crop[3];
        Array y = new Array(new int[] {N, O, OH, OW});
        for (int n = 0; n < N; n++) {
            for (int ic = 0; ic < C; ic++) {
                int g = ic / Cg;
                for (int ih = 0; ih < H; ih++) {
                    for (int iw = 0; iw < W; iw++) {
                        for (int oc = 0; oc < Og; oc++) {
                            for (int kh = 0; kh < KH; kh++) {
                                for (int kw = 0; kw < KW; kw++) {
                                    int oh = ih * stride[0] + kh * dilation[0] - crop[0];
                                    int ow = iw * stride[1] + kw * dilation[1] - crop[2];
                                    if (oh >= 0 && oh < OH && ow >= 0 && ow < OW) {
                                        y.data[((n * O + g * Og + oc) * OH + oh) * OW + ow] += x.get(n, ic, ih, iw) * w.get(ic, oc, kh, kw);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        String activation = text(layer, "activation");
        for (int i = 0; i < y.data.length; i++) {
            int oc = (i / (OH * OW)) % O;
            y.data[i] = activate(y.data[i] + (b == null ? 0 : b.data[oc]), activation);
        }
        return y;
    }

    /** Max or average pooling with PyTorch's ceil-mode rule and divisor. */
    static Array pool(Array x, String layer, boolean max) {
        int[] k = ints(layer, "kernel"), stride = ints(layer, "stride"), dilation = ints(layer, "dilation"), pad = ints(layer, "padding");
        boolean ceil = layer.matches("(?s).*\"ceilMode\"\\s*:\\s*true.*");
        boolean countPad = layer.matches("(?s).*\"countIncludePad\"\\s*:\\s*true.*");
        int N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
        int OH = poolSize(H, pad[0], pad[1], k[0], stride[0], dilation[0], ceil);
        int OW = poolSize(W, pad[2], pad[3], k[1], stride[1], dilation[1], ceil);
        Array y = new Array(new int[] {N, C, OH, OW});
        String activation = text(layer, "activation");
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow = 0; ow < OW; ow++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int inside = 0, padded = 0;
                        for (int kh = 0; kh < k[0]; kh++) {
                            for (int kw = 0; kw < k[1]; kw++) {
                                int ih = oh * stride[0] - pad[0] + kh * dilation[0];
                                int iw = ow * stride[1] - pad[2] + kw * dilation[1];
                                if (ih >= -pad[0] && ih < H + pad[1] && iw >= -pad[2] && iw < W + pad[3]) {
                                    padded++;
                                }
                                if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
                                    continue;
                                }
                                double v = x.get(n, c, ih, iw);
                                inside++;
                                acc = max ? (Double.isNaN(v) || v > acc ? v : acc) : acc + v;
                                if (max && Double.isNaN(acc)) {
                                    kh = k[0];
                                    break;
                                }
                            }
                        }
                        double value = max ? acc : acc / (countPad ? padded : inside);
                        y.data[((n * C + c) * OH + oh) * OW + ow] = activate(value, activation);
                    }
                }
            }
        }
        return y;
    }

    /** Windows that fit (floor, or ceil keeping a last window only when it starts inside the input or top/left padding). */
    static int poolSize(int size, int p0, int p1, int k, int s, int d, boolean ceil) {
        int n = size + p0 + p1 - (d * (k - 1) + 1);
        int out = (ceil ? Math.floorDiv(n + s - 1, s) : Math.floorDiv(n, s)) + 1;
        if (ceil && (out - 1) * s >= size + p0) {
            out--;
        }
        return out;
    }

    /** The input row (or column) a padded coordinate reads, or -1 for a zero. */
    static int source(int i, int n, String mode) {
        if (i >= 0 && i < n) {
            return i;
        }
        switch (mode) {
            case "reflect": return i < 0 ? -i : 2 * (n - 1) - i;
            case "replicate": return i < 0 ? 0 : n - 1;
            case "circular": return Math.floorMod(i, n);
            default: return -1;
        }
    }

    static double activate(double v, String activation) {
        switch (activation) {
            case "relu": return v > 0 || Double.isNaN(v) ? v : 0;
            case "tanh": return Math.tanh(v);
            case "sigmoid": return 1 / (1 + Math.exp(-v));
            default: return v;
        }
    }

    static String text(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("layer.json has no \"" + key + "\"");
        }
        return m.group(1);
    }

    static int[] ints(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\[?([-0-9,\\s]+)\\]?").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("layer.json has no \"" + key + "\"");
        }
        return Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    }

    /** A little-endian float64/float32 .npy array in C order: all this example needs of the format. */
    static final class Array {
        final int[] shape;
        final double[] data;

        Array(int[] shape) {
            this.shape = shape;
            this.data = new double[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        }

        double get(int a, int b, int c, int d) {
            return data[((a * shape[1] + b) * shape[2] + c) * shape[3] + d];
        }

        static Array read(Path file) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            int major = buf.get(6);
            int headerLength = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
            int start = major == 1 ? 10 : 12;
            String header = new String(buf.array(), start, headerLength, StandardCharsets.ISO_8859_1);
            String descr = header.replaceAll(".*'descr':\\s*'([^']*)'.*", "$1").trim();
            if (header.contains("'fortran_order': True") || !(descr.equals("<f8") || descr.equals("<f4"))) {
                throw new IllegalArgumentException(file + ": expected little-endian float64 or float32 in C order, but found " + header);
            }
            String dims = header.replaceAll(".*'shape':\\s*\\(([^)]*)\\).*", "$1").trim();
            int[] shape = dims.isEmpty() ? new int[0]
                    : Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
            Array a = new Array(shape);
            buf.position(start + headerLength);
            for (int i = 0; i < a.data.length; i++) {
                a.data[i] = descr.equals("<f8") ? buf.getDouble() : buf.getFloat();
            }
            return a;
        }

        void write(Path file) throws IOException {
            StringBuilder dims = new StringBuilder();
            for (int d : shape) {
                dims.append(d).append(", ");
            }
            String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims.toString().replaceAll(", $", shape.length == 1 ? "," : "") + "), }";
            int total = 10 + header.length() + 1;
            header = header + " ".repeat((64 - total % 64) % 64) + "\n";
            ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
            buf.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
            for (double v : data) {
                buf.putDouble(v);
            }
            Files.write(file, buf.array());
        }
    }
}
