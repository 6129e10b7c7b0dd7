package convlab.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumbersTest {

    /** The definition Numbers.format keeps: String.format's %.2f, %.1f, %.0f or %.1e, a rounded -0 without its sign. */
    private static String byStringFormat(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        String s = String.format(Locale.ROOT, a < 9.995 ? "%.2f" : a < 99.95 ? "%.1f" : a < 9999.5 ? "%.0f" : "%.1e", v);
        return s.matches("-0(\\.0+)?") ? s.substring(1) : s;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void printsWhatStringFormatPrints(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            double v = switch (i % 5) {
                case 0 -> r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4); // every magnitude the branches split
                case 1 -> (r.nextInt(2_000_001) - 1_000_000) / 1000.0 + 0.0005; // a half of the last decimal kept...
                case 2 -> (r.nextInt(200_001) - 100_000) / 100.0 + 0.05; // ...for %.2f and %.1f
                case 3 -> Math.nextAfter((r.nextInt(20_001) - 10_000) / 200.0, r.nextBoolean() ? 1e9 : -1e9); // one ulp off
                default -> (float) (r.nextGaussian() * 3); // a float32 value widened, as most cases hold
            };
            assertThat(Numbers.format(v)).as("seed %d, value %s", seed, Double.toString(v)).isEqualTo(byStringFormat(v));
        }
    }

    @Test
    void theEdgesOfEachBranchAndTheSpecialValues() {
        double[] edges = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, -0.004, -0.005, 0.005, 0.015, 1.005, 2.675, -2.675,
                9.99, 9.994999, 9.995, -9.995, 9.996, 99.94, 99.95, 99.96, -99.95, 9999.4, 9999.5, -9999.5, 12345.6, 1e300,
                0.125, 0.375, -0.125, 10.25, 10.35, 0.5, -0.5, 99.5, 100.5, -100.5, 4.4999999999999996,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double v : edges) {
            assertThat(Numbers.format(v)).as("value %s", Double.toString(v)).isEqualTo(byStringFormat(v));
        }
        assertThat(Numbers.format(-0.001)).isEqualTo("0.00");
        assertThat(Numbers.format(-0.8)).isEqualTo("-0.80");
    }
}
