package convlab.cli;

import convlab.core.PoolLayer;
import convlab.io.Images;
import convlab.render.EngineResult;
import convlab.render.FigureData;
import convlab.render.FigureOptions;
import convlab.render.Figures;
import convlab.render.PoolFigure;
import convlab.verify.CaseResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of a verified case: one per conv2d layer, each showing that layer's input, kernels, outputs and
 * engines; the report also gets each pooling layer's window figure.
 */
final class CaseFigures {

    private CaseFigures() {
    }

    /** The figure data of every layer: layer k's input is the reference output of layer k-1. */
    static List<FigureData> data(CaseResult r, boolean rgbInput) {
        List<FigureData> figures = new ArrayList<>();
        var input = r.kase().input();
        for (CaseResult.LayerCheck l : r.layers()) {
            if (!l.isConv2d()) {
                input = l.reference().activated();
                continue; // figures draw conv2d layers
            }
            List<EngineResult> engines = l.engines().stream().map(e -> new EngineResult(e.engine(), e.run(), e.vsReference())).toList();
            FigureData d = FigureData.of(r.name(), input, l.conv(), l.reference(), engines, l.index());
            if (l.index() == 0 && rgbInput && input.dim(1) == 3) {
                d = d.withImage(Images.toImage(input));
            }
            figures.add(d);
            input = l.reference().activated();
        }
        return figures;
    }

    /**
     * PNGs for the HTML report, at scale 1, one per layer: a conv2d figure, or a pooling layer's window figure; a
     * layer that cannot be drawn ({@link #undrawable}) has a null entry.
     */
    static List<byte[]> pngs(CaseResult r) {
        List<byte[]> pngs = new ArrayList<>();
        java.util.Iterator<FigureData> conv = data(r, false).iterator();
        var input = r.kase().input();
        for (int k = 0; k < r.layers().size(); k++) {
            CaseResult.LayerCheck l = r.layers().get(k);
            boolean drawable = undrawable(r, k) == null;
            if (l.layer() instanceof PoolLayer pool) {
                pngs.add(drawable ? PoolFigure.png(PoolFigure.render(input, pool, 0, 1.0)) : null);
            } else {
                FigureData d = conv.next();
                pngs.add(drawable ? Figures.png(d, FigureOptions.defaults()) : null);
            }
            input = l.reference().activated();
        }
        return pngs;
    }

    /**
     * Why layer {@code k} of a case has no figure, naming the field, or null when it can be drawn: a heatmap of a
     * tensor with no elements (H = 0, or no channels or filters) has no range to colour.
     */
    static String undrawable(CaseResult r, int k) {
        CaseResult.LayerCheck l = r.layers().get(k);
        String prefix = r.layers().size() == 1 ? "" : "layers[" + k + "].";
        String[] fields = {k == 0 ? "input" : "layers[" + (k - 1) + "] output", prefix + "weights", "output of layer " + (k + 1)};
        int[][] shapes = {l.geometry().inputShape(), l.geometry().weightShape(), l.geometry().outputShape()};
        for (int i = 0; i < fields.length; i++) {
            if (shapes[i] == null) {
                continue; // no weights
            }
            for (int d : shapes[i]) {
                if (d == 0) {
                    return r.file() + ": field '" + fields[i] + "': cannot be drawn: expected a tensor with elements, but found shape "
                            + convlab.core.Tensor.shapeString(shapes[i]);
                }
            }
        }
        return null;
    }
}
