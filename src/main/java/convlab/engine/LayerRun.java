package convlab.engine;

import convlab.core.DType;
import convlab.core.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * What one engine produced for one layer: its activated output as NCHW (when it produced numbers), the type it
 * computed in, notes on how the config was expressed (for example "asymmetric padding composed from pad + conv2d"),
 * and the wall time in nanoseconds.
 */
public record LayerRun(Status status, Tensor output, DType computedIn, String message, List<String> notes, long nanos) {

    public enum Status {
        OK, UNSUPPORTED, ERROR;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public LayerRun {
        notes = List.copyOf(notes);
        if (status == Status.OK && output == null) {
            throw new IllegalArgumentException("Expected an output for an OK run, but found null");
        }
    }

    public static LayerRun ok(Tensor output, DType computedIn, List<String> notes, long nanos) {
        return new LayerRun(Status.OK, output, computedIn, "", notes, nanos);
    }

    public static LayerRun unsupported(String why) {
        return new LayerRun(Status.UNSUPPORTED, null, null, why, List.of(), 0);
    }

    public static LayerRun error(String message, long nanos) {
        return new LayerRun(Status.ERROR, null, null, message, List.of(), nanos);
    }
}
