package convlab.core;

import java.util.stream.IntStream;

/**
 * The same 2D convolution as {@link Conv2d}, computed faster; otherwise identical to it (same formula, same float64
 * sums, same padding modes), and tested equal to it on every feature. {@link Conv2d#forward} stays the readable
 * oracle; this is what the verifier runs on large layers.
 *
 * <p>Three changes, none of them clever. The loops run {@code n, oc | oh | ic, kh, kw | ow}: one output row stays in
 * the L1 cache while every tap adds to it, and the innermost loop walks that row and one input row in memory order
 * with the weight held in a register. The padding test leaves the innermost loop: each kernel row reads an input row
 * resolved once per layer through {@link PaddingMode#source} (or a row of the padding's zeros), and each kernel
 * column splits the output row into the part whose input column is {@code ow*sw + kw*dw - pl}, inside the input,
 * and the few positions at the edges, which read through the same resolved map. And the {@code (n, oc)} planes are
 * split over the machine's cores. Each output value adds the same terms as {@link Conv2d} (a padded zero times its
 * weight included, as the frameworks compute it), in the same order {@code ic, kh, kw}: the results are the same to
 * the last bit.
 */
public final class Conv2dFast {

    private Conv2dFast() {
    }

    /** The layer over an NCHW input: before and after the activation, as {@link Conv2d#forward}. */
    public static Output forward(Tensor input, ConvLayer layer) {
        Geometry g = Geometry.of(input.shape(), layer);
        ConvSpec spec = layer.spec();
        int N = g.n(), C = g.c(), H = g.h(), W = g.w(), O = g.o(), OH = g.oh(), OW = g.ow(), Cg = g.cg(), Og = g.og();
        int KH = g.kernel().h(), KW = g.kernel().w();
        int sh = spec.stride().h(), sw = spec.stride().w(), dh = spec.dilation().h(), dw = spec.dilation().w();
        int pl = g.pads().left();
        PaddingMode mode = spec.paddingMode();
        // rows[oh][kh] and cols[ow][kw]: the input row / column a tap reads, or -1 for a zero of the padding
        int[][] rows = sources(OH, KH, sh, dh, g.pads().top(), H, mode);
        int[][] cols = sources(OW, KW, sw, dw, pl, W, mode);
        // for kernel column kw, output columns from[kw] to to[kw] - 1 read input column ow*sw + kw*dw - pl, inside the input
        int[] from = new int[KW], to = new int[KW];
        for (int kw = 0; kw < KW; kw++) {
            from[kw] = OW;
            for (int ow = OW - 1; ow >= 0 && ow * sw + kw * dw - pl >= 0; ow--) {
                if (ow * sw + kw * dw - pl < W) {
                    from[kw] = ow;
                    to[kw] = Math.max(to[kw], ow + 1);
                }
            }
        }
        double[] x = input.data();
        double[] w = layer.weights().data();
        double[] pre = new double[N * O * OH * OW];
        IntStream.range(0, N * O).parallel().forEach(plane -> {
            int n = plane / O, oc = plane % O, group = oc / Og;
            for (int oh = 0; oh < OH; oh++) {
                int out = (plane * OH + oh) * OW;
                java.util.Arrays.fill(pre, out, out + OW, layer.bias(oc));
                for (int ic = 0; ic < Cg; ic++) {
                    int inBase = (n * C + group * Cg + ic) * H * W;
                    for (int kh = 0; kh < KH; kh++) {
                        int row = rows[oh][kh];
                        int in = inBase + row * W;
                        for (int kw = 0; kw < KW; kw++) {
                            double weight = w[((oc * Cg + ic) * KH + kh) * KW + kw];
                            if (row < 0) { // a row of the padding: zeros
                                for (int ow = 0; ow < OW; ow++) {
                                    pre[out + ow] += 0.0 * weight;
                                }
                                continue;
                            }
                            int lo = from[kw], hi = to[kw], shift = in + kw * dw - pl;
                            for (int ow = 0; ow < lo; ow++) {
                                pre[out + ow] += read(x, in, cols[ow][kw]) * weight;
                            }
                            if (sw == 1) { // the same sum; a loop the JIT can run on vector registers
                                for (int ow = lo; ow < hi; ow++) {
                                    pre[out + ow] += x[shift + ow] * weight;
                                }
                            } else {
                                for (int ow = lo; ow < hi; ow++) {
                                    pre[out + ow] += x[shift + ow * sw] * weight;
                                }
                            }
                            for (int ow = Math.max(lo, hi); ow < OW; ow++) {
                                pre[out + ow] += read(x, in, cols[ow][kw]) * weight;
                            }
                        }
                    }
                }
            }
        });
        double[] activated = new double[pre.length];
        Activation act = spec.activation();
        for (int i = 0; i < pre.length; i++) {
            activated[i] = act.apply(pre[i]);
        }
        int[] shape = g.outputShape();
        return new Output(Tensor.adopt(DType.FLOAT64, shape, pre), Tensor.adopt(DType.FLOAT64, shape.clone(), activated));
    }

    /** The input value at column {@code col} of the row starting at {@code in}, or a zero of the padding for -1. */
    private static double read(double[] x, int in, int col) {
        return col < 0 ? 0.0 : x[in + col];
    }

    /** For each output position and kernel cell, the input index it reads ({@code o*s + k*d - p}, through the mode), or -1. */
    private static int[][] sources(int outSize, int k, int s, int d, int pad, int inSize, PaddingMode mode) {
        int[][] m = new int[outSize][k];
        for (int o = 0; o < outSize; o++) {
            for (int j = 0; j < k; j++) {
                m[o][j] = mode.source(o * s + j * d - pad, inSize);
            }
        }
        return m;
    }
}
