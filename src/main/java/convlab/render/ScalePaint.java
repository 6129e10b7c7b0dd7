package convlab.render;

import java.awt.Paint;
import java.io.Serializable;
import org.jfree.chart.renderer.PaintScale;

/** A JFreeChart {@link PaintScale} backed by a {@link Scale}: NaN paints {@link ColorMap#NAN}, the ends clamp. */
record ScalePaint(Scale scale) implements PaintScale, Serializable {

    @Override
    public double getLowerBound() {
        return scale.lo();
    }

    @Override
    public double getUpperBound() {
        return scale.hi();
    }

    @Override
    public Paint getPaint(double value) {
        return scale.color(value);
    }
}
