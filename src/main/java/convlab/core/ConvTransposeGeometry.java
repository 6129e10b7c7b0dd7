package convlab.core;

import java.util.List;

/**
 * The shapes of one transposed convolution: input {@code [N, C, H, W]}, weights {@code [C, O/groups, KH, KW]}
 * (IOHW), the full output of {@code FH = (H-1)*sh + (KH-1)*dh + 1} rows (likewise FW), the crops taken from it and
 * output {@code [N, O, OH, OW]} with {@code OH = FH + outputPadding - crop_top - crop_bottom}.
 *
 * <p>{@link #pads()} are the crops of the full output (with its output-padding rows and columns appended at the
 * bottom and right), not padding of the input. A negative bottom (right) crop means that many zero rows (columns)
 * appended below (to the right): an output shape larger than the full output. {@link #of} explains why a
 * configuration is impossible; {@link #explain} works the rule through with numbers. Exact arithmetic throughout.
 */
public record ConvTransposeGeometry(int n, int c, int h, int w, int o, int cg, Hw kernel, ConvTransposeSpec spec,
                                    long fullH, long fullW, Padding.Sides pads, int oh, int ow) implements OpGeometry {

    /** One axis resolved: the full size, the crops at its two ends, the output size, and the rule in words. */
    private record Axis(long full, int first, int last, int out, String rule) {
    }

    public static ConvTransposeGeometry of(int[] input, ConvTransposeLayer layer) {
        Geometry.requireRank4(input);
        ConvTransposeSpec spec = layer.spec();
        int n = input[0], c = input[1], h = input[2], w = input[3];
        Hw k = layer.kernel();
        if (layer.inputChannels() != c) {
            throw new Geometry.ShapeException("The weights " + layer.weights().shapeString() + " [C, O/groups, KH, KW] take C="
                    + layer.inputChannels() + " input channel(s), but the input " + Tensor.shapeString(input) + " has C=" + c);
        }
        Geometry.requireKernel(k);
        if (n < 0 || h < 1 || w < 1) {
            throw new Geometry.ShapeException("Expected N >= 0 and an input of at least 1x1 (a transposed convolution of an"
                    + " empty image has no full output), but found shape " + Tensor.shapeString(input));
        }
        Axis[] a = axes(spec, k, h, w);
        long elements = (long) n * layer.filters() * a[0].out() * a[1].out();
        if (elements > Integer.MAX_VALUE) {
            throw new Geometry.ShapeException("Expected an output of at most 2147483647 values, but N*O*OH*OW = " + n + "*" + layer.filters()
                    + "*" + a[0].out() + "*" + a[1].out() + " = " + elements);
        }
        return new ConvTransposeGeometry(n, c, h, w, layer.filters(), layer.channelsPerGroup(), k, spec, a[0].full(), a[1].full(),
                new Padding.Sides(a[0].first(), a[0].last(), a[1].first(), a[1].last()), a[0].out(), a[1].out());
    }

    /** Rows, then columns. */
    private static Axis[] axes(ConvTransposeSpec spec, Hw k, int h, int w) {
        Padding p = spec.padding();
        Hw given = spec.outputShape();
        Padding.Explicit e = p instanceof Padding.Explicit x ? x : new Padding.Explicit(0, 0, 0, 0);
        return new Axis[] {
            axis("H", "OH", "top", "bottom", "rows", h, k.h(), spec.stride().h(), spec.dilation().h(), spec.outputPadding().h(),
                    given == null ? null : given.h(), p, e.top(), e.bottom()),
            axis("W", "OW", "left", "right", "columns", w, k.w(), spec.stride().w(), spec.dilation().w(), spec.outputPadding().w(),
                    given == null ? null : given.w(), p, e.left(), e.right())};
    }

    /**
     * One axis: the full size {@code (in-1)*s + (k-1)*d + 1}, then what the padding crops. {@code same}: output
     * {@code in*s} (or the given one), total crop {@code full + op - out}, floor(total/2) first ({@code same_lower}:
     * last). A given output with explicit or valid padding (ONNX): total - floor(total/2) first. A negative total
     * crops nothing and appends zeros at the last end.
     */
    private static Axis axis(String in, String out, String firstName, String lastName, String unit, int size, int k, int s, int d,
            int op, Integer given, Padding padding, int padFirst, int padLast) {
        long full;
        long natural;
        try {
            full = Math.addExact(Math.addExact(Math.multiplyExact((long) size - 1, s), Math.multiplyExact((long) k - 1, d)), 1L);
            natural = Math.multiplyExact((long) size, s);
        } catch (ArithmeticException e) {
            throw new Geometry.ShapeException("The full output of a transposed convolution over " + size + " " + unit + " with a "
                    + k + "-cell kernel, stride " + s + " and dilation " + d + " does not fit a long");
        }
        String fullRule = "F" + in + " = (" + in + "-1)*s + (K-1)*d + 1 = (" + size + "-1)*" + s + " + (" + k + "-1)*" + d + " + 1 = " + full;
        long withOp = full + op;
        long size0;
        long first;
        long last;
        String rule;
        if (padding instanceof Padding.Same same || given != null) {
            boolean isSame = padding instanceof Padding.Same;
            boolean lower = padding instanceof Padding.Same sm && sm.lower();
            size0 = given != null ? given : natural;
            long total = withOp - size0;
            long small = Math.floorDiv(total, 2);
            if (total < 0) {
                first = 0;
                last = total;
            } else if (isSame) {
                first = lower ? total - small : small;
                last = total - first;
            } else {
                first = total - small;
                last = small;
            }
            String why = given != null
                    ? out + " = " + size0 + " (outputShape" + (padding instanceof Padding.Explicit ? "; the explicit pads are ignored, as ONNX does" : "") + ")"
                    : out + " = " + in + "*s = " + size + "*" + s + " = " + size0 + " (" + padding + ")";
            String split = total < 0
                    ? "nothing is cropped and " + (-total) + " zero " + unit + " (bias only) are appended at the " + lastName
                    : isSame
                    ? (lower ? lastName + " = " + total + " // 2 = " + last + ", " + firstName + " = " + total + " - " + last + " = " + first
                            : firstName + " = " + total + " // 2 = " + first + ", " + lastName + " = " + total + " - " + first + " = " + last)
                    : lastName + " = " + total + " // 2 = " + last + ", " + firstName + " = " + total + " - " + last + " = " + first + " (ONNX's split)";
            rule = fullRule + "; " + why + "; crop = F" + in + " + output_padding - " + out + " = " + full + " + " + op + " - " + size0
                    + " = " + total + ": " + split;
        } else {
            first = padFirst;
            last = padLast;
            size0 = withOp - first - last;
            rule = fullRule + "; " + out + " = F" + in + " + output_padding - " + firstName + " - " + lastName + " = " + full + " + " + op
                    + " - " + first + " - " + last + " = " + size0;
        }
        if (size0 < 1) {
            throw new Geometry.ShapeException("The padding crops " + first + " + " + last + " " + unit + " from a full output of " + withOp
                    + " " + unit + " (" + fullRule + ", plus output padding " + op + "), which leaves " + out + " = " + size0 + "; expected at least 1");
        }
        int outSize = Geometry.outputSize(size0, out);
        if (first > Integer.MAX_VALUE || last < Integer.MIN_VALUE || last > Integer.MAX_VALUE) {
            throw new Geometry.ShapeException("Expected crops that fit an int, but found " + firstName + " " + first + " and "
                    + lastName + " " + last + " (" + fullRule + ")");
        }
        return new Axis(full, (int) first, (int) last, outSize, rule);
    }

    /** Output channels per group: O / groups, the weights' second dimension. */
    public int og() {
        return o / spec.groups();
    }

    @Override
    public Op op() {
        return Op.CONV_TRANSPOSE2D;
    }

    /** The input as it is: this op's pads crop the full output, they add nothing to the input. */
    @Override
    public long[] paddedInputShape() {
        return new long[] {n, c, h, w};
    }

    @Override
    public int[] outputShape() {
        return new int[] {n, o, oh, ow};
    }

    @Override
    public String weightsLayoutName() {
        return "IOHW";
    }

    @Override
    public int[] weightShape() {
        return new int[] {c, og(), kernel.h(), kernel.w()};
    }

    public long weightCount() {
        return (long) c * og() * kernel.h() * kernel.w();
    }

    /** Multiply-adds for the whole batch: one per (input cell, kernel cell) pair that lands on an output cell. */
    @Override
    public long multiplyAdds() {
        return (long) n * o * cg * landingRows() * landingColumns();
    }

    /** The (input row, kernel row) pairs whose stamp row lands inside the output. */
    public long landingRows() {
        return landing(h, kernel.h(), spec.stride().h(), spec.dilation().h(), pads.top(), oh);
    }

    /** The (input column, kernel column) pairs whose stamp column lands inside the output. */
    public long landingColumns() {
        return landing(w, kernel.w(), spec.stride().w(), spec.dilation().w(), pads.left(), ow);
    }

    /** How many (input index, kernel index) pairs of one axis land inside the output: 0 <= i*s + k*d - crop < out. */
    static long landing(int size, int k, int s, int d, int crop, int out) {
        long count = 0;
        for (long kk = 0; kk < k; kk++) {
            long lo = Math.max(0, Math.floorDiv(crop - kk * d + s - 1, (long) s)); // smallest i with i*s + kk*d - crop >= 0
            long hi = Math.min(size - 1L, Math.floorDiv(crop + out - 1 - kk * d, (long) s)); // largest i with ... < out
            count += Math.max(0, hi - lo + 1);
        }
        return count;
    }

    /** The output-size rule worked through with this layer's numbers, one line per axis. */
    @Override
    public List<String> explain() {
        Axis[] a = axes(spec, kernel, h, w);
        return List.of(a[0].rule(), a[1].rule());
    }
}
