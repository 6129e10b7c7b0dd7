package convlab.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference 2D convolution, written to be read. Shapes: input {@code [N, C, H, W]}, weights
 * {@code [O, C/groups, KH, KW]}, bias {@code [O]}, output {@code [N, O, OH, OW]}; {@code Cg = C/groups} input
 * channels per group and {@code Og = O/groups} filters per group. For output channel {@code oc} in group
 * {@code g = oc / Og}:
 * <pre>
 *   out[n][oc][oh][ow] = act( b[oc] + sum_{ic,kh,kw} in[n][g*Cg+ic][oh*sh+kh*dh-pt][ow*sw+kw*dw-pl] * w[oc][ic][kh][kw] )
 * </pre>
 * where a row or column outside the input reads the padding ({@link PaddingMode}), and
 * {@code OH = floor((H + pt + pb - dh*(KH-1) - 1) / sh) + 1} (likewise OW; see {@link Geometry}).
 * This is cross-correlation (the kernel is not flipped), which is what deep-learning frameworks call convolution.
 * Everything is computed in float64.
 */
public final class Conv2d {

    private Conv2d() {
    }

    /** Runs one layer over an NCHW input; see the class comment for the formula. */
    public static Output forward(Tensor input, ConvLayer layer) {
        Geometry g = Geometry.of(input.shape(), layer);
        ConvSpec spec = layer.spec();
        Tensor w = layer.weights();
        int N = g.n(), O = g.o(), OH = g.oh(), OW = g.ow(), Cg = g.cg(), Og = g.og();
        int H = g.h(), W = g.w(), KH = g.kernel().h(), KW = g.kernel().w();
        int sh = spec.stride().h(), sw = spec.stride().w(), dh = spec.dilation().h(), dw = spec.dilation().w();
        int pt = g.pads().top(), pl = g.pads().left();
        PaddingMode mode = spec.paddingMode();

        double[] pre = new double[N * O * OH * OW];
        double[] out = new double[pre.length];
        int i = 0;
        for (int n = 0; n < N; n++) {
            for (int oc = 0; oc < O; oc++) {
                int group = oc / Og;
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow = 0; ow < OW; ow++) {
                        double sum = layer.bias(oc);
                        for (int ic = 0; ic < Cg; ic++) {
                            for (int kh = 0; kh < KH; kh++) {
                                for (int kw = 0; kw < KW; kw++) {
                                    int ih = oh * sh + kh * dh - pt;
                                    int iw = ow * sw + kw * dw - pl;
                                    sum += mode.read(input, n, group * Cg + ic, ih, iw, H, W) * w.get(oc, ic, kh, kw);
                                }
                            }
                        }
                        pre[i] = sum;
                        out[i] = spec.activation().apply(sum);
                        i++;
                    }
                }
            }
        }
        int[] shape = g.outputShape();
        return new Output(Tensor.adopt(DType.FLOAT64, shape, pre), Tensor.adopt(DType.FLOAT64, shape.clone(), out));
    }

    /** Runs a stack of layers: layer k+1 takes layer k's activated output. Returns every layer's output. */
    public static List<Output> forward(Tensor input, List<ConvLayer> layers) {
        return Layer.forwardAll(input, layers);
    }

    /**
     * Every tap that output {@code [n][oc][oh][ow]} sums, in the order of the formula; the sum of their
     * products plus the bias is the pre-activation value {@link #forward} computes.
     */
    public static List<Tap> taps(Tensor input, ConvLayer layer, int n, int oc, int oh, int ow) {
        Geometry g = Geometry.of(input.shape(), layer);
        ConvSpec spec = layer.spec();
        PaddingMode mode = spec.paddingMode();
        int group = oc / g.og();
        List<Tap> taps = new ArrayList<>();
        for (int ic = 0; ic < g.cg(); ic++) {
            for (int kh = 0; kh < g.kernel().h(); kh++) {
                for (int kw = 0; kw < g.kernel().w(); kw++) {
                    int ih = oh * spec.stride().h() + kh * spec.dilation().h() - g.pads().top();
                    int iw = ow * spec.stride().w() + kw * spec.dilation().w() - g.pads().left();
                    boolean inside = ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w();
                    int c = group * g.cg() + ic;
                    double x = mode.read(input, n, c, ih, iw, g.h(), g.w());
                    taps.add(new Tap(c, ic, kh, kw, ih, iw, !inside, x, layer.weights().get(oc, ic, kh, kw)));
                }
            }
        }
        return taps;
    }
}
