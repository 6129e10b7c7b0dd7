package convlab.core;

/**
 * im2col, the way frameworks compute a convolution, in its teaching form (PyTorch calls it
 * {@code torch.nn.functional.unfold}): every output position's window is unfolded into one column of a matrix, and
 * the convolution becomes one matrix product per batch item and group. With {@code Cg = C/groups},
 * {@code Og = O/groups}, for batch item {@code n} and group {@code g}:
 * <pre>
 *   cols[(ic*KH + kh)*KW + kw][oh*OW + ow] = in[n][g*Cg+ic][oh*sh + kh*dh - pt][ow*sw + kw*dw - pl]   [Cg*KH*KW, OH*OW]
 *   wmat[oc][(ic*KH + kh)*KW + kw]         = w[g*Og+oc][ic][kh][kw]                                    [Og, Cg*KH*KW]
 *   out[n][g*Og + oc][oh*OW + ow]          = b[g*Og+oc] + sum_k wmat[oc][k] * cols[k][oh*OW + ow]
 * </pre>
 * that is {@code out = W * cols + b}: each filter is one row of the weight matrix, and each row of the product is
 * one output plane. The inner index is {@link Conv2d}'s formula read in another order; a cell outside the input
 * reads the padding ({@link PaddingMode#read}). The price is memory: every input value is copied into up to
 * {@code KH*KW} columns. The {@code im2col} engine computes the same matrices with flat arrays and a blocked GEMM,
 * and is tested equal to this.
 */
public final class Unfold {

    private Unfold() {
    }

    /** Rows of a column matrix: one per weight of a filter, {@code Cg*KH*KW}, in the order (ic, kh, kw). */
    public static int rows(Geometry g) {
        return g.cg() * g.kernel().h() * g.kernel().w();
    }

    /** Columns of a column matrix: one per output position, {@code OH*OW}, in the order (oh, ow). */
    public static int columns(Geometry g) {
        return g.oh() * g.ow();
    }

    /** Row {@code r}'s kernel cell: {@code {ic, kh, kw}}, {@code ic} counted within the group. */
    public static int[] kernelCell(Geometry g, int r) {
        int kh = g.kernel().h(), kw = g.kernel().w();
        return new int[] {r / (kh * kw), r / kw % kh, r % kw};
    }

    /**
     * The input cell that {@code cols[r][p]} of group {@code group} reads, {@code {c, ih, iw}} with {@code c} the
     * input channel and {@code ih, iw} padded coordinates (outside {@code 0..H-1} or {@code 0..W-1} is the padding).
     */
    public static int[] tap(Geometry g, int group, int r, int p) {
        int[] cell = kernelCell(g, r);
        int oh = p / g.ow(), ow = p % g.ow();
        return new int[] {
                group * g.cg() + cell[0],
                oh * g.stride().h() + cell[1] * g.dilation().h() - g.pads().top(),
                ow * g.stride().w() + cell[2] * g.dilation().w() - g.pads().left()};
    }

    /** Group {@code group}'s column matrix of batch item {@code n}, {@code [Cg*KH*KW, OH*OW]}, in float64. */
    public static Tensor columnMatrix(Tensor input, ConvLayer layer, int n, int group) {
        Geometry g = Geometry.of(input.shape(), layer);
        int rows = rows(g), cols = columns(g);
        PaddingMode mode = layer.spec().paddingMode();
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < cols; p++) {
                int[] t = tap(g, group, r, p);
                out[r * cols + p] = mode.read(input, n, t[0], t[1], t[2], g.h(), g.w());
            }
        }
        return Tensor.of(DType.FLOAT64, new int[] {rows, cols}, out);
    }

    /** Group {@code group}'s weight matrix, {@code [Og, Cg*KH*KW]}: the OIHW weights of its filters, each filter one row. */
    public static Tensor weightMatrix(ConvLayer layer, int group) {
        int og = layer.filters() / layer.spec().groups();
        int k = layer.channelsPerGroup() * layer.kernel().h() * layer.kernel().w();
        double[] w = layer.weights().toArray();
        double[] out = new double[og * k];
        System.arraycopy(w, group * og * k, out, 0, out.length);
        return Tensor.of(DType.FLOAT64, new int[] {og, k}, out);
    }

    /**
     * {@code out = W * cols + b} for batch item {@code n}, every group: the layer's output before the activation,
     * {@code [O, OH, OW]}, summed in the order of {@code k}.
     */
    public static Tensor product(Tensor input, ConvLayer layer, int n) {
        Geometry g = Geometry.of(input.shape(), layer);
        int k = rows(g), p = columns(g), og = g.og();
        double[] out = new double[g.o() * p];
        for (int group = 0; group < layer.spec().groups(); group++) {
            double[] w = weightMatrix(layer, group).toArray();
            double[] cols = columnMatrix(input, layer, n, group).toArray();
            for (int oc = 0; oc < og; oc++) {
                int o = group * og + oc;
                double b = layer.bias() == null ? 0.0 : layer.bias().flat(o);
                for (int j = 0; j < p; j++) {
                    double sum = b;
                    for (int q = 0; q < k; q++) {
                        sum += w[oc * k + q] * cols[q * p + j];
                    }
                    out[o * p + j] = sum;
                }
            }
        }
        return Tensor.of(DType.FLOAT64, new int[] {g.o(), g.oh(), g.ow()}, out);
    }
}
