package convlab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import convlab.core.Names;
import convlab.core.Op;
import convlab.io.CaseNames;
import convlab.io.InvalidInputException;
import convlab.verify.Outcome;
import convlab.verify.Sweep;
import convlab.verify.SweepMatrix;
import convlab.verify.SweepMerge;
import convlab.verify.SweepOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads back the {@code report.json} a sweep shard wrote ({@link SweepReport.SweepModel}) as a {@link Sweep.Result},
 * for {@code convlab sweep merge}. Every problem is one line naming the file and the field.
 */
public final class SweepShards {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** A report.json larger than this is not a sweep's (a sweep's holds a matrix and a few folders per feature). */
    static final long MAX_BYTES = 64L << 20;

    /** The end of a report's framework line that says how long ND4J took to start ({@code FrameworkInfo}). */
    private static final String STARTED = ", started in [0-9.]+ s$";

    private SweepShards() {
    }

    /** The shards read, in the order given, and the versions they were made with (distinct ones joined by "; "). */
    public record Read(List<SweepMerge.Part> parts, String convlab, String frameworks, String jdk) {
    }

    /**
     * Reads {@code DIR/report.json} of every folder; refuses shards made by different convlab versions. {@code sweeps}
     * gives each op's sweep (its features), {@code convlab.ops.Ops::sweep}.
     */
    public static Read read(List<Path> dirs, Function<Op, SweepOp> sweeps) {
        List<SweepMerge.Part> parts = new ArrayList<>();
        Set<String> frameworks = new LinkedHashSet<>();
        Set<String> jdks = new LinkedHashSet<>();
        String convlab = null;
        Path first = null;
        for (Path dir : dirs) {
            Path file = dir.resolve(Report.FILES.get(0));
            JsonNode root = parse(file);
            Field f = new Field(file, root);
            String version = f.text("convlab");
            if (convlab == null) {
                convlab = version;
                first = file;
            } else if (!convlab.equals(version)) {
                throw new InvalidInputException(file, "convlab", "expected " + convlab + " as in " + first
                        + " (one convlab draws one sweep's configurations), but found " + version);
            }
            frameworks.add(f.text("frameworks").replaceFirst(STARTED, "")); // each shard's JVM started ND4J in its own time
            jdks.add(f.text("jdk"));
            parts.add(new SweepMerge.Part(file, result(dir, f, sweeps)));
        }
        return new Read(parts, convlab, String.join("; ", frameworks), String.join("; ", jdks));
    }

    private static JsonNode parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, "no such file; expected the folder of a sweep shard (convlab sweep --shard K/N --out DIR)");
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException(file, "expected a sweep report of at most " + MAX_BYTES + " bytes, but found " + Files.size(file));
            }
            JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw new InvalidInputException(file, "expected a JSON object (a sweep's report), but found " + (root == null ? "nothing" : root.getNodeType()));
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file, "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot be read: " + e.getMessage());
        }
    }

    private static Sweep.Result result(Path dir, Field root, Function<Op, SweepOp> sweeps) {
        Field shard = root.object("shard");
        Op op = root.check("op", () -> Op.parse(root.text("op")));
        long seed = root.longValue("seed");
        boolean gradients = root.bool("gradients");
        int count = shard.integer("sweepCount");
        Sweep.Shard slice = root.check("shard", () -> new Sweep.Shard(shard.integer("k"), shard.integer("n")));
        Sweep.Plan plan = root.check("shard", () -> new Sweep.Plan(sweeps.apply(op), seed, count, gradients, slice));
        Field matrixNode = root.object("matrix");
        List<String> engines = new ArrayList<>();
        matrixNode.node.fieldNames().forEachRemaining(engines::add);
        SweepMatrix matrix = new SweepMatrix(engines, plan.features());
        for (String e : engines) {
            Field row = matrixNode.object(e);
            for (Iterator<String> fs = row.node.fieldNames(); fs.hasNext(); ) {
                String feature = fs.next();
                if (!plan.features().contains(feature)) {
                    throw new InvalidInputException(root.file, row.path(feature), "expected a feature of a " + plan.op() + " sweep, but found \"" + feature + "\"");
                }
                Field cell = row.object(feature);
                for (Iterator<String> os = cell.node.fieldNames(); os.hasNext(); ) {
                    String o = os.next();
                    Outcome outcome = cell.check(o, () -> Names.parse(Outcome.values(), o));
                    matrix.add(e, feature, outcome, cell.integer(o));
                }
            }
        }
        List<Sweep.Failure> failures = new ArrayList<>();
        JsonNode list = root.node.get("failures");
        if (list == null || !list.isArray()) {
            throw new InvalidInputException(root.file, "failures", "expected a list of failures");
        }
        for (int i = 0; i < list.size(); i++) {
            Field f = new Field(root.file, "failures[" + i + "].", list.get(i));
            String name = f.text("name");
            String bad = CaseNames.problem(name);
            if (bad != null) {
                throw new InvalidInputException(root.file, f.path("name"), bad);
            }
            int index = f.integer("index");
            if (index < plan.first() || index >= plan.end()) {
                throw new InvalidInputException(root.file, f.path("index"), "expected an index from " + plan.first() + " to " + (plan.end() - 1)
                        + " (shard " + plan.shard() + "), but found " + index);
            }
            List<String> features = new ArrayList<>();
            for (JsonNode x : f.array("features")) {
                if (!x.isTextual() || !plan.features().contains(x.asText())) {
                    throw new InvalidInputException(root.file, f.path("features"), "expected features of a " + plan.op() + " sweep, but found " + x);
                }
                features.add(x.asText());
            }
            Map<String, String> failed = new LinkedHashMap<>();
            Field engineLines = f.object("engines");
            engineLines.node.fieldNames().forEachRemaining(e -> failed.put(e, engineLines.text(e)));
            failures.add(new Sweep.Failure(index, name, features, failed, "", dir.resolve("failures").resolve(name)));
        }
        Map<String, Integer> unwritten = new LinkedHashMap<>();
        Field without = root.object("failuresWithoutFolder");
        without.node.fieldNames().forEachRemaining(x -> unwritten.put(x, without.integer(x)));
        long nanos = Math.round(root.number("seconds") * 1e9);
        return new Sweep.Result(plan, root.integer("count"), engines, matrix, failures, unwritten, nanos);
    }

    /** A JSON object of a report and where it is ({@code shard.}), for messages naming the field. */
    private static final class Field {
        final Path file;
        final String prefix;
        final JsonNode node;

        Field(Path file, JsonNode node) {
            this(file, "", node);
        }

        Field(Path file, String prefix, JsonNode node) {
            this.file = file;
            this.prefix = prefix;
            this.node = node;
        }

        String path(String name) {
            return prefix + name;
        }

        private JsonNode get(String name, boolean ok, String expected) {
            JsonNode v = node.get(name);
            if (v == null || !ok) {
                throw new InvalidInputException(file, path(name), "expected " + expected + ", but found " + (v == null ? "none" : v.toString())
                        + (prefix.isEmpty() && name.equals("shard") ? " (a report of convlab sweep with --shard, or since sharding came)" : ""));
            }
            return v;
        }

        JsonNode value(String name) {
            return node.get(name);
        }

        String text(String name) {
            JsonNode v = value(name);
            return get(name, v != null && v.isTextual(), "a string").asText();
        }

        /** A count or an index: a whole number from 0 to 2^31 - 1. */
        int integer(String name) {
            JsonNode v = value(name);
            return get(name, v != null && v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= 0, "a whole number >= 0").asInt();
        }

        long longValue(String name) {
            JsonNode v = value(name);
            return get(name, v != null && v.isIntegralNumber() && v.canConvertToLong(), "a whole number").asLong();
        }

        double number(String name) {
            JsonNode v = value(name);
            return get(name, v != null && v.isNumber(), "a number").asDouble();
        }

        boolean bool(String name) {
            JsonNode v = value(name);
            return get(name, v != null && v.isBoolean(), "true or false").asBoolean();
        }

        Field object(String name) {
            JsonNode v = value(name);
            return new Field(file, path(name) + ".", get(name, v != null && v.isObject(), "an object"));
        }

        JsonNode array(String name) {
            JsonNode v = value(name);
            return get(name, v != null && v.isArray(), "a list");
        }

        /** The value {@code make} builds, its IllegalArgumentException a message about {@code name}. */
        <T> T check(String name, java.util.function.Supplier<T> make) {
            try {
                return make.get();
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(file, path(name), e.getMessage());
            }
        }
    }
}
