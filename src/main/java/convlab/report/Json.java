package convlab.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The JSON of both reports: a report's model printed by Jackson, its components in order; a null component is left
 * out, and a component marked {@code @JsonIgnore} is for the templates only. Jackson writes NaN and the infinities
 * as strings ({@code "NaN"}, {@code "Infinity"}), since JSON has no such numbers.
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private Json() {
    }

    static String pretty(Object model) {
        try {
            return MAPPER.writeValueAsString(model) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not print a report's JSON: " + e.getMessage(), e);
        }
    }
}
