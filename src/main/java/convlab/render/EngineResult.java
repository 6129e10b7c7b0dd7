package convlab.render;

import convlab.engine.LayerRun;

/** One engine's run of the layer a figure shows, under the name its cross-check panels carry. */
public record EngineResult(String engineName, LayerRun run) {

    public EngineResult {
        if (engineName == null || engineName.isBlank() || run == null) {
            throw new IllegalArgumentException("Expected an engine name and a run, but found name=" + engineName + ", run=" + run);
        }
    }
}
