package convlab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Gemm} against the triple loop {@code C[i][j] += sum_k A[i][k] * B[k][j]}, on sizes that hit every edge of
 * its blocking: 1, K not a multiple of the kernel's four rows, K and N just past a block ({@code KC},
 * {@code NC} = 256), and N split into narrower blocks to even out the cores (3136 = 14 x 224 on 2 cores). Entries are small integers, so every sum is exact in float32 and float64 and the comparison is
 * exact: any misplaced, lost or doubled product shows.
 */
class GemmTest {

    static List<Arguments> sizes() {
        int[] ms = {1, 3, 4, 7, 65};
        int[] ns = {1, 7, 65, 129, 257, 300, 3136};
        int[] ks = {1, 6, 7, 129, 257, 513};
        List<Arguments> args = new ArrayList<>();
        for (int m : ms) {
            for (int n : ns) {
                for (int k : ks) {
                    if (m * n * k <= 5_000_000) {
                        args.add(Arguments.of(m, n, k));
                    }
                }
            }
        }
        return args;
    }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @MethodSource("sizes")
    void equalsTheTripleLoop(int m, int n, int k) {
        long seed = 31L * (31L * m + n) + k;
        Random r = new Random(seed);
        double[] a = integers(r, m * k), b = integers(r, k * n), c0 = integers(r, m * n);
        double[] expected = c0.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = expected[i * n + j];
                for (int kk = 0; kk < k; kk++) {
                    sum += a[i * k + kk] * b[kk * n + j];
                }
                expected[i * n + j] = sum;
            }
        }
        double[] c = c0.clone();
        Gemm.multiplyAdd(m, n, k, a, b, c);
        assertThat(c).as("float64, seed %d", seed).containsExactly(expected);

        float[] cf = floats(c0);
        Gemm.multiplyAdd(m, n, k, floats(a), floats(b), cf);
        assertThat(cf).as("float32, seed %d", seed).containsExactly(floats(expected));
    }

    /** The same product with the column blocks run one by one, in reverse, gives the same bits as the parallel run. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theResultDoesNotDependOnTheThreads(long seed) {
        Random r = new Random(seed);
        int m = 1 + r.nextInt(70), n = 1 + r.nextInt(900), k = 1 + r.nextInt(700);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        float[] parallel = new float[m * n];
        Gemm.multiplyAdd(m, n, k, a, b, parallel);
        float[] serial = new float[m * n];
        IntStream.range(0, Gemm.columnBlocks(n)).map(i -> Gemm.columnBlocks(n) - 1 - i)
                .forEach(jb -> Gemm.block(m, n, k, a, 0, k, b, 0, n, serial, 0, n, jb));
        assertThat(serial).as("seed %d, %dx%dx%d", seed, m, n, k).containsExactly(parallel);
        double worst = 0; // and it is the product: within float32 rounding of the float64 triple loop
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, mag = 0;
                for (int kk = 0; kk < k; kk++) {
                    sum += (double) a[i * k + kk] * b[kk * n + j];
                    mag += Math.abs((double) a[i * k + kk] * b[kk * n + j]);
                }
                worst = Math.max(worst, Math.abs(parallel[i * n + j] - sum) / (mag * k * Math.ulp(1f)));
            }
        }
        assertThat(worst).as("seed %d: error over k*eps*sum|a*b|", seed).isLessThanOrEqualTo(1.0);
    }

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.rangeClosed(1, 8);
    }

    private static double[] integers(Random r, int size) {
        double[] d = new double[size];
        for (int i = 0; i < size; i++) {
            d[i] = r.nextInt(17) - 8;
        }
        return d;
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
