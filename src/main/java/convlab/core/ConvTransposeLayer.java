package convlab.core;

import java.util.List;
import java.util.Set;

/**
 * One transposed convolution layer: weights {@code [C, O/groups, KH, KW]} (IOHW: PyTorch's, ONNX's and DL4J's
 * order), an optional bias {@code [O]}, and its spec. {@code O = groups * weights.dim(1)}.
 */
public record ConvTransposeLayer(Tensor weights, Tensor bias, ConvTransposeSpec spec) implements Layer, WeightedLayer {

    public ConvTransposeLayer {
        if (weights == null || spec == null) {
            throw new IllegalArgumentException("Expected weights and a spec, but found null");
        }
        if (weights.rank() != 4) {
            throw new IllegalArgumentException("Expected weights of rank 4 [C, O/groups, KH, KW], but found shape " + weights.shapeString());
        }
        if (weights.dim(0) % spec.groups() != 0) {
            throw new IllegalArgumentException("Expected the weights' C=" + weights.dim(0) + " input channels ([C, O/groups, KH, KW] = "
                    + weights.shapeString() + ") to split evenly into groups=" + spec.groups());
        }
        long o = (long) weights.dim(1) * spec.groups();
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != o)) {
            throw new IllegalArgumentException("Expected bias of shape " + o + " (one per output channel: groups " + spec.groups()
                    + " x O/groups " + weights.dim(1) + "), but found " + bias.shapeString());
        }
        if (o > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Expected at most 2147483647 output channels, but groups " + spec.groups()
                    + " x O/groups " + weights.dim(1) + " = " + o);
        }
    }

    public ConvTransposeLayer(Tensor weights, Tensor bias) {
        this(weights, bias, ConvTransposeSpec.defaults());
    }

    /** Output channels: groups * O/groups. */
    @Override
    public int filters() {
        return weights.dim(1) * spec.groups();
    }

    /** Input channels C: the weights' first dimension. */
    public int inputChannels() {
        return weights.dim(0);
    }

    /** Input channels per group: C / groups. */
    public int channelsPerGroup() {
        return weights.dim(0) / spec.groups();
    }

    /** Output channels per group: the weights' second dimension. */
    public int outputsPerGroup() {
        return weights.dim(1);
    }

    @Override
    public Op op() {
        return Op.CONV_TRANSPOSE2D;
    }

    @Override
    public ConvTransposeGeometry geometry(int[] inputShape) {
        return ConvTransposeGeometry.of(inputShape, this);
    }

    @Override
    public Output forward(Tensor input) {
        return ConvTranspose2d.forward(input, this);
    }

    @Override
    public List<Tap> taps(Tensor input, int n, int oc, int oh, int ow) {
        return ConvTranspose2d.taps(input, this, n, oc, oh, ow);
    }

    /** The same layer over |x| with |w|, no bias, no activation: the sum over the taps of |x*w| ({@link Layer#magnitudes}). */
    @Override
    public Tensor magnitudes(Tensor input) {
        ConvTransposeLayer abs = new ConvTransposeLayer(weights.map(Math::abs), null, spec.withActivation(Activation.NONE));
        return ConvTranspose2d.forward(input.map(Math::abs), abs).preActivation();
    }

    /** conv_transpose2d's own case-file fields: conv2d's without paddingMode, plus outputPadding and outputShape. */
    static final Set<String> FIELDS = Set.of("weights", "weightsLayout", "bias", "stride",
            "dilation", "groups", "padding", "outputPadding", "outputShape", "expectedGradWeights", "expectedGradBias");

    /** A conv_transpose2d layer from its case-file fields. */
    static CaseFields.Read read(CaseFields f) {
        WeightsLayout wl = f.weightsLayout(Op.CONV_TRANSPOSE2D);
        Tensor weights = f.array("weights", true);
        if (weights.rank() != 4) {
            throw f.invalid("weights", "expected a rank-4 array (" + wl + "), but found shape " + weights.shapeString());
        }
        weights = wl.toCore(weights);
        Tensor bias = f.array("bias", false);
        if (bias != null && bias.rank() != 1) {
            throw f.invalid("bias", "expected a rank-1 array (one value per output channel), but found shape " + bias.shapeString());
        }
        Hw outputPadding = f.hw("outputPadding", 0, Hw.of(0));
        String os = f.json("outputShape");
        if (os != null && !os.equals("null") && !os.startsWith("[")) {
            throw f.invalid("outputShape", "expected [h, w] of ints >= 1, but found " + os);
        }
        Hw outputShape = f.hw("outputShape", 1, null);
        int groups = f.integer("groups", 1);
        if (groups < 1) {
            throw f.invalid("groups", "expected an int >= 1, but found " + groups);
        }
        ConvTransposeSpec spec = new ConvTransposeSpec(f.hw("stride"), f.hw("dilation"), f.padding("padding"), outputPadding, outputShape,
                groups, f.parse("activation", "none", Activation::parse));
        Tensor core = weights;
        return new CaseFields.Read(f.build(() -> new ConvTransposeLayer(core, bias, spec), bias), wl);
    }

    @Override
    public void write(CaseFields.Writer out) {
        out.window(spec.stride(), spec.dilation(), spec.groups(), spec.padding());
        out.hw("outputPadding", spec.outputPadding());
        if (spec.outputShape() != null) {
            out.pair("outputShape", spec.outputShape());
        }
    }

    @Override
    public String describe(OpGeometry g) {
        return Describe.convTranspose2d((ConvTransposeGeometry) g, this);
    }

    @Override
    public String describeUnapplied() {
        return Describe.unapplied(this);
    }

    /** Read off the taps ({@link TapBackward#sum}): each tap sends {@code delta * w} to its input cell, {@code delta * x} to its weight. */
    @Override
    public Gradients backward(Tensor input, Tensor gradOutput) {
        return TapBackward.backward(this, input, gradOutput, TapBackward.sum(outputsPerGroup()));
    }

    /** Its group's {@code C / groups} input channels. */
    @Override
    public List<Integer> reads(int oc, int channels) {
        return Layer.group(oc, filters(), channels, spec.groups());
    }

    @Override
    public String makes(int oc, String from) {
        return "every value of " + from + " stamps its kernel, summed" + (bias == null ? "" : ", + bias");
    }

    @Override
    public boolean sumsProducts() {
        return true;
    }

    @Override
    public String formula() {
        return "b[oc] + \u03a3 over the (ic, ih, iw, kh, kw) with ih\u00b7s+kh\u00b7d\u2212p = oh"
                + " and iw\u00b7s+kw\u00b7d\u2212p = ow of in[ic][ih][iw] \u00d7 w[ic][oc][kh][kw]";
    }

    @Override
    public List<String> intro(OpGeometry g) {
        return List.of("A transposed convolution: every input value stamps its kernel, scaled by the value, onto the output"
                + " (stride apart), overlapping stamps add up, and the padding crops the edges. Click any output cell: the terms are the"
                + " (input value, kernel weight) pairs that landed on it, " + describe(g) + ".");
    }

    public ConvTransposeLayer withSpec(ConvTransposeSpec s) {
        return new ConvTransposeLayer(weights, bias, s);
    }

    @Override
    public String toString() {
        return WeightedLayer.describe("ConvTransposeLayer", weights, bias, spec);
    }
}
