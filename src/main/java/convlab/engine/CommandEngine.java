package convlab.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.ConvTransposeLayer;
import convlab.core.ConvTransposeSpec;
import convlab.core.DType;
import convlab.core.Gradients;
import convlab.core.Hw;
import convlab.core.Layer;
import convlab.core.OpGeometry;
import convlab.core.Padding;
import convlab.core.PoolLayer;
import convlab.core.PoolSpec;
import convlab.core.Tensor;
import convlab.io.InvalidInputException;
import convlab.io.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Anyone's implementation, in any language, as an engine: {@code --engine-command NAME=COMMAND}. For each layer it
 * makes a fresh folder holding {@code input.npy} (float64, NCHW), {@code weights.npy} (float64, the op's core layout:
 * OIHW for conv2d, IOHW for conv_transpose2d; none for pooling), {@code bias.npy} (float64 {@code [O]}, only with a bias) and {@code layer.json}
 * (the op and its numbers, padding resolved to {@code [top, bottom, left, right]}: for conv_transpose2d the crops of
 * the full output after its outputPadding rows and columns, a negative crop appending zeros; pooling adds kernel and
 * ceilMode, average pooling countIncludePad), runs {@code COMMAND FOLDER} in that folder (no
 * shell; words naming files relative to convlab's working directory are made absolute), and reads back {@code output.npy} ({@code [N, O, OH, OW]}, float32 or float64). A non-zero exit, a time-out,
 * a missing or malformed output or a wrong shape is that layer's error, with the tail of the command's stderr; later
 * layers are then not run. The folder is removed afterwards unless kept.
 */
public final class CommandEngine implements Engine {

    /** Engine names a user may choose: lower-case letters, digits and '-'. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9-]+");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STDERR_TAIL_LINES = 5;

    private final String name;
    private final List<String> command;
    private final Duration timeout;
    private final boolean keepDirs;

    public CommandEngine(String name, List<String> command, Duration timeout, boolean keepDirs) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("expected an engine name of lower-case letters, digits and '-', but found \"" + name + "\"");
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("expected a command for engine " + name + ", but found nothing after '='");
        }
        this.name = name;
        this.command = command.stream().map(CommandEngine::absoluteIfFile).toList();
        this.timeout = timeout;
        this.keepDirs = keepDirs;
    }

    /**
     * Parses {@code NAME=COMMAND}: the command is split into words as a POSIX shell would (spaces separate words;
     * single quotes keep everything literally; double quotes keep spaces and take backslash escapes; a backslash
     * outside quotes escapes the next character), but it is run without a shell.
     */
    public static CommandEngine parse(String spec, Duration timeout, boolean keepDirs) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected NAME=COMMAND, but found \"" + spec + "\"");
        }
        return new CommandEngine(spec.substring(0, eq), words(spec.substring(eq + 1)), timeout, keepDirs);
    }

    /**
     * A word that names an existing file or folder relative to where convlab runs ({@code examples/my_conv.py})
     * made absolute, since the command runs in its layer folder; any other word unchanged.
     */
    static String absoluteIfFile(String word) {
        if (!(word.contains("/") || word.contains(".")) || word.startsWith("-")) {
            return word;
        }
        try {
            Path p = Path.of(word);
            return !p.isAbsolute() && Files.exists(p) ? p.toAbsolutePath().normalize().toString() : word;
        } catch (java.nio.file.InvalidPathException e) {
            return word;
        }
    }

    /** The words of a command line, split as a POSIX shell splits them (no variables, globs or operators). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("expected a closing ' in the command \"" + line + "\"");
                }
                w.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (ch == '"') {
                int j = i + 1;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < line.length() && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0) {
                        c = line.charAt(++j);
                    }
                    w.append(c);
                }
                if (j >= line.length()) {
                    throw new IllegalArgumentException("expected a closing \" in the command \"" + line + "\"");
                }
                i = j;
                inWord = true;
            } else if (ch == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "the user's command " + String.join(" ", command) + " FOLDER, reading input.npy, weights.npy, bias.npy and layer.json,"
                + " writing output.npy";
    }

    /** The words of the command, without the folder argument. */
    public List<String> command() {
        return command;
    }

    @Override
    public List<LayerRun> run(Tensor input, List<? extends Layer> layers) {
        List<LayerRun> runs = new ArrayList<>();
        Tensor x = input;
        int failed = 0;
        for (int k = 0; k < layers.size(); k++) {
            if (failed > 0) {
                runs.add(LayerRun.error("not run: layer " + failed + " failed", 0));
                continue;
            }
            long t0 = System.nanoTime();
            LayerRun run;
            try {
                run = runLayer(x, layers.get(k), t0);
            } catch (RuntimeException | IOException e) {
                run = LayerRun.error(e.getMessage() == null ? e.getClass().getName() : e.getMessage(), System.nanoTime() - t0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run = LayerRun.error("interrupted", System.nanoTime() - t0);
            }
            runs.add(run);
            if (run.status() == LayerRun.Status.OK) {
                x = run.output();
            } else {
                failed = k + 1;
            }
        }
        return runs;
    }

    private LayerRun runLayer(Tensor x, Layer layer, long t0) throws IOException, InterruptedException {
        OpGeometry g = layer.geometry(x.shape());
        Path dir = Files.createTempDirectory("convlab-" + name + "-");
        try {
            write(dir, x, layer, g);
            String failed = call(dir, g.outputShape());
            long nanos = System.nanoTime() - t0;
            if (failed != null) {
                return LayerRun.error(failed, nanos);
            }
            Tensor y = Npy.read(dir.resolve("output.npy"));
            return LayerRun.ok(y, y.dtype(), List.of("ran " + String.join(" ", command) + " in " + (keepDirs ? dir : "a temporary folder")), nanos);
        } catch (Unreadable e) {
            return LayerRun.error(e.getMessage(), System.nanoTime() - t0);
        } finally {
            if (!keepDirs) {
                deleteTree(dir);
            }
        }
    }

    /**
     * The backward pass: the forward pass first (each layer takes this command's own output of the layer before), then
     * from the last layer to the first one more call per layer whose folder also holds {@code gradOutput.npy} (dL/dy of
     * its activated output, float64, NCHW); it must write {@code gradInput.npy} (the input's shape),
     * {@code gradWeights.npy} (the weights' shape, the op's core layout) when the layer has weights and
     * {@code gradBias.npy} ({@code [O]}) when it has a bias. Layer k's gradInput is layer k-1's gradOutput.
     */
    @Override
    public List<GradRun> backward(Tensor input, List<? extends Layer> layers, Tensor gradOutput) {
        List<LayerRun> forward = run(input, layers);
        GradRun[] runs = new GradRun[layers.size()];
        for (int k = 0; k < layers.size(); k++) {
            if (forward.get(k).status() != LayerRun.Status.OK) {
                return GradRun.allFailed(layers.size(), k, "forward pass: " + forward.get(k).message());
            }
        }
        Tensor dy = gradOutput;
        for (int k = layers.size() - 1; k >= 0; k--) {
            Tensor x = k == 0 ? input : forward.get(k - 1).output();
            long t0 = System.nanoTime();
            try {
                runs[k] = backwardLayer(x, layers.get(k), dy, t0);
            } catch (RuntimeException | IOException e) {
                runs[k] = GradRun.error(e.getMessage() == null ? e.getClass().getName() : e.getMessage(), System.nanoTime() - t0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                runs[k] = GradRun.error("interrupted", System.nanoTime() - t0);
            }
            if (runs[k].status() != LayerRun.Status.OK) {
                for (int j = k - 1; j >= 0; j--) {
                    runs[j] = GradRun.error("not run: layer " + (k + 1) + " failed", 0);
                }
                break;
            }
            dy = runs[k].gradients().gradInput();
        }
        return List.of(runs);
    }

    private GradRun backwardLayer(Tensor x, Layer layer, Tensor dy, long t0) throws IOException, InterruptedException {
        OpGeometry g = layer.geometry(x.shape());
        Path dir = Files.createTempDirectory("convlab-" + name + "-grad-");
        try {
            write(dir, x, layer, g);
            Npy.write(dir.resolve("gradOutput.npy"), float64(dy));
            String failed = call(dir, g.outputShape());
            long nanos = System.nanoTime() - t0;
            if (failed != null) {
                return GradRun.error(failed, nanos);
            }
            Tensor dx = gradient(dir, "gradInput.npy", x.shape());
            Tensor dw = layer.weights() == null ? null : gradient(dir, "gradWeights.npy", layer.weights().shape());
            Tensor db = layer.bias() == null ? null : gradient(dir, "gradBias.npy", layer.bias().shape());
            return GradRun.ok(new Gradients(dx, dw, db), dx.dtype(),
                    List.of("ran " + String.join(" ", command) + " with gradOutput.npy in " + (keepDirs ? dir : "a temporary folder")), nanos);
        } catch (Unreadable e) {
            return GradRun.error(e.getMessage(), System.nanoTime() - t0);
        } finally {
            if (!keepDirs) {
                deleteTree(dir);
            }
        }
    }

    /** A gradient file the command had to write, with the shape it must have. */
    private static Tensor gradient(Path dir, String file, int[] shape) {
        Path f = dir.resolve(file);
        if (!Files.isRegularFile(f)) {
            throw new Unreadable("wrote no " + file);
        }
        Tensor t;
        try {
            t = Npy.read(f);
        } catch (InvalidInputException e) {
            throw new Unreadable(file + ": " + e.getMessage());
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new Unreadable(file + " has shape " + t.shapeString() + ", but expected " + Tensor.shapeString(shape));
        }
        return t;
    }

    /** A file the command wrote that cannot be used: the message says which and why. */
    private static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    /**
     * Runs the command on a prepared folder; null when it exited 0 and wrote an {@code output.npy} of the layer's
     * shape (checked by reading it back), else why not, with the tail of its stderr.
     */
    private String call(Path dir, int[] expected) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(command);
        argv.add(dir.toString());
        Path stderr = dir.resolve(".stderr.txt");
        Process p;
        try {
            p = new ProcessBuilder(argv).directory(dir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return "cannot run " + command.get(0) + ": " + e.getMessage();
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return "timed out after " + timeout.toSeconds() + " s" + tail(stderr);
        }
        if (p.exitValue() != 0) {
            return "exit code " + p.exitValue() + tail(stderr);
        }
        Path out = dir.resolve("output.npy");
        if (!Files.isRegularFile(out)) {
            return "wrote no output.npy" + tail(stderr);
        }
        Tensor y;
        try {
            y = Npy.read(out);
        } catch (InvalidInputException e) {
            return "output.npy: " + e.getMessage();
        }
        if (!Arrays.equals(y.shape(), expected)) {
            return "output.npy has shape " + y.shapeString() + ", but the layer's output is " + Tensor.shapeString(expected) + " [N, O, OH, OW]";
        }
        return null;
    }

    /** The files a command reads: input, weights and bias in float64, and layer.json. */
    static void write(Path dir, Tensor x, Layer layer, OpGeometry g) throws IOException {
        Npy.write(dir.resolve("input.npy"), float64(x));
        if (layer.weights() != null) {
            Npy.write(dir.resolve("weights.npy"), float64(layer.weights()));
        }
        if (layer.bias() != null) {
            Npy.write(dir.resolve("bias.npy"), float64(layer.bias()));
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("op", layer.op().toString());
        json = switch (layer.op()) { // an expression, so that the compiler asks a new op for its fields
            case CONV2D -> conv2d(json, ((ConvLayer) layer).spec(), g);
            case CONV_TRANSPOSE2D -> convTranspose2d(json, ((ConvTransposeLayer) layer).spec(), g);
            case MAX_POOL2D, AVG_POOL2D -> pool(json, (PoolLayer) layer, g);
        };
        json.put("activation", layer.activation().toString());
        Files.writeString(dir.resolve("layer.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
    }

    private static ObjectNode conv2d(ObjectNode json, ConvSpec s, OpGeometry g) {
        pair(json, "stride", s.stride());
        pair(json, "dilation", s.dilation());
        json.put("groups", s.groups());
        sides(json, g.pads());
        return json.put("paddingMode", s.paddingMode().toString());
    }

    private static ObjectNode convTranspose2d(ObjectNode json, ConvTransposeSpec s, OpGeometry g) {
        pair(json, "stride", s.stride());
        pair(json, "dilation", s.dilation());
        json.put("groups", s.groups());
        pair(json, "outputPadding", s.outputPadding());
        sides(json, g.pads()); // crops of the full output (a negative one appends zeros), output padding included
        return json;
    }

    private static ObjectNode pool(ObjectNode json, PoolLayer layer, OpGeometry g) {
        PoolSpec s = layer.spec();
        pair(json, "kernel", s.kernel());
        pair(json, "stride", s.stride());
        pair(json, "dilation", s.dilation());
        sides(json, g.pads());
        json.put("ceilMode", s.ceilMode());
        return layer.isMax() ? json : json.put("countIncludePad", s.countIncludePad());
    }

    private static void pair(ObjectNode json, String key, Hw v) {
        json.putArray(key).add(v.h()).add(v.w());
    }

    private static void sides(ObjectNode json, Padding.Sides p) {
        json.putArray("padding").add(p.top()).add(p.bottom()).add(p.left()).add(p.right());
    }

    private static Tensor float64(Tensor t) {
        return t.dtype() == DType.FLOAT64 ? t : Tensor.of(DType.FLOAT64, t.shape(), t.toArray());
    }

    /** {@code "; stderr: ..."} with the last lines the command wrote to stderr, or nothing. */
    private static String tail(Path stderr) {
        try {
            List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                return "";
            }
            List<String> last = lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size());
            String t = String.join(" | ", last).strip();
            return "; stderr: " + (t.length() > 600 ? "..." + t.substring(t.length() - 597) : t);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing the run for
        }
    }
}
