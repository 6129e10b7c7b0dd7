package convlab.verify;

import convlab.core.Conv2d;
import convlab.core.ConvLayer;
import convlab.core.Geometry;
import convlab.core.Layer;
import convlab.core.OpGeometry;
import convlab.core.Output;
import convlab.engine.LayerRun;
import convlab.io.Case;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything verifying one case found. An invalid case, or one that hit a bug, has a {@code problem} and no layers.
 * {@code gradients} is the gradient check, or null when gradients were not asked for.
 */
public record CaseResult(String name, Path file, Case kase, List<LayerCheck> layers, Verdict verdict, String problem, long nanos,
                         GradientResult gradients) {

    public CaseResult {
        layers = List.copyOf(layers);
    }

    /** A result without a gradient check. */
    public CaseResult(String name, Path file, Case kase, List<LayerCheck> layers, Verdict verdict, String problem, long nanos) {
        this(name, file, kase, layers, verdict, problem, nanos, null);
    }

    /**
     * Whether anything was compared: an engine produced numbers on some layer, or some layer has an expected output.
     * A case where nothing was compared "agrees" only vacuously, and says "nothing compared" instead.
     */
    public boolean compared() {
        return layers.stream().anyMatch(l -> l.referenceVsExpected() != null
                || l.engines().stream().anyMatch(e -> e.vsReference() != null || e.vsExpected() != null));
    }

    public static CaseResult invalid(String name, Path file, String problem) {
        return new CaseResult(name, file, null, List.of(), Verdict.INVALID, problem, 0);
    }

    /** A case that hit a bug in convlab: {@code problem} says what, in one line; the trace is logged elsewhere. */
    public static CaseResult error(String name, Path file, String problem) {
        return new CaseResult(name, file, null, List.of(), Verdict.ERROR, problem, 0);
    }

    /** One layer: the reference's output, how it compares with the case's expected output, and each engine. */
    public record LayerCheck(int index, Layer layer, OpGeometry geometry, Output reference, long referenceNanos,
                             Comparison referenceVsExpected, List<EngineCheck> engines) {
        public LayerCheck {
            engines = List.copyOf(engines);
        }

        /** Whether this layer is a conv2d, which {@link #conv()} and {@link #convGeometry()} then give. */
        public boolean isConv2d() {
            return layer instanceof ConvLayer;
        }

        public ConvLayer conv() {
            return (ConvLayer) layer;
        }

        public Geometry convGeometry() {
            return (Geometry) geometry;
        }

        public Verdict verdict() {
            Verdict v = referenceVsExpected == null || referenceVsExpected.agree() ? Verdict.AGREE : Verdict.DISAGREE;
            for (EngineCheck e : engines) {
                v = v.worst(e.verdict());
            }
            return v;
        }
    }

    /**
     * One engine on one layer: what it produced, and how that compares with the reference and with the expected
     * output. An engine that is unsupported or failed has no comparisons and does not make the case disagree;
     * the report says what happened. A disagreeing engine on a conv2d layer carries the {@link Probe}'s diagnosis:
     * which input cells its taps read instead of the reference's.
     */
    public record EngineCheck(String engine, LayerRun run, Comparison vsReference, Comparison vsExpected, String diagnosis) {
        public EngineCheck(String engine, LayerRun run, Comparison vsReference, Comparison vsExpected) {
            this(engine, run, vsReference, vsExpected, "");
        }

        /** The same check with the probe's sentence on where the engine reads differently. */
        public EngineCheck withDiagnosis(String d) {
            return new EngineCheck(engine, run, vsReference, vsExpected, d);
        }

        public Verdict verdict() {
            boolean bad = (vsReference != null && !vsReference.agree()) || (vsExpected != null && !vsExpected.agree());
            return bad ? Verdict.DISAGREE : Verdict.AGREE;
        }

        /** What this engine's run came to. */
        public Outcome outcome() {
            if (run.status() != LayerRun.Status.OK) {
                return switch (run.status()) {
                    case UNSUPPORTED -> Outcome.UNSUPPORTED;
                    case ERROR -> Outcome.ERROR;
                    case OK -> throw new IllegalStateException("an OK run has comparisons");
                };
            }
            return verdict() == Verdict.AGREE ? Outcome.AGREE : Outcome.DISAGREE;
        }
    }
}
