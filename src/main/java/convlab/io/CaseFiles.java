package convlab.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.Hw;
import convlab.core.KernelPresets;
import convlab.core.Layout;
import convlab.core.Op;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.core.WeightsLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads case files (the JSON format documented in the README) and finds them in directories. Every problem becomes
 * an {@link InvalidInputException} naming the file, the field and what was expected.
 */
public final class CaseFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields every layer may have, whatever its op. */
    private static final Set<String> COMMON_FIELDS = Set.of("op", "expected", "tolerance", "activation", "expectedGradInput");
    private static final Set<String> CONV2D_FIELDS = Set.of("weights", "weightsLayout", "bias", "stride",
            "dilation", "groups", "padding", "paddingMode", "expectedGradWeights", "expectedGradBias");
    private static final Set<String> CASE_FIELDS = Set.of("name", "source", "description", "input", "layout", "layers", "op", "gradOutput");

    /** The fields a layer of this op may have. */
    private static Set<String> layerFields(Op op) {
        Set<String> own = switch (op) {
            case CONV2D -> CONV2D_FIELDS;
        };
        Set<String> all = new java.util.HashSet<>(COMMON_FIELDS);
        all.addAll(own);
        return all;
    }

    private CaseFiles() {
    }

    /** Case files under the given paths: a file is taken as it is; a directory gives every {@code case.json} or {@code *.case.json} below it. */
    public static List<Path> find(List<Path> paths) {
        List<Path> found = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile)
                            .filter(f -> f.getFileName().toString().equals("case.json") || f.getFileName().toString().endsWith(".case.json"))
                            .sorted()
                            .forEach(found::add);
                } catch (IOException e) {
                    throw new InvalidInputException(p, "cannot be listed: " + e.getMessage());
                }
            } else if (Files.isRegularFile(p)) {
                found.add(p);
            } else {
                throw new InvalidInputException(p, "no such file or directory");
            }
        }
        return found;
    }

    /** A case's name when its file gives none: the folder of a {@code case.json}, else the file name without {@code .case.json}. */
    public static String defaultName(Path file) {
        String f = file.getFileName().toString();
        Path parent = file.toAbsolutePath().getParent();
        return f.equals("case.json") && parent != null && parent.getFileName() != null
                ? parent.getFileName().toString() : f.replaceAll("(\\.case)?\\.json$", "");
    }

    public static Case load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file, "is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(file, "expected a JSON object describing a case");
        }
        return new Reader(file).readCase(root);
    }

    /** Reads one file; holds the file for messages and its folder for relative paths. */
    private static final class Reader {
        private final Path file;
        private final Path dir;

        Reader(Path file) {
            this.file = file;
            this.dir = file.toAbsolutePath().getParent();
        }

        Case readCase(JsonNode root) {
            boolean multi = root.has("layers");
            Op caseOp = parse(root, "op", "conv2d", Op::parse);
            checkFields(root, "", multi ? CASE_FIELDS : union(CASE_FIELDS, layerFields(caseOp)));
            String name = text(root, "name", defaultName(file));
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new InvalidInputException(file, "name", "expected letters, digits, '.', '_' or '-' (it names a folder), but found \"" + name + "\"");
            }
            Layout layout = parse(root, "layout", "NCHW", Layout::parse);
            Tensor input = layout.toNchw(array(root, "input", true));
            if (input.rank() != 4) {
                throw new InvalidInputException(file, "input", "expected a rank-4 array (" + layout + "), but found shape " + input.shapeString());
            }
            List<Case.Step> steps = new ArrayList<>();
            if (multi) {
                JsonNode layers = root.get("layers");
                if (!layers.isArray() || layers.isEmpty()) {
                    throw new InvalidInputException(file, "layers", "expected a non-empty list of layer objects");
                }
                int channels = input.dim(1);
                for (int k = 0; k < layers.size(); k++) {
                    JsonNode l = layers.get(k);
                    String prefix = "layers[" + k + "].";
                    if (!l.isObject()) {
                        throw new InvalidInputException(file, "layers[" + k + "]", "expected a layer object");
                    }
                    Op op = parse(l, prefix + "op", l.get("op"), caseOp.toString(), Op::parse);
                    checkFields(l, prefix, layerFields(op));
                    Case.Step step = readLayer(op, l, prefix, layout, channels);
                    channels = step.layer().outputChannels(channels);
                    steps.add(step);
                }
            } else {
                steps.add(readLayer(caseOp, root, "", layout, input.dim(1)));
            }
            Tensor gradOutput = dataArray(root, "gradOutput", root.get("gradOutput"), layout);
            for (int k = 0; k < steps.size() && gradOutput == null; k++) {
                if (steps.get(k).hasExpectedGradients()) {
                    throw new InvalidInputException(file, (multi ? "layers[" + k + "]." : "") + "expectedGrad*",
                            "expected gradients need the case's gradOutput (dL/dy of the last layer's output) they were computed from");
                }
            }
            return new Case(name, file, text(root, "source", ""), input, layout, steps, gradOutput);
        }

        /** One layer of the given op; the fields common to every op (expected, tolerance) are read here. */
        private Case.Step readLayer(Op op, JsonNode l, String prefix, Layout layout, int inChannels) {
            Tensor expected = array(l, prefix + "expected", l.get("expected"), false);
            if (expected != null) {
                if (expected.rank() != 4) {
                    throw new InvalidInputException(file, prefix + "expected", "expected a rank-4 array (" + layout + "), but found shape " + expected.shapeString());
                }
                expected = layout.toNchw(expected);
            }
            Tolerance tolerance = tolerance(prefix + "tolerance", l.get("tolerance"));
            Case.Step step = switch (op) {
                case CONV2D -> readConv2d(l, prefix, inChannels, expected, tolerance);
            };
            return step.withExpectedGradInput(dataArray(l, prefix + "expectedGradInput", l.get("expectedGradInput"), layout));
        }

        /** An optional rank-4 array in the case's data layout, as NCHW. */
        private Tensor dataArray(JsonNode parent, String field, JsonNode v, Layout layout) {
            Tensor a = array(parent, field, v, false);
            if (a != null && a.rank() != 4) {
                throw new InvalidInputException(file, field, "expected a rank-4 array (" + layout + "), but found shape " + a.shapeString());
            }
            return a == null ? null : layout.toNchw(a);
        }

        private Case.Step readConv2d(JsonNode l, String prefix, int inChannels, Tensor expected, Tolerance tolerance) {
            int groups = intField(l, prefix + "groups", l.get("groups"), 1);
            WeightsLayout wl = parse(l, prefix + "weightsLayout", l.get("weightsLayout"), "OIHW", WeightsLayout::parse);
            Tensor weights;
            JsonNode w = l.get("weights");
            if (w != null && w.isTextual() && w.asText().startsWith("preset:")) {
                try {
                    weights = KernelPresets.weights(w.asText().substring("preset:".length()).split(","), inChannels / groups);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException(file, prefix + "weights", e.getMessage());
                }
            } else {
                weights = wl.toOihw(array(l, prefix + "weights", w, true));
            }
            if (weights.rank() != 4) {
                throw new InvalidInputException(file, prefix + "weights", "expected a rank-4 array (" + wl + "), but found shape " + weights.shapeString());
            }
            Tensor bias = array(l, prefix + "bias", l.get("bias"), false);
            if (bias != null && bias.rank() != 1) {
                throw new InvalidInputException(file, prefix + "bias", "expected a rank-1 array of " + weights.dim(0) + " values, but found shape " + bias.shapeString());
            }
            ConvSpec spec = new ConvSpec(
                    hw(prefix + "stride", l.get("stride")),
                    hw(prefix + "dilation", l.get("dilation")),
                    padding(prefix + "padding", l.get("padding")),
                    parse(l, prefix + "paddingMode", l.get("paddingMode"), "zeros", PaddingMode::parse),
                    groups,
                    parse(l, prefix + "activation", l.get("activation"), "none", Activation::parse));
            if (groups < 1) {
                throw new InvalidInputException(file, prefix + "groups", "expected an int >= 1, but found " + groups);
            }
            ConvLayer layer;
            try {
                layer = new ConvLayer(weights, bias, spec);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(file, prefix + (bias != null && e.getMessage().contains("bias") ? "bias" : "weights"), e.getMessage());
            }
            Tensor gradWeights = array(l, prefix + "expectedGradWeights", l.get("expectedGradWeights"), false);
            if (gradWeights != null && gradWeights.rank() != 4) {
                throw new InvalidInputException(file, prefix + "expectedGradWeights", "expected a rank-4 array (" + wl + "), but found shape " + gradWeights.shapeString());
            }
            Tensor gradBias = array(l, prefix + "expectedGradBias", l.get("expectedGradBias"), false);
            if (gradBias != null && gradBias.rank() != 1) {
                throw new InvalidInputException(file, prefix + "expectedGradBias", "expected a rank-1 array of " + weights.dim(0) + " values, but found shape " + gradBias.shapeString());
            }
            return new Case.Step(layer, wl, expected, tolerance, null, gradWeights == null ? null : wl.toOihw(gradWeights), gradBias);
        }

        private void checkFields(JsonNode node, String prefix, Set<String> allowed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw new InvalidInputException(file, prefix + f, "unknown field; expected one of " + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
        }

        private Tensor array(JsonNode node, String field, boolean required) {
            return array(node, field, node.get(field), required);
        }

        private Tensor array(JsonNode parent, String field, JsonNode v, boolean required) {
            if (v == null || v.isNull()) {
                if (required) {
                    throw new InvalidInputException(file, field, "missing; expected the path of a .npy file");
                }
                return null;
            }
            if (!v.isTextual()) {
                throw new InvalidInputException(file, field, "expected the path of a .npy file (a string), but found " + v);
            }
            Path p = dir.resolve(v.asText());
            String lower = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
                return Images.read(p, 0);
            }
            if (!Files.exists(p)) {
                throw new InvalidInputException(file, field, "expected an existing .npy file, but " + p + " does not exist");
            }
            return Npy.read(p);
        }

        private Hw hw(String field, JsonNode v) {
            if (v == null || v.isNull()) {
                return Hw.of(1);
            }
            if (v.isInt() && v.asInt() >= 1) {
                return Hw.of(v.asInt());
            }
            if (v.isArray() && v.size() == 2 && v.get(0).isInt() && v.get(1).isInt() && v.get(0).asInt() >= 1 && v.get(1).asInt() >= 1) {
                return new Hw(v.get(0).asInt(), v.get(1).asInt());
            }
            throw new InvalidInputException(file, field, "expected an int >= 1 or [h, w] of ints >= 1, but found " + v);
        }

        private Padding padding(String field, JsonNode v) {
            if (v == null || v.isNull()) {
                return Padding.valid();
            }
            boolean form = v.isTextual() || v.isInt() || (v.isArray() && allInts(v));
            if (form) {
                try {
                    return Padding.parse(v.isTextual() ? v.asText() : v.toString());
                } catch (IllegalArgumentException e) {
                    // the message below says what was expected
                }
            }
            throw new InvalidInputException(file, field, Padding.EXPECTED + ", but found " + v);
        }

        private static boolean allInts(JsonNode array) {
            for (JsonNode e : array) {
                if (!e.isInt()) {
                    return false;
                }
            }
            return true;
        }

        private Tolerance tolerance(String field, JsonNode v) {
            if (v == null || v.isNull()) {
                return null;
            }
            if (v.isObject() && v.path("abs").isNumber() && v.path("rel").isNumber() && v.size() == 2
                    && v.get("abs").asDouble() >= 0 && v.get("rel").asDouble() >= 0) {
                return new Tolerance(v.get("abs").asDouble(), v.get("rel").asDouble());
            }
            throw new InvalidInputException(file, field, "expected {\"abs\": number >= 0, \"rel\": number >= 0}, but found " + v);
        }

        private int intField(JsonNode parent, String field, JsonNode v, int fallback) {
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (v.isInt()) {
                return v.asInt();
            }
            throw new InvalidInputException(file, field, "expected an int, but found " + v);
        }

        private String text(JsonNode node, String field, String fallback) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isTextual()) {
                throw new InvalidInputException(file, field, "expected a string, but found " + v);
            }
            return v.asText();
        }

        private <T> T parse(JsonNode node, String field, String fallback, java.util.function.Function<String, T> parser) {
            return parse(node, field, node.get(field), fallback, parser);
        }

        private <T> T parse(JsonNode parent, String field, JsonNode v, String fallback, java.util.function.Function<String, T> parser) {
            String s = v == null || v.isNull() ? fallback : (v.isTextual() ? v.asText() : v.toString());
            try {
                return parser.apply(s);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(file, field, e.getMessage());
            }
        }

        private static Set<String> union(Set<String> a, Set<String> b) {
            java.util.HashSet<String> u = new java.util.HashSet<>(a);
            u.addAll(b);
            u.remove("layers");
            return u;
        }
    }
}
