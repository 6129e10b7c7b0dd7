package convlab.engine;

import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.PaddingMode;
import convlab.core.Tensor;

/**
 * How frameworks compute a convolution: unfold every output position's receptive field into one column of a matrix
 * ("im2col"), and the convolution becomes one matrix product per batch item and group. With {@code Cg = C/groups},
 * {@code Og = O/groups}, for batch item {@code n} and group {@code g}:
 * <pre>
 *   cols[(ic*KH + kh)*KW + kw][oh*OW + ow] = in[n][g*Cg+ic][oh*sh+kh*dh-pt][ow*sw+kw*dw-pl]   shape [Cg*KH*KW, OH*OW]
 *   wmat[oc][(ic*KH + kh)*KW + kw]         = w[g*Og+oc][ic][kh][kw]                            shape [Og, Cg*KH*KW]
 *   out[n][g*Og + oc][oh*OW + ow]          = b[g*Og+oc] + sum_k wmat[oc][k] * cols[k][oh*OW + ow]
 * </pre>
 * that is {@code out = W * cols + b}: the OIHW weights are already the weight matrix (each filter one row), and the
 * product's rows are the NCHW output planes. A cell outside the input reads the padding ({@link PaddingMode}: a zero,
 * or the input row and column the mode says). The price is memory: every input value is copied into up to
 * {@code KH*KW} columns. A 1x1 kernel with stride 1 and no padding needs no copy at all: its column matrix is the
 * input plane itself.
 */
final class Im2col {

    private final Geometry g;
    /** {@code rows[kh][oh]}: the input row tap {@code kh} of output row {@code oh} reads, or -1 for a zero of the padding. */
    private final int[][] rows;
    /** {@code cols[kw][ow]}: likewise for columns. */
    private final int[][] cols;

    Im2col(Geometry g) {
        this.g = g;
        PaddingMode mode = g.spec().paddingMode();
        rows = sources(g.oh(), g.kernel().h(), g.stride().h(), g.dilation().h(), g.pads().top(), g.h(), mode);
        cols = sources(g.ow(), g.kernel().w(), g.stride().w(), g.dilation().w(), g.pads().left(), g.w(), mode);
    }

    private static int[][] sources(int outSize, int k, int s, int d, int pad, int inSize, PaddingMode mode) {
        int[][] m = new int[k][outSize];
        for (int j = 0; j < k; j++) {
            for (int o = 0; o < outSize; o++) {
                m[j][o] = mode.source(o * s + j * d - pad, inSize);
            }
        }
        return m;
    }

    /** Rows of one group's column matrix: {@code Cg*KH*KW}. */
    int rowsPerGroup() {
        return g.cg() * g.kernel().h() * g.kernel().w();
    }

    /** Columns: one per output position, {@code OH*OW}. */
    int columns() {
        return g.oh() * g.ow();
    }

    /** True when the column matrix is the input plane itself: a 1x1 kernel, stride 1, no padding. */
    boolean isIdentity() {
        return g.kernel().h() == 1 && g.kernel().w() == 1 && g.stride().h() == 1 && g.stride().w() == 1 && g.pads().isZero();
    }

    /**
     * Writes rows {@code from} to {@code to - 1} of batch item {@code n}'s column matrices, every group's stacked
     * ({@code G*Cg*KH*KW} rows, the group's rows in order), into {@code out}, one row of {@code OH*OW} after another,
     * row {@code base} first.
     */
    void fill(float[] x, int n, float[] out, int base, int from, int to) {
        int KH = g.kernel().h(), KW = g.kernel().w(), H = g.h(), W = g.w(), OH = g.oh(), OW = g.ow();
        for (int r = from; r < to; r++) { // r = (c*KH + kh)*KW + kw over all C = G*Cg input channels
            int c = r / (KH * KW), kh = r / KW % KH, kw = r % KW;
            int plane = (n * g.c() + c) * H * W;
            int[] colOf = cols[kw];
            for (int oh = 0; oh < OH; oh++) {
                int row = rows[kh][oh], at = (r - base) * OH * OW + oh * OW;
                if (row < 0) {
                    java.util.Arrays.fill(out, at, at + OW, 0f);
                    continue;
                }
                int in = plane + row * W;
                for (int ow = 0; ow < OW; ow++) {
                    int col = colOf[ow];
                    out[at + ow] = col < 0 ? 0f : x[in + col];
                }
            }
        }
    }

    /** As {@link #fill(float[], int, float[], int, int, int)}, in float64. */
    void fill(double[] x, int n, double[] out, int base, int from, int to) {
        int KH = g.kernel().h(), KW = g.kernel().w(), H = g.h(), W = g.w(), OH = g.oh(), OW = g.ow();
        for (int r = from; r < to; r++) {
            int c = r / (KH * KW), kh = r / KW % KH, kw = r % KW;
            int plane = (n * g.c() + c) * H * W;
            int[] colOf = cols[kw];
            for (int oh = 0; oh < OH; oh++) {
                int row = rows[kh][oh], at = (r - base) * OH * OW + oh * OW;
                if (row < 0) {
                    java.util.Arrays.fill(out, at, at + OW, 0.0);
                    continue;
                }
                int in = plane + row * W;
                for (int ow = 0; ow < OW; ow++) {
                    int col = colOf[ow];
                    out[at + ow] = col < 0 ? 0.0 : x[in + col];
                }
            }
        }
    }

    /** Group {@code group}'s column matrix of batch item {@code n}, {@code [Cg*KH*KW, OH*OW]}: the teaching view. */
    static Tensor columnMatrix(Tensor input, ConvLayer layer, int n, int group) {
        Geometry g = Geometry.of(input.shape(), layer);
        Im2col im = new Im2col(g);
        int k = im.rowsPerGroup();
        double[] out = new double[k * im.columns()];
        im.fill(input.toArray(), n, out, group * k, group * k, (group + 1) * k);
        return Tensor.of(DType.FLOAT64, new int[] {k, im.columns()}, out);
    }

    /** Group {@code group}'s weight matrix, {@code [Og, Cg*KH*KW]}: the OIHW weights of its filters, each filter one row. */
    static Tensor weightMatrix(ConvLayer layer, int group) {
        int og = layer.filters() / layer.spec().groups(), k = layer.channelsPerGroup() * layer.kernel().h() * layer.kernel().w();
        double[] w = layer.weights().toArray();
        double[] out = new double[og * k];
        System.arraycopy(w, group * og * k, out, 0, out.length);
        return Tensor.of(DType.FLOAT64, new int[] {og, k}, out);
    }
}
