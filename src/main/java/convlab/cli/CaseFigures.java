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
            List<EngineResult> engines = l.engines().stream().map(e -> new EngineResult(e.engine(), e.run())).toList();
            FigureData d = FigureData.of(r.name(), input, l.conv(), l.reference(), engines, l.index());
            if (l.index() == 0 && rgbInput && input.dim(1) == 3) {
                d = d.withImage(Images.toImage(input));
            }
            figures.add(d);
            input = l.reference().activated();
        }
        return figures;
    }

    /** PNGs for the HTML report, at scale 1, one per layer: a conv2d figure, or a pooling layer's window figure. */
    static List<byte[]> pngs(CaseResult r) {
        List<byte[]> pngs = new ArrayList<>();
        java.util.Iterator<FigureData> conv = data(r, false).iterator();
        var input = r.kase().input();
        for (CaseResult.LayerCheck l : r.layers()) {
            pngs.add(l.layer() instanceof PoolLayer pool
                    ? PoolFigure.png(PoolFigure.render(input, pool, 0, 1.0))
                    : Figures.png(conv.next(), FigureOptions.defaults()));
            input = l.reference().activated();
        }
        return pngs;
    }
}
