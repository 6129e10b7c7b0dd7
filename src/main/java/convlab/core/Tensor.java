package convlab.core;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * An immutable dense array of doubles in row-major (C) order, with the element type it came from.
 * Records keep arrays out of their components; they hold a {@code Tensor} instead, which compares by value.
 */
public final class Tensor {
    private final int[] shape;
    private final double[] data;
    private final DType dtype;

    private Tensor(int[] shape, double[] data, DType dtype) {
        this.shape = shape;
        this.data = data;
        this.dtype = dtype;
    }

    /** A tensor holding a copy of {@code data}, which must have as many elements as the shape says. */
    public static Tensor of(DType dtype, int[] shape, double[] data) {
        return adopt(dtype, shape.clone(), data.clone());
    }

    /** A float64 tensor holding a copy of {@code data}. */
    public static Tensor of(int[] shape, double[] data) {
        return of(DType.FLOAT64, shape, data);
    }

    /** Takes ownership of {@code data} without copying; the caller must not change it afterwards. */
    static Tensor adopt(DType dtype, int[] shape, double[] data) {
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("Expected dimensions >= 0, but found " + shape[i] + " at index " + i);
            }
        }
        if (count(shape) != data.length) {
            throw new IllegalArgumentException("Shape " + shapeString(shape) + " holds " + count(shape)
                    + " elements, but found " + data.length + " values");
        }
        return new Tensor(shape, data, dtype);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return adopt(dtype, shape.clone(), new double[count(shape)]);
    }

    /** A tensor whose element at each index is {@code f(index)}. */
    public static Tensor fill(DType dtype, int[] shape, IndexFunction f) {
        double[] data = new double[count(shape)];
        int[] idx = new int[shape.length];
        for (int i = 0; i < data.length; i++) {
            data[i] = dtype.round(f.at(idx));
            increment(idx, shape);
        }
        return adopt(dtype, shape.clone(), data);
    }

    /** The value at a multi-index, used by {@link #fill}. */
    @FunctionalInterface
    public interface IndexFunction {
        double at(int[] index);
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return data.length;
    }

    public DType dtype() {
        return dtype;
    }

    /** The same values marked as another element type (rounded when narrowing to float32). */
    public Tensor as(DType type) {
        if (type == dtype) {
            return this;
        }
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = type.round(data[i]);
        }
        return new Tensor(shape, out, type);
    }

    public double get(int... index) {
        return data[offset(index)];
    }

    /** The element at a rank-4 index, without allocating: the convolution loops call this. */
    public double get(int a, int b, int c, int d) {
        return data[((a * shape[1] + b) * shape[2] + c) * shape[3] + d];
    }

    /** The element at a row-major flat index. */
    public double flat(int i) {
        return data[i];
    }

    /** The backing array itself, for the core's own loops: never changed, never handed out of the package. */
    double[] data() {
        return data;
    }

    public double[] toArray() {
        return data.clone();
    }

    /** The row-major flat offset of a multi-index, checked against the shape. */
    public int offset(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("Expected an index of rank " + shape.length + ", but found rank " + index.length);
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("Index " + Arrays.toString(index) + " is outside shape " + shapeString());
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** The multi-index of a row-major flat offset. */
    public int[] unravel(int flatIndex) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flatIndex % shape[i];
            flatIndex /= shape[i];
        }
        return idx;
    }

    /** The axes reordered: output axis i is input axis {@code axes[i]} (as numpy's transpose). */
    public Tensor permute(int... axes) {
        if (axes.length != shape.length) {
            throw new IllegalArgumentException("Expected " + shape.length + " axes, but found " + axes.length);
        }
        int[] outShape = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            outShape[i] = shape[axes[i]];
        }
        int[] srcIdx = new int[shape.length];
        return fill(dtype, outShape, outIdx -> {
            for (int i = 0; i < axes.length; i++) {
                srcIdx[axes[i]] = outIdx[i];
            }
            return data[offset(srcIdx)];
        });
    }

    public Tensor reshape(int... newShape) {
        if (count(newShape) != data.length) {
            throw new IllegalArgumentException("Cannot reshape " + shapeString() + " to " + shapeString(newShape));
        }
        return new Tensor(newShape.clone(), data, dtype);
    }

    public Tensor map(DoubleUnaryOperator f) {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = dtype.round(f.applyAsDouble(data[i]));
        }
        return new Tensor(shape, out, dtype);
    }

    /** The slice {@code [i]} along axis 0. */
    public Tensor slice(int i) {
        int[] sub = Arrays.copyOfRange(shape, 1, shape.length);
        int n = count(sub);
        return new Tensor(sub, Arrays.copyOfRange(data, i * n, (i + 1) * n), dtype);
    }

    /** Smallest and largest non-NaN values, or {@code [NaN, NaN]} when there are none. */
    public double[] range() {
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (double v : data) {
            if (Double.isNaN(v)) {
                continue;
            }
            lo = Double.isNaN(lo) ? v : Math.min(lo, v);
            hi = Double.isNaN(hi) ? v : Math.max(hi, v);
        }
        return new double[] {lo, hi};
    }

    public String shapeString() {
        return shapeString(shape);
    }

    /** A shape written as {@code 1x3x8x8}. */
    public static String shapeString(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : "x").append(shape[i]);
        }
        return shape.length == 0 ? "scalar" : sb.toString();
    }

    static int count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Shape " + shapeString(shape) + " is too large: " + n + " elements");
        }
        return (int) n;
    }

    private static void increment(int[] idx, int[] shape) {
        for (int i = idx.length - 1; i >= 0; i--) {
            if (++idx[i] < shape[i]) {
                return;
            }
            idx[i] = 0;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.dtype == dtype && Arrays.equals(t.shape, shape) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor(" + dtype + ", " + shapeString() + ")";
    }
}
