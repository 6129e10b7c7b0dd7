package convlab.render.anim;

import convlab.core.ConvTransposeGeometry;
import convlab.core.ConvTransposeLayer;
import convlab.core.ConvTransposeSpec;
import convlab.core.Describe;
import convlab.core.Tensor;
import convlab.io.AtomicFiles;
import convlab.render.ColorMap;
import convlab.render.Scale;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A transposed convolution animated the way its formula reads: each input value, in turn, stamps the kernel scaled
 * by itself onto the output canvas, {@code stride} cells further along than the previous value, and the stamps add
 * up where they overlap. One frame per input value of the output channel's group (sampled evenly when there are more
 * than {@code maxFrames}); the last frame adds the bias, applies the activation and shows the crop, the cells kept as
 * the output. The canvas is the full output with the output padding appended at the bottom and right (and any zero
 * rows an output shape adds); the crop window is outlined on it.
 *
 * <p>The stamps' partial sums are accumulated here in the order of {@link convlab.core.ConvTranspose2d}'s loops;
 * the last frame's cropped canvas plus the bias is the reference core's pre-activation output (the tests check it).
 */
public final class StampAnimation {

    /** One frame's stamp: the input cell that stamps, or null for the last frame (bias, activation, crop). */
    record Stamp(int c, int ih, int iw) {
    }

    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Color INK = new Color(0x22, 0x22, 0x22);
    private static final Color GRID = new Color(0xb0, 0xb0, 0xb0);
    private static final Color MARK = new Color(0xff, 0x8c, 0x00);
    private static final int PAD = 16;

    private final Tensor input;
    private final ConvTransposeLayer layer;
    private final ConvTransposeGeometry g;
    private final int n;
    private final int oc;
    private final String title;
    private final List<Stamp> stamps = new ArrayList<>();
    /** The canvas after each frame's stamps: canvases.get(f) is what frame f shows. */
    private final List<double[]> canvases = new ArrayList<>();
    private final int totalStamps;
    private final int canvasH;
    private final int canvasW;
    private final int cell;
    private final Scale inputScale;
    private final Scale canvasScale;

    private StampAnimation(Tensor input, ConvTransposeLayer layer, int n, int oc, int maxFrames, String title) {
        this.input = input;
        this.layer = layer;
        this.g = layer.geometry(input.shape());
        if (n < 0 || n >= g.n()) {
            throw new IllegalArgumentException("Expected a batch index in 0.." + (g.n() - 1) + ", but found " + n);
        }
        if (oc < 0 || oc >= g.o()) {
            throw new IllegalArgumentException("Expected an output channel in 0.." + (g.o() - 1) + ", but found " + oc);
        }
        if (maxFrames < 2) {
            throw new IllegalArgumentException("Expected maxFrames >= 2 (one stamp and the last frame), but found " + maxFrames);
        }
        this.n = n;
        this.oc = oc;
        this.title = title;
        // the canvas reaches from the full output's top-left to whichever is further: the full output with output
        // padding, or the output window
        this.canvasH = (int) Math.max(g.fullH() + g.spec().outputPadding().h(), g.pads().top() + (long) g.oh());
        this.canvasW = (int) Math.max(g.fullW() + g.spec().outputPadding().w(), g.pads().left() + (long) g.ow());
        if ((long) canvasH * canvasW > 4096) {
            throw new IllegalArgumentException("Expected a canvas of at most 4096 cells to animate, but the full output is "
                    + canvasH + "x" + canvasW);
        }
        int group = oc / g.og();
        List<Stamp> all = new ArrayList<>();
        for (int ic = 0; ic < g.cg(); ic++) {
            for (int ih = 0; ih < g.h(); ih++) {
                for (int iw = 0; iw < g.w(); iw++) {
                    all.add(new Stamp(group * g.cg() + ic, ih, iw));
                }
            }
        }
        this.totalStamps = all.size();
        int shown = Math.min(all.size(), maxFrames - 1);
        double[] canvas = new double[canvasH * canvasW];
        int next = 0;
        for (int f = 0; f < shown; f++) {
            int upTo = (int) Math.round((f + 1) * (double) all.size() / shown); // stamps through this one are on the canvas
            for (; next < upTo; next++) {
                stamp(canvas, all.get(next));
            }
            stamps.add(all.get(upTo - 1));
            canvases.add(canvas.clone());
        }
        stamps.add(null);
        canvases.add(canvas.clone());
        this.cell = Math.max(14, Math.min(40, 420 / Math.max(Math.max(canvasH, canvasW), 1)));
        this.inputScale = Scale.fitting(input.slice(n));
        this.canvasScale = Scale.of(Math.min(min(canvas), 0), Math.max(max(canvas), 0));
    }

    /**
     * The animation of output channel {@code oc} of batch item {@code n}.
     *
     * @throws IllegalArgumentException for a canvas too large to draw (more than 4096 cells) or a bad index
     */
    public static StampAnimation of(Tensor input, ConvTransposeLayer layer, int n, int oc, int maxFrames, String title) {
        return new StampAnimation(input, layer, n, oc, maxFrames, title);
    }

    /** Adds one input value's scaled kernel to the canvas: rows ih*sh + kh*dh, columns iw*sw + kw*dw. */
    private void stamp(double[] canvas, Stamp s) {
        ConvTransposeSpec spec = layer.spec();
        double x = input.get(n, s.c(), s.ih(), s.iw());
        int ocg = oc % g.og();
        for (int kh = 0; kh < g.kernel().h(); kh++) {
            for (int kw = 0; kw < g.kernel().w(); kw++) {
                int r = s.ih() * spec.stride().h() + kh * spec.dilation().h();
                int q = s.iw() * spec.stride().w() + kw * spec.dilation().w();
                canvas[r * canvasW + q] += x * layer.weights().get(s.c(), ocg, kh, kw);
            }
        }
    }

    public int frameCount() {
        return stamps.size();
    }

    /** How many input values stamp in all; more than {@code frameCount() - 1} when frames were sampled. */
    public int totalStamps() {
        return totalStamps;
    }

    /**
     * The canvas after frame {@code frame}, cropped to the output window: after the last frame it is the
     * pre-activation output minus the bias.
     */
    public Tensor croppedCanvas(int frame) {
        double[] canvas = canvases.get(frame);
        double[] out = new double[g.oh() * g.ow()];
        for (int r = 0; r < g.oh(); r++) {
            for (int q = 0; q < g.ow(); q++) {
                out[r * g.ow() + q] = canvas[(r + g.pads().top()) * canvasW + q + g.pads().left()];
            }
        }
        return Tensor.of(new int[] {g.oh(), g.ow()}, out);
    }

    private int panelWidth(int cols) {
        return cols * cell;
    }

    public int width() {
        return PAD * 4 + panelWidth(g.w()) + panelWidth(g.kernel().w()) + panelWidth(canvasW) + 2 * cell;
    }

    public int height() {
        return PAD * 3 + headerHeight() + Math.max(canvasH, Math.max(g.h(), g.kernel().h())) * cell + 24
                + CAPTION_LINE * captionLines() + 2;
    }

    private static final int CAPTION_LINE = 16;

    /** The most lines any frame's caption wraps to at the frame's width. */
    private int captionLines() {
        if (captionLines == 0) {
            BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            Graphics2D gr = probe.createGraphics();
            try {
                FontMetrics m = gr.getFontMetrics(FONT);
                int most = 1;
                for (int f = 0; f < frameCount(); f++) {
                    most = Math.max(most, captionLines(m, f).size());
                }
                captionLines = most;
            } finally {
                gr.dispose();
            }
        }
        return captionLines;
    }

    private int captionLines;

    /** Frame {@code frame}'s caption, wrapped to the frame's width. */
    private List<String> captionLines(FontMetrics m, int frame) {
        return Captions.wrap(caption(frame), m, width() - 2 * PAD);
    }

    /** The title and the layer in words, wrapped to the frame's width. */
    private int headerHeight() {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = probe.createGraphics();
        try {
            gr.setFont(SMALL);
            return 27 + 13 * header(gr.getFontMetrics()).size();
        } finally {
            gr.dispose();
        }
    }

    private List<String> header(FontMetrics m) {
        String text = Describe.convTranspose2d(g, layer) + "; output channel " + oc + " of " + g.o();
        return Captions.wrap(text, m, width() - 2 * PAD);
    }

    private String activationWords() {
        return layer.spec().activation() == convlab.core.Activation.NONE ? "no activation" : layer.spec().activation().toString();
    }

    public BufferedImage render(int frame) {
        BufferedImage img = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        try {
            gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            gr.setColor(Color.WHITE);
            gr.fillRect(0, 0, img.getWidth(), img.getHeight());
            gr.setColor(INK);
            gr.setFont(TITLE);
            gr.drawString(title.isEmpty() ? "conv_transpose2d" : title, PAD, PAD + 12);
            gr.setFont(SMALL);
            List<String> header = header(gr.getFontMetrics());
            for (int i = 0; i < header.size(); i++) {
                gr.drawString(header.get(i), PAD, PAD + 28 + 13 * i);
            }
            Stamp s = stamps.get(frame);
            double[] canvas = canvases.get(frame);
            int top = PAD * 2 + headerHeight();
            int x0 = PAD;
            int x1 = x0 + panelWidth(g.w()) + PAD + cell;
            int x2 = x1 + panelWidth(g.kernel().w()) + PAD + cell;
            ConvTransposeSpec spec = layer.spec();
            int c = s == null ? stamps.get(Math.max(frame - 1, 0)).c() : s.c();
            // the input channel, the stamping value marked
            label(gr, "input channel " + c, x0, top - 6);
            for (int r = 0; r < g.h(); r++) {
                for (int q = 0; q < g.w(); q++) {
                    double v = input.get(n, c, r, q);
                    cell(gr, x0 + q * cell, top + r * cell, inputScale.color(v), v, s != null && s.ih() == r && s.iw() == q);
                }
            }
            // the kernel, scaled by the value
            int ocg = oc % g.og();
            double x = s == null ? Double.NaN : input.get(n, s.c(), s.ih(), s.iw());
            label(gr, s == null ? "kernel" : "x * w[" + c + "][" + ocg + "]", x1, top - 6);
            for (int kh = 0; kh < g.kernel().h(); kh++) {
                for (int kw = 0; kw < g.kernel().w(); kw++) {
                    double w = layer.weights().get(c, ocg, kh, kw);
                    double v = s == null ? w : x * w;
                    cell(gr, x1 + kw * cell, top + kh * cell, canvasScale.color(v), v, false);
                }
            }
            // the canvas: this stamp's footprint marked, the crop window outlined
            label(gr, s == null ? "+ bias, " + activationWords() + ", crop: the output" : "the output so far (full " + g.fullH() + "x" + g.fullW() + ")", x2, top - 6);
            boolean last = s == null;
            double bias = layer.bias(oc);
            for (int r = 0; r < canvasH; r++) {
                for (int q = 0; q < canvasW; q++) {
                    boolean inside = r >= g.pads().top() && r < g.pads().top() + g.oh() && q >= g.pads().left() && q < g.pads().left() + g.ow();
                    double v = canvas[r * canvasW + q];
                    if (last && inside) {
                        v = spec.activation().apply(v + bias);
                    }
                    boolean footprint = s != null && onFootprint(s, r, q);
                    Color fill = last && !inside ? new Color(0xee, 0xee, 0xee) : canvasScale.color(v);
                    cell(gr, x2 + q * cell, top + r * cell, fill, v, footprint);
                }
            }
            gr.setColor(MARK);
            gr.setStroke(new BasicStroke(2.5f));
            gr.drawRect(x2 + g.pads().left() * cell, top + g.pads().top() * cell, g.ow() * cell, g.oh() * cell);
            gr.setColor(INK);
            gr.setFont(FONT);
            int captionY = top + Math.max(canvasH, Math.max(g.h(), g.kernel().h())) * cell + 24;
            List<String> lines = captionLines(gr.getFontMetrics(), frame);
            for (int i = 0; i < lines.size(); i++) {
                gr.drawString(lines.get(i), PAD, captionY + CAPTION_LINE * i);
            }
        } finally {
            gr.dispose();
        }
        return img;
    }

    private boolean onFootprint(Stamp s, int r, int q) {
        ConvTransposeSpec spec = layer.spec();
        int dr = r - s.ih() * spec.stride().h();
        int dq = q - s.iw() * spec.stride().w();
        return dr >= 0 && dq >= 0 && dr % spec.dilation().h() == 0 && dq % spec.dilation().w() == 0
                && dr / spec.dilation().h() < g.kernel().h() && dq / spec.dilation().w() < g.kernel().w();
    }

    /** What frame {@code frame} shows, in one line. */
    String caption(int frame) {
        Stamp s = stamps.get(frame);
        ConvTransposeSpec spec = layer.spec();
        if (s == null) {
            return "every stamp added; + bias " + Describe.num(layer.bias(oc)) + ", " + activationWords() + "; the outlined "
                    + g.oh() + "x" + g.ow() + " window is the output (crops " + g.pads() + ")";
        }
        int r0 = s.ih() * spec.stride().h();
        int q0 = s.iw() * spec.stride().w();
        String sampled = frameCount() - 1 < totalStamps ? " (" + frameCount() + " of " + (totalStamps + 1) + " frames shown)" : "";
        return "x[" + s.c() + "][" + s.ih() + "][" + s.iw() + "] = " + Describe.num(input.get(n, s.c(), s.ih(), s.iw()))
                + " stamps its kernel at rows " + r0 + ".." + (r0 + (g.kernel().h() - 1) * spec.dilation().h())
                + ", columns " + q0 + ".." + (q0 + (g.kernel().w() - 1) * spec.dilation().w()) + sampled;
    }

    private static void label(Graphics2D gr, String text, int x, int y) {
        gr.setColor(INK);
        gr.setFont(SMALL);
        gr.drawString(text, x, y);
    }

    private void cell(Graphics2D gr, int x, int y, Color fill, double v, boolean marked) {
        gr.setColor(fill);
        gr.fillRect(x, y, cell, cell);
        gr.setColor(GRID);
        gr.setStroke(new BasicStroke(1f));
        gr.drawRect(x, y, cell, cell);
        if (cell >= 28 && !Double.isNaN(v)) {
            gr.setFont(SMALL);
            gr.setColor(ColorMap.textOn(fill));
            String t = Describe.num(v);
            FontMetrics m = gr.getFontMetrics();
            gr.drawString(t, x + (cell - m.stringWidth(t)) / 2, y + (cell + m.getAscent()) / 2 - 2);
        }
        if (marked) {
            gr.setColor(MARK);
            gr.setStroke(new BasicStroke(2.5f));
            gr.drawRect(x + 1, y + 1, cell - 2, cell - 2);
        }
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) {
            m = Double.isFinite(v) ? Math.min(m, v) : m;
        }
        return Double.isInfinite(m) ? 0 : m;
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            m = Double.isFinite(v) ? Math.max(m, v) : m;
        }
        return Double.isInfinite(m) ? 0 : m;
    }

    /** Writes every frame to {@code gif} (atomically), 60 centiseconds each and 2 s on the last; returns its size in bytes. */
    public long write(Path gif) {
        AtomicFiles.write(gif, sink -> {
            try (GifWriter w = new GifWriter(sink, width(), height())) {
                for (int f = 0; f < frameCount(); f++) {
                    w.write(render(f), f == frameCount() - 1 ? 200 : 60);
                }
            }
        });
        try {
            return Files.size(gif);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the size of " + gif + ": " + e.getMessage(), e);
        }
    }
}
