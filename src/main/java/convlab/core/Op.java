package convlab.core;

import java.util.Set;

/**
 * The operations of the convolution family that convlab computes by hand: the one list of op names, and the
 * registration point of an op's case-file fields (each constant's {@link #fields} and {@link #read}, abstract so the
 * compiler asks a new op for them). Everything else an op does, its {@link Layer} says for itself.
 */
public enum Op {
    /** 2D cross-correlation with filters: {@link Conv2d}. */
    CONV2D("conv2d") {
        @Override
        public Set<String> fields() {
            return ConvLayer.FIELDS;
        }

        @Override
        public CaseFields.Read read(CaseFields f) {
            return ConvLayer.read(f);
        }
    },
    /** 2D transposed convolution (the adjoint of conv2d; "deconvolution"): {@link ConvTranspose2d}. */
    CONV_TRANSPOSE2D("conv_transpose2d") {
        @Override
        public Set<String> fields() {
            return ConvTransposeLayer.FIELDS;
        }

        @Override
        public CaseFields.Read read(CaseFields f) {
            return ConvTransposeLayer.read(f);
        }
    },
    /** 2D max pooling, a window per channel: {@link Pool2d}. */
    MAX_POOL2D("max_pool2d") {
        @Override
        public Set<String> fields() {
            return PoolLayer.FIELDS;
        }

        @Override
        public CaseFields.Read read(CaseFields f) {
            return PoolLayer.read(this, f);
        }
    },
    /** 2D average pooling, a window per channel: {@link Pool2d}. */
    AVG_POOL2D("avg_pool2d") {
        @Override
        public Set<String> fields() {
            return PoolLayer.FIELDS;
        }

        @Override
        public CaseFields.Read read(CaseFields f) {
            return PoolLayer.read(this, f);
        }
    };

    /** The case-file fields a layer of this op has of its own, besides {@link CaseFields#COMMON}. */
    public abstract Set<String> fields();

    /** A layer of this op from its case-file fields: the one place a case file's {@code "op"} becomes a layer. */
    public abstract CaseFields.Read read(CaseFields f);

    private final String text;

    Op(String text) {
        this.text = text;
    }

    /** The op with this case-file name; the message lists the known ones. */
    public static Op parse(String s) {
        return Names.parse(values(), s);
    }

    /** The case-file name: {@code conv2d}. */
    @Override
    public String toString() {
        return text;
    }
}
