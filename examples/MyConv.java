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
        if (!text(layer, "op").equals("conv2d")) {
            System.err.println("MyConv computes conv2d only, but the layer is " + text(layer, "op"));
            System.exit(1);
        }
        Array x = Array.read(dir.resolve("input.npy"));
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
