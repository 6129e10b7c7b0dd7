package convlab.cli;

import convlab.core.Conv2d;
import convlab.core.Conv2dBackward;
import convlab.core.ConvLayer;
import convlab.core.Output;
import convlab.core.PoolLayer;
import convlab.core.Tensor;
import convlab.io.AtomicFiles;
import convlab.io.Images;
import convlab.render.EngineResult;
import convlab.render.Figure;
import convlab.render.FigureData;
import convlab.render.FigureOptions;
import convlab.render.GradientFigure;
import convlab.render.Figures;
import convlab.render.PoolFigure;
import convlab.render.Png;
import convlab.report.FigureFile;
import convlab.verify.CaseResult;
import convlab.verify.GradientResult;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of a verified case: one per conv2d layer, each showing that layer's input, kernels, outputs and
 * engines; the report also gets each pooling layer's window figure and, for a case with gradients, each layer's
 * gradient figure. Encoded on the worker that verified the case, written by the one that writes the report in order.
 */
final class CaseFigures {

    private CaseFigures() {
    }

    /**
     * Draws and encodes a figure of a tiny layer on a background thread, while the caller starts ND4J: the fonts,
     * Java2D's loops and JFreeChart load and the drawing code is compiled there, not in the first cases' figures.
     * The result is thrown away; a failure here is left to the real figures to report.
     */
    static void warmUp() {
        Thread t = new Thread(() -> {
            try {
                Tensor x = Tensor.of(new int[] {1, 1, 3, 3}, new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8});
                ConvLayer layer = new ConvLayer(Tensor.of(new int[] {1, 1, 2, 2}, new double[] {1, -1, 0.5, 0}), null);
                Output y = Conv2d.forward(x, layer);
                Figure f = Figures.render(FigureData.of("", x, layer, y, List.of(), 0), FigureOptions.defaults());
                BufferedImage img = Figures.image(f, REPORT_SCALE);
                Png.bytes(Figures.thumbnail(f, img, 2), 96);
                Png.bytes(img, 96);
            } catch (RuntimeException | LinkageError e) {
                // nothing warmed; the figures will say what is wrong
            }
        }, "convlab-figure-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
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
     * How large the report shows a conv2d layer's figure: its PNG is drawn at this scale, never larger and shrunk. A
     * pooling layer's window figure is small and drawn at scale 1 (its captions do not fit at 0.6).
     */
    static final double REPORT_SCALE = 0.6;

    /** The width of a figure's thumbnail in the report, in pixels (a narrower figure is its own thumbnail). */
    static final int THUMB_WIDTH = 480;

    /** A layer's report figure, encoded and not yet written: the PNG at {@link #REPORT_SCALE} and its thumbnail. */
    record Encoded(int layer, byte[] png, byte[] thumb, int thumbWidth, int thumbHeight) {
    }

    /**
     * The report's figures of a case, each drawn once at the size the report shows it (a conv2d figure, or a pooling
     * layer's window figure), with a thumbnail (a conv2d figure's drawn at its size without the text it could not
     * show, {@link Figures#thumbnail}; a window figure's shrunk, {@link Png#shrink}); a layer without a figure
     * ({@link #missing}) has no entry.
     */
    static List<Encoded> encode(CaseResult r) {
        List<Encoded> encoded = new ArrayList<>();
        java.util.Iterator<FigureData> conv = data(r, false).iterator();
        var input = r.kase().input();
        for (int k = 0; k < r.layers().size(); k++) {
            CaseResult.LayerCheck l = r.layers().get(k);
            FigureData d = l.isConv2d() ? conv.next() : null;
            if (missing(r, k) == null) {
                double scale = l.layer() instanceof PoolLayer ? 1.0 : REPORT_SCALE;
                BufferedImage img;
                BufferedImage thumb;
                if (l.layer() instanceof PoolLayer pool) {
                    img = PoolFigure.render(input, pool, 0, scale);
                    thumb = Png.shrink(img, THUMB_WIDTH);
                } else {
                    Figure figure = Figures.render(d, FigureOptions.defaults());
                    img = Figures.image(figure, scale);
                    thumb = Figures.thumbnail(figure, img, THUMB_WIDTH);
                }
                double dpi = 96 * scale;
                encoded.add(new Encoded(k + 1, Png.bytes(img, dpi), thumb == img ? null : Png.bytes(thumb, dpi * thumb.getWidth() / img.getWidth()),
                        thumb.getWidth(), thumb.getHeight()));
            }
            input = l.reference().activated();
        }
        return encoded;
    }

    /**
     * Writes a case's report figures into its output folder as {@code figure-layer<k>.png} and
     * {@code figure-layer<k>-thumb.png}, and returns them as the report links them: relative to the report's folder,
     * {@code caseDir} being {@code <report folder>/<case name>}.
     */
    static List<FigureFile> write(List<Encoded> encoded, Path caseDir) {
        List<FigureFile> files = new ArrayList<>();
        String folder = caseDir.getFileName().toString();
        for (Encoded e : encoded) {
            String png = "figure-layer" + e.layer() + ".png";
            String thumb = e.thumb() == null ? png : "figure-layer" + e.layer() + "-thumb.png";
            AtomicFiles.write(caseDir.resolve(png), o -> o.write(e.png()));
            if (e.thumb() != null) {
                AtomicFiles.write(caseDir.resolve(thumb), o -> o.write(e.thumb()));
            }
            files.add(new FigureFile(e.layer(), folder + "/" + png, folder + "/" + thumb, e.thumbWidth(), e.thumbHeight()));
        }
        return files;
    }

    /** A layer's gradient figure, encoded and not yet written. */
    record GradientPng(int layer, byte[] png) {
    }

    /** Per layer of a case with gradients, the heatmaps of delta, dL/dx, dL/dw and dL/db ({@link GradientFigure}). */
    static List<GradientPng> encodeGradients(CaseResult r) {
        GradientResult g = r.gradients();
        if (g == null) {
            return List.of();
        }
        List<GradientPng> pngs = new ArrayList<>();
        for (GradientResult.LayerGradients l : g.layers()) {
            CaseResult.LayerCheck layer = r.layers().get(l.index());
            Tensor delta = Conv2dBackward.delta(layer.reference().preActivation(), layer.layer().activation(), g.gradOutputOf(l.index()));
            pngs.add(new GradientPng(l.index(), GradientFigure.png((r.layers().size() > 1 ? "Layer " + (l.index() + 1) + ": " : "")
                    + "backward pass, sample 0 (reference)", delta, l.reference())));
        }
        return pngs;
    }

    /**
     * Writes the gradient figures as {@code gradients.png} beside each layer's outputs; returns them as the report
     * links them, one per layer.
     */
    static List<FigureFile> writeGradients(CaseResult r, List<GradientPng> encoded, Path dir) {
        List<FigureFile> pngs = new ArrayList<>();
        int layers = r.gradients().layers().size();
        for (GradientPng e : encoded) {
            byte[] png = e.png();
            Path d = layers == 1 ? dir : dir.resolve("layer" + (e.layer() + 1));
            AtomicFiles.write(d.resolve("gradients.png"), o -> o.write(png));
            String href = dir.relativize(d.resolve("gradients.png")).toString().replace('\\', '/');
            href = dir.getFileName() + "/" + href;
            // the PNG's size from its IHDR chunk (bytes 16 to 23, big-endian)
            java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.wrap(png, 16, 8);
            pngs.add(new FigureFile(e.layer() + 1, href, href, ihdr.getInt(), ihdr.getInt()));
        }
        return pngs;
    }

    /**
     * Why layer {@code k} has no figure in the report, or null when it has one: a layer {@link #undrawable} names
     * its field; a conv_transpose2d layer is drawn by its stamp animation instead ({@code convlab animate}).
     */
    static String missing(CaseResult r, int k) {
        CaseResult.LayerCheck l = r.layers().get(k);
        if (!l.isConv2d() && !(l.layer() instanceof PoolLayer)) {
            return "figures draw conv2d and pooling layers; `convlab animate` draws this " + l.layer().op() + " layer as a stamp animation";
        }
        return undrawable(r, k);
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
