package convlab.render;

import convlab.engine.LayerRun;
import convlab.verify.Comparison;

/**
 * One engine's run of the layer a figure shows, under the name its cross-check panels carry, with the verifier's
 * comparison of its output against the reference (null when the run has no output, or when none was made: the
 * figure then compares at the output's own float tolerance).
 */
public record EngineResult(String engineName, LayerRun run, Comparison vsReference) {

    public EngineResult {
        if (engineName == null || engineName.isBlank() || run == null) {
            throw new IllegalArgumentException("Expected an engine name and a run, but found name=" + engineName + ", run=" + run);
        }
    }

    /** A run without the verifier's comparison. */
    public EngineResult(String engineName, LayerRun run) {
        this(engineName, run, null);
    }
}
