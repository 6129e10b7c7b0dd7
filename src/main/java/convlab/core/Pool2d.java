package convlab.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference 2D pooling, written to be read. Input {@code [N, C, H, W]}, a {@code KH x KW} window per channel,
 * output {@code [N, C, OH, OW]}; with {@code ih = oh*sh + kh*dh - pt} and {@code iw = ow*sw + kw*dw - pl}:
 * <pre>
 *   max:     out[n][c][oh][ow] = act( max_{kh,kw} in[n][c][ih][iw] )            padded cells hold -infinity
 *   average: out[n][c][oh][ow] = act( sum_{kh,kw} in[n][c][ih][iw] / D )        padded cells hold 0
 * </pre>
 * where a NaN in a window makes that output NaN (as PyTorch), and the divisor {@code D} is the number of window
 * cells inside the padded input ({@code countIncludePad}, PyTorch's default) or inside the input alone; cells a
 * ceil-mode window reaches beyond the padding are never counted. Sizes: {@link PoolGeometry} (floor or ceil mode).
 * Everything is computed in float64.
 */
public final class Pool2d {

    private Pool2d() {
    }

    /** Runs one pooling layer over an NCHW input; see the class comment for the formula. */
    public static Output forward(Tensor input, PoolLayer layer) {
        PoolGeometry g = PoolGeometry.of(input.shape(), layer);
        int N = g.n(), C = g.c(), OH = g.oh(), OW = g.ow();
        double[] pre = new double[N * C * OH * OW];
        double[] out = new double[pre.length];
        int i = 0;
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow = 0; ow < OW; ow++) {
                        pre[i] = layer.isMax() ? max(input, g, n, c, oh, ow) : average(input, g, n, c, oh, ow);
                        out[i] = layer.activation().apply(pre[i]);
                        i++;
                    }
                }
            }
        }
        int[] shape = g.outputShape();
        return new Output(Tensor.adopt(DType.FLOAT64, shape, pre), Tensor.adopt(DType.FLOAT64, shape.clone(), out));
    }

    /** {@code max_{kh,kw} in[n][c][ih][iw]}, padding -infinity; a NaN takes over (PyTorch: {@code val > max || isnan(val)}). */
    static double max(Tensor in, PoolGeometry g, int n, int c, int oh, int ow) {
        PoolSpec s = g.spec();
        double max = Double.NEGATIVE_INFINITY;
        for (int kh = 0; kh < s.kernel().h(); kh++) {
            for (int kw = 0; kw < s.kernel().w(); kw++) {
                int ih = oh * s.stride().h() + kh * s.dilation().h() - g.pads().top();
                int iw = ow * s.stride().w() + kw * s.dilation().w() - g.pads().left();
                double x = g.inside(ih, iw) ? in.get(n, c, ih, iw) : Double.NEGATIVE_INFINITY;
                if (x > max || Double.isNaN(x)) {
                    max = x;
                }
            }
        }
        return max;
    }

    /** {@code sum_{kh,kw} in[n][c][ih][iw] / D}, padding 0; D counts padded cells only with countIncludePad. */
    static double average(Tensor in, PoolGeometry g, int n, int c, int oh, int ow) {
        PoolSpec s = g.spec();
        double sum = 0;
        int divisor = 0;
        for (int kh = 0; kh < s.kernel().h(); kh++) {
            for (int kw = 0; kw < s.kernel().w(); kw++) {
                int ih = oh * s.stride().h() + kh * s.dilation().h() - g.pads().top();
                int iw = ow * s.stride().w() + kw * s.dilation().w() - g.pads().left();
                if (g.inside(ih, iw)) {
                    sum += in.get(n, c, ih, iw);
                    divisor++;
                } else if (s.countIncludePad() && g.insidePadded(ih, iw)) {
                    divisor++;
                }
            }
        }
        return sum / divisor;
    }

    /**
     * The window cells of output {@code [n][c][oh][ow]} inside the padded input, in the order of the formula: each
     * with {@code w = 1} (pooling has no weights), {@code ic = 0}, and for a padded cell the value the op pads with
     * (max: -infinity, average: 0). Cells a ceil-mode window reaches beyond the padding are not taps.
     */
    public static List<Tap> taps(Tensor input, PoolLayer layer, int n, int c, int oh, int ow) {
        PoolGeometry g = PoolGeometry.of(input.shape(), layer);
        PoolSpec s = layer.spec();
        double pad = layer.isMax() ? Double.NEGATIVE_INFINITY : 0.0;
        List<Tap> taps = new ArrayList<>();
        for (int kh = 0; kh < s.kernel().h(); kh++) {
            for (int kw = 0; kw < s.kernel().w(); kw++) {
                int ih = oh * s.stride().h() + kh * s.dilation().h() - g.pads().top();
                int iw = ow * s.stride().w() + kw * s.dilation().w() - g.pads().left();
                if (g.insidePadded(ih, iw)) {
                    boolean inside = g.inside(ih, iw);
                    taps.add(new Tap(c, 0, kh, kw, ih, iw, !inside, inside ? input.get(n, c, ih, iw) : pad, 1.0));
                }
            }
        }
        return taps;
    }

    /** The index of the tap max pooling picks: the first largest (ties go to the first, as PyTorch), or the last NaN. */
    public static int winner(List<Tap> taps) {
        int best = 0;
        for (int i = 1; i < taps.size(); i++) {
            double x = taps.get(i).x();
            if (x > taps.get(best).x() || Double.isNaN(x)) {
                best = i;
            }
        }
        return best;
    }

    /** Average pooling's divisor from the taps: all of them with countIncludePad, else those that read the input. */
    public static int divisor(List<Tap> taps, boolean countIncludePad) {
        if (countIncludePad) {
            return taps.size();
        }
        int real = 0;
        for (Tap t : taps) {
            real += t.padding() ? 0 : 1;
        }
        return real;
    }
}
