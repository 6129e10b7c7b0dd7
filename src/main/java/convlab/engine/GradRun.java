package convlab.engine;

import convlab.core.DType;
import convlab.core.Gradients;
import java.util.ArrayList;
import java.util.List;

/**
 * What one engine's backward pass produced for one layer: its gradients (input NCHW, weights OIHW, bias) when it
 * produced numbers, the type it computed in, notes on how the config was expressed, and the wall time in
 * nanoseconds. Statuses are {@link LayerRun.Status}'s.
 */
public record GradRun(LayerRun.Status status, Gradients gradients, DType computedIn, String message, List<String> notes, long nanos) {

    public GradRun {
        notes = List.copyOf(notes);
        if (status == LayerRun.Status.OK && gradients == null) {
            throw new IllegalArgumentException("Expected gradients for an OK run, but found null");
        }
    }

    public static GradRun ok(Gradients gradients, DType computedIn, List<String> notes, long nanos) {
        return new GradRun(LayerRun.Status.OK, gradients, computedIn, "", notes, nanos);
    }

    public static GradRun unsupported(String why) {
        return new GradRun(LayerRun.Status.UNSUPPORTED, null, null, why, List.of(), 0);
    }

    public static GradRun error(String message, long nanos) {
        return new GradRun(LayerRun.Status.ERROR, null, null, message, List.of(), nanos);
    }

    /** One run per layer, each {@code unsupported}: the first with {@code why}, the others saying which layer stopped them. */
    static List<GradRun> allUnsupported(int layers, int first, String why) {
        List<GradRun> runs = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            runs.add(unsupported(i == first ? why : "not run: layer " + (first + 1) + " is unsupported"));
        }
        return runs;
    }

    /** One run per layer, each an error: the first with {@code message}, the others not run because of it. */
    static List<GradRun> allFailed(int layers, int first, String message) {
        List<GradRun> runs = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            runs.add(error(i == first ? message : "not run: layer " + (first + 1) + " failed", 0));
        }
        return runs;
    }
}
