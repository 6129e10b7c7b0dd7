package convlab.verify;

import convlab.core.Gradients;
import convlab.core.Tensor;
import convlab.engine.GradRun;
import convlab.engine.LayerRun;
import java.util.List;
import java.util.Map;

/**
 * Everything checking one case's gradients found: where dL/dy came from (the case's {@code gradOutput}, or a
 * seeded random one), and per layer the reference's gradients, how they compare with the case's expected
 * gradients, and each engine's.
 *
 * @param seed the seed of a random dy, or null when the case gave its own
 */
public record GradientResult(Long seed, Tensor gradOutput, List<LayerGradients> layers) {

    public GradientResult {
        layers = List.copyOf(layers);
    }

    /** One line: where dy came from. */
    public String source() {
        return seed == null ? "the case's gradOutput" : "random dy, uniform in [-1, 1), seed " + seed;
    }

    /** dL/dy of layer k's activated output: the case's gradOutput for the last layer, else layer k+1's dL/dx (reference). */
    public Tensor gradOutputOf(int k) {
        return k == layers.size() - 1 ? gradOutput : layers.get(k + 1).reference().gradInput();
    }

    public Verdict verdict() {
        Verdict v = Verdict.AGREE;
        for (LayerGradients l : layers) {
            v = v.worst(l.verdict());
        }
        return v;
    }

    /** One layer's gradients: the reference's, against the expected ones, and every engine's. */
    public record LayerGradients(int index, Gradients reference, long referenceNanos, Map<Gradients.Kind, Comparison> referenceVsExpected,
                                 List<EngineGradients> engines) {
        public LayerGradients {
            referenceVsExpected = Map.copyOf(referenceVsExpected);
            engines = List.copyOf(engines);
        }

        public Verdict verdict() {
            Verdict v = referenceVsExpected.values().stream().allMatch(Comparison::agree) ? Verdict.AGREE : Verdict.DISAGREE;
            for (EngineGradients e : engines) {
                v = v.worst(e.verdict());
            }
            return v;
        }
    }

    /** One engine's gradients of one layer, compared with the reference's and with the expected ones. */
    public record EngineGradients(String engine, GradRun run, Map<Gradients.Kind, Comparison> vsReference,
                                  Map<Gradients.Kind, Comparison> vsExpected) {
        public EngineGradients {
            vsReference = Map.copyOf(vsReference);
            vsExpected = Map.copyOf(vsExpected);
        }

        public Verdict verdict() {
            boolean bad = vsReference.values().stream().anyMatch(c -> !c.agree()) || vsExpected.values().stream().anyMatch(c -> !c.agree());
            return bad ? Verdict.DISAGREE : Verdict.AGREE;
        }

        /** {@code agree}, {@code disagree}, {@code unsupported} or {@code error}, as for outputs. */
        public String status() {
            if (run.status() != LayerRun.Status.OK) {
                return run.status().toString();
            }
            return verdict() == Verdict.AGREE ? "agree" : "disagree";
        }
    }
}
