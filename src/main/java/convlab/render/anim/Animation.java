package convlab.render.anim;

import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.Describe;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Output;
import convlab.core.PaddingMode;
import convlab.core.Tap;
import convlab.core.Tensor;
import convlab.render.Numbers;
import convlab.render.Scale;
import convlab.render.Theme;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
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
    private final FrameModel model;
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
        this.reference = layer.forward(item);

        int hp = g.h() + g.pads().top() + g.pads().bottom();
        int wp = g.w() + g.pads().left() + g.pads().right();
        PaddingMode mode = layer.spec().paddingMode();
        double[][][] padded = new double[g.c()][hp][wp];
        boolean[][] padding = new boolean[hp][wp];
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
        Scale inputScale = Scale.fitting(Tensor.of(DType.FLOAT64, new int[] {flat.length}, flat));
        Scale kernelScale = Scale.fitting(layer.weights());
        Activation act = layer.spec().activation();
        boolean pre = act != Activation.NONE;
        // One scale for the outputs before and after the activation, as in the figures.
        Scale outputScale = pre ? Scale.fitting(reference.preActivation(), reference.activated()) : Scale.fitting(reference.activated());
        boolean intro = options.fromLayer() > 0;
        FramePlan plan = FramePlan.of(g.o(), g.oh(), g.ow(), options.maxFrames(), intro, options.selection());

        int xWidth = 1;
        for (double v : flat) {
            xWidth = Math.max(xWidth, Numbers.format(v).length());
        }
        int wWidth = 1;
        for (int k = 0; k < layer.weights().size(); k++) {
            wWidth = Math.max(wWidth, Numbers.format(layer.weights().flat(k)).length());
        }
        Captions captions = new Captions(xWidth, wWidth, g.kernel().h(), g.kernel().w());

        List<StepValues> steps = new ArrayList<>();
        // Size the caption and the sum box for the widest frame, so every frame shares one layout.
        int numWidth = 4;
        for (int f = 0; f < plan.steps(); f++) {
            StepValues s = stepValues(plan.position(f + plan.introFrames()));
            steps.add(s);
            for (int ic = 0; ic < s.channelsPerGroup(); ic++) {
                numWidth = Math.max(numWidth, Numbers.format(s.partial(ic)).length());
            }
            numWidth = Math.max(numWidth, Math.max(Numbers.format(s.sum()).length(), Numbers.format(s.bias()).length()));
            numWidth = Math.max(numWidth, Math.max(Numbers.format(s.pre()).length(), Numbers.format(s.out()).length()));
        }
        List<List<Captions.Line>> stepCaptions = new ArrayList<>();
        List<List<String>> boxes = new ArrayList<>();
        for (StepValues s : steps) {
            stepCaptions.add(captions.caption(s));
            boxes.add(Captions.box(s, numWidth));
        }
        int from = options.fromLayer();
        String[] inputLabels = new String[g.c()];
        for (int c = 0; c < g.c(); c++) {
            inputLabels[c] = from > 0 ? "layer " + from + " output, channel " + c + " (filter " + c + ")" : "channel " + c;
        }
        String shape = g.c() + " \u00d7 " + g.h() + " \u00d7 " + g.w();
        String actName = act.toString();
        String[] headers = {
            (from > 0 ? "input: layer " + from + "'s output,  " : "input x" + (full.n() > 1 ? "[" + options.batch() + "]" : "") + ":  ")
                    + shape + (g.pads().isZero() ? "" : ",  padded to " + hp + " \u00d7 " + wp),
            "",
            "per channel",
            "add up" + (layer.bias() != null ? ", + bias" : ""),
            "before " + actName,
            (pre ? "after " + actName + ":  " : "output:  ") + g.o() + " \u00d7 " + g.oh() + " \u00d7 " + g.ow(),
        };
        double[] biases = null;
        if (layer.bias() != null) {
            biases = new double[g.o()];
            for (int o = 0; o < g.o(); o++) {
                biases[o] = layer.bias(o);
            }
        }
        List<Captions.Line> introLines = intro
                ? Captions.intro(from, g.c(), g.h(), g.w(), g.o(), g.cg(), g.kernel().h(), g.kernel().w(), layer.spec().groups())
                : List.of();
        List<Captions.Line> done = Captions.done(g.o(), g.oh(), g.ow(), reference.activated().range(), act, plan.sampled(), plan.totalSteps());
        model = new FrameModel(g, plan, padded, padding, layer.weights(), reference, act, inputScale, kernelScale, outputScale,
                List.copyOf(steps), List.copyOf(stepCaptions), List.copyOf(boxes), biases, options.title(), describe(g, layer),
                headers, inputLabels, introLines, done, from);
        headers[FrameLayout.H_KERNEL] = longer(model.kernelHeader(g.o() - 1), model.kernelHeader(-1));

        int captionLines = Math.max(2, Math.max(done.size(), introLines.size()));
        int captionChars = 0;
        for (List<Captions.Line> lines : stepCaptions) {
            captionLines = Math.max(captionLines, lines.size());
            for (Captions.Line line : lines) {
                captionChars = Math.max(captionChars, line.text().length());
            }
        }
        for (Captions.Line line : done) {
            captionChars = Math.max(captionChars, line.text().length());
        }
        for (Captions.Line line : introLines) {
            captionChars = Math.max(captionChars, line.text().length());
        }
        int boxLines = 0;
        int boxChars = 0;
        for (List<String> box : boxes) {
            boxLines = Math.max(boxLines, box.size());
            for (String b : box) {
                boxChars = Math.max(boxChars, b.length());
            }
        }
        String longestTitle = (options.title().isEmpty() ? "" : options.title() + ":  ") + "filter " + g.o() + " (" + g.o() + " of " + g.o()
                + "),  output position (" + g.oh() + ", " + g.ow() + ")";
        if (intro) {
            longestTitle = longer(longestTitle, (options.title().isEmpty() ? "" : options.title() + ":  ") + introTitle(from));
        }
        String longestLabel = "";
        for (String s : inputLabels) {
            longestLabel = longer(longestLabel, s);
        }
        FrameLayout.Content content = new FrameLayout.Content(captionLines, captionChars, boxLines, boxChars, headers.clone(),
                longestTitle, pre, options.numbers(), longestLabel);
        AnimationOptions.Canvas canvas = options.canvas();
        Theme theme = Theme.scaled(options.scale());
        if (canvas == null) {
            layout = new FrameLayout(options.style(), FrameLayout.Arrangement.ROWS, theme, g, content, 0, 0);
        } else if (canvas.fit()) {
            layout = FrameLayout.fit(options.style(), g, content, canvas.width(), canvas.height());
        } else {
            layout = new FrameLayout(options.style(), FrameLayout.Arrangement.ROWS, theme, g, content, 0, 0)
                    .centred(canvas.width(), canvas.height(), content);
        }
        renderer = new FrameRenderer(model, layout);
    }

    /** The intro frame's title. */
    static String introTitle(int fromLayer) {
        return "layer " + fromLayer + "'s output becomes layer " + (fromLayer + 1) + "'s input";
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

    /** The layer in words ({@link Describe}, the one describer), then its shapes. */
    private static String describe(Geometry g, ConvLayer layer) {
        return Describe.layer(g, layer) + ":   " + g.c() + "\u00d7" + g.h() + "\u00d7" + g.w() + "  \u2192  " + g.o() + "\u00d7" + g.oh() + "\u00d7" + g.ow();
    }

    private static String longer(String a, String b) {
        return a.length() >= b.length() ? a : b;
    }

    /** The numbers behind computing frame {@code frame}. */
    public StepValues values(int frame) {
        int step = model.plan().step(frame);
        if (step < 0) {
            throw new IllegalArgumentException("Frame " + frame + " is the " + (model.plan().isIntro(frame) ? "intro" : "hold")
                    + " frame; it computes nothing");
        }
        return model.steps().get(step);
    }

    /** The caption of frame {@code frame}: the sum spelled out, or what the intro or the finished layer says. */
    List<Captions.Line> caption(int frame) {
        FramePlan plan = model.plan();
        return plan.isIntro(frame) ? model.intro() : plan.isHold(frame) ? model.done() : model.captions().get(plan.step(frame));
    }

    private StepValues stepValues(FramePlan.Position p) {
        List<Tap> taps = layer.taps(item, 0, p.oc(), p.oh(), p.ow());
        return new StepValues(p, taps, geometry.cg(), layer.bias(p.oc()), layer.bias() != null,
                reference.preActivation().get(0, p.oc(), p.oh(), p.ow()),
                reference.activated().get(0, p.oc(), p.oh(), p.ow()), layer.spec().activation());
    }

    /** Frame {@code frame} as a new {@code TYPE_INT_RGB} image of {@code layout().width() x layout().height()}. */
    public BufferedImage render(int frame) {
        return renderer.render(frame);
    }

    /**
     * Frame {@code frame} drawn into {@code into} (every pixel replaced) when it is a {@code TYPE_INT_RGB} image of
     * the frame's size, else into a new image: a writer that is done with one frame draws the next in its place,
     * with nothing to allocate or collect. Returns the image drawn.
     */
    public BufferedImage render(int frame, BufferedImage into) {
        return renderer.render(frame, into);
    }

    public int frameCount() {
        return model.plan().frameCount();
    }

    /** How long frame {@code frame} shows, in hundredths of a second. */
    public int delayCentis(int frame) {
        return model.plan().delayCentis(frame, options.frameDelayCentis());
    }

    public FramePlan plan() {
        return model.plan();
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
        return model.inputScale();
    }

    /** The scale the kernels are coloured by: fitted to every filter's weights. */
    public Scale kernelScale() {
        return model.kernelScale();
    }

    /**
     * The scale the output maps are coloured by: fitted to the layer's outputs before and after the activation (the
     * figures' rule: one scale for both).
     */
    public Scale outputScale() {
        return model.outputScale();
    }

    /** The value the padded input holds at row {@code r}, column {@code col} (counted from the padding's corner). */
    public double paddedValue(int c, int r, int col) {
        return model.padded()[c][r][col];
    }

    /** Whether padded cell {@code (r, col)} is padding rather than the input's own. */
    public boolean isPadding(int r, int col) {
        return model.padding()[r][col];
    }

    /** The reference's output value (after the activation). */
    public double outputValue(int oc, int oh, int ow) {
        return reference.activated().get(0, oc, oh, ow);
    }
}
