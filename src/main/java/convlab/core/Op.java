package convlab.core;

import java.util.Set;
import java.util.function.Function;

/**
 * The operations of the convolution family that convlab computes by hand: the one list of op names, and the
 * registration point of an op's case-file fields (each constant's {@link #fields} and {@link #read}, constructor
 * arguments, so the compiler asks a new op for them). Everything else an op does, its {@link Layer} says for itself.
 */
public enum Op {
    /** 2D cross-correlation with filters: {@link Conv2d}. */
    CONV2D("conv2d", ConvLayer.FIELDS, ConvLayer::read),
    /** 2D transposed convolution (the adjoint of conv2d; "deconvolution"): {@link ConvTranspose2d}. */
    CONV_TRANSPOSE2D("conv_transpose2d", ConvTransposeLayer.FIELDS, ConvTransposeLayer::read),
    /** 2D max pooling, a window per channel: {@link Pool2d}. */
    MAX_POOL2D("max_pool2d", PoolLayer.FIELDS, PoolLayer::readMax),
    /** 2D average pooling, a window per channel: {@link Pool2d}. */
    AVG_POOL2D("avg_pool2d", PoolLayer.FIELDS, PoolLayer::readAverage);

    private final String text;
    private final Set<String> fields;
    private final Function<CaseFields, CaseFields.Read> reader;

    /** Every op gives its case-file name, its own fields and its reader: the compiler asks a new op for all three. */
    Op(String text, Set<String> fields, Function<CaseFields, CaseFields.Read> reader) {
        this.text = text;
        this.fields = Set.copyOf(fields);
        this.reader = reader;
    }

    /** The case-file fields a layer of this op has of its own, besides {@link CaseFields#COMMON}. */
    public Set<String> fields() {
        return fields;
    }

    /** A layer of this op from its case-file fields: the one place a case file's {@code "op"} becomes a layer. */
    public CaseFields.Read read(CaseFields f) {
        return reader.apply(f);
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
