package convlab.render.anim;

import convlab.core.Activation;
import convlab.core.Describe;
import convlab.core.Geometry;
import convlab.core.PaddingMode;
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
 * A conv2d layer's backward pass animated from the real numbers ({@link GradientReplay}), with the values in the
 * cells. On the left the delta map of the step's filter, {@code delta = dy * act'(pre)}, the value being used framed;
 * on the right a row per input channel:
 * <pre>
 *   dW:  the padded input channel, the window outlined | the window | window x delta | dW[oc][ic] so far
 *   dX:  the kernel slice w[oc][ic] | delta x w, the stamp | dX[n][c] so far, on the padded input, the stamp's window outlined
 * </pre>
 * Padding is grey, as in the forward animation; a stamp's cells that land in zero padding are cut off (greyed and
 * crossed). The last frame holds the finished gradient, which is the reference's (the tests check it). Frames are
 * laid out at a {@link Theme} scale, or fitted to an exact canvas such as 1920x1080 for slides.
 */
public final class GradientAnimation {

    private static final int MAX_ROWS = 8;

    private final GradientReplay r;
    private final Geometry g;
    private final String title;
    private final String dyNote;
    private final int fps;
    private final Theme theme;
    private final int canvasW;
    private final int canvasH;
    private final int cell;
    private final int rows;
    /** Channel blocks side by side before the next line of blocks: 1 stacks them, as the default frame does. */
    private final int perLine;
    private final Font cellFont;
    private final int hp;
    private final int wp;
    private final Scale inputScale;
    private final Scale weightScale;
    private final Scale deltaScale;
    private final Scale gradScale;
    /** Slot widths and their x positions, left to right: the delta column, then a row's panels. */
    private final int[] slotX;
    private final int[] slotW;
    private final String[] slotLabels;
    private int captionLines;

    private GradientAnimation(GradientReplay replay, String title, String dyNote, int fps, Theme theme, int perLine,
                              AnimationOptions.Canvas canvas) {
        this.r = replay;
        this.g = replay.geometry();
        this.title = title == null ? "" : title;
        this.dyNote = dyNote == null ? "" : dyNote;
        if (fps < 1 || fps > AnimationOptions.MAX_FPS) {
            throw new IllegalArgumentException("Expected --fps between 1 and " + AnimationOptions.MAX_FPS + ", but found " + fps);
        }
        this.fps = fps;
        this.theme = theme;
        this.rows = dw() ? g.cg() : g.c();
        if (rows > MAX_ROWS) {
            throw new IllegalArgumentException("Expected at most " + MAX_ROWS + " input channels to draw a row each, but the "
                    + (dw() ? "filter reads " : "input has ") + rows);
        }
        this.hp = g.h() + g.pads().top() + g.pads().bottom();
        this.wp = g.w() + g.pads().left() + g.pads().right();
        if ((long) hp * wp > 4096 || (long) g.oh() * g.ow() > 4096) {
            throw new IllegalArgumentException("Expected a padded input of at most 4096 cells to animate, but found " + hp + "x" + wp);
        }
        this.perLine = Math.max(1, Math.min(perLine, rows));
        this.cell = theme.px(baseCell(g, r.kind(), this.perLine));
        this.cellFont = fitted(theme.small(), "-8.88", cell - theme.px(3));
        this.inputScale = Scale.fitting(replay.input());
        this.weightScale = Scale.fitting(replay.layer().weights());
        this.deltaScale = Scale.symmetric(replay.delta());
        double m = replay.largest();
        this.gradScale = new Scale(m > 0 && Double.isFinite(m) ? -m : -1, m > 0 && Double.isFinite(m) ? m : 1, ColorMap.RDBU);
        this.slotLabels = dw()
                ? new String[] {"delta[n][" + r.filter() + "]", "x[n][c], padded", "window", "window \u00d7 " + Numbers.format(-88.8),
                    "dW[" + r.filter() + "][" + (g.cg() - 1) + "] so far"}
                : new String[] {"delta[" + r.item() + "][" + (g.o() - 1) + "]", "w[" + (g.o() - 1) + "][" + (g.cg() - 1) + "]",
                    Numbers.format(-88.8) + " \u00d7 w", "dX[" + r.item() + "][" + (g.c() - 1) + "] so far, padded"};
        int[] cols = dw() ? new int[] {g.ow(), wp, g.kernel().w(), g.kernel().w(), g.kernel().w()}
                : new int[] {g.ow(), g.kernel().w(), g.kernel().w(), wp};
        slotW = new int[cols.length];
        slotX = new int[cols.length];
        FontMetrics lm = Captions.metrics(theme.label());
        int x = pad();
        for (int i = 0; i < cols.length; i++) {
            slotW[i] = Math.max(cols[i] * cell, lm.stringWidth(slotLabels[i]));
            if (i == 0) {
                slotW[i] = Math.max(slotW[i], Captions.metrics(theme.mono()).stringWidth("db[" + g.o() + "] = -88.88 "));
            }
            slotX[i] = x;
            x += slotW[i] + gap();
        }
        int ownW = width0();
        int ownH = height0();
        if (canvas == null) {
            canvasW = ownW;
            canvasH = ownH;
        } else {
            canvasW = canvas.width();
            canvasH = canvas.height();
            if (ownW > canvasW || ownH > canvasH) {
                throw new IllegalArgumentException("Expected a frame of at most " + canvasW + "x" + canvasH + ", but the layout needs "
                        + ownW + "x" + ownH);
            }
        }
    }

    /**
     * The cell size at scale 1 with {@code perLine} channel blocks a line: at most 40, and small enough that the
     * largest map stays within 360 pixels, the blocks' lines within 720 and the frame within 1400 wide.
     */
    private static int baseCell(Geometry g, GradientReplay.Kind kind, int perLine) {
        int hp = g.h() + g.pads().top() + g.pads().bottom();
        int wp = g.w() + g.pads().left() + g.pads().right();
        int rows = kind == GradientReplay.Kind.DW ? g.cg() : g.c();
        int lines = (rows + perLine - 1) / perLine;
        int k = g.kernel().w();
        int blockCols = kind == GradientReplay.Kind.DW ? wp + 3 * k : 2 * k + wp;
        int slots = 1 + perLine * (kind == GradientReplay.Kind.DW ? 4 : 3);
        int side = Math.max(Math.max(hp, wp), Math.max(g.oh(), g.ow()));
        int tall = lines * Math.max(hp, g.kernel().h());
        int wide = (1400 - 32 - slots * 40) / Math.max(g.ow() + perLine * blockCols, 1);
        return Math.max(12, Math.min(Math.min(40, wide), Math.min(360 / Math.max(side, 1), 720 / Math.max(tall, 1))));
    }

    /**
     * The channel blocks a line in the default frame: stacked, unless that leaves cells too small for their numbers
     * (under 26 pixels) and putting blocks side by side gives bigger ones.
     */
    private static int defaultPerLine(GradientReplay replay) {
        Geometry g = replay.geometry();
        int rows = replay.kind() == GradientReplay.Kind.DW ? g.cg() : g.c();
        int best = 1;
        for (int p = 1; p <= rows && baseCell(g, replay.kind(), best) < 26; p++) {
            if (baseCell(g, replay.kind(), p) > baseCell(g, replay.kind(), best)) {
                best = p;
            }
        }
        return best;
    }

    /**
     * The animation of {@code replay}. With a canvas that fits ({@code --size}), the frame is laid out at the
     * largest scale whose drawing fits it, and centred; otherwise at {@code scale} (1 = the default frame).
     */
    public static GradientAnimation of(GradientReplay replay, String title, String dyNote, int fps, double scale, AnimationOptions.Canvas canvas) {
        if (canvas == null) {
            return new GradientAnimation(replay, title, dyNote, fps, Theme.scaled(scale), defaultPerLine(replay), null);
        }
        // Every arrangement of the channel blocks (stacked, or several side by side), each at the largest scale
        // that fits: the one with the biggest type wins.
        double best = 0;
        int bestPerLine = 1;
        int channels = replay.kind() == GradientReplay.Kind.DW ? replay.geometry().cg() : replay.geometry().c();
        for (int p = 1; p <= Math.min(channels, MAX_ROWS); p++) {
            double s = fittingScale(replay, title, dyNote, fps, p, canvas);
            if (s > best * 1.01) {
                best = s;
                bestPerLine = p;
            }
        }
        if (best == 0) {
            throw new IllegalArgumentException("Expected a frame size the gradient animation fits, but found " + canvas.width() + "x" + canvas.height());
        }
        return new GradientAnimation(replay, title, dyNote, fps, Theme.scaled(best), bestPerLine, canvas);
    }

    /** The largest theme scale (to 2%) at which the frame fits the canvas with {@code perLine} blocks a line, or 0. */
    private static double fittingScale(GradientReplay replay, String title, String dyNote, int fps, int perLine, AnimationOptions.Canvas canvas) {
        GradientAnimation one = new GradientAnimation(replay, title, dyNote, fps, Theme.DEFAULT, perLine, null);
        double hi = Math.min(8, 1.05 * Math.min(canvas.width() / (double) one.width0(), canvas.height() / (double) one.height0()));
        double lo = 0.25;
        if (!fits(replay, title, dyNote, fps, perLine, canvas, lo)) {
            return 0;
        }
        while (hi - lo > 0.02 * lo) { // the sizes grow with the scale, give or take a rounded pixel
            double mid = (lo + hi) / 2;
            if (fits(replay, title, dyNote, fps, perLine, canvas, mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static boolean fits(GradientReplay replay, String title, String dyNote, int fps, int perLine, AnimationOptions.Canvas canvas, double s) {
        GradientAnimation a = new GradientAnimation(replay, title, dyNote, fps, Theme.scaled(s), perLine, null);
        return a.width0() <= canvas.width() && a.height0() <= canvas.height();
    }

    /** {@code f}, shrunk in half points until {@code sample} fits in {@code width} pixels (at most to 60%). */
    private static Font fitted(Font f, String sample, int width) {
        Font out = f;
        while (Captions.metrics(out).stringWidth(sample) > width && out.getSize2D() > f.getSize2D() * 0.6) {
            out = out.deriveFont(out.getSize2D() - 0.5f);
        }
        return out;
    }

    private int lines() {
        return (rows + perLine - 1) / perLine;
    }

    /** The width of one channel block: a row's panels, without the delta column. */
    private int blockWidth() {
        return slotX[slotX.length - 1] + slotW[slotW.length - 1] - slotX[1];
    }

    private boolean dw() {
        return r.kind() == GradientReplay.Kind.DW;
    }

    public GradientReplay replay() {
        return r;
    }

    public int frameCount() {
        return r.frameCount();
    }

    public int width() {
        return canvasW;
    }

    public int height() {
        return canvasH;
    }

    /** The theme scale the frame is drawn at. */
    public double scale() {
        return theme.scale();
    }

    // ---- layout, in pixels at the theme's scale, before centring on a canvas

    private int pad() {
        return theme.px(16);
    }

    private int gap() {
        return theme.px(40);
    }

    private int width0() {
        return Math.max(slotX[1] + perLine * blockWidth() + (perLine - 1) * gap() + pad(), theme.px(620));
    }

    private List<String> wrap(String text, Font f) {
        return Captions.wrap(text, Captions.metrics(f), width0() - 2 * pad());
    }

    private List<String> subtitle() {
        return wrap(Describe.conv2d(g, r.layer()) + ".  " + dyNote, theme.subtitle());
    }

    /** What the animation shows, one sentence on every frame. */
    private List<String> explanation() {
        String s = dw()
                ? "dW[" + r.filter() + "] = the sum, over every output position and batch item, of delta there times the input window "
                        + "that position read; db[" + r.filter() + "] = the sum of delta."
                : "dX = conv_transpose2d(delta, w): each delta value stamps its kernel, scaled by itself, back onto the input "
                        + "window its output read; the stamps add up where windows overlap" + (g.pads().isZero() ? "."
                        : r.layer().spec().paddingMode() == PaddingMode.ZEROS ? ", and what lands in the padding is cut off."
                        : ", and what lands in the " + r.layer().spec().paddingMode() + " padding folds back onto the cell it copied.");
        return wrap(s, theme.label());
    }

    private int bodyTop() {
        return pad() + Captions.lineHeight(theme.title()) + Captions.lineHeight(theme.subtitle()) * subtitle().size()
                + Captions.lineHeight(theme.label()) * explanation().size() + theme.px(10);
    }

    private int labelHeight() {
        return Captions.lineHeight(theme.label()) + theme.px(2);
    }

    private int rowHeight() {
        return labelHeight() + Math.max(hp, g.kernel().h()) * cell + theme.px(12);
    }

    private int bodyHeight() {
        int left = labelHeight() + g.oh() * cell + theme.px(8) + Captions.lineHeight(theme.mono()) * 3;
        return Math.max(lines() * rowHeight(), left);
    }

    private int captionTop() {
        return bodyTop() + bodyHeight() + theme.px(6);
    }

    private int captionLines() {
        if (captionLines == 0) {
            captionLines = Captions.mostLines(frameCount(), this::caption);
        }
        return captionLines;
    }

    private int height0() {
        return captionTop() + Captions.lineHeight(theme.mono()) * captionLines() + Captions.lineHeight(theme.small()) + pad();
    }

    // ---- words

    private String derivative(GradientReplay.Step s) {
        Activation a = r.layer().spec().activation();
        if (a == Activation.NONE) {
            return "delta = dy = " + Numbers.format(s.delta()) + " (no activation)";
        }
        return "delta = dy " + Numbers.format(s.dy()) + " \u00d7 " + a + "'(pre " + Numbers.format(s.pre()) + ") "
                + Numbers.format(a.derivative(s.pre())) + " = " + Numbers.format(s.delta());
    }

    private static String at(GradientReplay.Step s) {
        return "delta[" + s.n() + "," + s.oc() + "," + s.oh() + "," + s.ow() + "] (" + Numbers.format(s.delta()) + ")";
    }

    /** What frame {@code frame} says: the update, then how its delta came about, wrapped to the frame's width. */
    List<String> caption(int frame) {
        GradientReplay.Step s = r.step(frame);
        String sampled = r.sampled() ? "(" + frameCount() + " of " + (r.totalSteps() + 1) + " frames shown; the sums add every step)" : "";
        int oc = r.filter();
        List<String> text = new ArrayList<>();
        if (s == null && dw()) {
            text.add("dW[" + oc + "] = the sum over all " + g.n() * g.oh() * g.ow() + " positions" + (g.n() > 1 ? " of the batch" : "")
                    + " of delta \u00d7 window: the reference's dL/dW of filter " + oc + " (Conv2dBackward)");
            if (r.layer().bias() != null) {
                text.add("db[" + oc + "] = the sum of delta = " + Numbers.format(r.runningBias(frame)));
            }
        } else if (s == null) {
            text.add("dX[" + r.item() + "] = every delta value's stamp added up: conv_transpose2d(delta, w, stride " + g.stride()
                    + ", dilation " + g.dilation() + (g.spec().groups() > 1 ? ", groups " + g.spec().groups() : "") + ")"
                    + (g.pads().isZero() ? "" : " cropped by the padding " + g.pads()) + ": the reference's dL/dX (Conv2dBackward)");
        } else if (dw()) {
            text.add("dW[" + oc + "] += " + at(s) + " \u00d7 window at (" + s.oh() + "," + s.ow() + ")" + (g.n() > 1 ? " of item " + s.n() : "")
                    + (r.layer().bias() == null ? "" : ";  db[" + oc + "] += delta, now " + Numbers.format(r.runningBias(frame))));
            text.add(derivative(s));
        } else {
            List<Tap> taps = r.taps(s);
            int cut = 0;
            for (Tap t : taps) {
                cut += t.padding() ? 1 : 0;
            }
            int rowTop = s.oh() * g.stride().h() - g.pads().top();
            int colLeft = s.ow() * g.stride().w() - g.pads().left();
            int spanH = (g.kernel().h() - 1) * g.dilation().h();
            int spanW = (g.kernel().w() - 1) * g.dilation().w();
            int group = s.oc() / g.og();
            String channels = g.spec().groups() > 1 ? "channels " + group * g.cg() + ".." + ((group + 1) * g.cg() - 1) + " of " : "";
            String padded = cut == 0 ? "" : r.layer().spec().paddingMode() == PaddingMode.ZEROS
                    ? " (" + cut + " of " + taps.size() + " cells land in the padding: cut off)"
                    : " (" + cut + " of " + taps.size() + " cells land in the padding: folded back)";
            text.add(channels + "dX[" + s.n() + "] += " + at(s) + " \u00d7 w[" + s.oc() + "] at rows " + rowTop + ".." + (rowTop + spanH)
                    + ", columns " + colLeft + ".." + (colLeft + spanW) + padded);
            text.add(derivative(s));
        }
        if (!sampled.isEmpty()) {
            text.add(sampled.trim());
        }
        List<String> lines = new ArrayList<>();
        for (String t : text) {
            lines.addAll(wrap(t, theme.mono()));
        }
        return lines;
    }

    // ---- drawing

    /** Frame {@code frame} as a new image of {@code width() x height()}. */
    public BufferedImage render(int frame) {
        BufferedImage img = new BufferedImage(canvasW, canvasH, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        try {
            // Text on or off, not blended: a frame keeps an exact GIF palette, so its colours decode as drawn.
            gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            gr.setColor(Theme.BACKGROUND);
            gr.fillRect(0, 0, canvasW, canvasH);
            gr.translate((canvasW - width0()) / 2, (canvasH - height0()) / 2);
            draw(gr, frame);
        } finally {
            gr.dispose();
        }
        return img;
    }

    private void draw(Graphics2D gr, int frame) {
        int y = pad() + Captions.metrics(theme.title()).getAscent();
        GradientReplay.Step s = r.step(frame);
        String what = dw() ? "dL/dW of filter " + r.filter() : "dL/dX of batch item " + r.item();
        text(gr, (title.isEmpty() ? "" : title + ":  ") + what, theme.title(), Theme.INK, pad(), y);
        y += Captions.lineHeight(theme.title());
        for (String line : subtitle()) {
            text(gr, line, theme.subtitle(), Theme.MUTED, pad(), y);
            y += Captions.lineHeight(theme.subtitle());
        }
        for (String line : explanation()) {
            text(gr, line, theme.label(), Theme.INK, pad(), y);
            y += Captions.lineHeight(theme.label());
        }
        int top = bodyTop();
        drawDelta(gr, s, frame, top);
        Tensor sum = r.running(frame);
        List<Tap> taps = s == null ? List.of() : r.taps(s);
        for (int row = 0; row < rows; row++) {
            int ry = top + (row / perLine) * rowHeight();
            int dx = (row % perLine) * (blockWidth() + gap());
            gr.translate(dx, 0);
            if (dw()) {
                drawDwRow(gr, row, ry, s, taps, sum);
            } else {
                drawDxRow(gr, row, ry, s, taps, sum);
            }
            gr.translate(-dx, 0);
        }
        int cy = captionTop() + Captions.metrics(theme.mono()).getAscent();
        for (String line : caption(frame)) {
            text(gr, line, theme.mono(), Theme.INK, pad(), cy);
            cy += Captions.lineHeight(theme.mono());
        }
        text(gr, "colours: " + (dw() ? "input " + inputScale.describe() : "weights " + weightScale.describe()) + "; delta "
                + deltaScale.describe() + "; gradient " + gradScale.describe() + (g.pads().isZero() ? "" : "; grey: padding")
                + (dw() || g.pads().isZero() || r.layer().spec().paddingMode() == PaddingMode.ZEROS ? ""
                        : "; orange squares: the cells a stamp's padded share folds back onto")
                + (numbers() ? "" : "; cells too small for their values (--scale 2 prints them)")
                + "; frame " + (frame + 1) + " of " + frameCount(), theme.small(), Theme.MUTED, pad(), height0() - pad());
    }

    /** The delta map of the step's filter and item, the value in use framed; under it db so far (dW). */
    private void drawDelta(Graphics2D gr, GradientReplay.Step s, int frame, int top) {
        int n = s == null ? (dw() ? g.n() - 1 : r.item()) : s.n();
        int oc = s == null ? (dw() ? r.filter() : g.o() - 1) : s.oc();
        int x0 = slotX[0];
        label(gr, "delta[" + n + "][" + oc + "]", x0, top);
        int gy = top + labelHeight();
        for (int oh = 0; oh < g.oh(); oh++) {
            for (int ow = 0; ow < g.ow(); ow++) {
                double v = r.delta().get(n, oc, oh, ow);
                valueCell(gr, x0 + ow * cell, gy + oh * cell, deltaScale.color(v), v);
            }
        }
        outline(gr, x0, gy, g.ow(), g.oh(), Theme.BORDER, 1);
        if (s != null) {
            outline(gr, x0 + s.ow() * cell, gy + s.oh() * cell, 1, 1, Theme.ACCENT, 3);
        }
        int ty = gy + g.oh() * cell + theme.px(8) + Captions.metrics(theme.mono()).getAscent();
        Activation act = r.layer().spec().activation();
        text(gr, act == Activation.NONE ? "= dy (no activation)" : "= dy \u00d7 " + act + "'(pre)", theme.label(), Theme.MUTED, x0, ty);
        if (dw() && r.layer().bias() != null) {
            ty += Captions.lineHeight(theme.mono());
            text(gr, "db[" + r.filter() + "] = " + Numbers.format(r.runningBias(frame)), theme.mono(), Theme.INK, x0, ty);
        }
    }

    private void drawDwRow(Graphics2D gr, int ic, int ry, GradientReplay.Step s, List<Tap> taps, Tensor sum) {
        int group = r.filter() / g.og();
        int c = group * g.cg() + ic;
        int n = s == null ? g.n() - 1 : s.n();
        int gy = ry + labelHeight();
        int KH = g.kernel().h(), KW = g.kernel().w();
        // the padded input channel, the window outlined and its taps marked
        label(gr, "x[" + n + "][" + c + "]" + (g.pads().isZero() ? "" : ", padded"), slotX[1], ry);
        PaddingMode mode = r.layer().spec().paddingMode();
        for (int row = 0; row < hp; row++) {
            for (int col = 0; col < wp; col++) {
                int ih = row - g.pads().top(), iw = col - g.pads().left();
                double v = mode.read(r.input(), n, c, ih, iw, g.h(), g.w());
                boolean inside = ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w();
                int x = slotX[1] + col * cell, y = gy + row * cell;
                if (inside) {
                    valueCell(gr, x, y, inputScale.color(v), v);
                } else {
                    paddingCell(gr, x, y, v);
                }
            }
        }
        outline(gr, slotX[1], gy, wp, hp, Theme.BORDER, 1);
        double d = s == null ? Double.NaN : s.delta();
        if (s != null) {
            window(gr, slotX[1], gy, s);
        }
        // the window, window x delta (not on the last frame), and dW so far
        if (s != null) {
            label(gr, "window", slotX[2], ry);
            label(gr, "window \u00d7 " + Numbers.format(d), slotX[3], ry);
        }
        label(gr, "dW[" + r.filter() + "][" + ic + "]" + (s == null ? "" : " so far"), slotX[4], ry);
        for (int kh = 0; kh < KH; kh++) {
            for (int kw = 0; kw < KW; kw++) {
                int y = gy + kh * cell;
                if (s != null) {
                    Tap t = taps.get((ic * KH + kh) * KW + kw);
                    if (t.padding()) {
                        paddingCell(gr, slotX[2] + kw * cell, y, t.x());
                    } else {
                        valueCell(gr, slotX[2] + kw * cell, y, inputScale.color(t.x()), t.x());
                    }
                    double p = d * t.x();
                    valueCell(gr, slotX[3] + kw * cell, y, gradScale.color(p), p);
                }
                double v = sum.get(ic, kh, kw);
                valueCell(gr, slotX[4] + kw * cell, y, gradScale.color(v), v);
            }
        }
        for (int i = s == null ? 4 : 2; i <= 4; i++) {
            outline(gr, slotX[i], gy, KW, KH, Theme.BORDER, 1);
        }
        if (s != null) {
            symbol(gr, "\u00d7", slotX[2] + KW * cell, slotX[3], gy + KH * cell / 2);
            symbol(gr, "+=", slotX[3] + KW * cell, slotX[4], gy + KH * cell / 2);
        }
    }

    private void drawDxRow(Graphics2D gr, int c, int ry, GradientReplay.Step s, List<Tap> taps, Tensor sum) {
        int KH = g.kernel().h(), KW = g.kernel().w();
        int gy = ry + labelHeight();
        int group = c / g.cg(), ic = c % g.cg();
        boolean active = s != null && s.oc() / g.og() == group;
        int oc = s == null ? -1 : s.oc();
        // the kernel slice and the stamp
        if (active) {
            label(gr, "w[" + oc + "][" + ic + "]", slotX[1], ry);
            label(gr, Numbers.format(s.delta()) + " \u00d7 w", slotX[2], ry);
        } else if (s != null) {
            label(gr, "filter " + oc + " reads channels " + (s.oc() / g.og()) * g.cg() + ".." + ((s.oc() / g.og() + 1) * g.cg() - 1) + " only",
                    slotX[1], ry);
        }
        for (int kh = 0; kh < KH; kh++) {
            for (int kw = 0; kw < KW; kw++) {
                int y = gy + kh * cell;
                if (active) {
                    Tap t = taps.get((ic * KH + kh) * KW + kw);
                    valueCell(gr, slotX[1] + kw * cell, y, weightScale.color(t.w()), t.w());
                    double p = s.delta() * t.w();
                    boolean cut = t.padding() && r.layer().spec().paddingMode() == PaddingMode.ZEROS;
                    if (cut) {
                        cutCell(gr, slotX[2] + kw * cell, y, p);
                    } else {
                        valueCell(gr, slotX[2] + kw * cell, y, gradScale.color(p), p);
                    }
                }
            }
        }
        if (active) {
            outline(gr, slotX[1], gy, KW, KH, Theme.BORDER, 1);
            outline(gr, slotX[2], gy, KW, KH, Theme.BORDER, 1);
        }
        if (active) {
            symbol(gr, "\u00d7", slotX[1] + KW * cell, slotX[2], gy + KH * cell / 2);
            symbol(gr, "+=", slotX[2] + KW * cell, slotX[3], gy + KH * cell / 2);
        }
        // dX so far on the padded input: the padding ring grey, the stamp's window outlined
        label(gr, "dX[" + r.item() + "][" + c + "]" + (s == null ? "" : " so far") + (g.pads().isZero() ? "" : ", padded"), slotX[3], ry);
        for (int row = 0; row < hp; row++) {
            for (int col = 0; col < wp; col++) {
                int ih = row - g.pads().top(), iw = col - g.pads().left();
                int x = slotX[3] + col * cell, y = gy + row * cell;
                if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
                    double v = sum.get(c, ih, iw);
                    valueCell(gr, x, y, gradScale.color(v), v);
                } else {
                    paddingCell(gr, x, y, Double.NaN);
                }
            }
        }
        outline(gr, slotX[3], gy, wp, hp, Theme.BORDER, 1);
        if (active) {
            window(gr, slotX[3], gy, s);
            PaddingMode mode = r.layer().spec().paddingMode();
            int sq = Math.max(4, cell / 5);
            for (Tap t : taps) {
                if (t.c() != c || !t.padding()) {
                    continue;
                }
                if (mode == PaddingMode.ZEROS) {
                    cross(gr, slotX[3] + (t.iw() + g.pads().left()) * cell, gy + (t.ih() + g.pads().top()) * cell);
                } else { // the share folds back onto the cell the padding copied: a square in its corner
                    int x = slotX[3] + (mode.source(t.iw(), g.w()) + g.pads().left()) * cell;
                    int y = gy + (mode.source(t.ih(), g.h()) + g.pads().top()) * cell;
                    gr.setColor(Theme.ACCENT);
                    gr.fillRect(x + cell - sq - 1, y + 1, sq, sq);
                }
            }
        }
    }

    /** The step's window on a padded grid at (x0, y0): its span outlined, each tap's cell marked (dilation's gaps unmarked). */
    private void window(Graphics2D gr, int x0, int y0, GradientReplay.Step s) {
        int spanH = (g.kernel().h() - 1) * g.dilation().h() + 1;
        int spanW = (g.kernel().w() - 1) * g.dilation().w() + 1;
        int r0 = s.oh() * g.stride().h(), c0 = s.ow() * g.stride().w();
        outline(gr, x0 + c0 * cell, y0 + r0 * cell, spanW, spanH, Theme.ACCENT, 3);
        if (g.dilation().h() > 1 || g.dilation().w() > 1) {
            for (int kh = 0; kh < g.kernel().h(); kh++) {
                for (int kw = 0; kw < g.kernel().w(); kw++) {
                    outline(gr, x0 + (c0 + kw * g.dilation().w()) * cell, y0 + (r0 + kh * g.dilation().h()) * cell, 1, 1, Theme.ACCENT, 1);
                }
            }
        }
    }

    private void label(Graphics2D gr, String t, int x, int top) {
        text(gr, t, theme.label(), Theme.MUTED, x, top + Captions.metrics(theme.label()).getAscent());
    }

    private void symbol(Graphics2D gr, String t, int left, int right, int midY) {
        FontMetrics m = Captions.metrics(theme.symbol());
        text(gr, t, theme.symbol(), Theme.INK, (left + right - m.stringWidth(t)) / 2, midY + m.getAscent() / 2 - theme.px(2));
    }

    private boolean numbers() {
        return cellFont.getSize2D() >= 7.5 * theme.scale(); // smaller type is unreadable in a GIF: colours alone (--scale 2 brings the numbers)
    }

    private void valueCell(Graphics2D gr, int x, int y, Color fill, double v) {
        Color f = Double.isNaN(v) ? ColorMap.NAN : fill;
        gr.setColor(f);
        gr.fillRect(x, y, cell, cell);
        grid(gr, x, y);
        if (numbers()) {
            centred(gr, Numbers.format(v), ColorMap.textOn(f), x, y);
        }
    }

    /** A padded cell: grey, with the value it holds in muted type (none for dX's padding, which holds nothing). */
    private void paddingCell(Graphics2D gr, int x, int y, double v) {
        gr.setColor(PoolAnimation.PADDING);
        gr.fillRect(x, y, cell, cell);
        grid(gr, x, y);
        if (numbers() && !Double.isNaN(v)) {
            centred(gr, Numbers.format(v), Theme.MUTED, x, y);
        }
    }

    /** A stamp's share that lands in zero padding: grey, its value in muted type, crossed out. */
    private void cutCell(Graphics2D gr, int x, int y, double v) {
        paddingCell(gr, x, y, v);
        cross(gr, x, y);
    }

    private void cross(Graphics2D gr, int x, int y) {
        int inset = Math.max(2, cell / 6);
        gr.setColor(Theme.MUTED);
        gr.setStroke(new BasicStroke(Math.max(1, theme.px(1))));
        gr.drawLine(x + inset, y + inset, x + cell - inset, y + cell - inset);
    }

    private void grid(Graphics2D gr, int x, int y) {
        gr.setColor(Theme.RULE);
        gr.setStroke(new BasicStroke(1f));
        gr.drawRect(x, y, cell, cell);
    }

    private void outline(Graphics2D gr, int x, int y, int cols, int rowsN, Color color, double width) {
        gr.setColor(color);
        gr.setStroke(new BasicStroke(theme.px(width)));
        gr.drawRect(x, y, cols * cell, rowsN * cell);
    }

    private void centred(Graphics2D gr, String t, Color color, int x, int y) {
        FontMetrics m = Captions.metrics(cellFont);
        text(gr, t, cellFont, color, x + (cell - m.stringWidth(t)) / 2, y + (cell + m.getAscent()) / 2 - theme.px(1));
    }

    private static void text(Graphics2D gr, String t, Font f, Color color, int x, int y) {
        gr.setFont(f);
        gr.setColor(color);
        gr.drawString(t, x, y);
    }

    /** How long frame {@code frame} shows, in hundredths of a second: {@code 100 / fps}, and 3 s on the last. */
    public int delayCentis(int frame) {
        return frame == frameCount() - 1 ? 300 : Math.max(2, Math.round(100f / fps));
    }

    /**
     * Writes every frame to {@code gif} (atomically) and, when {@code framesDir} is not null, to
     * {@code framesDir/frame-0001.png} and on; returns the GIF's size in bytes.
     */
    public long write(Path gif, Path framesDir) {
        if (framesDir != null) {
            Animations.clearFrames(framesDir);
        }
        AtomicFiles.write(gif, sink -> {
            try (GifWriter w = new GifWriter(sink, width(), height())) {
                for (int f = 0; f < frameCount(); f++) {
                    BufferedImage img = render(f);
                    w.write(img, delayCentis(f));
                    if (framesDir != null) {
                        Animations.writePng(img, framesDir.resolve(Animations.frameFileName(f)));
                    }
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
