package convlab.render.anim;

import convlab.core.Activation;
import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Output;
import convlab.core.PaddingMode;
import convlab.core.Tap;
import convlab.core.Tensor;
import convlab.render.Scale;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * One layer's animation over one item of a batch: the reference output it shows, the colour scales, which value
 * each frame computes ({@link FramePlan}), where everything is drawn ({@link FrameLayout}), and the frames themselves.
 * Frames can be drawn in any order, but drawing them in order is cheapest (the output maps fill in incrementally).
 * Not thread-safe.
 */
public final class Animation {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private final ConvLayer layer;
    private final AnimationOptions options;
    private final Geometry geometry;
    private final Tensor item;
    private final Output reference;
    private final double[][][] padded;
    private final boolean[][] padding;
    private final Scale inputScale;
    private final Scale kernelScale;
    private final Scale outputScale;
    private final FramePlan plan;
    private final Captions captions;
    private final int boxNumberWidth;
    private final String subtitle;
    private final String[] headers;
    private final FrameLayout layout;
    private final FrameRenderer renderer;

    private Animation(Tensor input, ConvLayer layer, AnimationOptions options) {
        this.layer = layer;
        this.options = options;
        Geometry full = Geometry.of(input.shape(), layer);
        if (options.batch() >= full.n()) {
            throw new IllegalArgumentException("Expected --batch between 0 and " + (full.n() - 1) + " (the input has N="
                    + full.n() + "), but found " + options.batch());
        }
        this.item = input.slice(options.batch()).reshape(1, full.c(), full.h(), full.w());
        this.geometry = Geometry.of(item.shape(), layer);
        Geometry g = geometry;
        this.reference = Conv2d.forward(item, layer);

        int hp = g.h() + g.pads().top() + g.pads().bottom();
        int wp = g.w() + g.pads().left() + g.pads().right();
        PaddingMode mode = layer.spec().paddingMode();
        padded = new double[g.c()][hp][wp];
        padding = new boolean[hp][wp];
        double[] flat = new double[g.c() * hp * wp];
        int i = 0;
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < hp; r++) {
                for (int col = 0; col < wp; col++) {
                    int ih = r - g.pads().top();
                    int iw = col - g.pads().left();
                    padding[r][col] = ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w();
                    int sr = mode.source(ih, g.h());
                    int sc = mode.source(iw, g.w());
                    double v = sr < 0 || sc < 0 ? 0.0 : item.get(0, c, sr, sc);
                    padded[c][r][col] = v;
                    flat[i++] = v;
                }
            }
        }
        inputScale = Scale.fitting(Tensor.of(DType.FLOAT64, new int[] {flat.length}, flat));
        kernelScale = Scale.fitting(layer.weights());
        outputScale = Scale.fitting(reference.activated());
        plan = FramePlan.of(g.o(), g.oh(), g.ow(), options.maxFrames());

        int xWidth = 1;
        for (double v : flat) {
            xWidth = Math.max(xWidth, Numbers.format(v).length());
        }
        int wWidth = 1;
        for (int k = 0; k < layer.weights().size(); k++) {
            wWidth = Math.max(wWidth, Numbers.format(layer.weights().flat(k)).length());
        }
        captions = new Captions(xWidth, wWidth, g.kernel().h(), g.kernel().w());

        // Size the caption and the sum box for the widest frame, so every frame shares one layout.
        int numWidth = 4;
        for (int f = 0; f < plan.steps(); f++) {
            StepValues s = values(f);
            for (int ic = 0; ic < s.channelsPerGroup(); ic++) {
                numWidth = Math.max(numWidth, Numbers.format(s.partial(ic)).length());
            }
            numWidth = Math.max(numWidth, Math.max(Numbers.format(s.sum()).length(), Numbers.format(s.bias()).length()));
            numWidth = Math.max(numWidth, Math.max(Numbers.format(s.pre()).length(), Numbers.format(s.out()).length()));
        }
        boxNumberWidth = numWidth;
        subtitle = describe(g, layer);
        headers = new String[] {
            "input x" + (full.n() > 1 ? "[" + options.batch() + "]" : "") + ":  " + g.c() + " \u00d7 " + g.h() + " \u00d7 " + g.w()
                    + (g.pads().isZero() ? "" : ",  padded to " + hp + " \u00d7 " + wp),
            longer(kernelHeader(g.o() - 1), kernelHeader(-1)),
            "per channel",
            "add up" + (layer.bias() != null ? ", + bias" : "") + (layer.spec().activation() != Activation.NONE ? ", " + layer.spec().activation() : ""),
            "output:  " + g.o() + " \u00d7 " + g.oh() + " \u00d7 " + g.ow(),
        };

        Graphics2D m = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int captionLines = 2;
        int captionWidth = 0;
        int boxLines = 0;
        int boxWidth = 0;
        try {
            FontMetrics mono = m.getFontMetrics(FrameLayout.MONO);
            FontMetrics monoBold = m.getFontMetrics(FrameLayout.MONO_BOLD);
            for (int f = 0; f < plan.frameCount(); f++) {
                List<Captions.Line> lines = plan.isHold(f)
                        ? Captions.done(g.o(), g.oh(), g.ow(), outputRange(), layer.spec().activation(), plan.sampled(), plan.totalSteps())
                        : captions.caption(values(f));
                captionLines = Math.max(captionLines, lines.size());
                for (Captions.Line line : lines) {
                    captionWidth = Math.max(captionWidth, mono.stringWidth(line.text()));
                }
                if (!plan.isHold(f)) {
                    List<String> box = Captions.box(values(f), boxNumberWidth);
                    boxLines = Math.max(boxLines, box.size());
                    for (String b : box) {
                        boxWidth = Math.max(boxWidth, monoBold.stringWidth(b));
                    }
                }
            }
        } finally {
            m.dispose();
        }
        String longestTitle = (options.title().isEmpty() ? "" : options.title() + ":  ") + "filter " + g.o() + " (" + g.o() + " of " + g.o()
                + "),  output position (" + g.oh() + ", " + g.ow() + ")";
        layout = new FrameLayout(options.style(), g, captionLines, captionWidth, boxLines, boxWidth, headers, longestTitle);
        renderer = new FrameRenderer(this);
    }

    /**
     * The animation of {@code layer} over item {@code options.batch()} of {@code input} ({@code [N, C, H, W]}).
     *
     * @throws Geometry.ShapeException  when the layer cannot apply to the input (the message says why)
     * @throws IllegalArgumentException when the batch index is out of range
     */
    public static Animation of(Tensor input, ConvLayer layer, AnimationOptions options) {
        return new Animation(input, layer, options);
    }

    private static String describe(Geometry g, ConvLayer layer) {
        ConvSpec s = layer.spec();
        StringBuilder sb = new StringBuilder();
        sb.append(g.o()).append(" filter").append(g.o() == 1 ? "" : "s").append(" of ")
                .append(g.cg()).append("\u00d7").append(g.kernel().h()).append("\u00d7").append(g.kernel().w());
        sb.append(",  stride ").append(hw(s.stride().h(), s.stride().w()));
        sb.append(",  padding ").append(s.padding());
        if (!g.pads().isZero()) {
            sb.append(" (").append(s.paddingMode()).append(g.pads().isSymmetric() ? "" : ": " + g.pads()).append(")");
        }
        sb.append(",  dilation ").append(hw(s.dilation().h(), s.dilation().w()));
        if (s.groups() > 1) {
            sb.append(",  groups ").append(s.groups());
        }
        sb.append(layer.bias() != null ? ",  bias" : ",  no bias");
        if (s.activation() != Activation.NONE) {
            sb.append(",  ").append(s.activation());
        }
        sb.append(":   ").append(g.c()).append("\u00d7").append(g.h()).append("\u00d7").append(g.w())
                .append("  \u2192  ").append(g.o()).append("\u00d7").append(g.oh()).append("\u00d7").append(g.ow());
        return sb.toString();
    }

    private static String longer(String a, String b) {
        return a.length() >= b.length() ? a : b;
    }

    private static String hw(int h, int w) {
        return h == w ? Integer.toString(h) : h + "\u00d7" + w;
    }

    /** The numbers behind computing frame {@code frame}. */
    public StepValues values(int frame) {
        if (plan.isHold(frame)) {
            throw new IllegalArgumentException("Frame " + frame + " is the hold frame; it computes nothing");
        }
        FramePlan.Position p = plan.position(frame);
        List<Tap> taps = Conv2d.taps(item, layer, 0, p.oc(), p.oh(), p.ow());
        return new StepValues(p, taps, geometry.cg(), layer.bias(p.oc()), layer.bias() != null,
                reference.preActivation().get(0, p.oc(), p.oh(), p.ow()),
                reference.activated().get(0, p.oc(), p.oh(), p.ow()), layer.spec().activation());
    }

    /** Frame {@code frame} as a new {@code TYPE_INT_RGB} image of {@code layout().width() x layout().height()}. */
    public BufferedImage render(int frame) {
        return renderer.render(frame);
    }

    public int frameCount() {
        return plan.frameCount();
    }

    /** How long frame {@code frame} shows, in hundredths of a second. */
    public int delayCentis(int frame) {
        return plan.isHold(frame) ? FramePlan.HOLD_DELAY_CENTIS : options.frameDelayCentis();
    }

    public FramePlan plan() {
        return plan;
    }

    public FrameLayout layout() {
        return layout;
    }

    /** The shapes of the animated item ({@code n = 1}). */
    public Geometry geometry() {
        return geometry;
    }

    public ConvLayer layer() {
        return layer;
    }

    public AnimationOptions options() {
        return options;
    }

    /** The reference output of the animated item, {@code [1, O, OH, OW]}. */
    public Output reference() {
        return reference;
    }

    /** The scale the input maps are coloured by: fitted to the padded input, padding values included. */
    public Scale inputScale() {
        return inputScale;
    }

    /** The scale the kernels are coloured by: fitted to every filter's weights. */
    public Scale kernelScale() {
        return kernelScale;
    }

    /** The scale the output maps are coloured by: fitted to the layer's (activated) output. */
    public Scale outputScale() {
        return outputScale;
    }

    /** The value the padded input holds at row {@code r}, column {@code col} (counted from the padding's corner). */
    public double paddedValue(int c, int r, int col) {
        return padded[c][r][col];
    }

    /** Whether padded cell {@code (r, col)} is padding rather than the input's own. */
    public boolean isPadding(int r, int col) {
        return padding[r][col];
    }

    /** The reference's output value (after the activation). */
    public double outputValue(int oc, int oh, int ow) {
        return reference.activated().get(0, oc, oh, ow);
    }

    double[] outputRange() {
        return reference.activated().range();
    }

    Captions captions() {
        return captions;
    }

    int boxNumberWidth() {
        return boxNumberWidth;
    }

    String subtitle() {
        return subtitle;
    }

    String[] headers() {
        return headers.clone();
    }

    /** The kernel column's header for filter {@code oc}, or for the finished layer when {@code oc < 0}. */
    String kernelHeader(int oc) {
        Geometry g = geometry;
        String shape = g.cg() + " \u00d7 " + g.kernel().h() + " \u00d7 " + g.kernel().w();
        return oc < 0 ? "filters:  " + g.o() + " of " + shape : "filter w[" + oc + "]:  " + shape;
    }
}
