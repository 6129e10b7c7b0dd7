package convlab.verify;

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
            try {
                geometries.add(layers.get(k).geometry(x.shape()));
            } catch (Geometry.ShapeException e) {
                String field = layers.size() == 1 ? "weights" : "layers[" + k + "]";
                return CaseResult.invalid(c.name(), c.file(), c.file() + ": field '" + field + "': " + e.getMessage());
            }
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
            Tensor ref = reference.get(k).activated();
            Tensor expected = step.expected();
            Comparison refVsExpected = expected == null ? null
                    : Comparison.of(ref, expected, tolerance(step.tolerance(), DType.wider(expected.dtype(), c.dtype()), expected.dtype()));
            List<CaseResult.EngineCheck> engineChecks = new ArrayList<>();
            for (int e = 0; e < engines.size(); e++) {
                LayerRun run = runs.get(e).get(k);
                Comparison vsRef = null;
                Comparison vsExp = null;
                if (run.status() == LayerRun.Status.OK) {
                    DType computed = run.computedIn() == null ? c.dtype() : run.computedIn();
                    vsRef = Comparison.of(run.output(), ref, tolerance(step.tolerance(), computed, computed));
                    if (expected != null) {
                        vsExp = Comparison.of(run.output(), expected, tolerance(step.tolerance(), computed, expected.dtype()));
                    }
                }
                engineChecks.add(new CaseResult.EngineCheck(engines.get(e).name(), run, vsRef, vsExp));
            }
            CaseResult.LayerCheck check = new CaseResult.LayerCheck(k, layers.get(k), geometries.get(k), reference.get(k),
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
