package convlab.engine;

import java.util.List;

/**
 * The framework engines: {@code nd4j} (ND4J's conv2d op, built-in kernel), {@code nd4j-onednn} (the same op through
 * oneDNN, in float32), {@code dl4j} (DL4J's ConvolutionLayer in a MultiLayerNetwork), and {@code im2col} (convlab's
 * own im2col + GEMM in plain Java, conv2d only, which needs no ND4J).
 *
 * <p>ND4J starts on the first call to {@link #all()}, {@link #named(String)} (but {@code named("im2col")}) or {@link #info()} (about 2 s, more
 * the very first time a machine unpacks the native libraries into {@code ~/.javacpp/cache}); later calls cost
 * nothing. {@link #names()} does not start it.
 */
public final class Engines {

    private static final List<String> NAMES = List.of("nd4j", "nd4j-onednn", "dl4j", "im2col");

    /** The one engine that needs no ND4J: {@link #named} gives it without starting ND4J. */
    private static final Engine IM2COL = new Im2colEngine();

    private static volatile List<Engine> engines;

    private Engines() {
    }

    /** The engine names, in the order {@link #all()} returns them, without starting ND4J. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * Every engine: nd4j, nd4j-onednn, dl4j, im2col. Starts ND4J once per JVM. Never throws: if ND4J cannot start, the
     * engines return {@link LayerRun.Status#ERROR} runs saying why, and {@link #info()} holds the message.
     */
    public static List<Engine> all() {
        List<Engine> e = engines;
        if (e == null) {
            synchronized (Engines.class) {
                if (engines == null) {
                    Nd4jRuntime.start();
                    engines = List.of(new Nd4jEngine(false), new Nd4jEngine(true), new Dl4jEngine(), IM2COL);
                }
                e = engines;
            }
        }
        return e;
    }

    /** The engines that run a framework, nd4j, nd4j-onednn and dl4j: {@link #all()} without im2col. Starts ND4J. */
    public static List<Engine> frameworks() {
        return all().stream().filter(e -> e != IM2COL).toList();
    }

    /** The engine with this name; throws IllegalArgumentException naming the choices for any other name. */
    public static Engine named(String name) {
        if (IM2COL.name().equals(name)) {
            return IM2COL;
        }
        for (Engine e : all()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("expected an engine name, one of " + String.join(", ", NAMES) + ", but found \"" + name + "\"");
    }

    /** True when one of {@code engines} runs ND4J or DL4J (im2col and command engines do not): whether a report names ND4J's version. */
    public static boolean needNd4j(List<Engine> engines) {
        return engines.stream().anyMatch(e -> e instanceof GuardedEngine); // the guard is what every engine that reaches ND4J goes through
    }

    /** What ND4J reported at start-up (versions, backend, native build, oneDNN); starts ND4J if needed. */
    public static FrameworkInfo info() {
        return Nd4jRuntime.start();
    }

    /** One line for reports: versions, backend, native build and whether oneDNN is available. */
    public static String nd4jVersion() {
        return info().summary();
    }
}
