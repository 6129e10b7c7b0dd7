package convlab.engine;

import convlab.core.ConvLayer;
import convlab.core.DType;
import convlab.core.Layer;
import convlab.core.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Starts ND4J once per JVM and holds what every engine shares: the start-up result, the lock that serialises use of
 * libnd4j's process-wide {@code Environment} (the helpers switch is global), conversions between convlab
 * {@link Tensor}s and ND4J arrays, and the trimming of framework exceptions into one readable line.
 *
 * <p>Start-up sets, unless the user already set them: on linux-x86_64,
 * {@code org.bytedeco.javacpp.platform.extension=-onednn-avx2} (JavaCPP then loads only the oneDNN/AVX2 build of
 * libnd4j, the one the pom picks there; without it JavaCPP would try the extensions listed by the preset in turn and
 * find the same build, as it is the only one on the class path, but the property pins it; other platforms get the
 * pom's plain build),
 * and quiets two slf4j-simple loggers whose output the engines already report as {@link LayerRun.Status#ERROR} runs:
 * {@code NativeOpExecutioner}, which logs an ERROR for every failed op, and DL4J's {@code InputType}, which warns
 * "Assigning height of 0" just before DL4J rejects a kernel larger than its input.
 */
final class Nd4jRuntime {

    static final String PLATFORM_EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String PLATFORM_EXTENSION = "-onednn-avx2";
    private static final String OP_EXECUTIONER_LOGGER =
            "org.slf4j.simpleLogger.log.org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner";

    private static final String INPUT_TYPE_LOGGER = "org.slf4j.simpleLogger.log.org.deeplearning4j.nn.conf.inputs.InputType";

    /** Every use of ND4J by the engines holds this: the helpers switch is process-wide. */
    static final Object LOCK = new Object();

    private static volatile FrameworkInfo info;

    private Nd4jRuntime() {
    }

    /** Starts ND4J if this JVM has not yet; never throws: a failed start is recorded in the returned info. */
    static FrameworkInfo start() {
        FrameworkInfo i = info;
        if (i != null) {
            return i;
        }
        synchronized (LOCK) {
            if (info == null) {
                info = doStart();
            }
            return info;
        }
    }

    private static FrameworkInfo doStart() {
        if (System.getProperty(PLATFORM_EXTENSION_PROPERTY) == null && Loader.getPlatform().equals("linux-x86_64")) {
            System.setProperty(PLATFORM_EXTENSION_PROPERTY, PLATFORM_EXTENSION);
        }
        quiet(OP_EXECUTIONER_LOGGER, "off");
        quiet(INPUT_TYPE_LOGGER, "error");
        String nd4jVersion = mavenVersion("org.nd4j", "nd4j-api");
        String dl4jVersion = mavenVersion("org.deeplearning4j", "deeplearning4j-nn");
        long t0 = System.nanoTime();
        try {
            Nd4j.create(DataType.DOUBLE, 1); // loads the backend and libnd4j
            long startNanos = System.nanoTime() - t0;
            Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
            String buildInfo = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
            org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment nativeEnv =
                    org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance();
            return new FrameworkInfo(true, "", nd4jVersion, dl4jVersion,
                    env.getProperty("backend", "?"), nativeVariant(),
                    buildInfo != null && buildInfo.contains("HAVE_ONEDNN"), nativeEnv.isUseONEDNN(),
                    Nd4j.getEnvironment().helpersAllowed(), env.getProperty("blas.vendor", "?"),
                    Integer.parseInt(String.valueOf(env.getOrDefault("omp.threads", "0"))), startNanos);
        } catch (Throwable e) {
            return new FrameworkInfo(false, message(e), nd4jVersion, dl4jVersion, "?", "?", false, false, false, "?", 0,
                    System.nanoTime() - t0);
        }
    }

    /** Sets an slf4j-simple logger level unless the user chose one. */
    private static void quiet(String loggerProperty, String level) {
        if (System.getProperty(loggerProperty) == null) {
            System.setProperty(loggerProperty, level);
        }
    }

    /** The directory name of the loaded libnd4j JNI library, e.g. {@code linux-x86_64-onednn-avx2}. */
    private static String nativeVariant() {
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            String path = e.getValue();
            if (path != null && path.contains("jnind4jcpu")) {
                String[] parts = path.replace('\\', '/').split("/");
                return parts.length >= 2 ? parts[parts.length - 2] : path;
            }
        }
        return Loader.getPlatform() + System.getProperty(PLATFORM_EXTENSION_PROPERTY, "");
    }

    private static String mavenVersion(String group, String artifact) {
        String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Nd4jRuntime.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return "?";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Runs {@code body} holding {@link #LOCK} with libnd4j's platform helpers (oneDNN) switched {@code on}, and
     * restores the switch as it was afterwards: the one place the process-wide switch is changed.
     */
    static <T> T withHelpers(boolean on, java.util.function.Supplier<T> body) {
        synchronized (LOCK) {
            boolean before = Nd4j.getEnvironment().helpersAllowed();
            try {
                Nd4j.getEnvironment().allowHelpers(on);
                return body.get();
            } finally {
                try {
                    Nd4j.getEnvironment().allowHelpers(before);
                } catch (Throwable ignored) {
                    // ND4J is broken beyond what the runs already report
                }
            }
        }
    }

    /** Layer 1 failed with {@code message} and the others were not run; empty when there are no layers. */
    static List<LayerRun> allFailed(List<? extends Layer> layers, String message) {
        List<LayerRun> runs = new ArrayList<>();
        int n = layers == null ? 0 : layers.size();
        for (int i = 0; i < n; i++) {
            runs.add(LayerRun.error(i == 0 ? message : "not run: layer 1 failed", 0));
        }
        return runs;
    }

    /** The tensor as an ND4J array of the given type ({@code c} order, same shape). */
    static INDArray toNd4j(Tensor t, DataType type) {
        long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
        INDArray a = Nd4j.create(t.toArray(), shape, DataType.DOUBLE);
        return type == DataType.DOUBLE ? a : a.castTo(type);
    }

    /** The ND4J array as a convlab tensor marked {@code dtype}. */
    static Tensor toTensor(INDArray a, DType dtype) {
        int[] shape = Arrays.stream(a.shape()).mapToInt(Math::toIntExact).toArray();
        double[] data = a.castTo(DataType.DOUBLE).dup('c').reshape('c', new long[] {a.length()}).toDoubleVector();
        return Tensor.of(dtype, shape, data);
    }

    static DataType nd4jType(DType t) {
        return t == DType.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
    }

    /**
     * One readable line from a framework exception: the outermost message, or the innermost cause's when that one
     * says more (ND4J wraps "could not create a descriptor ..." in "Op [conv2d] execution failed"); op instance ids
     * (random UUIDs) are dropped so that messages compare across runs.
     */
    static String message(Throwable t) {
        Throwable root = t;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        String top = firstLine(t);
        String deep = firstLine(root);
        String m;
        if (top.isEmpty()) {
            m = deep;
        } else if (deep.isEmpty() || top.contains(deep)) {
            m = top;
        } else if (deep.toLowerCase(Locale.ROOT).contains(top.toLowerCase(Locale.ROOT))) {
            m = deep;
        } else {
            m = top + ": " + deep;
        }
        if (m.isEmpty()) {
            m = root.getClass().getName();
        }
        return m.length() > 400 ? m.substring(0, 397) + "..." : m;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage();
        if (m == null) {
            return "";
        }
        m = m.strip();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl).strip();
        }
        return m.replaceAll("Op with name \\S+ and op type \\[(\\w+)]", "Op [$1]");
    }
}
