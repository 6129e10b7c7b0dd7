package convlab.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import convlab.core.CaseFields;
import convlab.core.Hw;
import convlab.core.Layout;
import convlab.core.Op;
import convlab.core.Padding;
import convlab.core.Tensor;
import convlab.core.Tolerance;
import convlab.core.WeightsLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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

    /** The largest case file read: a case names its arrays, it does not hold them. */
    static final long MAX_FILE_BYTES = 1 << 20;

    /**
     * Strict JSON: duplicate keys, trailing text after the object and numbers or strings past sane limits are
     * errors, and nesting is limited, so that no input can make Jackson run out of stack or memory.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(100)
                            .maxStringLength(1 << 16).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> CASE_FIELDS = Set.of("name", "source", "description", "input", "layout", "layers", "op", "gradOutput");

    /** The fields a layer of this op may have. */
    private static Set<String> layerFields(Op op) {
        Set<String> all = new java.util.HashSet<>(CaseFields.COMMON);
        all.addAll(op.fields());
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
                } catch (IOException | UncheckedIOException e) {
                    IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
                    Path where = io instanceof java.nio.file.FileSystemException f && f.getFile() != null ? Path.of(f.getFile()) : p;
                    throw new InvalidInputException(where, "cannot be listed (" + (io instanceof java.nio.file.AccessDeniedException
                            ? "permission denied" : io.getMessage()) + "); expected a readable directory of case files");
                }
            } else if (Files.isRegularFile(p)) {
                found.add(p);
            } else if (Files.exists(p)) {
                throw new InvalidInputException(p, "expected a case file or a directory, but found a device, FIFO or socket");
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
        if (!Files.exists(file)) {
            throw new InvalidInputException(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, "expected a regular case file, but found " + (Files.isDirectory(file) ? "a directory" : "a device, FIFO or socket"));
        }
        JsonNode root;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new InvalidInputException(file, "expected a case file of at most " + MAX_FILE_BYTES + " bytes (arrays belong in .npy files), but found " + size);
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            root = JSON.readTree(text);
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(file, "expected UTF-8 text (JSON is UTF-8), but found bytes that are not UTF-8; save the file as UTF-8");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            String why = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            throw new InvalidInputException(file, "is not valid JSON" + where + ": " + firstLine(why));
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(file, "expected a JSON object describing a case");
        }
        return new Reader(file).readCase(root);
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }

    /** Reads one file; holds the file for messages and its folder for relative paths. */
    private static final class Reader {
        private final Path file;
        private final Path dir;

        private final List<String> warnings = new ArrayList<>();

        Reader(Path file) {
            this.file = file;
            this.dir = file.toAbsolutePath().getParent();
        }

        Case readCase(JsonNode root) {
            boolean multi = root.has("layers");
            Op caseOp = parse(root, "op", "conv2d", Op::parse);
            checkFields(root, "", multi ? CASE_FIELDS : union(CASE_FIELDS, layerFields(caseOp)));
            String name = text(root, "name", defaultName(file));
            String bad = CaseNames.problem(name);
            if (bad != null) {
                throw new InvalidInputException(file, "name", bad + (root.has("name") ? "" : "; the case is named after its "
                        + (file.getFileName().toString().equals("case.json") ? "folder" : "file") + " unless it has a \"name\""));
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
                    checkGroups(l, prefix);
                    Case.Step step = readLayer(op, l, prefix, layout, channels);
                    channels = step.layer().outputChannels(channels);
                    steps.add(step);
                }
            } else {
                checkGroups(root, "");
                steps.add(readLayer(caseOp, root, "", layout, input.dim(1)));
            }
            Tensor gradOutput = dataArray(root, "gradOutput", root.get("gradOutput"), layout);
            for (int k = 0; k < steps.size() && gradOutput == null; k++) {
                if (steps.get(k).hasExpectedGradients()) {
                    throw new InvalidInputException(file, (multi ? "layers[" + k + "]." : "") + "expectedGrad*",
                            "expected gradients need the case's gradOutput (dL/dy of the last layer's output) they were computed from");
                }
            }
            return new Case(name, file, text(root, "source", ""), input, layout, steps, gradOutput, warnings);
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
            CaseFields.Read read = op.read(new Fields(l, prefix, layout, inChannels));
            Case.Step step = new Case.Step(read.layer(), read.weightsLayout(), expected, tolerance);
            if (read.weightsLayout() != null) {
                step = withExpectedParameterGradients(step, l, prefix, read.weightsLayout());
            }
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

        /**
         * The layer's optional {@code expectedGradWeights} (in its {@code weightsLayout}, read into the op's core
         * layout as the weights are) and {@code expectedGradBias}.
         */
        private Case.Step withExpectedParameterGradients(Case.Step step, JsonNode l, String prefix, WeightsLayout wl) {
            Tensor gradWeights = array(l, prefix + "expectedGradWeights", l.get("expectedGradWeights"), false);
            if (gradWeights != null && gradWeights.rank() != 4) {
                throw new InvalidInputException(file, prefix + "expectedGradWeights", "expected a rank-4 array (" + wl + "), but found shape " + gradWeights.shapeString());
            }
            Tensor gradBias = array(l, prefix + "expectedGradBias", l.get("expectedGradBias"), false);
            if (gradBias != null && gradBias.rank() != 1) {
                throw new InvalidInputException(file, prefix + "expectedGradBias", "expected a rank-1 array (one value per output channel), but found shape " + gradBias.shapeString());
            }
            return step.withExpectedParameterGradients(gradWeights == null ? null : wl.toCore(gradWeights), gradBias);
        }

        /**
         * The weights' layout, which must be one of this op's ({@code OIHW}/{@code HWIO} for conv2d, {@code IOHW}/{@code HWOI}
         * for conv_transpose2d); without the field, the data layout's partner ({@link WeightsLayout#partner}).
         */
        private WeightsLayout weightsLayout(JsonNode l, String prefix, Op op, Layout layout) {
            String fallback = WeightsLayout.partner(op, layout).name();
            WeightsLayout wl = parse(l, prefix + "weightsLayout", l.get("weightsLayout"), fallback, WeightsLayout::parse);
            if (wl.op() != op) {
                String own = String.join(" or ", java.util.Arrays.stream(WeightsLayout.values()).filter(v -> v.op() == op).map(Enum::name).toList());
                throw new InvalidInputException(file, prefix + "weightsLayout", "expected " + own + " for " + op + ", but found " + wl
                        + " (a " + wl.op() + " layout)");
            }
            return wl;
        }

        /** Groups >= 1 before anything divides by it (a preset's channel count is C / groups). */
        private void checkGroups(JsonNode l, String prefix) {
            JsonNode g = l.get("groups");
            if (g != null && !g.isNull() && (!g.isInt() || g.asInt() < 1)) {
                throw new InvalidInputException(file, prefix + "groups", "expected an int >= 1, but found " + g);
            }
        }

        /** One layer's fields, as {@link Op#read} reads them: each field named with the layer's prefix in every message. */
        private final class Fields implements CaseFields {
            private final JsonNode l;
            private final String prefix;
            private final Layout layout;
            private final int inChannels;

            Fields(JsonNode l, String prefix, Layout layout, int inChannels) {
                this.l = l;
                this.prefix = prefix;
                this.layout = layout;
                this.inChannels = inChannels;
            }

            @Override
            public boolean has(String field) {
                return l.has(field);
            }

            @Override
            public String json(String field) {
                JsonNode v = l.get(field);
                return v == null ? null : v.toString();
            }

            @Override
            public String text(String field) {
                JsonNode v = l.get(field);
                return v != null && v.isTextual() ? v.asText() : null;
            }

            @Override
            public Tensor array(String field, boolean required) {
                return Reader.this.array(l, prefix + field, l.get(field), required);
            }

            @Override
            public Hw hw(String field) {
                return Reader.this.hw(prefix + field, l.get(field));
            }

            @Override
            public Hw hw(String field, int min, Hw fallback) {
                JsonNode v = l.get(field);
                return v == null || v.isNull() ? fallback : Reader.this.hw(prefix + field, v, min);
            }

            @Override
            public Padding padding(String field) {
                return Reader.this.padding(prefix + field, l.get(field));
            }

            @Override
            public int integer(String field, int fallback) {
                return intField(l, prefix + field, l.get(field), fallback);
            }

            @Override
            public boolean bool(String field, boolean fallback) {
                return Reader.this.bool(prefix + field, l.get(field), fallback);
            }

            @Override
            public <T> T parse(String field, String fallback, java.util.function.Function<String, T> parser) {
                return Reader.this.parse(l, prefix + field, l.get(field), fallback, parser);
            }

            @Override
            public WeightsLayout weightsLayout(Op op) {
                return Reader.this.weightsLayout(l, prefix, op, layout);
            }

            @Override
            public int inputChannels() {
                return inChannels;
            }

            @Override
            public RuntimeException invalid(String field, String message) {
                return new InvalidInputException(file, prefix + field, message);
            }

            @Override
            public void warn(String field, String message) {
                warnings.add(file + ": field '" + prefix + field + "': " + message);
            }
        }

        private boolean bool(String field, JsonNode v, boolean fallback) {
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (v.isBoolean()) {
                return v.asBoolean();
            }
            throw new InvalidInputException(file, field, "expected true or false, but found " + v);
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
            return hw(field, v, 1);
        }

        /** An int or {@code [h, w]} of ints, each at least {@code min}. */
        private Hw hw(String field, JsonNode v, int min) {
            if (v.isInt() && v.asInt() >= min) {
                return Hw.of(v.asInt());
            }
            if (v.isArray() && v.size() == 2 && v.get(0).isInt() && v.get(1).isInt() && v.get(0).asInt() >= min && v.get(1).asInt() >= min) {
                return new Hw(v.get(0).asInt(), v.get(1).asInt());
            }
            throw new InvalidInputException(file, field, "expected an int >= " + min + " or [h, w] of ints >= " + min + ", but found " + v);
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
                    && v.get("abs").asDouble() >= 0 && v.get("rel").asDouble() >= 0
                    && Double.isFinite(v.get("abs").asDouble()) && Double.isFinite(v.get("rel").asDouble())) {
                return new Tolerance(v.get("abs").asDouble(), v.get("rel").asDouble());
            }
            throw new InvalidInputException(file, field, "expected {\"abs\": finite number >= 0, \"rel\": finite number >= 0}, but found " + v);
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
