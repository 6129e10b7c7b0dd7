package convlab.render.anim;

import convlab.core.Activation;
import convlab.core.Conv2d;
import convlab.core.Tap;
import convlab.render.Numbers;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The words and numbers a frame prints: the caption spelling the sum out, and the lines of the box that adds the
 * channels' partial sums, the bias and applies the activation. Plain ASCII, so a caption can be copied into notes:
 * <pre>
 *   c0:  0.12*0.50 + 0.33*-0.10 + ... = 0.73
 *   sum: 0.73 + 0.51 + 0.49 = 1.73, +b=0.10 = 1.83 -> relu -> 1.83
 * </pre>
 * Products are spelled out for kernels up to 3x3; larger kernels get each channel's sum only. Products that read
 * padding are marked so the renderer can grey them.
 */
final class Captions {

    /** Channels with a caption line of their own; the rest are summarised in one line. */
    static final int MAX_CHANNEL_LINES = 6;
    /** Channels listed one by one in the sum box. */
    static final int MAX_BOX_CHANNELS = 8;

    private static final BufferedImage PROBE = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);

    /** A run of text; {@code muted} text reads padding. */
    record Span(String text, boolean muted) {
    }

    /** A line of spans. */
    record Line(List<Span> spans) {
        String text() {
            StringBuilder sb = new StringBuilder();
            for (Span s : spans) {
                sb.append(s.text());
            }
            return sb.toString();
        }

        static Line of(String text) {
            return new Line(List.of(new Span(text, false)));
        }
    }

    private final int xWidth;
    private final int wWidth;
    private final boolean spellProducts;

    /**
     * @param xWidth widest printed input value (padding included)
     * @param wWidth widest printed weight
     * @param kh     kernel height
     * @param kw     kernel width
     */
    Captions(int xWidth, int wWidth, int kh, int kw) {
        this.xWidth = xWidth;
        this.wWidth = wWidth;
        this.spellProducts = kh <= 3 && kw <= 3;
    }

    /** The caption of a computing frame. */
    List<Line> caption(StepValues s) {
        List<Line> lines = new ArrayList<>();
        int cg = s.channelsPerGroup();
        String tail = tail(s);
        if (cg == 1) {
            List<Span> spans = new ArrayList<>(products(s, 0));
            spans.add(new Span(" = " + Numbers.format(s.partial(0)) + tail, false));
            if (!spellProducts) {
                spans.set(0, new Span("sum of " + s.taps(0).size() + " products", false));
            }
            lines.add(new Line(spans));
            return lines;
        }
        int labelWidth = ("c" + (s.channel(cg - 1))).length() + 1;
        int shown = cg <= MAX_CHANNEL_LINES ? cg : MAX_CHANNEL_LINES - 1;
        for (int ic = 0; ic < shown; ic++) {
            List<Span> spans = new ArrayList<>();
            spans.add(new Span(padRight("c" + s.channel(ic) + ":", labelWidth + 1) + " ", false));
            if (spellProducts) {
                spans.addAll(products(s, ic));
            } else {
                spans.add(new Span("sum of " + s.taps(ic).size() + " products", false));
            }
            spans.add(new Span(" = " + Numbers.format(s.partial(ic)), false));
            lines.add(new Line(spans));
        }
        if (shown < cg) {
            double rest = 0;
            for (int ic = shown; ic < cg; ic++) {
                rest += s.partial(ic);
            }
            lines.add(Line.of(padRight("...", labelWidth + 1) + " channels c" + s.channel(shown) + " to c" + s.channel(cg - 1)
                    + " (" + (cg - shown) + " more) add up to " + Numbers.format(rest)));
        }
        StringBuilder sum = new StringBuilder(padRight("sum:", labelWidth + 1) + " ");
        if (cg <= MAX_CHANNEL_LINES) {
            for (int ic = 0; ic < cg; ic++) {
                sum.append(ic == 0 ? "" : " + ").append(Numbers.format(s.partial(ic)));
            }
            sum.append(" = ");
        }
        sum.append(Numbers.format(s.sum())).append(tail);
        lines.add(Line.of(sum.toString()));
        return lines;
    }

    /** {@code ", +b=0.10 = 1.83 -> relu -> 1.83"}, dropping what the layer does not have. */
    private static String tail(StepValues s) {
        StringBuilder sb = new StringBuilder();
        if (s.hasBias()) {
            sb.append(", +b=").append(Numbers.format(s.bias())).append(" = ").append(Numbers.format(s.pre()));
        }
        if (s.activation() != Activation.NONE) {
            sb.append(" -> ").append(s.activation()).append(" -> ").append(Numbers.format(s.out()));
        }
        return sb.toString();
    }

    private List<Span> products(StepValues s, int ic) {
        List<Span> spans = new ArrayList<>();
        if (!spellProducts) {
            spans.add(new Span("", false));
            return spans;
        }
        List<Tap> taps = s.taps(ic);
        for (int i = 0; i < taps.size(); i++) {
            Tap t = taps.get(i);
            if (i > 0) {
                spans.add(new Span(" + ", false));
            }
            String term = Numbers.pad(Numbers.format(t.x()), xWidth) + "*" + padRight(Numbers.format(t.w()), wWidth);
            spans.add(new Span(term, t.padding()));
        }
        return spans;
    }

    /**
     * The caption of the intro frame of a layer that reads layer {@code fromLayer}'s output: why that output has as
     * many channels as layer {@code fromLayer} had filters, and why this layer's kernels are that deep.
     */
    static List<Line> intro(int fromLayer, int channels, int h, int w, int filters, int cg, int kh, int kw, int groups) {
        int layer = fromLayer + 1;
        List<Line> lines = new ArrayList<>();
        lines.add(Line.of("layer " + fromLayer + " had " + channels + " filter" + (channels == 1 ? "" : "s") + ", so it made "
                + channels + " output map" + (channels == 1 ? "" : "s") + " of " + h + "x" + w + " (one per filter); stacked, they are layer "
                + layer + "'s input: " + channels + " channel" + (channels == 1 ? "" : "s") + " of " + h + "x" + w + "."));
        if (groups == 1) {
            lines.add(Line.of("each filter of layer " + layer + " reads all " + channels + " channels at once, so its kernel is as deep as layer "
                    + fromLayer + " had filters: " + cg + "x" + kh + "x" + kw + ", one " + kh + "x" + kw + " slice per channel."));
        } else {
            lines.add(Line.of("with groups=" + groups + " each filter of layer " + layer + " reads " + cg + " of the " + channels
                    + " channels, so its kernel is " + cg + "x" + kh + "x" + kw + ", one " + kh + "x" + kw + " slice per channel it reads."));
        }
        lines.add(Line.of("layer " + layer + " has " + filters + " filter" + (filters == 1 ? "" : "s") + ", so it will make " + filters
                + " output map" + (filters == 1 ? "" : "s") + ": the next layer's input has " + filters + " channel" + (filters == 1 ? "" : "s") + "."));
        return lines;
    }

    /** The caption of the hold frame: what the layer produced. */
    static List<Line> done(int filters, int oh, int ow, double[] range, Activation activation, boolean sampled, long steps) {
        List<Line> lines = new ArrayList<>();
        lines.add(Line.of("done: " + filters + " filter(s) x " + oh + "x" + ow + " positions = " + steps + " output values"
                + (sampled ? " (only some had a frame of their own; every value is drawn)" : "")));
        lines.add(Line.of("output values from " + Numbers.format(range[0]) + " to " + Numbers.format(range[1])
                + (activation == Activation.NONE ? "" : ", after " + activation)));
        return lines;
    }

    /**
     * The sum box, a column of numbers to add: each channel's partial sum, the bias, a rule, the total (the
     * pre-activation value) and, when the layer has one, the activation's result. The last line is the value written.
     */
    static List<String> box(StepValues s, int numWidth) {
        List<String> lines = new ArrayList<>();
        int cg = s.channelsPerGroup();
        int labelWidth = Math.max(5, Math.max(("c" + s.channel(cg - 1)).length(), s.activation().toString().length()));
        if (cg <= MAX_BOX_CHANNELS) {
            for (int ic = 0; ic < cg; ic++) {
                lines.add(row("c" + s.channel(ic), s.partial(ic), labelWidth, numWidth));
            }
        } else {
            lines.add(row(cg + " ch", s.sum(), labelWidth, numWidth));
        }
        if (s.hasBias()) {
            lines.add(row("bias", s.bias(), labelWidth, numWidth));
        }
        lines.add(" ".repeat(labelWidth) + "  " + "-".repeat(numWidth));
        lines.add(row("total", s.pre(), labelWidth, numWidth));
        if (s.activation() != Activation.NONE) {
            lines.add(row(s.activation().toString(), s.out(), labelWidth, numWidth));
        }
        return lines;
    }

    private static String row(String label, double v, int labelWidth, int numWidth) {
        return padRight(label, labelWidth) + "  " + Numbers.pad(Numbers.format(v), numWidth);
    }

    /** The most lines {@code caption} gives any of {@code frames} frames (at least 1), so every frame can be one size. */
    static int mostLines(int frames, java.util.function.IntFunction<List<String>> caption) {
        int most = 1;
        for (int f = 0; f < frames; f++) {
            most = Math.max(most, caption.apply(f).size());
        }
        return most;
    }

    static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** The metrics of font {@code f}, measured on a 1x1 probe image (the frames' own fonts: no frame needs drawing first). */
    static FontMetrics metrics(Font f) {
        Graphics2D gr = PROBE.createGraphics();
        try {
            return gr.getFontMetrics(f);
        } finally {
            gr.dispose();
        }
    }

    /** One line's height in font {@code f}. */
    static int lineHeight(Font f) {
        return metrics(f).getHeight();
    }

    /** {@code text} broken at spaces into lines no wider than {@code max} pixels in {@code m}'s font (a long word keeps its own line). */
    static List<String> wrap(String text, FontMetrics m, int max) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String next = line.length() == 0 ? word : line + " " + word;
            if (m.stringWidth(next) > max && line.length() > 0) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(next);
            }
        }
        lines.add(line.toString());
        return lines;
    }
}
