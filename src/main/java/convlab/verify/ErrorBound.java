package convlab.verify;

import convlab.core.DType;
import convlab.core.Layer;
import convlab.core.OpGeometry;
import convlab.core.Tensor;

/**
 * How far a correct floating-point convolution may be from the exact one. A sum of {@code n} products computed in a
 * type with machine epsilon {@code eps} (2^-23 for float32, 2^-52 for float64), in any order, is off by at most about
 * {@code n * eps/2 * sum|x*w|}; rounding the inputs to that type and the result adds a few {@code eps/2} more.
 * So element {@code i} of a layer may differ from the reference by
 * <pre>
 *   |a - r| <= abs + rel*|r| + C * n * eps * m[i],   m[i] = sum_{ic,kh,kw} |x * w|,   n = C/groups * KH * KW,   C = 2
 * </pre>
 * plus, in layer k > 1, what the engine's own layer k-1 output already differed: {@code sum |w| * |a' - r'|} over the
 * same taps. The activations convlab has (relu, tanh, sigmoid) change no difference by more than a factor of 1, so
 * the bound on the sum holds after them too. A fixed {@code abs} does not grow with {@code n}; this does, so a
 * 512-channel layer whose outputs are near zero is not a false alarm.
 */
public final class ErrorBound {

    /** The constant in front of {@code n * eps}; 2 covers rounding the inputs, the products and the sum. */
    public static final double C = 2;

    private ErrorBound() {
    }

    /** {@code m[i] = sum |x| * |w|} over the taps of each output element: {@link Layer#magnitudes}. */
    public static Tensor magnitudes(Tensor input, Layer layer) {
        return layer.magnitudes(input);
    }

    /** Terms summed per output element (the bias aside), from the op's geometry: conv2d's {@code C/groups * KH * KW}. */
    public static long terms(Layer layer, int[] inputShape) {
        OpGeometry g = layer.geometry(inputShape);
        long outputs = 1;
        for (int d : g.outputShape()) {
            outputs *= d;
        }
        return outputs == 0 ? 0 : g.multiplyAdds() / outputs;
    }

    /** Machine epsilon of a type: the gap between 1 and the next larger number. */
    public static double eps(DType type) {
        return type == DType.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0);
    }

    /** The rounding allowance per element, {@code C * n * eps * m[i]}, for a layer computed in {@code type}. */
    public static Tensor rounding(Tensor magnitudes, Layer layer, int[] inputShape, DType type) {
        double factor = C * terms(layer, inputShape) * eps(type);
        return magnitudes.map(m -> factor * m);
    }

    /**
     * The allowance of layer k > 1 for an engine whose layer k-1 output {@code previous} differs from the reference's
     * {@code previousReference}: the rounding allowance plus {@code sum |w| * |a' - r'|} over each element's taps.
     */
    public static Tensor withPropagated(Tensor rounding, Tensor previous, Tensor previousReference, Layer layer) {
        double[] diff = new double[previous.size()];
        for (int i = 0; i < diff.length; i++) {
            double d = Math.abs(previous.flat(i) - previousReference.flat(i));
            diff[i] = Double.isFinite(d) ? d : 0; // NaN and infinity are compared as themselves, not bounded
        }
        Tensor propagated = magnitudes(Tensor.of(previous.shape(), diff), layer);
        double[] sum = new double[rounding.size()];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = rounding.flat(i) + propagated.flat(i);
        }
        return Tensor.of(rounding.shape(), sum);
    }
}
