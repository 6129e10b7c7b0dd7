package convlab.core;

/** A layer's output before and after its activation, both {@code [N, O, OH, OW]}. */
public record Output(Tensor preActivation, Tensor activated) {
}
