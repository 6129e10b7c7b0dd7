package convlab.verify;

import convlab.core.Backward;
import convlab.core.DType;
import convlab.core.Gradients;
import convlab.core.Layer;
import convlab.core.Tensor;
import convlab.engine.Engine;
import convlab.engine.GradRun;
import convlab.engine.LayerRun;
import convlab.io.Case;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Checks a case's gradients: the reference's backward pass ({@link Backward#all}) from dL/dy, every engine's, and
 * the case's expected gradients, compared like outputs (the same tolerances, loosened to float32's for a float32
 * side).
 */
public final class GradientCheck {

    private GradientCheck() {
    }

    /** dL/dy uniform in [-1, 1) from {@code seed}, rounded to {@code type}: any case's gradients can be cross-checked. */
    public static Tensor randomGradOutput(int[] shape, long seed, DType type) {
        Random r = new Random(seed);
        return Tensor.fill(type, shape, i -> r.nextDouble() * 2 - 1);
    }

    /**
     * dL/dy of each layer's activated output, as {@code verify --gradients} feeds the backward pass: the last layer's
     * is the case's {@code gradOutput} or, without one, {@link #randomGradOutput} drawn from {@code seed}; layer k's is
     * layer k+1's dL/dx (the chain rule through the stack, {@link Backward#all}).
     */
    public static List<Tensor> layerGradOutputs(Case c, long seed) {
        List<Layer> layers = c.layerList();
        List<convlab.core.Output> outputs = Layer.forwardAll(c.input(), layers);
        Tensor dy = c.gradOutput() != null ? c.gradOutput()
                : randomGradOutput(outputs.get(outputs.size() - 1).activated().shape(), seed, c.dtype());
        List<Gradients> grads = Backward.all(c.input(), layers, dy);
        List<Tensor> out = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            out.add(k == layers.size() - 1 ? dy : grads.get(k + 1).gradInput());
        }
        return out;
    }

    /**
     * The gradients of a case whose forward pass the reference accepted, from {@code gradOutput} (NCHW, the last
     * layer's output shape); {@code seed} is the seed it was drawn from, or null when it is the case's own.
     */
    public static GradientResult run(Case c, List<Engine> engines, Tensor gradOutput, Long seed) {
        List<Layer> layers = c.layerList();
        long t0 = System.nanoTime();
        List<Gradients> reference = Backward.all(c.input(), layers, gradOutput);
        long refNanos = (System.nanoTime() - t0) / layers.size();
        List<List<GradRun>> runs = new ArrayList<>();
        for (Engine e : engines) {
            runs.add(e.backward(c.input(), layers, gradOutput));
        }
        List<GradientResult.LayerGradients> out = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            Case.Step step = c.layers().get(k);
            Gradients ref = reference.get(k);
            Map<Gradients.Kind, Comparison> refVsExpected = new EnumMap<>(Gradients.Kind.class);
            for (Gradients.Kind kind : Gradients.Kind.values()) {
                Tensor expected = expected(step, kind);
                if (expected != null) {
                    refVsExpected.put(kind, compare(kind.of(ref), expected,
                            Verifier.tolerance(step.tolerance(), DType.wider(expected.dtype(), c.dtype()), expected.dtype()), axes(c, step, kind)));
                }
            }
            List<GradientResult.EngineGradients> engineChecks = new ArrayList<>();
            for (int e = 0; e < engines.size(); e++) {
                GradRun run = runs.get(e).get(k);
                Map<Gradients.Kind, Comparison> vsRef = new EnumMap<>(Gradients.Kind.class);
                Map<Gradients.Kind, Comparison> vsExp = new EnumMap<>(Gradients.Kind.class);
                if (run.status() == LayerRun.Status.OK) {
                    DType computed = run.computedIn() == null ? c.dtype() : run.computedIn();
                    for (Gradients.Kind kind : Gradients.Kind.values()) {
                        Tensor got = kind.of(run.gradients());
                        if (kind.of(ref) != null || got != null) {
                            vsRef.put(kind, compare(got, kind.of(ref), Verifier.tolerance(step.tolerance(), computed, computed), axes(c, step, kind)));
                        }
                        Tensor expected = expected(step, kind);
                        if (expected != null) {
                            vsExp.put(kind, compare(got, expected, Verifier.tolerance(step.tolerance(), computed, expected.dtype()), axes(c, step, kind)));
                        }
                    }
                }
                engineChecks.add(new GradientResult.EngineGradients(engines.get(e).name(), run, vsRef, vsExp));
            }
            out.add(new GradientResult.LayerGradients(k, ref, refNanos, refVsExpected, engineChecks));
        }
        return new GradientResult(seed, gradOutput, out);
    }

    /** The case's expected gradient of this kind for a layer, or null. */
    static Tensor expected(Case.Step step, Gradients.Kind kind) {
        return switch (kind) {
            case INPUT -> step.expectedGradInput();
            case WEIGHTS -> step.expectedGradWeights();
            case BIAS -> step.expectedGradBias();
        };
    }

    private static Axes axes(Case c, Case.Step step, Gradients.Kind kind) {
        return Axes.gradient(kind, step.layer().op(), c.layout(), step.weightsLayout());
    }

    /** As {@link Comparison#of}, where a gradient one side lacks (no bias) disagrees with a message. */
    private static Comparison compare(Tensor actual, Tensor expected, convlab.core.Tolerance tol, Axes axes) {
        if (actual == null || expected == null) {
            return new Comparison(false, Double.NaN, Double.NaN, List.of(), Double.NaN, Double.NaN, Double.NaN, 0, 0, tol, false,
                    actual == null ? "no gradient where one was expected" : "a gradient where none was expected", axes);
        }
        return Comparison.of(actual, expected, tol).withAxes(axes);
    }
}
