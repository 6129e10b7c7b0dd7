package convlab.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.Activation;
import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Output;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.engine.LayerRun;
import convlab.render.FigureLayout.Group;
import convlab.render.FigureLayout.Kind;
import convlab.render.FigureLayout.Panel;
import convlab.verify.Comparison;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class FiguresTest {

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    /** The RGB of the pixel at figure coordinates (x, y) in a PNG rendered at {@code scale}. */
    private static int rgbAt(BufferedImage img, double x, double y, double scale) {
        return img.getRGB((int) Math.floor(x * scale), (int) Math.floor(y * scale)) & 0xffffff;
    }

    private static int rgb(Color c) {
        return c.getRGB() & 0xffffff;
    }

    /** Index (row, col) of the largest value of a row-major h x w channel of a [C, H, W] tensor. */
    private static int[] argmax(Tensor chw) {
        int best = 0;
        for (int i = 1; i < chw.size(); i++) {
            if (chw.flat(i) > chw.flat(best)) {
                best = i;
            }
        }
        return chw.unravel(best);
    }

    /** The horizontal resolution in a PNG's pHYs chunk, in pixels per metre. */
    private static long pixelsPerMetre(byte[] png) {
        for (int i = 8; i + 8 < png.length; ) {
            int len = ((png[i] & 0xff) << 24) | ((png[i + 1] & 0xff) << 16) | ((png[i + 2] & 0xff) << 8) | (png[i + 3] & 0xff);
            String type = new String(png, i + 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("pHYs")) {
                int p = i + 8;
                assertThat(png[p + 8]).as("unit: metre").isEqualTo((byte) 1);
                return ((long) (png[p] & 0xff) << 24) | ((png[p + 1] & 0xff) << 16) | ((png[p + 2] & 0xff) << 8) | (png[p + 3] & 0xff);
            }
            i += 12 + len;
        }
        throw new AssertionError("no pHYs chunk");
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(String svg) throws Exception {
        NodeList nodes = parse(svg).getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    @Test
    void pngSizeIsTheLayoutTimesTheScale() throws Exception {
        Figure f = Figures.render(Samples.case8(true), FigureOptions.defaults());
        for (double scale : new double[] {1.0, 2.0, 1.5}) {
            BufferedImage img = decode(Figures.png(f, scale));
            assertThat(img.getWidth()).isEqualTo((int) Math.ceil(f.width() * scale));
            assertThat(img.getHeight()).isEqualTo((int) Math.ceil(f.height() * scale));
            assertThat(Figures.pngSize(f, scale)).isEqualTo(new Dimension(img.getWidth(), img.getHeight()));
            assertThat(pixelsPerMetre(Figures.png(f, scale))).isEqualTo(Math.round(96 * scale / 0.0254));
        }
        // numbered 8x8 maps: 40-unit cells, so the input panels are 320 square
        Panel in0 = f.layout().panel("input c=0");
        assertThat(in0.cellSize()).isEqualTo(40.0);
        assertThat(in0.w()).isEqualTo(320.0);
        assertThat(in0.h()).isEqualTo(320.0);
    }

    @Test
    void panelsAreInsideTheFigureAndDoNotOverlap() {
        for (FigureData data : List.of(Samples.case8(true), Samples.case8(false), Samples.case32())) {
            FigureLayout l = Figures.layout(data, FigureOptions.defaults());
            Rectangle2D figure = new Rectangle2D.Double(0, 0, l.width(), l.height());
            List<Panel> ps = l.panels();
            for (int i = 0; i < ps.size(); i++) {
                Panel p = ps.get(i);
                assertThat(figure.contains(p.area())).as(p.title()).isTrue();
                if (p.kind() != Kind.MESSAGE) {
                    assertThat(p.w()).as("square cells in " + p.title()).isEqualTo(p.cellSize() * p.cols());
                    assertThat(p.h()).as("square cells in " + p.title()).isEqualTo(p.cellSize() * p.rows());
                }
                for (int j = i + 1; j < ps.size(); j++) {
                    assertThat(p.area().intersects(ps.get(j).area())).as(p.title() + " vs " + ps.get(j).title()).isFalse();
                }
                for (Rectangle2D bar : l.colorBars().values()) {
                    assertThat(p.area().intersects(bar)).as(p.title() + " vs a colour bar").isFalse();
                }
            }
        }
    }

    @Test
    void chartDrawsCellsExactlyWhereTheLayoutSays() {
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        Rectangle2D cells = new Rectangle2D.Double(37, 21, 5 * 30, 3 * 30);
        Rectangle2D drawn = Charts.heatmap(g, cells, 3, 5, new double[15], Scale.of(0, 1), null, false, null);
        g.dispose();
        assertThat(drawn).isEqualTo(cells);
    }

    @Test
    void largestValueGetsTheTopColourAndZeroTheNeutralOne() throws Exception {
        FigureData data = Samples.case8(false);
        FigureOptions noValues = FigureOptions.defaults().withValueThreshold(0);
        Figure f = Figures.render(data, noValues);
        BufferedImage img = decode(Figures.png(f, 1.0));

        Tensor input = data.input().slice(0);
        Scale inScale = f.scale(Group.INPUT).orElseThrow();
        assertThat(inScale.diverging()).isFalse();
        int[] top = argmax(input);
        Panel p = f.layout().panel("input c=" + top[0]);
        var centre = p.cellCentre(top[1], top[2]);
        assertThat(rgbAt(img, centre.getX(), centre.getY(), 1)).isEqualTo(rgb(ColorMap.VIRIDIS.high()));
        int[] low = argmax(input.map(v -> -v));
        var lowCentre = f.layout().panel("input c=" + low[0]).cellCentre(low[1], low[2]);
        assertThat(rgbAt(img, lowCentre.getX(), lowCentre.getY(), 1)).isEqualTo(rgb(ColorMap.VIRIDIS.low()));

        // kernel o=0 c=0 has an exact 0 in its centre; the kernels are signed, so RdBu puts 0 at its white middle
        Scale kScale = f.scale(Group.KERNELS).orElseThrow();
        assertThat(kScale.diverging()).isTrue();
        var zero = f.layout().panel("kernel o=0 c=0").cellCentre(1, 1);
        assertThat(rgbAt(img, zero.getX(), zero.getY(), 1)).isEqualTo(rgb(kScale.neutral())).isEqualTo(0xf7f7f7);

        // the weight of largest magnitude takes an end of the diverging scale
        Tensor w = data.layer().weights();
        int best = 0;
        for (int i = 1; i < w.size(); i++) {
            if (Math.abs(w.flat(i)) > Math.abs(w.flat(best))) {
                best = i;
            }
        }
        int[] k = w.unravel(best);
        var kc = f.layout().panel("kernel o=" + k[0] + " c=" + k[1]).cellCentre(k[2], k[3]);
        Color end = w.flat(best) > 0 ? ColorMap.RDBU.high() : ColorMap.RDBU.low();
        assertThat(rgbAt(img, kc.getX(), kc.getY(), 1)).isEqualTo(rgb(end));
    }

    @Test
    void withValuesPrintedTheCellColourStillShowsBesideTheNumber() throws Exception {
        FigureData data = Samples.case8(true);
        Figure f = Figures.render(data, FigureOptions.defaults().withScale(2));
        BufferedImage img = decode(Figures.png(f, 2));
        int[] top = argmax(data.input().slice(0));
        Rectangle2D cell = f.layout().panel("input c=" + top[0]).cell(top[1], top[2]);
        // a corner of the cell, clear of the centred number
        assertThat(rgbAt(img, cell.getX() + 3, cell.getY() + 3, 2)).isEqualTo(rgb(ColorMap.VIRIDIS.high()));
        Rectangle2D zero = f.layout().panel("kernel o=0 c=0").cell(1, 1);
        assertThat(rgbAt(img, zero.getMaxX() - 3, zero.getMaxY() - 3, 2)).isEqualTo(0xf7f7f7);
        // and the number itself is drawn: the centre row of the cell holds dark (text) pixels on the pale zero cell
        boolean ink = false;
        for (double x = zero.getX() + 4; x < zero.getMaxX() - 4; x += 0.5) {
            int px = rgbAt(img, x, zero.getCenterY(), 2);
            ink |= ((px >> 16) & 0xff) < 0x80;
        }
        assertThat(ink).as("a printed 0 in the zero cell").isTrue();
    }

    @Test
    void svgParsesAndCarriesTheTitles() throws Exception {
        String svg = Figures.svg(Figures.render(Samples.case8(true), FigureOptions.defaults()));
        assertThat(svg).doesNotContain("<!DOCTYPE");
        Document doc = parse(svg);
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getAttribute("viewBox")).startsWith("0 0 ");
        List<String> t = texts(svg);
        assertThat(t).contains("input", "kernels", "outputs", "cross-check",
                "input c=0", "input c=2", "kernel o=0 c=0", "kernel o=1 c=2",
                "output o=0 (pre-relu)", "output o=1 (relu)",
                "nd4j-onednn - reference o=0", "b=0.10", "b=-0.25");
        assertThat(t).as("an engine that agrees is drawn by its difference alone").doesNotContain("nd4j-onednn o=1");
        assertThat(t).anyMatch(s -> s.startsWith("layer 1: 3 -> 2 channels, 3x3 kernel, stride 1x1"));
        assertThat(t).noneMatch(s -> s.contains("ConvSpec("));
        assertThat(t).anyMatch(s -> s.matches("max \\|diff\\| = \\d\\.\\de-\\d\\d"));
    }

    @Test
    void rendersAreByteIdentical() {
        byte[] a = Figures.png(Samples.case8(true), FigureOptions.defaults());
        byte[] b = Figures.png(Samples.case8(true), FigureOptions.defaults());
        assertThat(b).isEqualTo(a);
        Figure f = Figures.render(Samples.case32(), FigureOptions.defaults());
        assertThat(Figures.png(f, 1.5)).isEqualTo(Figures.png(f, 1.5));
        assertThat(Figures.svg(f)).isEqualTo(Figures.svg(Figures.render(Samples.case32(), FigureOptions.defaults())));
    }

    @Test
    void failedEnginesShowTheirStatusAndMessage() throws Exception {
        FigureData base = Samples.case8(false);
        List<EngineResult> engines = List.of(
                Samples.errorEngine("dl4j", Samples.LONG_ERROR),
                new EngineResult("tensorflow", LayerRun.unsupported("reflect padding has no TensorFlow op")));
        FigureData data = new FigureData(base.title(), base.input(), null, false, base.layer(), base.reference(), engines, 0);
        Figure f = Figures.render(data, FigureOptions.defaults());
        Panel error = f.layout().panel("dl4j: error");
        assertThat(error.kind()).isEqualTo(Kind.MESSAGE);
        assertThat(f.layout().panel("tensorflow: unsupported").kind()).isEqualTo(Kind.MESSAGE);
        List<String> t = texts(Figures.svg(f));
        assertThat(t).contains("ERROR", "UNSUPPORTED", "reflect padding has no TensorFlow op");
        // the long message is wrapped over several lines, all of it shown
        assertThat(String.join(" ", t)).contains(Samples.LONG_ERROR);
        assertThat(t).noneMatch(s -> s.equals(Samples.LONG_ERROR));
        assertThat(f.scale(Group.DIFFERENCES)).isEmpty();
        // the box is no wider than the space it was given
        BufferedImage img = decode(Figures.png(f, 1));
        assertThat(rgbAt(img, error.x() + error.w() / 2, error.y() + error.h() - 3, 1)).isEqualTo(0xfdecea);
    }

    @Test
    void aVeryLongMessageIsCutToItsBox() throws Exception {
        FigureData base = Samples.case8(false);
        String trace = "java.lang.RuntimeException: boom\n" + "\tat some.deep.Frame.method(Frame.java:1)\n".repeat(200);
        FigureData shortOne = new FigureData("", base.input(), null, false, base.layer(), base.reference(),
                List.of(Samples.errorEngine("x", "short")), 0);
        FigureData longOne = new FigureData("", base.input(), null, false, base.layer(), base.reference(),
                List.of(Samples.errorEngine("x", trace)), 0);
        Figure a = Figures.render(shortOne, FigureOptions.defaults());
        Figure b = Figures.render(longOne, FigureOptions.defaults());
        assertThat(b.width()).isEqualTo(a.width());
        assertThat(b.height()).isEqualTo(a.height());
        List<String> t = texts(Figures.svg(b));
        assertThat(t).contains("java.lang.RuntimeException: boom", "...");
        long frames = t.stream().filter(s -> s.contains("some.deep.Frame")).count();
        assertThat(frames).isBetween(5L, 60L);
    }

    @Test
    void engineDifferenceIsDrawnOnItsOwnScale() throws Exception {
        FigureData base = Samples.case8(false);
        double[] out = base.reference().activated().toArray();
        int at = out.length - 1 - 7; // o=1, row 4, col 4 of the 6x6 output
        out[at] += 0.5;
        Tensor engineOut = Tensor.of(base.reference().activated().shape(), out);
        FigureData data = new FigureData("", base.input(), null, false, base.layer(), base.reference(),
                List.of(new EngineResult("bad", LayerRun.ok(engineOut, DType.FLOAT64, List.of(), 1))), 0);
        Figure f = Figures.render(data, FigureOptions.defaults().withValueThreshold(0));
        Scale diff = f.scale(Group.DIFFERENCES).orElseThrow();
        assertThat(diff.diverging()).isTrue();
        assertThat(diff.hi()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        Panel p = f.layout().panel("bad - reference o=1, max |diff| = 5.0e-01");
        BufferedImage img = decode(Figures.png(f, 1));
        var c = p.cellCentre(4, 4);
        assertThat(rgbAt(img, c.getX(), c.getY(), 1)).isEqualTo(rgb(ColorMap.RDBU.high()));
        var same = p.cellCentre(0, 0);
        assertThat(rgbAt(img, same.getX(), same.getY(), 1)).isEqualTo(0xf7f7f7);
        assertThat(f.layout().panel("bad - reference o=0, max |diff| = 0")).isNotNull();
        // it disagrees, so its output is drawn too, in the outputs' colours, left of its difference
        Panel output = f.layout().panel("bad o=1");
        assertThat(output.x() + output.w()).isLessThan(p.x());
        var moved = output.cellCentre(4, 4);
        assertThat(rgbAt(img, moved.getX(), moved.getY(), 1)).isNotEqualTo(rgbAt(img, c.getX(), c.getY(), 1));
        assertThat(texts(Figures.svg(f))).anyMatch(s -> s.contains("a disagreeing engine's output first"));
    }

    @Test
    void theCrossCheckSaysTheVerifiersVerdictNotItsOwn() throws Exception {
        FigureData base = Samples.case8(false);
        double[] out = base.reference().activated().toArray();
        out[3] += 0.25;
        Tensor engineOut = Tensor.of(base.reference().activated().shape(), out);
        LayerRun run = LayerRun.ok(engineOut, DType.FLOAT64, List.of(), 1);
        // A loose tolerance of the caller's choosing: the figure must say what the verifier said, not re-decide.
        Comparison loose = Comparison.of(engineOut, base.reference().activated(), new Tolerance(0.3, 0));
        Comparison strict = Comparison.of(engineOut, base.reference().activated(), Tolerance.FLOAT64);
        assertThat(loose.agree()).isTrue();
        assertThat(strict.agree()).isFalse();
        FigureData agreed = new FigureData("", base.input(), null, false, base.layer(), base.reference(),
                List.of(new EngineResult("e", run, loose)), 0);
        FigureData refused = new FigureData("", base.input(), null, false, base.layer(), base.reference(),
                List.of(new EngineResult("e", run, strict)), 0);
        // the caption wraps to the section's width: read it as one text
        assertThat(String.join(" ", texts(Figures.svg(Figures.render(agreed, FigureOptions.defaults())))))
                .contains("e: agrees with the reference, max |diff| = 2.5e-01 over the whole output");
        assertThat(String.join(" ", texts(Figures.svg(Figures.render(refused, FigureOptions.defaults())))))
                .contains("e: DISAGREES, 1 of 72 values differ, max |diff| = 2.5e-01");
    }

    @Test
    void anEngineOutputOfTheWrongShapeIsReportedNotCompared() throws Exception {
        FigureData base = Samples.case8(false);
        Tensor wrong = Tensor.zeros(DType.FLOAT32, 1, 2, 5, 5);
        FigureData data = new FigureData("", base.input(), null, false, base.layer(), base.reference(),
                List.of(new EngineResult("odd", LayerRun.ok(wrong, DType.FLOAT32, List.of(), 1))), 0);
        Figure f = Figures.render(data, FigureOptions.defaults());
        assertThat(f.layout().panel("odd: ok").kind()).isEqualTo(Kind.MESSAGE);
        assertThat(String.join(" ", texts(Figures.svg(f)))).contains("1x2x5x5", "1x2x6x6");
    }

    @Test
    void nanInputRendersGreyAndLabelled() throws Exception {
        FigureData base = Samples.case8(false);
        double[] in = base.input().toArray();
        int at = base.input().offset(0, 1, 2, 3);
        in[at] = Double.NaN;
        Tensor input = Tensor.of(base.input().shape(), in);
        Output ref = Conv2d.forward(input, base.layer());
        FigureData data = FigureData.of("nan", input, base.layer(), ref, List.of(Samples.okEngine("e", ref)), 0);
        Figure f = Figures.render(data, FigureOptions.defaults());
        BufferedImage img = decode(Figures.png(f, 1));
        Rectangle2D cell = f.layout().panel("input c=1").cell(2, 3);
        assertThat(rgbAt(img, cell.getX() + 3, cell.getY() + 3, 1)).isEqualTo(rgb(ColorMap.NAN));
        // the NaN reaches outputs (0..2, 1..3) of both filters; the engine agrees, so its difference there is 0
        Rectangle2D out = f.layout().panel("output o=1 (pre-relu)").cell(1, 2);
        assertThat(rgbAt(img, out.getX() + 3, out.getY() + 3, 1)).isEqualTo(rgb(ColorMap.NAN));
        List<String> t = texts(Figures.svg(f));
        // input, pre, relu (the engine agrees: its difference there is 0, its output not drawn)
        assertThat(t.stream().filter("NaN"::equals).count()).isEqualTo(1 + 2 * 2 * 9);
        assertThat(t).anyMatch(s -> s.contains("grey cells are NaN"));
        assertThat(f.scale(Group.INPUT).orElseThrow().hi()).isFinite();
    }

    @Test
    void bigMapsDropTheNumbersAndShrinkTheCells() throws Exception {
        Random r = new Random(3);
        Tensor input = Tensor.fill(DType.FLOAT64, new int[] {1, 3, 64, 64}, idx -> r.nextDouble());
        Tensor w = Tensor.fill(DType.FLOAT64, new int[] {2, 3, 3, 3}, idx -> r.nextGaussian());
        ConvLayer layer = new ConvLayer(w, null, ConvSpec.defaults());
        Output ref = Conv2d.forward(input, layer);
        Figure f = Figures.render(FigureData.of("big", input, layer, ref, List.of(), 0).withRgbInput(),
                FigureOptions.defaults());
        Panel in = f.layout().panel("input c=0");
        assertThat(in.cellSize()).isEqualTo(4.0);
        assertThat(f.layout().panel("input as RGB").kind()).isEqualTo(Kind.IMAGE);
        assertThat(f.layout().panel("output o=0").cellSize()).isEqualTo(4.0); // 62x62
        assertThat(f.layout().panel("kernel o=0 c=0").cellSize()).isEqualTo(40.0); // still numbered
        String svg = Figures.svg(f);
        List<String> t = texts(svg);
        // the kernels' 54 values and the colour bars' labels are printed, not the 3 x 64 x 64 input values
        long decimals = t.stream().filter(s -> s.matches("-?\\d*\\.\\d+")).count();
        assertThat(decimals).as("no per-cell numbers for 64x64 maps").isBetween(54L, 120L);
        BufferedImage img = decode(Figures.png(f, 1));
        int[] top = argmax(input.slice(0));
        var c = f.layout().panel("input c=" + top[0]).cellCentre(top[1], top[2]);
        assertThat(rgbAt(img, c.getX(), c.getY(), 1)).isEqualTo(rgb(ColorMap.VIRIDIS.high()));
    }

    @Test
    void manyChannelsAreCappedAndTheFigureStaysBounded() throws Exception {
        Random r = new Random(5);
        Tensor input = Tensor.fill(DType.FLOAT64, new int[] {1, 24, 20, 20}, idx -> r.nextGaussian());
        Tensor w = Tensor.fill(DType.FLOAT64, new int[] {20, 24, 3, 3}, idx -> r.nextGaussian());
        ConvLayer layer = new ConvLayer(w, null, ConvSpec.defaults().withActivation(Activation.RELU));
        Output ref = Conv2d.forward(input, layer);
        Figure f = Figures.render(FigureData.of("", input, layer, ref, List.of(Samples.okEngine("e", ref)), 2),
                FigureOptions.defaults());
        assertThat(f.width()).isLessThanOrEqualTo(6000);
        assertThat(f.height()).isLessThanOrEqualTo(6000);
        assertThat(f.layout().panels(Group.INPUT)).hasSize(8);
        assertThat(f.layout().panels(Group.KERNELS)).hasSize(8 * 8);
        assertThat(f.layout().panels(Group.DIFFERENCES)).hasSize(8);
        assertThat(texts(Figures.svg(f))).contains("+ 16 more channels not drawn",
                "+ 12 more filters, + 16 more channels per filter not drawn");
        // raising the cap draws more, and the figure still stays within bounds by shrinking its cells
        Figure all = Figures.render(FigureData.of("", input, layer, ref, List.of(Samples.okEngine("e", ref)), 2),
                FigureOptions.defaults().withMaxChannels(24));
        assertThat(all.layout().panels(Group.KERNELS)).hasSize(20 * 24);
        assertThat(all.width()).isLessThanOrEqualTo(6000);
        assertThat(all.height()).isLessThanOrEqualTo(6000);
    }

    @Test
    void theBatchIndexPicksTheItemDrawn() throws Exception {
        Random r = new Random(9);
        Tensor input = Tensor.fill(DType.FLOAT64, new int[] {2, 1, 5, 5}, idx -> r.nextDouble());
        ConvLayer layer = new ConvLayer(Tensor.of(new int[] {1, 1, 1, 1}, new double[] {1}), null);
        Output ref = Conv2d.forward(input, layer);
        FigureData data = FigureData.of("", input, layer, ref, List.of(), 0);
        FigureOptions second = FigureOptions.defaults().withBatchIndex(1).withValueThreshold(0);
        Figure f = Figures.render(data, second);
        int[] top = argmax(input.slice(1));
        var c = f.layout().panel("input c=0").cellCentre(top[1], top[2]);
        assertThat(rgbAt(decode(Figures.png(f, 1)), c.getX(), c.getY(), 1)).isEqualTo(rgb(ColorMap.VIRIDIS.high()));
        assertThat(f.scale(Group.INPUT).orElseThrow()).isEqualTo(Scale.fitting(input.slice(1)));
        assertThatThrownBy(() -> Figures.render(data, FigureOptions.defaults().withBatchIndex(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch index");
    }

    @Test
    void writersWriteWhatTheyEncodeAndLeaveNoTemporaryFiles(@TempDir Path dir) throws Exception {
        Figure f = Figures.render(Samples.case8(true), FigureOptions.defaults());
        Path png = dir.resolve("sub/layer0.png");
        Path svg = dir.resolve("sub/layer0.svg");
        Figures.writePng(f, png, 1.0);
        Figures.writeSvg(f, svg);
        assertThat(Files.readAllBytes(png)).isEqualTo(Figures.png(f, 1.0));
        assertThat(Files.readString(svg)).isEqualTo(Figures.svg(f));
        Figures.writePng(Samples.case8(true), FigureOptions.defaults().withScale(2), png);
        assertThat(decode(Files.readAllBytes(png)).getWidth()).isEqualTo((int) Math.ceil(f.width() * 2.0));
        try (var files = Files.list(dir.resolve("sub"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("layer0.png", "layer0.svg");
        }
    }

    @Test
    void figureDataRejectsAReferenceOfTheWrongShape() {
        FigureData base = Samples.case8(false);
        Output other = new Output(Tensor.zeros(DType.FLOAT64, 1, 2, 5, 5), Tensor.zeros(DType.FLOAT64, 1, 2, 5, 5));
        assertThatThrownBy(() -> FigureData.of("", base.input(), base.layer(), other, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1x2x6x6");
        assertThatThrownBy(() -> new FigureData("", Tensor.zeros(DType.FLOAT64, 1, 1, 3, 3), null, true,
                new ConvLayer(Tensor.zeros(DType.FLOAT64, 1, 1, 1, 1), null),
                Conv2d.forward(Tensor.zeros(DType.FLOAT64, 1, 1, 3, 3), new ConvLayer(Tensor.zeros(DType.FLOAT64, 1, 1, 1, 1), null)),
                List.of(), 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RGB");
    }

    /** Pixels of each numbered input cell (its inner part, a pixel in from every edge) not in the cell's own colour. */
    private static int offColourPixels(BufferedImage img, Figure f, FigureData data, double scale) {
        Scale in = f.scale(Group.INPUT).orElseThrow();
        int off = 0;
        for (int c = 0; c < 3; c++) {
            Panel p = f.layout().panel("input c=" + c);
            for (int row = 0; row < p.rows(); row++) {
                for (int col = 0; col < p.cols(); col++) {
                    int want = rgb(in.color(data.input().get(0, c, row, col)));
                    Rectangle2D cell = p.cell(row, col);
                    for (int y = (int) Math.ceil(cell.getMinY() * scale) + 1; y < (int) Math.floor(cell.getMaxY() * scale) - 1; y++) {
                        for (int x = (int) Math.ceil(cell.getMinX() * scale) + 1; x < (int) Math.floor(cell.getMaxX() * scale) - 1; x++) {
                            off += (img.getRGB(x, y) & 0xffffff) == want ? 0 : 1;
                        }
                    }
                }
            }
        }
        return off;
    }

    @Test
    void aThumbnailTooSmallToReadIsDrawnWithoutTextEachCellInItsOwnColour() {
        FigureData data = Samples.case8(true);
        Figure f = Figures.render(data, FigureOptions.defaults());
        BufferedImage full = Figures.image(f, 0.6);
        double scale = 0.3; // an 11-unit caption at 3.3 px
        int width = (int) Math.round(f.width() * scale);
        BufferedImage thumb = Figures.thumbnail(f, full, width);
        assertThat(thumb.getWidth()).isEqualTo(width);
        assertThat(thumb.getHeight()).isEqualTo((int) Math.round(full.getHeight() * (width / (double) full.getWidth())));
        assertThat(offColourPixels(thumb, f, data, scale)).as("pixels of text over the cells").isZero();
        // the same figure drawn at that size with its text has the values' ink in the cells
        assertThat(offColourPixels(Figures.image(f, scale), f, data, scale)).isPositive();
    }

    @Test
    void aThumbnailLargeEnoughToReadIsTheFigureShrunkTextAndAll() {
        Figure f = Figures.render(Samples.case8(true), FigureOptions.defaults());
        BufferedImage full = Figures.image(f, 1.0);
        int width = (int) Math.round(f.width() * 0.5); // captions at 5.5 px
        BufferedImage thumb = Figures.thumbnail(f, full, width);
        BufferedImage shrunk = Png.shrink(full, width);
        assertThat(thumb.getRGB(0, 0, width, thumb.getHeight(), null, 0, width))
                .isEqualTo(shrunk.getRGB(0, 0, width, shrunk.getHeight(), null, 0, width));
        assertThat(Figures.thumbnail(f, full, full.getWidth())).isSameAs(full);
    }
}
