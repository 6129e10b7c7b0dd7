package convlab.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference 2D transposed convolution, written to be read. Shapes: input {@code [N, C, H, W]}, weights
 * {@code [C, O/groups, KH, KW]} (IOHW), bias {@code [O]}, output {@code [N, O, OH, OW]}; {@code Cg = C/groups}
 * input channels and {@code Og = O/groups} output channels per group. Each input value stamps its kernel, scaled by
 * the value, onto the output; for input channel {@code g*Cg+ic} in group {@code g}:
 * <pre>
 *   out[n][g*Og+oc][ih*sh+kh*dh-pt][iw*sw+kw*dw-pl] += in[n][g*Cg+ic][ih][iw] * w[g*Cg+ic][oc][kh][kw]
 * </pre>
 * then {@code out = act(out + b[oc])}. Before the crop the full output has {@code FH = (H-1)*sh + (KH-1)*dh + 1}
 * rows (likewise FW); {@code outputPadding} rows are appended at the bottom, then {@code pt} rows are cropped at the
 * top and {@code pb} at the bottom: {@code OH = FH + outputPadding - pt - pb}, and stamps that land outside
 * {@code 0..OH-1} are dropped (see {@link ConvTransposeGeometry} for how same padding and an output shape decide the
 * crops).
 *
 * <p>The same numbers, seen the other way: {@link Conv2d} over the input with {@code s-1} zeros inserted between
 * neighbouring values, padded by {@code d*(K-1) - pt} on top and {@code d*(K-1) - pb + outputPadding} at the bottom
 * (likewise left and right), with stride 1, dilation {@code d}, and the kernel flipped and its in/out channels
 * swapped: {@code w'[g*Og+oc][ic][kh][kw] = w[g*Cg+ic][oc][KH-1-kh][KW-1-kw]}. It is the adjoint of conv2d with the
 * same weights: {@code <conv2d(x, w), y> = <x, conv_transpose2d(y, w)>}, which is why it is the gradient of conv2d
 * with respect to its input. Everything is computed in float64.
 */
public final class ConvTranspose2d {

    private ConvTranspose2d() {
    }

    /** Runs one layer over an NCHW input; see the class comment for the formula. */
    public static Output forward(Tensor input, ConvTransposeLayer layer) {
        ConvTransposeGeometry g = ConvTransposeGeometry.of(input.shape(), layer);
        ConvTransposeSpec spec = layer.spec();
        Tensor w = layer.weights();
        int N = g.n(), O = g.o(), OH = g.oh(), OW = g.ow(), Cg = g.cg(), Og = g.og();
        int H = g.h(), W = g.w(), KH = g.kernel().h(), KW = g.kernel().w();
        int sh = spec.stride().h(), sw = spec.stride().w(), dh = spec.dilation().h(), dw = spec.dilation().w();
        int pt = g.pads().top(), pl = g.pads().left();
        int groups = spec.groups();

        double[] sum = new double[N * O * OH * OW];
        for (int n = 0; n < N; n++) {
            for (int group = 0; group < groups; group++) {
                for (int ic = 0; ic < Cg; ic++) {
                    int c = group * Cg + ic;
                    for (int ih = 0; ih < H; ih++) {
                        for (int iw = 0; iw < W; iw++) {
                            double x = input.get(n, c, ih, iw);
                            for (int oc = 0; oc < Og; oc++) {
                                for (int kh = 0; kh < KH; kh++) {
                                    for (int kw = 0; kw < KW; kw++) {
                                        int oh = ih * sh + kh * dh - pt;
                                        int ow = iw * sw + kw * dw - pl;
                                        if (oh >= 0 && oh < OH && ow >= 0 && ow < OW) {
                                            sum[((n * O + group * Og + oc) * OH + oh) * OW + ow] += x * w.get(c, oc, kh, kw);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        double[] pre = new double[sum.length];
        double[] out = new double[sum.length];
        for (int i = 0; i < sum.length; i++) {
            int oc = (i / (OH * OW)) % O;
            pre[i] = sum[i] + layer.bias(oc);
            out[i] = spec.activation().apply(pre[i]);
        }
        int[] shape = g.outputShape();
        return new Output(Tensor.adopt(DType.FLOAT64, shape, pre), Tensor.adopt(DType.FLOAT64, shape.clone(), out));
    }

    /**
     * Every (input cell, kernel cell) pair whose stamp lands on output {@code [n][oc][oh][ow]}, in the order
     * {@code ic, kh, kw}: the input row {@code ih = (oh + pt - kh*dh) / sh} when that divides exactly and lies in
     * {@code 0..H-1} (likewise the column). The sum of their products plus the bias is the pre-activation value
     * {@link #forward} computes; an output cell no stamp reaches (output padding, an output shape larger than the
     * full output) has no taps and holds the bias.
     */
    public static List<Tap> taps(Tensor input, ConvTransposeLayer layer, int n, int oc, int oh, int ow) {
        ConvTransposeGeometry g = ConvTransposeGeometry.of(input.shape(), layer);
        ConvTransposeSpec spec = layer.spec();
        int group = oc / g.og();
        int ocg = oc % g.og();
        List<Tap> taps = new ArrayList<>();
        for (int ic = 0; ic < g.cg(); ic++) {
            int c = group * g.cg() + ic;
            for (int kh = 0; kh < g.kernel().h(); kh++) {
                for (int kw = 0; kw < g.kernel().w(); kw++) {
                    long rowOffset = (long) oh + g.pads().top() - (long) kh * spec.dilation().h();
                    long colOffset = (long) ow + g.pads().left() - (long) kw * spec.dilation().w();
                    if (rowOffset < 0 || colOffset < 0 || rowOffset % spec.stride().h() != 0 || colOffset % spec.stride().w() != 0) {
                        continue;
                    }
                    long ih = rowOffset / spec.stride().h();
                    long iw = colOffset / spec.stride().w();
                    if (ih < g.h() && iw < g.w()) {
                        taps.add(new Tap(c, ic, kh, kw, (int) ih, (int) iw, false, input.get(n, c, (int) ih, (int) iw),
                                layer.weights().get(c, ocg, kh, kw)));
                    }
                }
            }
        }
        return taps;
    }
}
