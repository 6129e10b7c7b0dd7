package convlab.core;

import java.util.List;

/**
 * The backward pass of any op, read off its taps: every output value is a reduction over taps, so its upstream
 * gradient {@code delta = dL/dy * act'(pre)} flows back along those taps and nowhere else.
 * <pre>
 *   sum (conv_transpose2d):   dX[tap's input cell] += delta * w      dW[tap's weight cell] += delta * x      db[oc] += delta
 *   max (max_pool2d):         dX[the winning tap's cell] += delta    (the first largest, as PyTorch; a padded cell never wins)
 *   mean (avg_pool2d):        dX[each tap's input cell] += delta / D (D the divisor of the forward pass)
 * </pre>
 * A tap that reads the padding sends nothing back (zero padding: nothing was copied). This is the slow, obviously
 * right form; {@link Conv2dBackward} is conv2d's formula-shaped one, and the contract test checks every op against
 * finite differences of its own forward pass.
 */
public final class TapBackward {

    private TapBackward() {
    }

    /** The gradients of a transposed convolution or a pooling layer; conv2d has {@link Conv2dBackward}. */
    public static Gradients backward(Layer layer, Tensor input, Tensor gradOutput) {
        Output out = layer.forward(input);
        int[] shape = out.preActivation().shape();
        if (!java.util.Arrays.equals(shape, gradOutput.shape())) {
            throw new IllegalArgumentException("Expected dL/dy of the output's shape " + Tensor.shapeString(shape) + ", but found "
                    + gradOutput.shapeString());
        }
        int N = shape[0], O = shape[1], OH = shape[2], OW = shape[3];
        int[] in = input.shape();
        int C = in[1], H = in[2], W = in[3];
        double[] dx = new double[input.size()];
        Tensor w = layer.weights();
        double[] dw = w == null ? null : new double[w.size()];
        double[] db = layer.bias() == null ? null : new double[O];
        for (int n = 0; n < N; n++) {
            for (int oc = 0; oc < O; oc++) {
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow = 0; ow < OW; ow++) {
                        double delta = gradOutput.get(n, oc, oh, ow) * layer.activation().derivative(out.preActivation().get(n, oc, oh, ow));
                        List<Tap> taps = layer.taps(input, n, oc, oh, ow);
                        switch (layer.op()) {
                            case CONV_TRANSPOSE2D -> {
                                int og = O / ((ConvTransposeLayer) layer).spec().groups();
                                for (Tap t : taps) {
                                    dx[((n * C + t.c()) * H + t.ih()) * W + t.iw()] += delta * t.w();
                                    dw[w.offset(t.c(), oc % og, t.kh(), t.kw())] += delta * t.x();
                                }
                            }
                            case MAX_POOL2D -> {
                                if (!taps.isEmpty()) {
                                    Tap t = taps.get(Pool2d.winner(taps));
                                    if (!t.padding()) {
                                        dx[((n * C + t.c()) * H + t.ih()) * W + t.iw()] += delta;
                                    }
                                }
                            }
                            case AVG_POOL2D -> {
                                int divisor = Pool2d.divisor(taps, ((PoolLayer) layer).spec().countIncludePad());
                                for (Tap t : taps) {
                                    if (!t.padding()) {
                                        dx[((n * C + t.c()) * H + t.ih()) * W + t.iw()] += delta / divisor;
                                    }
                                }
                            }
                            case CONV2D -> throw new IllegalArgumentException("conv2d's backward pass is Conv2dBackward");
                        }
                        if (db != null) {
                            db[oc] += delta;
                        }
                    }
                }
            }
        }
        return new Gradients(Tensor.adopt(DType.FLOAT64, in.clone(), dx),
                dw == null ? null : Tensor.adopt(DType.FLOAT64, w.shape(), dw),
                db == null ? null : Tensor.adopt(DType.FLOAT64, new int[] {O}, db));
    }
}
