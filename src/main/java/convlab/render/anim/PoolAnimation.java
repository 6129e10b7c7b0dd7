package convlab.render.anim;

import convlab.core.Describe;
import convlab.core.Pool2d;
import convlab.core.PoolGeometry;
import convlab.core.PoolLayer;
import convlab.core.Tap;
import convlab.core.Tensor;
import convlab.io.AtomicFiles;
import convlab.render.ColorMap;
import convlab.render.Numbers;
import convlab.render.Scale;
import convlab.render.Theme;
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
 * A pooling layer animated from its taps: the window slides over each channel in turn, row by row, and each frame
 * spells its reduction out. Max pooling frames the cell it picks ({@link Pool2d#winner}: the first largest, padded
 * cells holding -infinity); average pooling marks the cells its divisor counts ({@link Pool2d#divisor}) and writes
 * the sum over the divisor. The output channel fills in as the window moves; its values are {@link PoolLayer#reduce}
 * of {@link PoolLayer#taps}, which is what {@link PoolLayer#forward} computes (the tests check it). One frame per
 * output value (sampled evenly when there are more than {@code maxFrames - 1}; the maps still fill in every value),
 * then a frame holding the finished layer.
 */
public final class PoolAnimation {

    /** The cell max pooling picks: a thick red frame, as in {@link convlab.render.PoolFigure}. */
    public static final Color WINNER = new Color(0xd6, 0x27, 0x28);
    /** Padding inside the padded input. */
    public static final Color PADDING = new Color(0xee, 0xee, 0xee);
    /** Ceil-mode cells past the padding, which are not taps. */
    static final Color EXTENSION = new Color(0xfa, 0xfa, 0xfa);

    /** One frame's output position, or null for the last frame (the finished layer). */
    record Step(int c, int oh, int ow) {
    }

    private final Tensor input;
    private final PoolLayer layer;
    private final PoolGeometry g;
    private final int n;
    private final String title;
    private final Theme theme = Theme.DEFAULT;
    private final List<Step> steps = new ArrayList<>();
    /** Every output value of item n, {@code [c][oh][ow]} flattened, from the taps. */
    private final double[] values;
    private final int totalSteps;
    private final int rows;
    private final int cols;
    private final int cell;
    private final Scale scale;
    private final int fps;
    private int captionLines;

    private PoolAnimation(Tensor input, PoolLayer layer, int n, int maxFrames, int fps, String title) {
        this.g = layer.geometry(input.shape());
        if (n < 0 || n >= g.n()) {
            throw new IllegalArgumentException("Expected a batch index in 0.." + (g.n() - 1) + ", but found " + n);
        }
        if (maxFrames < 2) {
            throw new IllegalArgumentException("Expected maxFrames >= 2 (one window and the last frame), but found " + maxFrames);
        }
        if (fps < 1 || fps > AnimationOptions.MAX_FPS) {
            throw new IllegalArgumentException("Expected fps between 1 and " + AnimationOptions.MAX_FPS + ", but found " + fps);
        }
        this.input = input;
        this.layer = layer;
        this.n = n;
        this.fps = fps;
        this.title = title;
        this.rows = g.h() + g.pads().top() + g.pads().bottom() + g.extraBottom();
        this.cols = g.w() + g.pads().left() + g.pads().right() + g.extraRight();
        if ((long) rows * cols > 4096 || (long) g.oh() * g.ow() > 4096) {
            throw new IllegalArgumentException("Expected a padded input of at most 4096 cells to animate, but found " + rows + "x" + cols);
        }
        int total = g.c() * g.oh() * g.ow();
        this.totalSteps = total;
        this.values = new double[total];
        for (int c = 0; c < g.c(); c++) {
            for (int oh = 0; oh < g.oh(); oh++) {
                for (int ow = 0; ow < g.ow(); ow++) {
                    List<Tap> taps = layer.taps(input, n, c, oh, ow);
                    values[(c * g.oh() + oh) * g.ow() + ow] = layer.activation().apply(layer.reduce(taps, c));
                }
            }
        }
        int shown = Math.min(total, maxFrames - 1);
        for (int f = 0; f < shown; f++) {
            int i = shown == total ? f : (int) Math.round(f * (total - 1) / (double) Math.max(shown - 1, 1));
            steps.add(step(i));
        }
        steps.add(null);
        this.cell = Math.max(18, Math.min(40, 360 / Math.max(Math.max(rows, cols), 1)));
        Tensor item = input.slice(n);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < item.size(); i++) {
            double v = item.flat(i);
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        this.scale = lo > hi ? Scale.of(0, 1) : Scale.of(lo, hi);
    }

    /**
     * The animation of batch item {@code n}: every channel, every output position.
     *
     * @throws IllegalArgumentException for a bad index, or a padded input too large to draw (more than 4096 cells)
     */
    public static PoolAnimation of(Tensor input, PoolLayer layer, int n, int maxFrames, int fps, String title) {
        return new PoolAnimation(input, layer, n, maxFrames, fps, title);
    }

    private Step step(int i) {
        int per = g.oh() * g.ow();
        return new Step(i / per, (i % per) / g.ow(), i % g.ow());
    }

    private int index(Step s) {
        return (s.c() * g.oh() + s.oh()) * g.ow() + s.ow();
    }

    public int frameCount() {
        return steps.size();
    }

    /** How many output values there are; more than {@code frameCount() - 1} when frames were sampled. */
    public int totalSteps() {
        return totalSteps;
    }

    /** Output {@code [n][c][oh][ow]} as the animation writes it: the activation of {@code reduce(taps)}. */
    public double value(int c, int oh, int ow) {
        return values[(c * g.oh() + oh) * g.ow() + ow];
    }

    /** The output position frame {@code frame} computes ({c, oh, ow}), or null for the last frame. */
    public int[] position(int frame) {
        Step s = steps.get(frame);
        return s == null ? null : new int[] {s.c(), s.oh(), s.ow()};
    }

    // ---- layout, in pixels at the theme's scale

    private int pad() {
        return theme.px(16);
    }

    private int gap() {
        return theme.px(48);
    }

    private int gridWidth() {
        return cols * cell + gap() + g.ow() * cell;
    }

    public int width() {
        return Math.max(pad() * 2 + gridWidth(), theme.px(620));
    }

    private int headerHeight() {
        return Captions.lineHeight(theme.title()) + Captions.lineHeight(theme.subtitle()) * subtitle().size() + theme.px(10);
    }

    private int gridTop() {
        return pad() + headerHeight() + Captions.lineHeight(theme.label()) + theme.px(4);
    }

    private int captionTop() {
        return gridTop() + Math.max(rows, g.oh()) * cell + theme.px(14);
    }

    /** The most caption lines any frame has, so every frame is the same size. */
    private int captionLines() {
        if (captionLines == 0) {
            captionLines = Captions.mostLines(frameCount(), this::caption);
        }
        return captionLines;
    }

    public int height() {
        return captionTop() + Captions.lineHeight(theme.mono()) * captionLines() + Captions.lineHeight(theme.small()) + pad();
    }


    private List<String> subtitle() {
        return wrap(layer.op() + ": " + Describe.pool(g, layer), theme.subtitle());
    }

    private List<String> wrap(String text, Font f) {
        return Captions.wrap(text, Captions.metrics(f), width() - 2 * pad());
    }

    /** Where input cell {@code (ih, iw)} (unpadded coordinates) is drawn: its top-left corner. */
    public int[] inputCell(int ih, int iw) {
        return new int[] {pad() + (iw + g.pads().left()) * cell, gridTop() + (ih + g.pads().top()) * cell};
    }

    /** Where output cell {@code (oh, ow)} is drawn: its top-left corner. */
    public int[] outputCell(int oh, int ow) {
        return new int[] {pad() + cols * cell + gap() + ow * cell, gridTop() + oh * cell};
    }

    public int cellSize() {
        return cell;
    }

    /**
     * What frame {@code frame} says, a line or more: the reduction spelled out term by term (max: every window
     * value and the one picked; average: the sum and its divisor), wrapped to the frame's width.
     */
    List<String> caption(int frame) {
        Step s = steps.get(frame);
        String sampled = frameCount() - 1 < totalSteps ? " (" + frameCount() + " of " + (totalSteps + 1) + " frames shown)" : "";
        if (s == null) {
            return wrap("every window pooled: " + g.c() + " channel" + (g.c() == 1 ? "" : "s") + " of " + g.oh() + "x" + g.ow()
                    + ", each output the " + (layer.isMax() ? "largest" : "average") + " of its window" + sampled, theme.mono());
        }
        List<Tap> taps = layer.taps(input, n, s.c(), s.oh(), s.ow());
        double pre = layer.reduce(taps, s.c());
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "out[%d][%d][%d] = ", s.c(), s.oh(), s.ow()));
        if (layer.isMax()) {
            sb.append("max(");
            for (int i = 0; i < taps.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(Numbers.format(taps.get(i).x()));
            }
            Tap win = taps.get(Pool2d.winner(taps));
            sb.append(") = ").append(Numbers.format(pre)).append(", from input row ").append(win.ih()).append(", column ").append(win.iw());
            sb.append(Double.isNaN(pre) ? " (a NaN takes over)" : count(taps, pre) > 1 ? " (the first largest)" : "");
        } else {
            sb.append("(");
            double sum = 0;
            for (int i = 0; i < taps.size(); i++) {
                double x = taps.get(i).x();
                sum += taps.get(i).product();
                sb.append(i == 0 ? "" : x < 0 ? " - " : " + ").append(i > 0 && x < 0 ? Numbers.format(-x) : Numbers.format(x));
            }
            int divisor = Pool2d.divisor(taps, layer.spec().countIncludePad());
            sb.append(") / ").append(divisor).append(" = ").append(Numbers.format(sum)).append(" / ").append(divisor).append(" = ")
                    .append(Numbers.format(pre));
            int padded = 0;
            for (Tap t : taps) {
                padded += t.padding() ? 1 : 0;
            }
            if (padded > 0) {
                sb.append(layer.spec().countIncludePad() ? "; the divisor counts the " + padded + " padded cell" + (padded == 1 ? "" : "s")
                        : "; the divisor leaves out the " + padded + " padded cell" + (padded == 1 ? "" : "s"));
            }
        }
        if (layer.activation() != convlab.core.Activation.NONE) {
            sb.append(", ").append(layer.activation()).append(" ").append(Numbers.format(layer.activation().apply(pre)));
        }
        return wrap(sb + sampled, theme.mono());
    }

    private static int count(List<Tap> taps, double v) {
        int k = 0;
        for (Tap t : taps) {
            k += t.x() == v ? 1 : 0;
        }
        return k;
    }

    public BufferedImage render(int frame) {
        BufferedImage img = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        try {
            // Text on or off, not blended: a frame keeps an exact GIF palette, so its colours decode as drawn.
            gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            gr.setColor(Theme.BACKGROUND);
            gr.fillRect(0, 0, img.getWidth(), img.getHeight());
            int y = pad() + Captions.metrics(theme.title()).getAscent();
            text(gr, title.isEmpty() ? layer.op().toString() : title, theme.title(), Theme.INK, pad(), y);
            y += Captions.lineHeight(theme.title());
            for (String line : subtitle()) {
                text(gr, line, theme.subtitle(), Theme.MUTED, pad(), y);
                y += Captions.lineHeight(theme.subtitle());
            }
            Step s = steps.get(frame);
            int c = s == null ? g.c() - 1 : s.c();
            int done = s == null ? totalSteps : index(s); // outputs before this one are written
            boolean ext = g.extraBottom() + g.extraRight() > 0;
            text(gr, "input channel " + c + " of " + g.c(), theme.label(), Theme.MUTED, pad(), gridTop() - theme.px(5));
            int[] o0 = outputCell(0, 0);
            text(gr, "output channel " + c, theme.label(), Theme.MUTED, o0[0], gridTop() - theme.px(5));
            // the padded input channel
            for (int r = 0; r < rows; r++) {
                for (int q = 0; q < cols; q++) {
                    int ih = r - g.pads().top(), iw = q - g.pads().left();
                    int x = pad() + q * cell, yy = gridTop() + r * cell;
                    if (g.inside(ih, iw)) {
                        valueCell(gr, x, yy, input.get(n, c, ih, iw));
                    } else {
                        gr.setColor(g.insidePadded(ih, iw) ? PADDING : EXTENSION);
                        gr.fillRect(x, yy, cell, cell);
                        if (g.insidePadded(ih, iw) && cell >= 26) {
                            centred(gr, layer.isMax() ? "-inf" : "0", theme.small(), Theme.MUTED, x, yy);
                        }
                    }
                    gr.setColor(Theme.RULE);
                    gr.setStroke(new BasicStroke(1f));
                    gr.drawRect(x, yy, cell, cell);
                }
            }
            // the output channel, filled in up to this frame's value
            for (int r = 0; r < g.oh(); r++) {
                for (int q = 0; q < g.ow(); q++) {
                    int[] p = outputCell(r, q);
                    int i = (c * g.oh() + r) * g.ow() + q;
                    if (i <= done && i < totalSteps) {
                        valueCell(gr, p[0], p[1], values[i]);
                    } else {
                        gr.setColor(Theme.BACKGROUND);
                        gr.fillRect(p[0], p[1], cell, cell);
                    }
                    gr.setColor(Theme.RULE);
                    gr.setStroke(new BasicStroke(1f));
                    gr.drawRect(p[0], p[1], cell, cell);
                }
            }
            gr.setColor(Theme.BORDER);
            gr.drawRect(o0[0], o0[1], g.ow() * cell, g.oh() * cell);
            if (s != null) {
                marks(gr, s);
            }
            int cy = captionTop() + Captions.metrics(theme.mono()).getAscent();
            for (String line : caption(frame)) {
                text(gr, line, theme.mono(), Theme.INK, pad(), cy);
                cy += Captions.lineHeight(theme.mono());
            }
            text(gr, "colours: " + scale.describe() + (g.pads().isZero() ? "" : "; grey: padding") + (ext ? "; white: ceil-mode cells past it" : "")
                    + (layer.isMax() ? "; red frame: the cell max pooling picks" : "; red squares: the cells the divisor counts")
                    + "; frame " + (frame + 1) + " of " + frameCount(),
                    theme.small(), Theme.MUTED, pad(), height() - pad());
        } finally {
            gr.dispose();
        }
        return img;
    }

    /** The window's span outlined, its taps, the winner or the counted cells, and the output cell being written. */
    private void marks(Graphics2D gr, Step s) {
        List<Tap> taps = layer.taps(input, n, s.c(), s.oh(), s.ow());
        int winner = layer.isMax() ? Pool2d.winner(taps) : -1;
        int spanH = (g.kernel().h() - 1) * g.dilation().h() + 1, spanW = (g.kernel().w() - 1) * g.dilation().w() + 1;
        gr.setColor(Theme.ACCENT);
        gr.setStroke(new BasicStroke(theme.px(3)));
        gr.drawRect(pad() + s.ow() * g.stride().w() * cell, gridTop() + s.oh() * g.stride().h() * cell, spanW * cell, spanH * cell);
        int sq = Math.max(4, cell / 6);
        for (int i = 0; i < taps.size(); i++) {
            Tap t = taps.get(i);
            int[] p = inputCell(t.ih(), t.iw());
            if (i == winner) {
                gr.setColor(WINNER);
                gr.setStroke(new BasicStroke(theme.px(4)));
                gr.drawRect(p[0] + 2, p[1] + 2, cell - 4, cell - 4);
            } else if (!layer.isMax() && (layer.spec().countIncludePad() || !t.padding())) {
                gr.setColor(WINNER);
                gr.fillRect(p[0] + cell - sq - 2, p[1] + 2, sq, sq); // counted in the divisor
            }
        }
        int[] o = outputCell(s.oh(), s.ow());
        gr.setColor(Theme.ACCENT);
        gr.setStroke(new BasicStroke(theme.px(3)));
        gr.drawRect(o[0], o[1], cell, cell);
    }

    private void valueCell(Graphics2D gr, int x, int y, double v) {
        Color fill = Double.isNaN(v) ? ColorMap.NAN : scale.color(v);
        gr.setColor(fill);
        gr.fillRect(x, y, cell, cell);
        if (cell >= 26) {
            centred(gr, Numbers.format(v), theme.small(), ColorMap.textOn(fill), x, y);
        }
    }

    private void centred(Graphics2D gr, String t, Font f, Color color, int x, int y) {
        FontMetrics m = Captions.metrics(f);
        text(gr, t, f, color, x + (cell - m.stringWidth(t)) / 2, y + (cell + m.getAscent()) / 2 - 2);
    }

    private static void text(Graphics2D gr, String t, Font f, Color color, int x, int y) {
        gr.setFont(f);
        gr.setColor(color);
        gr.drawString(t, x, y);
    }

    /** Writes every frame to {@code gif} (atomically), at the animation's fps and 2 s on the last; returns its size in bytes. */
    public long write(Path gif) {
        int delay = Math.max(2, Math.round(100f / fps));
        AtomicFiles.write(gif, sink -> {
            try (GifWriter w = new GifWriter(sink, width(), height())) {
                for (int f = 0; f < frameCount(); f++) {
                    w.write(render(f), f == frameCount() - 1 ? 200 : delay);
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
