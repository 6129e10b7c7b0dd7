package convlab.core;

/**
 * The backward pass of {@link Conv2d}, written to be read: given the upstream gradient {@code dy = dL/dy} of the
 * activated output {@code y = act(pre)}, the gradients of L for the weights, the bias and the input. Shapes and
 * names are {@link Conv2d}'s; for output channel {@code oc} in group {@code g = oc / Og}:
 * <pre>
 *   delta[n][oc][oh][ow] = dy[n][oc][oh][ow] * act'(pre[n][oc][oh][ow])
 *   dW[oc][ic][kh][kw]   = sum_{n,oh,ow} delta[n][oc][oh][ow] * x[n][g*Cg+ic][oh*sh+kh*dh-pt][ow*sw+kw*dw-pl]
 *   db[oc]               = sum_{n,oh,ow} delta[n][oc][oh][ow]
 *   dX[n][g*Cg+ic][src(ih)][src(iw)] += delta[n][oc][oh][ow] * w[oc][ic][kh][kw]
 *                          for every tap, with ih = oh*sh+kh*dh-pt, iw = ow*sw+kw*dw-pl
 * </pre>
 * Each tap read one input cell, so its share of the gradient goes back to that cell: {@code src} is
 * {@link PaddingMode#source}, the cell a padded coordinate copies. With zeros a padded tap read a constant and
 * sends nothing back; with reflect, replicate and circular it read a real cell, so the gradient folds back onto it
 * (a border cell that was copied twice into the padding collects three shares). With zero padding, dX is a
 * transposed convolution of delta with w. Everything is computed in float64.
 */
public final class Conv2dBackward {

    private Conv2dBackward() {
    }

    /** The gradients of one layer over an NCHW input; see the class comment for the formulas. */
    public static Gradients backward(Tensor input, ConvLayer layer, Tensor gradOutput) {
        Geometry g = Geometry.of(input.shape(), layer);
        Backward.checkGradOutput(g, gradOutput);
        ConvSpec spec = layer.spec();
        Tensor w = layer.weights();
        int N = g.n(), O = g.o(), OH = g.oh(), OW = g.ow(), C = g.c(), Cg = g.cg(), Og = g.og();
        int H = g.h(), W = g.w(), KH = g.kernel().h(), KW = g.kernel().w();
        int sh = spec.stride().h(), sw = spec.stride().w(), dh = spec.dilation().h(), dw = spec.dilation().w();
        int pt = g.pads().top(), pl = g.pads().left();
        PaddingMode mode = spec.paddingMode();
        Tensor delta = delta(Conv2d.forward(input, layer).preActivation(), spec.activation(), gradOutput);

        double[] dX = new double[N * C * H * W];
        double[] dW = new double[O * Cg * KH * KW];
        double[] db = new double[O];
        for (int n = 0; n < N; n++) {
            for (int oc = 0; oc < O; oc++) {
                int group = oc / Og;
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow = 0; ow < OW; ow++) {
                        double d = delta.get(n, oc, oh, ow);
                        db[oc] += d;
                        for (int ic = 0; ic < Cg; ic++) {
                            for (int kh = 0; kh < KH; kh++) {
                                for (int kw = 0; kw < KW; kw++) {
                                    int row = mode.source(oh * sh + kh * dh - pt, H);
                                    int col = mode.source(ow * sw + kw * dw - pl, W);
                                    if (row < 0 || col < 0) {
                                        continue; // a zero of the padding: no input cell to credit
                                    }
                                    int c = group * Cg + ic;
                                    dW[((oc * Cg + ic) * KH + kh) * KW + kw] += d * input.get(n, c, row, col);
                                    dX[((n * C + c) * H + row) * W + col] += d * w.get(oc, ic, kh, kw);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Gradients(Tensor.adopt(DType.FLOAT64, g.inputShape(), dX), Tensor.adopt(DType.FLOAT64, g.weightShape(), dW),
                layer.bias() == null ? null : Tensor.adopt(DType.FLOAT64, new int[] {O}, db));
    }

    /** {@code delta = dy * act'(pre)}, element by element: the gradient of L for the pre-activation output. */
    public static Tensor delta(Tensor preActivation, Activation activation, Tensor gradOutput) {
        double[] d = new double[preActivation.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = gradOutput.flat(i) * activation.derivative(preActivation.flat(i));
        }
        return Tensor.adopt(DType.FLOAT64, preActivation.shape(), d);
    }
}
