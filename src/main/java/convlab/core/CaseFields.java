package convlab.core;

import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One layer's fields in a case file, as the file reader ({@code convlab.io.CaseFiles}) offers them to the op that
 * reads them ({@link Op#read}): every getter names the field (with its {@code layers[k].} prefix) in its message when
 * the value is not what was expected, and {@link #invalid} makes such a message for a rule of the op's own. Field
 * names are the bare ones ({@code "stride"}); the reader adds the prefix.
 */
public interface CaseFields {

    /** The fields every layer may have, whatever its op: {@link Op#fields()} adds its own. */
    Set<String> COMMON = Set.of("op", "expected", "tolerance", "activation", "expectedGradInput");

    /** Whether the field is present (even as null). */
    boolean has(String field);

    /** The field's JSON text ({@code [1, 2]}), for a message; null when absent. */
    String json(String field);

    /** The field's string value, or null when it is absent or not a string. */
    String text(String field);

    /** An array from the .npy (or image) file the field names; null when absent and not required. */
    Tensor array(String field, boolean required);

    /** An int or {@code [h, w]} of ints >= 1; {@code 1x1} when absent. */
    Hw hw(String field);

    /** An int or {@code [h, w]} of ints >= {@code min}; {@code fallback} when absent. */
    Hw hw(String field, int min, Hw fallback);

    /** A padding in any of its forms; valid when absent. */
    Padding padding(String field);

    /** An int; {@code fallback} when absent. */
    int integer(String field, int fallback);

    /** true or false; {@code fallback} when absent. */
    boolean bool(String field, boolean fallback);

    /** The field (or {@code fallback} when absent) through {@code parser}, whose IllegalArgumentException names the field. */
    <T> T parse(String field, String fallback, Function<String, T> parser);

    /** The weights' layout, which must be one of {@code op}'s; without the field, the data layout's partner. */
    WeightsLayout weightsLayout(Op op);

    /** The input channels this layer reads (the previous layer's output channels). */
    int inputChannels();

    /** The invalid-input error the reader throws: this field, what was expected. */
    RuntimeException invalid(String field, String message);

    /** A one-line warning about this field, printed once the case is read. */
    void warn(String field, String message);

    /**
     * The layer {@code make} builds from weights and {@code bias}: its IllegalArgumentException (a shape the weights
     * or bias cannot have) becomes the invalid-input error of field {@code bias} when it is about the bias, else of
     * {@code weights}.
     */
    default Layer build(Supplier<Layer> make, Tensor bias) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw invalid(bias != null && e.getMessage().contains("bias") ? "bias" : "weights", e.getMessage());
        }
    }

    /** A layer read from its fields, and the layout its weights came in (null without weights). */
    record Read(Layer layer, WeightsLayout weightsLayout) {
    }

    /** Where a layer writes its own fields ({@code convlab.io.CaseWriter}): each call adds one field, in call order. */
    interface Writer {

        /** The weights (in the step's weights layout, with that layout) and the bias, as .npy files. */
        void parameters();

        /** What conv2d and conv_transpose2d write first: weights and bias ({@link #parameters}), stride, dilation, groups, padding. */
        default void window(Hw stride, Hw dilation, int groups, Padding padding) {
            parameters();
            hw("stride", stride);
            hw("dilation", dilation);
            integer("groups", groups);
            padding("padding", padding);
        }

        /** An int when h == w, else {@code [h, w]}. */
        void hw(String field, Hw v);

        /** Always {@code [h, w]}. */
        void pair(String field, Hw v);

        void integer(String field, int v);

        void bool(String field, boolean v);

        void text(String field, String v);

        /** A padding's name, or {@code [top, bottom, left, right]}. */
        void padding(String field, Padding p);
    }
}
