package convlab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON both reports share: a root that starts with where and with what the report was made, and printing. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static ObjectNode root(RunInfo info) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("convlab", info.convlabVersion()).put("frameworks", info.frameworkVersion()).put("jdk", info.jdk()).put("date", info.date());
        return root;
    }

    static String pretty(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not print a JSON tree: " + e.getMessage(), e);
        }
    }
}
