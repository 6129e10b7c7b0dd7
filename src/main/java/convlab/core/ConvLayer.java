package convlab.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One convolution layer: weights {@code [O, C/groups, KH, KW]} (OIHW), an optional bias {@code [O]}, and its spec.
 */
public record ConvLayer(Tensor weights, Tensor bias, ConvSpec spec) implements Layer, WeightedLayer {

    public ConvLayer {
        if (weights == null || spec == null) {
            throw new IllegalArgumentException("Expected weights and a spec, but found null");
        }
        if (weights.rank() != 4) {
            throw new IllegalArgumentException("Expected weights of rank 4 [O, C/groups, KH, KW], but found shape " + weights.shapeString());
        }
        int o = weights.dim(0);
        if (o % spec.groups() != 0) {
            throw new IllegalArgumentException("Expected the " + o + " filters to split evenly into groups=" + spec.groups());
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != o)) {
            throw new IllegalArgumentException("Expected bias of shape " + o + " (one per filter), but found " + bias.shapeString());
        }
    }

    public ConvLayer(Tensor weights, Tensor bias) {
        this(weights, bias, ConvSpec.defaults());
    }

    /** Number of filters, which is the number of output channels. */
    @Override
    public int filters() {
        return weights.dim(0);
    }

    /** Input channels each filter sees: C / groups. */
    public int channelsPerGroup() {
        return weights.dim(1);
    }

    @Override
    public Op op() {
        return Op.CONV2D;
    }

    @Override
    public Geometry geometry(int[] inputShape) {
        return Geometry.of(inputShape, this);
    }

    /** Layers of more multiply-adds than this run through {@link Conv2dFast}, bit for bit the same as {@link Conv2d}. */
    static final long FAST_ABOVE = 200_000;

    /** The layer's output: {@link Conv2d}'s formula loops, or for a large layer {@link Conv2dFast}, which equals them bit for bit. */
    @Override
    public Output forward(Tensor input) {
        Geometry g = Geometry.of(input.shape(), this);
        return g.multiplyAdds() > FAST_ABOVE ? Conv2dFast.forward(input, this) : Conv2d.forward(input, this);
    }

    @Override
    public List<Tap> taps(Tensor input, int n, int oc, int oh, int ow) {
        return Conv2d.taps(input, this, n, oc, oh, ow);
    }

    /** The same layer over |x| with |w|, no bias, no activation: the sum over the taps of |x*w|. */
    @Override
    public Tensor magnitudes(Tensor input) {
        ConvSpec linear = spec.withActivation(Activation.NONE);
        return new ConvLayer(weights.map(Math::abs), null, linear).forward(input.map(Math::abs)).preActivation();
    }

    /** conv2d's own case-file fields. */
    static final Set<String> FIELDS = Set.of("weights", "weightsLayout", "bias", "stride",
            "dilation", "groups", "padding", "paddingMode", "expectedGradWeights", "expectedGradBias");

    /** A conv2d layer from its case-file fields: weights (a .npy file in its layout, or {@code preset:sobel-x,...}), bias, the spec. */
    static CaseFields.Read read(CaseFields f) {
        int groups = f.integer("groups", 1);
        WeightsLayout wl = f.weightsLayout(Op.CONV2D);
        int inChannels = f.inputChannels();
        Tensor weights;
        String w = f.text("weights");
        if (w != null && w.startsWith("preset:")) {
            try {
                weights = KernelPresets.weights(w.substring("preset:".length()).split(","), inChannels / groups);
            } catch (IllegalArgumentException e) {
                throw f.invalid("weights", e.getMessage());
            }
        } else {
            Tensor given = f.array("weights", true);
            if (!f.has("weightsLayout") && given.rank() == 4 && groups >= 1) {
                String ambiguous = WeightsLayout.ambiguity(given.shape(), wl, inChannels / groups);
                if (ambiguous != null) {
                    f.warn("weights", ambiguous + "; give \"weightsLayout\" to say which");
                }
            }
            weights = wl.toOihw(given);
        }
        if (weights.rank() != 4) {
            throw f.invalid("weights", "expected a rank-4 array (" + wl + "), but found shape " + weights.shapeString());
        }
        Tensor bias = f.array("bias", false);
        if (bias != null && bias.rank() != 1) {
            throw f.invalid("bias", "expected a rank-1 array of " + weights.dim(0) + " values, but found shape " + bias.shapeString());
        }
        ConvSpec spec = new ConvSpec(f.hw("stride"), f.hw("dilation"), f.padding("padding"),
                f.parse("paddingMode", "zeros", PaddingMode::parse), groups, f.parse("activation", "none", Activation::parse));
        if (groups < 1) {
            throw f.invalid("groups", "expected an int >= 1, but found " + groups);
        }
        Tensor core = weights;
        return new CaseFields.Read(f.build(() -> new ConvLayer(core, bias, spec), bias), wl);
    }

    @Override
    public void write(CaseFields.Writer out) {
        out.window(spec.stride(), spec.dilation(), spec.groups(), spec.padding());
        out.text("paddingMode", spec.paddingMode().toString());
    }

    @Override
    public String describe(OpGeometry g) {
        return Describe.conv2d((Geometry) g, this);
    }

    @Override
    public String describeUnapplied() {
        return Describe.unapplied(this);
    }

    /** {@link Conv2dBackward}: conv2d's formula-shaped backward pass. */
    @Override
    public Gradients backward(Tensor input, Tensor gradOutput) {
        return Conv2dBackward.backward(input, this, gradOutput);
    }

    /** Its group's {@code C / groups} input channels. */
    @Override
    public List<Integer> reads(int oc, int channels) {
        return Layer.group(oc, filters(), channels, spec.groups());
    }

    @Override
    public String makes(int oc, String from) {
        return "filter " + oc + " slides over " + from + ", summed" + (bias == null ? "" : ", + bias");
    }

    @Override
    public boolean sumsProducts() {
        return true;
    }

    @Override
    public String formula() {
        return "b[oc] + \u03a3 over ic, kh, kw of in[ic][oh\u00b7s+kh\u00b7d\u2212p][ow\u00b7s+kw\u00b7d\u2212p] \u00d7 w[oc][ic][kh][kw]";
    }

    @Override
    public List<String> intro(OpGeometry geometry) {
        Geometry g = (Geometry) geometry;
        String block = g.cg() + "x" + g.kernel().h() + "x" + g.kernel().w();
        List<String> lines = new ArrayList<>();
        lines.add("Each of the " + g.o() + " filters is a block of " + block + " weights: one " + g.kernel().h() + "x" + g.kernel().w()
                + " slice for each input channel it reads" + (g.spec().groups() > 1 ? " (its group's " + g.cg() + " of " + g.c() + ")" : "")
                + ". At every output position the filter lays its slices on the window below them, in all channels at once, "
                + "multiplies each weight with the value under it and adds up all " + g.cg() * g.kernel().h() * g.kernel().w()
                + " products" + (bias == null ? "" : " and its bias") + (activation() == Activation.NONE ? "" : ", then applies "
                + activation()) + ": one number per position, one output map per filter.");
        lines.add("Press play to watch it visit the positions filter by filter, or click any output cell: its window lights up in every "
                + "input channel and its sum is written out term by term.");
        return lines;
    }

    public ConvLayer withSpec(ConvSpec s) {
        return new ConvLayer(weights, bias, s);
    }

    @Override
    public String toString() {
        return WeightedLayer.describe("ConvLayer", weights, bias, spec);
    }
}
