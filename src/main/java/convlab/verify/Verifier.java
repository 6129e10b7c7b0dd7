package convlab.verify;

import convlab.core.Budget;
import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Geometry;
import convlab.core.Layer;
import convlab.core.OpGeometry;
import convlab.core.Output;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.engine.Engine;
import convlab.engine.LayerRun;
import convlab.io.Case;
import convlab.io.CaseFiles;
import convlab.io.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs cases through the reference core and a list of engines and compares everything. */
public final class Verifier {

    private final List<Engine> engines;
    private final Long gradientSeed;

    public Verifier(List<Engine> engines) {
        this(engines, null);
    }

    private Verifier(List<Engine> engines, Long gradientSeed) {
        this.engines = List.copyOf(engines);
        this.gradientSeed = gradientSeed;
    }

    /**
     * A verifier that also checks every case's gradients: from the case's {@code gradOutput}, or else from a random
     * dL/dy drawn from {@code seed} ({@link GradientCheck#randomGradOutput}). Without it, only cases that give a
     * {@code gradOutput} have their gradients checked.
     */
    public Verifier withGradients(long seed) {
        return new Verifier(engines, seed);
    }

    /** The engines this verifier runs, in order. */
    public List<Engine> engines() {
        return engines;
    }

    /** Loads and verifies a case file; a bad file becomes an invalid result, never an exception. */
    public CaseResult verify(Path file) {
        Case c;
        try {
            c = CaseFiles.load(file);
        } catch (InvalidInputException e) {
            return CaseResult.invalid(nameOf(file), file, e.getMessage());
        }
        return verify(c);
    }

    public CaseResult verify(Case c) {
        long start = System.nanoTime();
        List<Layer> layers = c.layerList();
        // The reference first: it also decides whether the case is valid at all.
        List<Output> reference = new ArrayList<>();
        List<OpGeometry> geometries = new ArrayList<>();
        List<Long> refNanos = new ArrayList<>();
        Tensor x = c.input();
        for (int k = 0; k < layers.size(); k++) {
            String field = layers.size() == 1 ? "weights" : "layers[" + k + "]";
            OpGeometry g;
            try {
                g = layers.get(k).geometry(x.shape());
            } catch (Geometry.ShapeException e) {
                String named = layers.size() == 1 ? e.field() : "layers[" + k + "]." + e.field();
                return CaseResult.invalid(c.name(), c.file(), c.file() + ": field '" + named + "': " + e.getMessage());
            } catch (ArithmeticException e) {
                return CaseResult.invalid(c.name(), c.file(), c.file() + ": field '" + field + "': the sizes of this layer overflow ("
                        + e.getMessage() + "); expected padding, stride and dilation that give an output of at most 2^31 - 1 per side");
            }
            int[] shape = g.outputShape();
            try {
                Budget.checkShape("the output of layer " + (k + 1) + " (" + Tensor.shapeString(shape) + ")", shape[0], shape[1], shape[2], shape[3]);
            } catch (Budget.Exceeded e) {
                // Without padding the output is at most the input with O channels for C: then the filters made it too big.
                boolean padded = (long) g.pads().top() + g.pads().bottom() + g.pads().left() + g.pads().right() > 0;
                String culprit = (layers.size() == 1 ? "" : "layers[" + k + "].") + (padded ? "padding" : "weights");
                return CaseResult.invalid(c.name(), c.file(), c.file() + ": field '" + culprit + "': " + e.getMessage());
            }
            geometries.add(g);
            long t = System.nanoTime();
            Output out = layers.get(k).forward(x);
            refNanos.add(System.nanoTime() - t);
            reference.add(out);
            x = out.activated();
        }
        List<List<LayerRun>> runs = new ArrayList<>();
        for (Engine e : engines) {
            runs.add(e.run(c.input(), layers));
        }
        List<CaseResult.LayerCheck> checks = new ArrayList<>();
        Verdict verdict = Verdict.AGREE;
        for (int k = 0; k < layers.size(); k++) {
            Case.Step step = c.layers().get(k);
            Layer layer = layers.get(k);
            Tensor ref = reference.get(k).activated();
            Tensor layerInput = k == 0 ? c.input() : reference.get(k - 1).activated();
            Lazy magnitudes = new Lazy(() -> ErrorBound.magnitudes(layerInput, layer));
            Tensor expected = step.expected();
            Comparison refVsExpected = null;
            Axes axes = Axes.data(c.layout());
            if (expected != null) {
                DType narrow = narrower(expected.dtype(), c.dtype());
                refVsExpected = compare(rounded(ref, expected.dtype()), expected, tolerance(step.tolerance(), DType.wider(expected.dtype(), c.dtype()), expected.dtype()),
                        () -> ErrorBound.rounding(magnitudes.get(), layer, layerInput.shape(), narrow), axes);
            }
            List<CaseResult.EngineCheck> engineChecks = new ArrayList<>();
            for (int e = 0; e < engines.size(); e++) {
                LayerRun run = runs.get(e).get(k);
                Comparison vsRef = null;
                Comparison vsExp = null;
                if (run.status() == LayerRun.Status.OK) {
                    DType computed = run.computedIn() == null ? c.dtype() : run.computedIn();
                    LayerRun previous = k == 0 ? null : runs.get(e).get(k - 1);
                    Tensor previousRef = k == 0 ? null : reference.get(k - 1).activated();
                    java.util.function.Function<DType, Tensor> slack = type -> {
                        Tensor r = ErrorBound.rounding(magnitudes.get(), layer, layerInput.shape(), type);
                        boolean chained = previous != null && previous.status() == LayerRun.Status.OK
                                && java.util.Arrays.equals(previous.output().shape(), previousRef.shape());
                        return chained ? ErrorBound.withPropagated(r, previous.output(), previousRef, layer) : r;
                    };
                    vsRef = compare(run.output(), rounded(ref, computed), tolerance(step.tolerance(), computed, computed), () -> slack.apply(computed), axes);
                    if (expected != null) {
                        DType narrow = narrower(computed, expected.dtype());
                        vsExp = compare(run.output(), expected, tolerance(step.tolerance(), computed, expected.dtype()), () -> slack.apply(narrow), axes);
                    }
                }
                CaseResult.EngineCheck check = new CaseResult.EngineCheck(engines.get(e).name(), run, vsRef, vsExp);
                if (check.outcome() == Outcome.DISAGREE && layer instanceof ConvLayer conv) {
                    check = check.withDiagnosis(diagnose(engines.get(e), conv, layerInput.shape()));
                }
                engineChecks.add(check);
            }
            CaseResult.LayerCheck check = new CaseResult.LayerCheck(k, layer, geometries.get(k), reference.get(k),
                    refNanos.get(k), refVsExpected, engineChecks);
            verdict = verdict.worst(check.verdict());
            checks.add(check);
        }
        GradientResult gradients = null;
        if (c.gradOutput() != null || gradientSeed != null) {
            Tensor dy = c.gradOutput();
            int[] outShape = geometries.get(layers.size() - 1).outputShape();
            if (dy != null && !java.util.Arrays.equals(dy.shape(), outShape)) {
                return CaseResult.invalid(c.name(), c.file(), c.file() + ": field 'gradOutput': expected dL/dy of the last layer's output, shape "
                        + Tensor.shapeString(outShape) + " (NCHW; " + Tensor.shapeString(c.layout().fromNchw(Tensor.zeros(DType.FLOAT64, outShape)).shape())
                        + " in " + c.layout() + "), but found " + Tensor.shapeString(c.layout().fromNchw(dy).shape()));
            }
            gradients = dy != null ? GradientCheck.run(c, engines, dy, null)
                    : GradientCheck.run(c, engines, GradientCheck.randomGradOutput(outShape, gradientSeed, c.dtype()), gradientSeed);
            verdict = verdict.worst(gradients.verdict());
        }
        return new CaseResult(c.name(), c.file(), c, checks, verdict, "", System.nanoTime() - start, gradients);
    }

    /**
     * Compares under the tolerance first; only if that fails, again with the rounding allowance of {@link ErrorBound}
     * (computing it costs as much as the reference layer, so agreeing comparisons never pay for it).
     */
    private static Comparison compare(Tensor actual, Tensor expected, Tolerance tol, Supplier<Tensor> slack, Axes axes) {
        Comparison plain = Comparison.of(actual, expected, tol).withAxes(axes);
        if (plain.agree() || !java.util.Arrays.equals(actual.shape(), expected.shape())) {
            return plain;
        }
        return Comparison.of(actual, expected, tol, slack.get()).withAxes(axes);
    }

    /**
     * The reference as a float32 computation would hold it (so FLT_MAX + FLT_MAX is infinity); float64 unchanged.
     * Engines computing in {@code type} are compared against this, here and in figures.
     */
    public static Tensor rounded(Tensor reference, DType type) {
        return type == DType.FLOAT32 ? reference.as(DType.FLOAT32) : reference;
    }

    private static DType narrower(DType a, DType b) {
        return a == DType.FLOAT32 || b == DType.FLOAT32 ? DType.FLOAT32 : DType.FLOAT64;
    }

    /** A value computed on first use. */
    private static final class Lazy implements Supplier<Tensor> {
        private final Supplier<Tensor> compute;
        private Tensor value;

        Lazy(Supplier<Tensor> compute) {
            this.compute = compute;
        }

        @Override
        public Tensor get() {
            if (value == null) {
                value = compute.get();
            }
            return value;
        }
    }

    /** The probe's sentence on where a disagreeing engine reads, or why the probe could not run. */
    private static String diagnose(Engine engine, ConvLayer layer, int[] inputShape) {
        try {
            Probe.Result p = Probe.run(engine, layer, inputShape);
            return p.error().isEmpty() ? p.diagnosis() : "the probe could not run: " + p.error();
        } catch (RuntimeException e) {
            return "the probe could not run: " + e.getMessage();
        }
    }

    /**
     * The tolerance for a comparison: the case's own if it gave one, loosened to the default of the narrowest type
     * involved (a float32 engine is not held to float64 precision).
     */
    static Tolerance tolerance(Tolerance fromCase, DType a, DType b) {
        Tolerance byType = Tolerance.forType(a == DType.FLOAT32 || b == DType.FLOAT32 ? DType.FLOAT32 : DType.FLOAT64);
        return fromCase == null ? byType : (a == DType.FLOAT32 || b == DType.FLOAT32 ? fromCase.loosest(byType) : fromCase);
    }

    static String nameOf(Path file) {
        return CaseFiles.defaultName(file);
    }
}
