package convlab.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named 3x3 kernels that can stand in for weight files: {@code identity}, {@code box-blur}, {@code sharpen},
 * {@code sobel-x}, {@code sobel-y}, {@code laplacian}, {@code gaussian}. A preset becomes one filter that applies the
 * kernel to the mean of its input channels, so it means the same thing on a 1-channel and a 3-channel input.
 */
public final class KernelPresets {

    private static final Map<String, double[][]> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("identity", new double[][] {{0, 0, 0}, {0, 1, 0}, {0, 0, 0}});
        PRESETS.put("box-blur", new double[][] {{1 / 9.0, 1 / 9.0, 1 / 9.0}, {1 / 9.0, 1 / 9.0, 1 / 9.0}, {1 / 9.0, 1 / 9.0, 1 / 9.0}});
        PRESETS.put("sharpen", new double[][] {{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}});
        PRESETS.put("sobel-x", new double[][] {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}});
        PRESETS.put("sobel-y", new double[][] {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}});
        PRESETS.put("laplacian", new double[][] {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}});
        PRESETS.put("gaussian", new double[][] {{1 / 16.0, 2 / 16.0, 1 / 16.0}, {2 / 16.0, 4 / 16.0, 2 / 16.0}, {1 / 16.0, 2 / 16.0, 1 / 16.0}});
    }

    private KernelPresets() {
    }

    public static Iterable<String> names() {
        return PRESETS.keySet();
    }

    /**
     * Weights {@code [names.length, channels, 3, 3]}: filter {@code o} applies preset {@code names[o]} to each of
     * {@code channels} input channels, divided by {@code channels}.
     */
    public static Tensor weights(String[] names, int channels) {
        double[][][] kernels = new double[names.length][][];
        for (int o = 0; o < names.length; o++) {
            kernels[o] = PRESETS.get(names[o].trim());
            if (kernels[o] == null) {
                throw new IllegalArgumentException("expected a preset among " + String.join(", ", PRESETS.keySet())
                        + ", but found \"" + names[o].trim() + "\"");
            }
        }
        return Tensor.fill(DType.FLOAT64, new int[] {names.length, channels, 3, 3},
                idx -> kernels[idx[0]][idx[2]][idx[3]] / channels);
    }
}
