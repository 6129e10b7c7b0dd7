package convlab.engine;

import convlab.core.Geometry;
import convlab.core.PaddingMode;
import convlab.core.Unfold;

/**
 * The column matrices of {@link Unfold} (im2col: every output position's window unfolded into one column), written
 * into flat float or double arrays as fast as plain Java goes: the source row and column of every tap are worked out
 * once per layer ({@code rows[kh][oh]}, {@code cols[kw][ow]}), so filling a row of the matrix is a gather along one
 * input row. The OIHW weights are already the weight matrix (each filter one row), and the product's rows are the
 * NCHW output planes. A 1x1 kernel with stride 1 and no padding needs no copy at all: its column matrix is the input
 * plane itself. Tested equal to {@link Unfold#columnMatrix}, the formula.
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
}
