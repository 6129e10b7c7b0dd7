package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import convlab.core.DType;
import convlab.core.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded fuzz of the whole verify path (issue 10): valid .npy and case files mutated by bit flips, truncation,
 * inserted and deleted bytes, .npy header edits and JSON field edits, run in batches through picocli in this JVM
 * with no engines. Every run must end in exit 0, 1 or 2, with at most one line on stderr per case, no stack trace,
 * and no file outside --out. Seed: {@code -Dconvlab.fuzz.seed=N}; mutations: {@code -Dconvlab.fuzz.mutations=N}.
 */
class HostileInputFuzzTest {

    static final long SEED = Long.getLong("convlab.fuzz.seed", 20261201L);
    static final int MUTATIONS = Integer.getInteger("convlab.fuzz.mutations", 2000);
    static final int BATCH = 25;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] DESCRS = {"<f4", "<f8", ">f4", ">f8", "|f4", "", "<i4", "<f2", "f8", "<c16", "'", "<f4<f4"};
    private static final String[] FIELDS = {"name", "input", "weights", "bias", "expected", "stride", "dilation", "groups",
            "padding", "paddingMode", "activation", "tolerance", "layout", "weightsLayout", "source", "layers", "strides"};
    private static final String[] VALUES = {"0", "-1", "1", "2", "3", "7", "64", "2147483647", "-2147483648", "4294967296", "1e999",
            "-0.0", "1.5", "NaN", "null", "true", "\"\"", "\"..\"", "\".\"", "\"report.html\"", "\"a/b\"", "\"same\"", "\"valid\"",
            "\"reflect\"", "\"circular\"", "\"relu\"", "\"NHWC\"", "\"HWIO\"", "\"x.npy\"", "\"w.npy\"", "\"/dev/zero\"", "\"../x.npy\"",
            "\"preset:sobel-x,box-blur\"", "\"preset:nope\"", "[1, 2]", "[0, 0, 1, 1]", "[1073741823, 1073741823]", "[]", "[[[[1]]]]",
            "{}", "{\"abs\": 1, \"rel\": 1}", "{\"abs\": -1, \"rel\": 0}", "[{\"weights\": \"w.npy\"}]", "\"" + "n".repeat(300) + "\""};

    @TempDir
    Path root;

    private Random random;
    private byte[] x;
    private byte[] w;
    private byte[] b;
    private String single;
    private String multi;

    @Test
    void mutatedCasesNeverCrashNeverWriteOutsideOutAndSayOneLineEach() throws Exception {
        random = new Random(SEED);
        x = convlab.io.NpyHostileBytes.bytes(Tensor.fill(DType.FLOAT32, new int[] {1, 2, 5, 5}, i -> (i[1] + 1) * 0.5 - i[2] * 0.25 + i[3]));
        w = convlab.io.NpyHostileBytes.bytes(Tensor.fill(DType.FLOAT64, new int[] {3, 2, 3, 3}, i -> i[0] - i[1] + 0.5 * i[2]));
        b = convlab.io.NpyHostileBytes.bytes(Tensor.of(new int[] {3}, new double[] {0.5, -1, 2}));
        single = "{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"bias\": \"b.npy\", \"stride\": [1, 2], \"padding\": [1, 0, 2, 1],"
                + " \"paddingMode\": \"zeros\", \"dilation\": 1, \"groups\": 1, \"activation\": \"relu\", \"tolerance\": {\"abs\": 1e-6, \"rel\": 1e-6}}";
        multi = "{\"input\": \"x.npy\", \"layout\": \"NCHW\", \"layers\": [{\"weights\": \"w.npy\", \"bias\": \"b.npy\", \"padding\": \"same\"},"
                + " {\"weights\": \"preset:sobel-x,sobel-y,laplacian\", \"stride\": 2, \"paddingMode\": \"reflect\", \"padding\": 1}]}";
        // Thousands of small files: on a RAM disk when there is one (writing them is most of the time otherwise).
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "convlab-fuzz") : root;
        long start = System.nanoTime();
        int[] exits = new int[4];
        java.util.Map<String, Integer> verdicts = new java.util.TreeMap<>();
        try {
            for (int batch = 0; batch * BATCH < MUTATIONS; batch++) {
                Path dir = base.resolve("b" + batch);
                Path cases = dir.resolve("cases");
                Path out = dir.resolve("out");
                List<String> what = new ArrayList<>();
                for (int k = 0; k < BATCH; k++) {
                    what.add("case" + k + ": " + mutant(Files.createDirectories(cases.resolve("case" + k))));
                }
                List<String> before = files(dir);
                String[] args = batch % 10 == 9
                        ? new String[] {"verify", cases.toString(), "--out", out.toString(), "--engines", "none", "--max-elements", "20000"}
                        : new String[] {"verify", cases.toString(), "--out", out.toString(), "--engines", "none", "--no-figures", "--max-elements", "20000"};
                Cli.Run r;
                try {
                    r = Cli.run(args);
                } catch (Throwable escaped) {
                    throw new AssertionError(String.format(java.util.Locale.ROOT, "an exception escaped: seed %d, batch %d:%n  %s", SEED, batch,
                            String.join("\n  ", what)), escaped);
                }
                String context = String.format(java.util.Locale.ROOT, "seed %d (-Dconvlab.fuzz.seed=%d), batch %d:%n  %s%nstderr:%n%s", SEED, SEED, batch,
                        String.join("\n  ", what), r.err());
                assertThat(r.exit()).as(context).isBetween(0, 2);
                exits[r.exit()]++;
                for (String line : r.out().lines().toList()) {
                    String[] words = line.trim().split("\\s+");
                    if (words.length >= 2 && !words[0].equals("wrote") && !words[0].equals("verdict:")) {
                        verdicts.merge(words[1], 1, Integer::sum);
                    }
                }
                assertThat(r.err().lines().count()).as("at most one line per case; " + context).isLessThanOrEqualTo(BATCH);
                for (int k = 0; k < BATCH; k++) {
                    String folder = cases.resolve("case" + k).toString() + "/";
                    assertThat(r.err().lines().filter(l -> l.contains(folder)).count()).as("lines about case%d; %s", k, context).isLessThanOrEqualTo(1);
                }
                assertThat(r.err()).as(context).doesNotContain("\tat ").doesNotContain("internal error");
                List<String> after = files(dir).stream().filter(f -> !f.startsWith("out/")).toList();
                assertThat(after).as("no file outside --out; " + context).isEqualTo(before);
                assertThat(out.resolve("report.json")).as(context).isRegularFile();
                deleteTree(dir);
            }
        } finally {
            if (!base.equals(root)) {
                deleteTree(base);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "fuzz: %d mutations in %.1f s (%.0f per second), seed %d; batch exits 0/1/2: %d/%d/%d; cases %s%n",
                MUTATIONS, seconds, MUTATIONS / seconds, SEED, exits[0], exits[1], exits[2], verdicts);
        assertThat(verdicts.getOrDefault("agree", 0) + verdicts.getOrDefault("nothing", 0)).as("mutants that still run (the fuzz reaches the reference; with no engine and no expected output a run says \"nothing compared\")").isPositive();
        assertThat(verdicts.getOrDefault("invalid", 0)).as("mutants refused").isPositive();
    }

    /** Writes one case folder, one of its files mutated; returns what was done. */
    private String mutant(Path dir) throws IOException {
        boolean isMulti = random.nextInt(4) == 0;
        byte[][] files = {x, w, b, (isMulti ? multi : single).getBytes(StandardCharsets.UTF_8)};
        String[] names = {"x.npy", "w.npy", "b.npy", "case.json"};
        int target = random.nextInt(4);
        String how;
        byte[] m = files[target].clone();
        int kind = random.nextInt(target == 3 ? 6 : 5);
        switch (kind) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
                }
                how = flips + " bit flip(s)";
            }
            case 1 -> {
                int n = random.nextInt(m.length);
                m = java.util.Arrays.copyOf(m, n);
                how = "truncated to " + n + " bytes";
            }
            case 2 -> {
                int at = random.nextInt(m.length);
                int len = 1 + random.nextInt(16);
                byte[] ins = new byte[len];
                random.nextBytes(ins);
                byte[] r = new byte[m.length + len];
                System.arraycopy(m, 0, r, 0, at);
                System.arraycopy(ins, 0, r, at, len);
                System.arraycopy(m, at, r, at + len, m.length - at);
                m = r;
                how = len + " random bytes inserted at " + at;
            }
            case 3 -> {
                int at = random.nextInt(m.length);
                int len = Math.min(m.length - at, 1 + random.nextInt(16));
                byte[] r = new byte[m.length - len];
                System.arraycopy(m, 0, r, 0, at);
                System.arraycopy(m, at + len, r, at, m.length - at - len);
                m = r;
                how = len + " bytes deleted at " + at;
            }
            default -> {
                if (target == 3) {
                    String edited = editJson(new String(m, StandardCharsets.UTF_8));
                    m = edited.getBytes(StandardCharsets.UTF_8);
                    how = "JSON edit: " + (edited.length() > 300 ? edited.substring(0, 300) + "..." : edited);
                } else {
                    String header = npyHeader();
                    m = withHeader(m, header);
                    how = "header " + header;
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            Files.write(dir.resolve(names[i]), i == target ? m : files[i]);
        }
        return names[target] + ": " + how;
    }

    private String npyHeader() {
        int rank = random.nextInt(6);
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < rank; i++) {
            int pick = random.nextInt(10);
            long d = pick < 5 ? random.nextInt(6) : pick == 5 ? -random.nextInt(3) - 1 : pick == 6 ? 65536 : pick == 7 ? 2147483647L : pick == 8 ? 4294967296L : 0;
            shape.append(d).append(", ");
        }
        shape.append(")");
        String descr = DESCRS[random.nextInt(DESCRS.length)];
        String fortran = random.nextInt(5) == 0 ? "True" : random.nextInt(10) == 0 ? "1" : "False";
        String extra = random.nextInt(8) == 0 ? "'x': \"'descr': '<f8'\", " : "";
        return "{" + extra + "'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
    }

    /** The bytes of a .npy file with its header replaced (version 1.0 framing), keeping its data. */
    private static byte[] withHeader(byte[] npy, String dict) {
        int oldLen = npy.length >= 10 ? (npy[8] & 0xff) | (npy[9] & 0xff) << 8 : 0;
        int dataStart = Math.min(npy.length, 10 + oldLen);
        byte[] head = convlab.io.NpyHostileBytes.npy(dict, new byte[0]);
        byte[] r = java.util.Arrays.copyOf(head, head.length + npy.length - dataStart);
        System.arraycopy(npy, dataStart, r, head.length, npy.length - dataStart);
        return r;
    }

    private String editJson(String json) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(json);
        ObjectNode target = root;
        if (root.has("layers") && random.nextBoolean()) {
            JsonNode layers = root.get("layers");
            target = (ObjectNode) layers.get(random.nextInt(layers.size()));
        }
        String field = FIELDS[random.nextInt(FIELDS.length)];
        String text;
        switch (random.nextInt(5)) {
            case 0 -> {
                target.remove(field);
                text = JSON.writeValueAsString(root);
            }
            case 1, 2 -> {
                // A marker replaced by the raw value afterwards, so values JSON does not allow (NaN) get in too.
                target.put(field, "@@VALUE@@");
                text = JSON.writeValueAsString(root).replace("\"@@VALUE@@\"", VALUES[random.nextInt(VALUES.length)]);
            }
            case 3 -> {
                text = JSON.writeValueAsString(root);
                text = text.substring(0, text.length() - 1) + ", \"" + field + "\": " + VALUES[random.nextInt(VALUES.length)] + "}";
            }
            default -> text = JSON.writeValueAsString(root) + (random.nextBoolean() ? " {}" : " trailing");
        }
        return text;
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString() + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Iterator<Path> it = s.sorted(java.util.Comparator.reverseOrder()).iterator(); it.hasNext(); ) {
                Files.delete(it.next());
            }
        }
    }
}
