package convlab.cli;

import convlab.core.ConvLayer;
import convlab.core.Tensor;
import convlab.io.AtomicFiles;
import convlab.io.Case;
import convlab.io.CaseWriter;
import convlab.io.Images;
import convlab.io.Npy;
import convlab.render.FigureData;
import convlab.render.FigureOptions;
import convlab.render.Figures;
import convlab.render.anim.AnimationOptions;
import convlab.render.anim.AnimationSummary;
import convlab.render.anim.Animations;
import convlab.render.anim.ProgressListener;
import convlab.render.anim.Style;
import convlab.report.CaseExtras;
import convlab.report.VerifyReport;
import convlab.report.lesson.LessonModel;
import convlab.report.lesson.LessonPage;
import convlab.verify.CaseResult;
import convlab.verify.Verifier;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convlab demo}: the story of the classic "build layer 1 / build layer 2" animations, computed from real
 * numbers and cross-checked: a 3-channel picture through 2 filters of 3x3x3, then a second layer of 2 filters of
 * 3x3x2 on top, and the same first layer on a 4-channel input.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Build layer 1 and layer 2 from a picture, animated, drawn and cross-checked.", "",
                "An 8x8 RGB picture goes through 2 filters of 3x3x3 (layer 1) and 2 filters of 3x3x2 (layer 2); the same first "
                        + "layer then runs on a 4-channel input. Writes GIFs (panels and stack styles), figures, the numbers, the cases, "
                        + "and a report cross-checking everything against ND4J and DL4J, with the same layers in PyTorch, Keras and DL4J."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "demo");

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Option(names = "--fps", description = "Frames per second of the animations (default: ${DEFAULT-VALUE}).")
    int fps = AnimationOptions.DEFAULT_FPS;

    private final List<Path> written = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        long start = System.nanoTime();
        AtomicFiles.directory(out);
        Path cases = out.resolve("cases");
        Case twoLayers = DemoData.twoLayers(cases);
        Case four = DemoData.fourChannelCase(cases);
        // The GIFs need only the input and the layers (the reference computes every frame), not the engines: they
        // start on every core at once, while this thread starts ND4J and verifies the two cases. The figures and the
        // report, which show the engines' results, follow. What the jobs wrote is listed in the order they were asked for.
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "convlab-demo");
            t.setDaemon(true);
            return t;
        });
        List<Future<List<Path>>> jobs = new ArrayList<>();
        AnimationOptions anim = AnimationOptions.defaults().withFps(fps);
        List<ConvLayer> layers = twoLayers.convLayers();
        List<Tensor> inputs = Animations.layerInputs(twoLayers.input(), layers);
        // Layer 1 running into layer 2, in one GIF: the longest job, so it starts first.
        // layer1.gif is its first part (the same frames, on the same canvas: the first layer is the larger), so
        // it is written from the same frames, not drawn and encoded again.
        Path chained = out.resolve("layers.gif");
        Path first = out.resolve("layer1.gif");
        jobs.add(pool.submit(() -> {
            Animations.write(Animations.chain(twoLayers.input(), layers, anim, List.of("demo, layer 1 of 2", "demo, layer 2 of 2")),
                    chained, null, ProgressListener.none(), first);
            return List.of(chained, first);
        }));
        ConvLayer fourLayer = four.convLayers().get(0);
        AnimationOptions four4 = anim.withTitle("demo, 4 input channels");
        jobs.add(pool.submit(() -> gif(four.input(), fourLayer, four4.withStyle(Style.PANELS), out.resolve("channels4.gif"))));
        jobs.add(pool.submit(() -> gif(four.input(), fourLayer, four4.withStyle(Style.STACK), out.resolve("channels4-stack.gif"))));
        for (int k = 0; k < 2; k++) {
            String name = "layer" + (k + 1);
            Tensor input = inputs.get(k);
            ConvLayer layer = layers.get(k);
            AnimationOptions opts = anim.withTitle("demo, layer " + (k + 1) + " of 2").withFromLayer(k);
            if (k > 0) {
                jobs.add(pool.submit(() -> gif(input, layer, opts.withStyle(Style.PANELS), out.resolve(name + ".gif"))));
            }
            jobs.add(pool.submit(() -> gif(input, layer, opts.withStyle(Style.STACK), out.resolve(name + "-stack.gif"))));
        }

        Verifier verifier = new Verifier(engineOptions.engines());
        CaseResult story = verifier.verify(twoLayers);
        CaseResult wide = verifier.verify(four);
        writeInputPicture(twoLayers.input(), out.resolve("input.png"));
        for (Case c : List.of(twoLayers, four)) {
            written.add(CaseWriter.write(c, cases.resolve(c.name())));
        }
        Future<List<CaseFigures.Encoded>> storyReport = pool.submit(() -> CaseFigures.encode(story));
        Future<List<CaseFigures.Encoded>> wideReport = pool.submit(() -> CaseFigures.encode(wide));
        List<FigureData> storyFigures = CaseFigures.data(story, true);
        for (int k = 0; k < 2; k++) {
            String name = "layer" + (k + 1);
            FigureData figure = storyFigures.get(k);
            jobs.add(pool.submit(() -> figure(figure, out.resolve(name + "-figure"))));
            Npy.write(out.resolve(name + "-output.npy"), story.layers().get(k).reference().activated());
            jobs.add(CompletableFuture.completedFuture(List.of(out.resolve(name + "-output.npy"))));
        }
        FigureData wideFigure = CaseFigures.data(wide, false).get(0);
        jobs.add(pool.submit(() -> figure(wideFigure, out.resolve("channels4-figure"))));
        pool.shutdown();

        VerifyReport report = new VerifyReport.Builder(VerifyCommand.runInfo(verifier.engines(), spec.qualifiedName()))
                .add(story, CaseExtras.NONE.withFigures(CaseFigures.write(done(storyReport), out.resolve(story.name()))).withFrameworkCode())
                .add(wide, CaseExtras.NONE.withFigures(CaseFigures.write(done(wideReport), out.resolve(wide.name()))).withFrameworkCode())
                .build();
        // The reports and the lesson page need no GIF: written while the last GIFs are still being encoded.
        report.writeAll(out);
        Path lesson = out.resolve("index.html");
        LessonPage.write(LessonModel.of(story, Main.typed(spec)), lesson);
        for (Future<List<Path>> job : jobs) {
            written.addAll(done(job));
        }
        written.add(out.resolve("report.html"));
        written.add(out.resolve("report.md"));
        written.add(out.resolve("report.json"));
        written.add(lesson);

        for (Path p : written) {
            o.printf(Locale.ROOT, "wrote %-40s %12s%n", p, Sizes.kb(Files.size(p)));
        }
        o.println(VerifyCommand.line(story));
        o.println(VerifyCommand.line(wide));
        o.printf(Locale.ROOT, "demo finished in %.1f s; open %s%n", (System.nanoTime() - start) / 1e9, lesson);
        o.flush();
        return story.verdict().worst(wide.verdict()).exitCode;
    }

    private static List<Path> gif(Tensor input, ConvLayer layer, AnimationOptions options, Path file) {
        AnimationSummary s = Animations.write(input, layer, options, file);
        return List.of(s.gif());
    }

    private static List<Path> figure(FigureData data, Path base) {
        var figure = Figures.render(data, FigureOptions.defaults());
        Path png = base.resolveSibling(base.getFileName() + ".png");
        Path svg = base.resolveSibling(base.getFileName() + ".svg");
        Figures.writePng(figure, png, 1.0);
        Figures.writeSvg(figure, svg);
        return List.of(png, svg);
    }

    /** A job's result; its failure is thrown as it was thrown in the job. */
    private static <T> T done(Future<T> job) throws Exception {
        try {
            return job.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** The picture, each pixel a 24x24 block, so it can be seen beside the animations. */
    private void writeInputPicture(Tensor rgb, Path file) {
        BufferedImage small = Images.toImage(rgb);
        int s = 24;
        BufferedImage big = new BufferedImage(small.getWidth() * s, small.getHeight() * s, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(small, 0, 0, big.getWidth(), big.getHeight(), null);
        g.dispose();
        AtomicFiles.write(file, os -> ImageIO.write(big, "png", os));
        written.add(file);
    }
}
