package convlab.render;

import convlab.core.Describe;
import convlab.core.Layer;
import convlab.core.Output;
import convlab.core.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole network in one picture: a column for the input's channels, then a column per layer with its output
 * channels as heatmaps, left to right as the data flows, each column headed by its layer in words
 * ({@link Describe#layer}) and its shape, each column's maps on one colour scale ({@link Scale#fitting}), values
 * printed ({@link Numbers#format}) where the cells are big enough. Layer k's maps are its reference output
 * ({@link Layer#forwardAll}, after the activation) for one batch item.
 *
 * <p>A {@link View} draws the network part way: the columns before one layer complete, that layer's channels up to
 * one, the map being produced framed in the accent colour with the input maps it reads framed too, and the rest as
 * empty outlines. The animation {@code convlab.render.anim.NetworkAnimation} is a sequence of views.
 */
public final class NetworkFigure {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /**
     * How far the network is drawn: columns before {@code column} complete, column {@code column}'s channels through
     * {@code channel}; with {@code highlight}, that map and the maps it reads are framed. Column 0 is the input,
     * column k layer k's output.
     */
    public record View(int column, int channel, boolean highlight) {

        /** Every map, nothing framed: the figure. */
        public static View all() {
            return new View(Integer.MAX_VALUE, Integer.MAX_VALUE, false);
        }
    }

    private static final int MAP = 120;
    private static final int MAX_CELL = 30;
    private static final int VALUES_FROM = 28;

    private final Theme theme = Theme.DEFAULT;
    private final String name;
    private final List<? extends Layer> layers;
    /** Column k: batch item n of the input (k = 0) or of layer k's activated output, {@code [C][H][W]}. */
    private final List<Tensor> maps = new ArrayList<>();
    private final List<Scale> scales = new ArrayList<>();
    private final List<List<String>> headers = new ArrayList<>();
    private final int[] cells;
    private final int[] columnX;
    private final int[] columnW;
    private final int headerH;
    private final int mapsTop;
    private final int width;
    private final int height;
    private final int n;

    private NetworkFigure(String name, Tensor input, List<? extends Layer> layers, int n) {
        if (n < 0 || n >= input.dim(0)) {
            throw new IllegalArgumentException("Expected a batch index in 0.." + (input.dim(0) - 1) + ", but found " + n);
        }
        this.name = name;
        this.layers = List.copyOf(layers);
        this.n = n;
        List<Output> outputs = Layer.forwardAll(input, layers);
        maps.add(input.slice(n));
        for (Output o : outputs) {
            maps.add(o.activated().slice(n));
        }
        int cols = maps.size();
        cells = new int[cols];
        columnX = new int[cols];
        columnW = new int[cols];
        int x = margin();
        int most = 0;
        Tensor in = input;
        for (int k = 0; k < cols; k++) {
            Tensor m = maps.get(k);
            if (m.size() == 0) {
                throw new IllegalArgumentException("Expected maps with cells, but column " + k + " has shape " + Tensor.shapeString(m.shape()));
            }
            cells[k] = Math.max(3, Math.min(MAX_CELL, MAP / Math.max(m.dim(1), m.dim(2))));
            columnW[k] = Math.max(mapWidth(k), theme.px(170));
            columnX[k] = x;
            x += columnW[k] + gap();
            scales.add(Scale.fitting(m));
            List<String> h = new ArrayList<>();
            h.add(k == 0 ? "input" : "layer " + k + ": " + layers.get(k - 1).op());
            if (k > 0) {
                Layer l = layers.get(k - 1);
                h.addAll(wrap(Describe.layer(l.geometry(in.shape()), l), theme.label(), columnW[k]));
                in = outputs.get(k - 1).activated();
            }
            headers.add(h);
            most = Math.max(most, h.size());
        }
        this.headerH = lineHeight(theme.header()) + (most - 1) * lineHeight(theme.label()) + 2 * lineHeight(theme.small()) + theme.px(6);
        this.mapsTop = margin() + lineHeight(theme.title()) + lineHeight(theme.subtitle()) + theme.px(8) + headerH;
        int tallest = 0;
        for (int k = 0; k < cols; k++) {
            Tensor m = maps.get(k);
            tallest = Math.max(tallest, m.dim(0) * (lineHeight(theme.small()) + m.dim(1) * cells[k] + theme.px(11)));
        }
        this.width = x - gap() + margin();
        this.height = mapsTop + tallest + theme.px(8) + 2 * lineHeight(theme.label()) + margin();
    }

    /** The network of {@code layers} on batch item {@code n} of {@code input}, titled by the case's {@code name}. */
    public static NetworkFigure of(String name, Tensor input, List<? extends Layer> layers, int n) {
        return new NetworkFigure(name, input, layers, n);
    }

    private int margin() {
        return theme.px(16);
    }

    private int gap() {
        return theme.px(36);
    }

    private int mapWidth(int k) {
        return maps.get(k).dim(2) * cells[k];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The input column and one per layer. */
    public int columns() {
        return maps.size();
    }

    /** How many maps column {@code k} has: the input's channels, or layer k's output channels. */
    public int channels(int k) {
        return maps.get(k).dim(0);
    }

    /** Column {@code k}'s colour scale, shared by its maps. */
    public Scale scale(int k) {
        return scales.get(k);
    }

    /** The pixels of one cell of column {@code k}. */
    public int cellSize(int k) {
        return cells[k];
    }

    /** Where map {@code channel} of column {@code k} is drawn. */
    public Rectangle map(int k, int channel) {
        Tensor m = maps.get(k);
        int step = lineHeight(theme.small()) + m.dim(1) * cells[k] + theme.px(11);
        return new Rectangle(columnX[k], mapsTop + channel * step + lineHeight(theme.small()) + theme.px(3), mapWidth(k), m.dim(1) * cells[k]);
    }

    /** The value drawn in cell {@code (h, w)} of map {@code channel} of column {@code k}. */
    public double value(int k, int channel, int h, int w) {
        return maps.get(k).get(channel, h, w);
    }

    /** The input channels map {@code channel} of column {@code k > 0} reads: its own channel for pooling, its group's for a convolution. */
    public List<Integer> reads(int k, int channel) {
        return layers.get(k - 1).reads(channel, channels(k - 1));
    }

    /** What the view shows, in one line: which layer makes which map from which. */
    public String caption(View v) {
        if (v.column() >= columns()) {
            StringBuilder sb = new StringBuilder("every layer, batch item " + n + ": ");
            for (int k = 0; k < columns(); k++) {
                sb.append(k == 0 ? "" : " -> ").append(shape(k));
            }
            return sb + "; each column's maps share one colour scale";
        }
        if (v.column() == 0) {
            return "the input: " + channels(0) + " channel" + (channels(0) == 1 ? "" : "s") + " of " + maps.get(0).dim(1) + "x" + maps.get(0).dim(2);
        }
        int k = v.column();
        Layer l = layers.get(k - 1);
        List<Integer> reads = reads(k, v.channel());
        String from = reads.size() == 1 ? "channel " + reads.get(0) : reads.size() == channels(k - 1) ? "all " + reads.size() + " channels"
                : "channels " + reads.get(0) + ".." + reads.get(reads.size() - 1);
        String source = k == 1 ? "the input" : "layer " + (k - 1) + "'s output";
        String how = l.makes(v.channel(), from + " of " + source);
        String act = l.activation() == convlab.core.Activation.NONE ? "" : ", " + l.activation();
        return "layer " + k + " (" + l.op() + ") makes channel " + v.channel() + " of " + channels(k) + ": " + how + act;
    }

    private String shape(int k) {
        Tensor m = maps.get(k);
        return m.dim(0) + "x" + m.dim(1) + "x" + m.dim(2);
    }

    /** The GIF frames' colour steps per colour map, so that a frame of many maps keeps an exact palette of at most 256 colours. */
    public static final int GIF_LEVELS = 64;

    /**
     * The colour of value {@code v} in column {@code k}: on the column's scale, or for a GIF frame the nearest of
     * {@value #GIF_LEVELS} steps along it.
     */
    public Color colour(int k, double v, boolean gif) {
        if (Double.isNaN(v)) {
            return ColorMap.NAN;
        }
        Scale s = scales.get(k);
        return gif ? s.map().at(Math.round(s.position(v) * (GIF_LEVELS - 1)) / (double) (GIF_LEVELS - 1)) : s.color(v);
    }

    /** Draws the view at scale 1 (apply a transform first to scale it), white background included. */
    public void draw(Graphics2D g, View v) {
        draw(g, v, false);
    }

    private void draw(Graphics2D g, View v, boolean gif) {
        g.setColor(Theme.BACKGROUND);
        g.fillRect(0, 0, width, height);
        int y = margin() + metrics(theme.title()).getAscent();
        text(g, name + ": the whole network", theme.title(), Theme.INK, margin(), y);
        y += lineHeight(theme.title());
        text(g, columns() - 1 + " layer" + (columns() == 2 ? "" : "s") + ", left to right as the data flows; each map is one channel,"
                + " batch item " + n, theme.subtitle(), Theme.MUTED, margin(), y);
        int headerTop = margin() + lineHeight(theme.title()) + lineHeight(theme.subtitle()) + theme.px(8);
        for (int k = 0; k < columns(); k++) {
            int hy = headerTop + metrics(theme.header()).getAscent();
            List<String> h = headers.get(k);
            text(g, h.get(0), theme.header(), Theme.INK, columnX[k], hy);
            hy += lineHeight(theme.header());
            for (int i = 1; i < h.size(); i++) {
                text(g, h.get(i), theme.label(), Theme.MUTED, columnX[k], hy);
                hy += lineHeight(theme.label());
            }
            int sy = headerTop + headerH - lineHeight(theme.small()) - theme.px(4);
            text(g, shape(k) + (k == 0 ? " (C x H x W)" : ""), theme.small(), Theme.MUTED, columnX[k], sy);
            text(g, "colours: " + scales.get(k).describe(), theme.small(), Theme.MUTED, columnX[k], sy + lineHeight(theme.small()));
            if (k > 0) {
                arrow(g, columnX[k] - gap() + theme.px(6), columnX[k] - theme.px(6), map(k, 0).y + theme.px(20),
                        v.highlight() && v.column() == k ? Theme.ACCENT : Theme.BORDER);
            }
            for (int c = 0; c < channels(k); c++) {
                boolean drawn = k < v.column() || (k == v.column() && c <= v.channel());
                drawMap(g, k, c, drawn, gif);
            }
        }
        if (v.highlight() && v.column() < columns()) {
            int k = v.column();
            int c = Math.min(v.channel(), channels(k) - 1);
            frame(g, map(k, c), theme.px(3));
            if (k == 0) { // the input: every channel
                for (int ic = 0; ic < c; ic++) {
                    frame(g, map(0, ic), theme.px(3));
                }
            } else {
                for (int ic : reads(k, c)) {
                    frame(g, map(k - 1, ic), theme.px(2));
                }
            }
        }
        List<String> caption = wrap(caption(v), theme.label(), width - 2 * margin());
        int cy = height - margin() - (caption.size() - 1) * lineHeight(theme.label());
        for (String line : caption) {
            text(g, line, theme.label(), v.highlight() ? Theme.ACCENT_TEXT : Theme.INK, margin(), cy);
            cy += lineHeight(theme.label());
        }
    }

    private void drawMap(Graphics2D g, int k, int c, boolean drawn, boolean gif) {
        Rectangle r = map(k, c);
        int cell = cells[k];
        text(g, "channel " + c, theme.small(), Theme.MUTED, r.x, r.y - theme.px(6));
        Tensor m = maps.get(k);
        if (drawn) {
            for (int h = 0; h < m.dim(1); h++) {
                for (int w = 0; w < m.dim(2); w++) {
                    double v = m.get(c, h, w);
                    Color fill = colour(k, v, gif);
                    g.setColor(fill);
                    g.fillRect(r.x + w * cell, r.y + h * cell, cell, cell);
                    if (cell >= VALUES_FROM) {
                        String t = Numbers.format(v);
                        FontMetrics fm = metrics(theme.small());
                        text(g, t, theme.small(), ColorMap.textOn(fill), r.x + w * cell + (cell - fm.stringWidth(t)) / 2,
                                r.y + h * cell + (cell + fm.getAscent()) / 2 - 2);
                    }
                }
            }
        }
        g.setColor(drawn ? Theme.BORDER : Theme.RULE);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(r.x, r.y, r.width, r.height);
    }

    private static void frame(Graphics2D g, Rectangle r, int thickness) {
        g.setColor(Theme.ACCENT);
        g.setStroke(new BasicStroke(thickness));
        int d = thickness / 2 + 2;
        g.drawRect(r.x - d, r.y - d, r.width + 2 * d, r.height + 2 * d);
    }

    private void arrow(Graphics2D g, int x0, int x1, int y, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(theme.px(2)));
        int head = theme.px(7);
        g.drawLine(x0, y, x1 - head, y);
        g.fillPolygon(new Polygon(new int[] {x1 - head, x1, x1 - head}, new int[] {y - head / 2 - 1, y, y + head / 2 + 1}, 3));
    }

    /**
     * The view as an image at {@code scale}; for a GIF frame ({@code gif}) text is drawn on or off, not blended, and
     * colours go in {@value #GIF_LEVELS} steps, so the frame keeps an exact GIF palette.
     */
    public BufferedImage image(View v, double scale, boolean gif) {
        if (!(scale > 0 && scale <= 8)) {
            throw new IllegalArgumentException("Expected a PNG scale in (0, 8], but found " + scale);
        }
        BufferedImage img = new BufferedImage((int) Math.ceil(width * scale), (int) Math.ceil(height * scale), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.scale(scale, scale);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    gif ? RenderingHints.VALUE_TEXT_ANTIALIAS_OFF : RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            draw(g, v, gif);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Writes the whole figure as a PNG at {@code scale}, atomically. */
    public void writePng(Path file, double scale) {
        byte[] bytes = PoolFigure.png(image(View.all(), scale, false));
        convlab.io.AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The whole figure as an SVG document (text kept as text, no DOCTYPE), sized with a viewBox. */
    public String svg() {
        return Figures.svg(width, height, "convlab network figure", g -> draw(g, View.all()));
    }

    /** Writes the whole figure as SVG (UTF-8), atomically. */
    public void writeSvg(Path file) {
        byte[] bytes = svg().getBytes(StandardCharsets.UTF_8);
        convlab.io.AtomicFiles.write(file, out -> out.write(bytes));
    }

    private static final BufferedImage PROBE = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);

    private static FontMetrics metrics(Font f) {
        Graphics2D g = PROBE.createGraphics();
        try {
            return g.getFontMetrics(f);
        } finally {
            g.dispose();
        }
    }

    private static int lineHeight(Font f) {
        return metrics(f).getHeight();
    }

    private static List<String> wrap(String text, Font f, int max) {
        return Text.wrap(text, f, max);
    }

    private static void text(Graphics2D g, String t, Font f, Color c, int x, int y) {
        g.setFont(f);
        g.setColor(c);
        g.drawString(t, x, y);
    }
}
