package convlab.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The shapes of one convolution: input {@code [N, C, H, W]}, {@code O} filters of {@code [C/groups, KH, KW]},
 * resolved padding, and output {@code [N, O, OH, OW]} with
 * {@code OH = floor((H + pt + pb - dh*(KH-1) - 1) / sh) + 1} (and likewise for OW).
 * {@link #of} explains why a configuration is impossible; {@link #explain} works the rule through with numbers.
 */
public record Geometry(int n, int c, int h, int w, int o, int cg, Hw kernel, ConvSpec spec, Padding.Sides pads, int oh, int ow) {

    /** Thrown when a layer cannot apply to an input; the message says why, with the numbers. */
    public static final class ShapeException extends IllegalArgumentException {
        public ShapeException(String message) {
            super(message);
        }
    }

    public static Geometry of(int[] input, ConvLayer layer) {
        if (input.length != 4) {
            throw new ShapeException("Expected an input of rank 4 [N, C, H, W], but found shape " + Tensor.shapeString(input));
        }
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
        if (!k.atLeast(1)) {
            throw new ShapeException("Expected a kernel of at least 1x1, but found " + k);
        }
        Padding.Sides p = spec.padding().resolve(h, w, k, spec.stride(), spec.dilation());
        checkModeFits(spec.paddingMode(), p, h, w);
        int spanH = (k.h() - 1) * spec.dilation().h() + 1;
        int spanW = (k.w() - 1) * spec.dilation().w() + 1;
        int paddedH = h + p.top() + p.bottom();
        int paddedW = w + p.left() + p.right();
        if (spanH > paddedH) {
            throw new ShapeException("The kernel spans " + spanH + " rows (KH=" + k.h() + ", dilation " + spec.dilation().h()
                    + "), but the padded input has only " + paddedH + " rows (H=" + h + " + " + p.top() + " + " + p.bottom() + ")");
        }
        if (spanW > paddedW) {
            throw new ShapeException("The kernel spans " + spanW + " columns (KW=" + k.w() + ", dilation " + spec.dilation().w()
                    + "), but the padded input has only " + paddedW + " columns (W=" + w + " + " + p.left() + " + " + p.right() + ")");
        }
        int oh = (paddedH - spanH) / spec.stride().h() + 1;
        int ow = (paddedW - spanW) / spec.stride().w() + 1;
        return new Geometry(n, c, h, w, o, c / groups, k, spec, p, oh, ow);
    }

    private static void checkModeFits(PaddingMode mode, Padding.Sides p, int h, int w) {
        int maxH = Math.max(p.top(), p.bottom());
        int maxW = Math.max(p.left(), p.right());
        if (mode == PaddingMode.REFLECT && (maxH >= h || maxW >= w)) {
            throw new ShapeException("Reflect padding needs each pad smaller than the input side it mirrors, but found pads ("
                    + p + ") for an input of " + h + "x" + w);
        }
        if (mode == PaddingMode.CIRCULAR && (maxH > h || maxW > w)) {
            throw new ShapeException("Circular padding needs each pad at most the input side it wraps, but found pads ("
                    + p + ") for an input of " + h + "x" + w);
        }
    }

    public int[] inputShape() {
        return new int[] {n, c, h, w};
    }

    public int[] outputShape() {
        return new int[] {n, o, oh, ow};
    }

    public int[] weightShape() {
        return new int[] {o, cg, kernel.h(), kernel.w()};
    }

    /** Filters per group: O / groups. */
    public int og() {
        return o / spec.groups();
    }

    public long weightCount() {
        return (long) o * cg * kernel.h() * kernel.w();
    }

    /** Multiply-adds for the whole batch: one per tap per output value. */
    public long multiplyAdds() {
        return (long) n * o * oh * ow * cg * kernel.h() * kernel.w();
    }

    /** The output-size rule worked through with this layer's numbers, one line per axis. */
    public List<String> explain() {
        List<String> lines = new ArrayList<>();
        lines.add(axis("OH", "H", h, pads.top(), pads.bottom(), kernel.h(), spec.dilation().h(), spec.stride().h(), oh));
        lines.add(axis("OW", "W", w, pads.left(), pads.right(), kernel.w(), spec.dilation().w(), spec.stride().w(), ow));
        return lines;
    }

    private static String axis(String out, String in, int size, int p0, int p1, int k, int d, int s, int result) {
        return out + " = floor((" + in + " + p0 + p1 - d*(K-1) - 1) / s) + 1 = floor((" + size + " + " + p0 + " + " + p1
                + " - " + d + "*(" + k + "-1) - 1) / " + s + ") + 1 = " + result;
    }
}
