package convlab.engine;

import convlab.core.ConvLayer;
import convlab.core.ConvTransposeLayer;
import convlab.core.Layer;
import convlab.core.PoolLayer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the ND4J engines ({@code nd4j}, {@code nd4j-onednn}) run for each op, chosen in one place ({@link #of}): its
 * forward op before the activation, its backward pass, and what oneDNN's float32 note calls it. Each constant hands
 * the layer to the op's own class ({@link Nd4jConvTranspose}, {@link Nd4jPooling}, ...).
 */
enum Nd4jOp {
    CONV2D("convolution") {
        @Override
        INDArray pre(INDArray x, Layer layer, DataType type, List<String> notes) {
            return Nd4jEngine.conv2dPre(x, (ConvLayer) layer, type, notes);
        }

        @Override
        INDArray[] backward(INDArray x, Layer layer, INDArray delta, DataType type, List<String> notes) {
            return Nd4jBackward.conv2dBackward(x, (ConvLayer) layer, delta, type, notes);
        }
    },
    CONV_TRANSPOSE2D("transposed convolution (deconv2d)") {
        @Override
        INDArray pre(INDArray x, Layer layer, DataType type, List<String> notes) {
            return Nd4jConvTranspose.forward(x, (ConvTransposeLayer) layer, type, notes);
        }

        @Override
        INDArray[] backward(INDArray x, Layer layer, INDArray delta, DataType type, List<String> notes) {
            return Nd4jConvTransposeBackward.backward(x, (ConvTransposeLayer) layer, delta, type, notes);
        }
    },
    /** max_pool2d and avg_pool2d; pooling runs in x's type. */
    POOLING("pooling") {
        @Override
        INDArray pre(INDArray x, Layer layer, DataType type, List<String> notes) {
            return Nd4jPooling.pool(x, (PoolLayer) layer, notes);
        }

        @Override
        INDArray[] backward(INDArray x, Layer layer, INDArray delta, DataType type, List<String> notes) {
            return new INDArray[] {Nd4jPoolingBackward.backward(x, (PoolLayer) layer, delta, notes), null, null};
        }
    };

    /** What oneDNN's float32 note calls the op: {@code convolution}. */
    final String oneDnnName;

    Nd4jOp(String oneDnnName) {
        this.oneDnnName = oneDnnName;
    }

    /** The one place the ND4J engines choose by op. */
    static Nd4jOp of(Layer layer) {
        return switch (layer.op()) {
            case CONV2D -> CONV2D;
            case CONV_TRANSPOSE2D -> CONV_TRANSPOSE2D;
            case MAX_POOL2D, AVG_POOL2D -> POOLING;
        };
    }

    /** The layer's output before the activation, in {@code type} (pooling: in x's). */
    abstract INDArray pre(INDArray x, Layer layer, DataType type, List<String> notes);

    /** dL/dx, dL/dw and dL/db (null without them) from delta, dL/d(pre-activation output). */
    abstract INDArray[] backward(INDArray x, Layer layer, INDArray delta, DataType type, List<String> notes);
}
