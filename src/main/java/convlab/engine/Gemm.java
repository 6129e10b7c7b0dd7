package convlab.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Matrix multiply-add {@code C += A * B} for row-major matrices, blocked the way BLAS libraries do it (GotoBLAS,
 * BLIS): what the {@code im2col} engine spends its time in. Shapes: {@code A [M, K]}, {@code B [K, N]},
 * {@code C [M, N]}; each matrix is a flat array with an offset and a leading dimension (the length of its rows in
 * memory).
 * <pre>
 *   C[i][j] += sum_k A[i][k] * B[k][j]
 * </pre>
 * Blocking, from the outside in:
 * <ol>
 *   <li>the columns of {@code B} and {@code C} in blocks of {@link #NC}: the unit of work one thread takes;</li>
 *   <li>{@code K} in blocks of {@link #KC}: the block of {@code B} ({@code KC x NC}, the "panel") is copied into
 *       {@code KC} arrays of its own ("packed"), so it stays in the L2 cache while every row of {@code A} uses it;</li>
 *   <li>the micro-kernel: one row of {@code C}'s block is copied into a small array (it stays in the L1 cache), and
 *       four rows of the panel at a time are added into it, each scaled by its {@code A[i][k]}:
 *       {@code row[j] += A[i][k] B[k][j] + A[i][k+1] B[k+1][j] + A[i][k+2] B[k+2][j] + A[i][k+3] B[k+3][j]}, a chain
 *       of fused multiply-adds ({@link Math#fma}) per {@code j}.</li>
 * </ol>
 * Why this shape: the JIT compiler (C2) turns a loop over {@code j} into SIMD instructions (8 or 16 floats at once on
 * AVX2 or AVX-512) only when every array in it is indexed by {@code j} itself; that is why the panel rows and the
 * row of {@code C} are arrays of their own, starting at index 0. A register tile of scalars (the classic BLAS
 * micro-kernel) is not vectorised by C2 and ran three times slower.
 *
 * <p>Every {@code C[i][j]} adds its {@code K} products in one fixed order (k ascending, each added to the running
 * value of {@code C[i][j]}), whatever the number of threads: the result does not depend on how the work was split.
 */
final class Gemm {

    /** The K block: the rows of B packed at once. */
    static final int KC = 256;
    /**
     * The widest column block one task computes: its packed {@code KC x NC} panel of B fits in the L2 cache. The
     * blocks are made narrower where that splits the columns evenly over the cores ({@link #width}).
     */
    static final int NC = 256;

    private Gemm() {
    }

    /** Column blocks in {@code n} columns, each {@link #width} wide (the last one narrower). */
    static int columnBlocks(int n) {
        int w = width(n);
        return (n + w - 1) / w;
    }

    /**
     * The width of the column blocks of {@code n} columns: at most {@link #NC}, and as many blocks as a multiple of
     * the cores, so that no core waits for the last block (3136 columns on 2 cores: 14 blocks of 224, not 13 of
     * 256). A multiple of 16, a whole number of SIMD vectors. The width does not change the result: every
     * {@code C[i][j]} adds its products in the same order whatever the blocks.
     */
    static int width(int n) {
        int cores = Math.max(1, ForkJoinPool.getCommonPoolParallelism());
        int blocks = (n + NC - 1) / NC;
        blocks = (blocks + cores - 1) / cores * cores;
        return Math.min(NC, Math.max(16, ((n + blocks - 1) / blocks + 15) / 16 * 16));
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
     * Column block {@code jb} ({@link #width} columns from {@code jb * width}, fewer at the end) of {@code C += A * B}:
     * one thread's work. {@code n} is the number of columns of B and C.
     */
    static void block(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, int jb) {
        int nc = width(n), j0 = jb * nc, cols = Math.min(nc, n - j0);
        float[][] panel = new float[Math.min(KC, k)][cols];
        float[] row = new float[cols];
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            for (int kk = 0; kk < kc; kk++) { // panel[kk][t] = B[k0 + kk][j0 + t]
                System.arraycopy(b, bOff + (k0 + kk) * ldb + j0, panel[kk], 0, cols);
            }
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc + j0, ai = aOff + i * lda + k0;
                System.arraycopy(c, ci, row, 0, cols);
                int kk = 0;
                for (; kk + 4 <= kc; kk += 4) {
                    addRows(a[ai + kk], a[ai + kk + 1], a[ai + kk + 2], a[ai + kk + 3],
                            panel[kk], panel[kk + 1], panel[kk + 2], panel[kk + 3], row, cols);
                }
                for (; kk < kc; kk++) {
                    addRow(a[ai + kk], panel[kk], row, cols);
                }
                System.arraycopy(row, 0, c, ci, cols);
            }
        }
    }

    /** The micro-kernel: {@code row[j] += a0 b0[j] + a1 b1[j] + a2 b2[j] + a3 b3[j]}, in that order. */
    private static void addRows(float a0, float a1, float a2, float a3, float[] b0, float[] b1, float[] b2, float[] b3,
                                float[] row, int cols) {
        for (int j = 0; j < cols; j++) {
            row[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], row[j]))));
        }
    }

    /** The last rows of a K block that are fewer than four: {@code row[j] += a0 b0[j]}. */
    private static void addRow(float a0, float[] b0, float[] row, int cols) {
        for (int j = 0; j < cols; j++) {
            row[j] = Math.fma(a0, b0[j], row[j]);
        }
    }

    /** As {@link #block(int, int, int, float[], int, int, float[], int, int, float[], int, int, int)}, in float64. */
    static void block(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                      double[] c, int cOff, int ldc, int jb) {
        int nc = width(n), j0 = jb * nc, cols = Math.min(nc, n - j0);
        double[][] panel = new double[Math.min(KC, k)][cols];
        double[] row = new double[cols];
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            for (int kk = 0; kk < kc; kk++) {
                System.arraycopy(b, bOff + (k0 + kk) * ldb + j0, panel[kk], 0, cols);
            }
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc + j0, ai = aOff + i * lda + k0;
                System.arraycopy(c, ci, row, 0, cols);
                int kk = 0;
                for (; kk + 4 <= kc; kk += 4) {
                    addRows(a[ai + kk], a[ai + kk + 1], a[ai + kk + 2], a[ai + kk + 3],
                            panel[kk], panel[kk + 1], panel[kk + 2], panel[kk + 3], row, cols);
                }
                for (; kk < kc; kk++) {
                    addRow(a[ai + kk], panel[kk], row, cols);
                }
                System.arraycopy(row, 0, c, ci, cols);
            }
        }
    }

    /** The micro-kernel in float64. */
    private static void addRows(double a0, double a1, double a2, double a3, double[] b0, double[] b1, double[] b2,
                                double[] b3, double[] row, int cols) {
        for (int j = 0; j < cols; j++) {
            row[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], row[j]))));
        }
    }

    /** The last rows of a K block in float64. */
    private static void addRow(double a0, double[] b0, double[] row, int cols) {
        for (int j = 0; j < cols; j++) {
            row[j] = Math.fma(a0, b0[j], row[j]);
        }
    }
}
