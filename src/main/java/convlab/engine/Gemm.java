package convlab.engine;

import java.util.stream.IntStream;

/**
 * Matrix multiply-add {@code C += A * B} for row-major matrices, blocked the way BLAS libraries do it (GotoBLAS,
 * BLIS): what the {@code im2col} engine spends its time in. Shapes: {@code A [M, K]}, {@code B [K, N]},
 * {@code C [M, N]}; each matrix is a flat array with an offset and a leading dimension (the length of its rows in
 * memory).
 * <pre>
 *   C[i][j] += sum_k A[i][k] * B[k][j]
 * </pre>
 * Three levels of blocking, from the outside in:
 * <ol>
 *   <li>the columns of {@code B} and {@code C} in blocks of {@link #NC}: the unit of work one thread takes;</li>
 *   <li>{@code K} in blocks of {@link #KC}: the block of {@code B} ({@code KC x NC}) is copied ("packed") into
 *       strips of {@link #NR} columns, each strip {@code k}-major, so the micro-kernel reads it front to back; the
 *       rows of {@code A} likewise into strips of {@link #MR} rows;</li>
 *   <li>the micro-kernel: an {@code MR x NR} tile of {@code C} held in 16 local variables (registers) while
 *       {@code k} runs over the block, one fused multiply-add ({@link Math#fma}) per product.</li>
 * </ol>
 * Every {@code C[i][j]} adds its {@code K} products in one fixed order (k ascending, a partial sum per
 * {@code KC}-block added to {@code C} block after block), whatever the number of threads: the result does not
 * depend on how the work was split. Edge tiles (M or N not a multiple of 4) are packed with zeros and stored
 * element by element.
 */
final class Gemm {

    /** Rows of a register tile. */
    static final int MR = 4;
    /** Columns of a register tile. */
    static final int NR = 4;
    /** The K block: a packed {@code MR x KC} strip of A and {@code KC x NR} strip of B fit in the L1 cache. */
    static final int KC = 256;
    /** The column block one task computes: its packed {@code KC x NC} panel of B fits in the L2 cache. */
    static final int NC = 256;

    private Gemm() {
    }

    /** Column blocks of {@link #NC} in {@code n} columns. */
    static int columnBlocks(int n) {
        return (n + NC - 1) / NC;
    }

    /** {@code C += A * B} for whole matrices ({@code lda = K}, {@code ldb = ldc = N}), the column blocks split over the cores. */
    static void multiplyAdd(int m, int n, int k, float[] a, float[] b, float[] c) {
        IntStream.range(0, columnBlocks(n)).parallel().forEach(jb -> block(m, n, k, a, 0, k, b, 0, n, c, 0, n, jb));
    }

    /** As {@link #multiplyAdd(int, int, int, float[], float[], float[])}, in float64. */
    static void multiplyAdd(int m, int n, int k, double[] a, double[] b, double[] c) {
        IntStream.range(0, columnBlocks(n)).parallel().forEach(jb -> block(m, n, k, a, 0, k, b, 0, n, c, 0, n, jb));
    }

    /**
     * Column block {@code jb} ({@code NC} columns from {@code jb * NC}, fewer at the end) of {@code C += A * B}:
     * one thread's work. {@code n} is the number of columns of B and C.
     */
    static void block(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, int jb) {
        int j0 = jb * NC, cols = Math.min(NC, n - j0);
        int strips = (cols + NR - 1) / NR, rowStrips = (m + MR - 1) / MR;
        int kcMax = Math.min(KC, k);
        float[] bp = new float[strips * NR * kcMax];
        float[] ap = new float[rowStrips * MR * kcMax];
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            for (int s = 0; s < strips; s++) { // B strip s: bp[s*kc*NR + kk*NR + t] = B[k0+kk][j0 + s*NR + t]
                int width = Math.min(NR, cols - s * NR);
                for (int kk = 0; kk < kc; kk++) {
                    int from = bOff + (k0 + kk) * ldb + j0 + s * NR, to = (s * kc + kk) * NR;
                    for (int t = 0; t < NR; t++) {
                        bp[to + t] = t < width ? b[from + t] : 0f;
                    }
                }
            }
            for (int s = 0; s < rowStrips; s++) { // A strip s: ap[s*kc*MR + kk*MR + t] = A[s*MR + t][k0+kk]
                int height = Math.min(MR, m - s * MR);
                for (int kk = 0; kk < kc; kk++) {
                    int to = (s * kc + kk) * MR;
                    for (int t = 0; t < MR; t++) {
                        ap[to + t] = t < height ? a[aOff + (s * MR + t) * lda + k0 + kk] : 0f;
                    }
                }
            }
            for (int si = 0; si < rowStrips; si++) {
                for (int sj = 0; sj < strips; sj++) {
                    kernel(kc, ap, si * kc * MR, bp, sj * kc * NR, c, cOff + si * MR * ldc + j0 + sj * NR, ldc,
                            Math.min(MR, m - si * MR), Math.min(NR, cols - sj * NR));
                }
            }
        }
    }

    /** The 4x4 micro-kernel: {@code C[0..rows)[0..cols) += Ap * Bp} over {@code kc} packed columns of A and rows of B. */
    private static void kernel(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, int rows, int cols) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int kk = 0; kk < kc; kk++) {
            int ai = ao + kk * MR, bi = bo + kk * NR;
            float a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
            float b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01); c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03);
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11); c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13);
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21); c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23);
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31); c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33);
        }
        if (rows == MR && cols == NR) {
            c[co] += c00; c[co + 1] += c01; c[co + 2] += c02; c[co + 3] += c03;
            co += ldc;
            c[co] += c10; c[co + 1] += c11; c[co + 2] += c12; c[co + 3] += c13;
            co += ldc;
            c[co] += c20; c[co + 1] += c21; c[co + 2] += c22; c[co + 3] += c23;
            co += ldc;
            c[co] += c30; c[co + 1] += c31; c[co + 2] += c32; c[co + 3] += c33;
            return;
        }
        float[] tile = {c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33};
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[co + i * ldc + j] += tile[i * NR + j];
            }
        }
    }

    /** As {@link #block(int, int, int, float[], int, int, float[], int, int, float[], int, int, int)}, in float64. */
    static void block(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                      double[] c, int cOff, int ldc, int jb) {
        int j0 = jb * NC, cols = Math.min(NC, n - j0);
        int strips = (cols + NR - 1) / NR, rowStrips = (m + MR - 1) / MR;
        int kcMax = Math.min(KC, k);
        double[] bp = new double[strips * NR * kcMax];
        double[] ap = new double[rowStrips * MR * kcMax];
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            for (int s = 0; s < strips; s++) {
                int width = Math.min(NR, cols - s * NR);
                for (int kk = 0; kk < kc; kk++) {
                    int from = bOff + (k0 + kk) * ldb + j0 + s * NR, to = (s * kc + kk) * NR;
                    for (int t = 0; t < NR; t++) {
                        bp[to + t] = t < width ? b[from + t] : 0.0;
                    }
                }
            }
            for (int s = 0; s < rowStrips; s++) {
                int height = Math.min(MR, m - s * MR);
                for (int kk = 0; kk < kc; kk++) {
                    int to = (s * kc + kk) * MR;
                    for (int t = 0; t < MR; t++) {
                        ap[to + t] = t < height ? a[aOff + (s * MR + t) * lda + k0 + kk] : 0.0;
                    }
                }
            }
            for (int si = 0; si < rowStrips; si++) {
                for (int sj = 0; sj < strips; sj++) {
                    kernel(kc, ap, si * kc * MR, bp, sj * kc * NR, c, cOff + si * MR * ldc + j0 + sj * NR, ldc,
                            Math.min(MR, m - si * MR), Math.min(NR, cols - sj * NR));
                }
            }
        }
    }

    /** The 4x4 micro-kernel in float64. */
    private static void kernel(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc, int rows, int cols) {
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int kk = 0; kk < kc; kk++) {
            int ai = ao + kk * MR, bi = bo + kk * NR;
            double a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
            double b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01); c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03);
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11); c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13);
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21); c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23);
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31); c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33);
        }
        if (rows == MR && cols == NR) {
            c[co] += c00; c[co + 1] += c01; c[co + 2] += c02; c[co + 3] += c03;
            co += ldc;
            c[co] += c10; c[co + 1] += c11; c[co + 2] += c12; c[co + 3] += c13;
            co += ldc;
            c[co] += c20; c[co + 1] += c21; c[co + 2] += c22; c[co + 3] += c23;
            co += ldc;
            c[co] += c30; c[co + 1] += c31; c[co + 2] += c32; c[co + 3] += c33;
            return;
        }
        double[] tile = {c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33};
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[co + i * ldc + j] += tile[i * NR + j];
            }
        }
    }
}
