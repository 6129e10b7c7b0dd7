package convlab.render;

import convlab.render.FigureLayout.Group;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One layer's figure, laid out and ready to draw onto any {@link Graphics2D} (a PNG's or Batik's SVG one) in figure
 * units: {@code (0, 0)} to {@code (width, height)}. Drawing is deterministic. Made by {@link Figures#render}.
 */
public final class Figure {
    private final FigureLayout layout;
    private final Map<Group, Scale> scales;
    private final List<Consumer<Graphics2D>> parts;

    Figure(FigureLayout layout, Map<Group, Scale> scales, List<Consumer<Graphics2D>> parts) {
        this.layout = layout;
        this.scales = Map.copyOf(scales);
        this.parts = List.copyOf(parts);
    }

    public int width() {
        return layout.width();
    }

    public int height() {
        return layout.height();
    }

    /** Where every panel and colour bar is. */
    public FigureLayout layout() {
        return layout;
    }

    /** The colour scale a group's panels share, if the figure has that group. */
    public Optional<Scale> scale(Group group) {
        return Optional.ofNullable(scales.get(group));
    }

    /** Draws the whole figure, white background included, at figure units (apply a transform first to scale it). */
    public void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setPaint(Color.WHITE);
        g.fillRect(0, 0, width(), height());
        for (Consumer<Graphics2D> part : parts) {
            Graphics2D c = (Graphics2D) g.create();
            try {
                part.accept(c);
            } finally {
                c.dispose();
            }
        }
    }
}
