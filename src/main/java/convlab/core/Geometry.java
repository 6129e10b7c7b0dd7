package convlab.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The shapes of one convolution: input {@code [N, C, H, W]}, {@code O} filters of {@code [C/groups, KH, KW]},
 * resolved padding, and output {@code [N, O, OH, OW]} with
 * {@code OH = floor((H + pt + pb - dh*(KH-1) - 1) / sh) + 1} (and likewise for OW).
 * {@link #of} explains why a configuration is impossible; {@link #explain} works the rule through with numbers.
 */
public record Geometry(int n, int c, int h, int w, int o, int cg, Hw kernel, ConvSpec spec, Padding.Sides pads, int oh, int ow)
        implements OpGeometry {

    /** Thrown when a layer cannot apply to an input; the message says why, with the numbers. */
    public static final class ShapeException extends IllegalArgumentException {
        private final String field;

        public ShapeException(String message) {
            this(message, "weights");
        }

        /** {@code field}: the case-file field that made the layer impossible ({@code weights}, {@code padding}, ...). */
        public ShapeException(String message, String field) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static Geometry of(int[] input, ConvLayer layer) {
        requireRank4(input);
        ConvSpec spec = layer.spec();
        int n = input[0], c = input[1], h = input[2], w = input[3];
        int o = layer.filters(), groups = spec.groups();
        Hw k = layer.kernel();
        if (c % groups != 0) {
            throw new ShapeException("Expected input channels C=" + c + " to split evenly into groups=" + groups);
        }
        if (layer.channelsPerGroup() != c / groups) {
            throw new ShapeException("Input has C=" + c + " channels and groups=" + groups + ", so each filter must see "
                    + (c / groups) + " channel(s), but the weights " + layer.weights().shapeString()
                    + " [O, C/groups, KH, KW] give each filter " + layer.channelsPerGroup());
        }
        requireKernel(k);
        requireNonNegative(input);
        Padding.Sides p = resolve(spec.padding(), h, w, k, spec.stride(), spec.dilation());
        checkModeFits(spec.paddingMode(), p, h, w);
        long roomH = room("The kernel", "rows", "KH", "H=", h, p.top(), p.bottom(), k.h(), spec.dilation().h(),
                spec.dilation().h() > 1 ? "dilation" : "weights");
        long roomW = room("The kernel", "columns", "KW", "W=", w, p.left(), p.right(), k.w(), spec.dilation().w(),
                spec.dilation().w() > 1 ? "dilation" : "weights");
        int oh = outputSize(roomH / spec.stride().h() + 1, "OH");
        int ow = outputSize(roomW / spec.stride().w() + 1, "OW");
        return new Geometry(n, c, h, w, o, c / groups, k, spec, p, oh, ow);
    }

    /**
     * Padding resolved in exact arithmetic: a same padding whose size does not fit an int is a shape error, not a
     * wrapped-around number.
     */
    public static Padding.Sides resolve(Padding padding, int h, int w, Hw k, Hw stride, Hw dilation) {
        try {
            return padding.resolve(h, w, k, stride, dilation);
        } catch (ArithmeticException e) {
            throw new ShapeException("The " + padding + " padding of a " + h + "x" + w + " input with a " + k + " kernel, stride "
                    + stride + " and dilation " + dilation + " is larger than 2147483647 cells", "dilation");
        }
    }

    /** A conv2d layer's padding on an input of {@code h x w}, resolved without checking that the layer fits. */
    public static Padding.Sides pads(ConvLayer layer, int h, int w) {
        ConvSpec s = layer.spec();
        return resolve(s.padding(), h, w, layer.kernel(), s.stride(), s.dilation());
    }

    static void requireRank4(int[] input) {
        if (input.length != 4) {
            throw new ShapeException("Expected an input of rank 4 [N, C, H, W], but found shape " + Tensor.shapeString(input));
        }
    }

    static void requireNonNegative(int[] input) {
        for (int d : input) {
            if (d < 0) {
                throw new ShapeException("Expected input dimensions >= 0, but found shape " + Tensor.shapeString(input));
            }
        }
    }

    static void requireKernel(Hw k) {
        if (!k.atLeast(1)) {
            throw new ShapeException("Expected a kernel of at least 1x1, but found " + k);
        }
    }

    /**
     * How far a window of {@code k} cells with dilation {@code d} can move along one axis of the padded input
     * ({@code in + p0 + p1 - span}, at least 0), or a shape error saying that {@code window} spans more
     * {@code cells} than the padded input has ({@code inName} names the input size in the sum, e.g. {@code "H="}).
     */
    static long room(String window, String cells, String kName, String inName, int in, int p0, int p1, int k, int d, String field) {
        long span = span(k, d);
        long padded = (long) in + p0 + p1;
        if (span > padded) {
            throw new ShapeException(window + " spans " + span + " " + cells + " (" + kName + "=" + k + ", dilation " + d
                    + "), but the padded input has only " + padded + " " + cells + " (" + inName + in + " + " + p0 + " + " + p1 + ")", field);
        }
        return padded - span;
    }

    /** The rows (or columns) a kernel of {@code k} cells with dilation {@code d} spans: (k-1)*d + 1, exactly. */
    static long span(int k, int d) {
        return ((long) k - 1) * d + 1; // at most 2^31 * 2^31: fits a long
    }

    /** An output size that fits an int, or a shape error. */
    static int outputSize(long size, String name) {
        if (size > Integer.MAX_VALUE) {
            throw new ShapeException("Expected an output size that fits an int, but " + name + " would be " + size, "padding");
        }
        return (int) size;
    }

    private static void checkModeFits(PaddingMode mode, Padding.Sides p, int h, int w) {
        int maxH = Math.max(p.top(), p.bottom());
        int maxW = Math.max(p.left(), p.right());
        if (mode == PaddingMode.REFLECT && (maxH >= h || maxW >= w)) {
            throw new ShapeException("Reflect padding needs each pad smaller than the input side it mirrors, but found pads ("
                    + p + ") for an input of " + h + "x" + w, "padding");
        }
        if (mode == PaddingMode.CIRCULAR && (maxH > h || maxW > w)) {
            throw new ShapeException("Circular padding needs each pad at most the input side it wraps, but found pads ("
                    + p + ") for an input of " + h + "x" + w, "padding");
        }
    }

    @Override
    public int[] outputShape() {
        return new int[] {n, o, oh, ow};
    }

    @Override
    public String weightsLayoutName() {
        return "OIHW";
    }

    @Override
    public int[] weightShape() {
        return new int[] {o, cg, kernel.h(), kernel.w()};
    }

    @Override
    public Op op() {
        return Op.CONV2D;
    }

    /** Filters per group: O / groups. */
    public int og() {
        return o / spec.groups();
    }

    public long weightCount() {
        return (long) o * cg * kernel.h() * kernel.w();
    }

    /** Multiply-adds for the whole batch: one per tap per output value. */
    @Override
    public long multiplyAdds() {
        return (long) n * o * oh * ow * cg * kernel.h() * kernel.w();
    }

    /** The output-size rule worked through with this layer's numbers, one line per axis. */
    @Override
    public List<String> explain() {
        List<String> lines = new ArrayList<>();
        lines.add(sizeRule("floor", "OH", "H", h, pads.top(), pads.bottom(), kernel.h(), spec.dilation().h(), spec.stride().h(), oh));
        lines.add(sizeRule("floor", "OW", "W", w, pads.left(), pads.right(), kernel.w(), spec.dilation().w(), spec.stride().w(), ow));
        return lines;
    }

    /** One axis of the output-size rule with its numbers: {@code OH = ROUND((H + p0 + p1 - d*(K-1) - 1) / s) + 1 = ...}. */
    static String sizeRule(String round, String out, String in, int size, int p0, int p1, int k, int d, int s, long result) {
        return out + " = " + round + "((" + in + " + p0 + p1 - d*(K-1) - 1) / s) + 1 = " + round + "((" + size + " + " + p0 + " + " + p1
                + " - " + d + "*(" + k + "-1) - 1) / " + s + ") + 1 = " + result;
    }

    /**
     * How same padding splits along one axis ({@code rows} or columns), worked through with this layer's numbers:
     * {@code OH = ceil(H / s) = ...; total = max((OH-1)*s + (KH-1)*d + 1 - H, 0) = ...; top = total // 2 = ...,
     * bottom = total - top = ...} ({@code lower}: the bottom gets the half, as ONNX's SAME_LOWER).
     */
    public static String sameSplit(OpGeometry g, boolean lower, boolean rows) {
        int[] in = g.inputShape();
        Padding.Sides p = g.pads();
        int size = rows ? in[2] : in[3];
        int k = rows ? g.kernel().h() : g.kernel().w();
        int s = rows ? g.stride().h() : g.stride().w();
        int d = rows ? g.dilation().h() : g.dilation().w();
        String out = rows ? "OH" : "OW", inName = rows ? "H" : "W", kName = rows ? "KH" : "KW";
        String start = rows ? "top" : "left", end = rows ? "bottom" : "right";
        int p0 = rows ? p.top() : p.left(), p1 = rows ? p.bottom() : p.right();
        String first = lower ? end : start, second = lower ? start : end;
        int half = lower ? p1 : p0, rest = lower ? p0 : p1;
        int o = -Math.floorDiv(-size, s);
        int total = Padding.sameTotal(size, k, s, d);
        return out + " = ceil(" + inName + " / s) = ceil(" + size + " / " + s + ") = " + o
                + "; total = max((" + out + "-1)*s + (" + kName + "-1)*d + 1 - " + inName + ", 0) = max((" + o + "-1)*" + s + " + (" + k
                + "-1)*" + d + " + 1 - " + size + ", 0) = " + total
                + "; " + first + " = " + total + " // 2 = " + half + ", " + second + " = " + total + " - " + half + " = " + rest;
    }
}
