package convlab.engine;

/**
 * What ND4J reported when it started in this JVM, for reports.
 *
 * @param started      whether ND4J loaded; when false, {@code startError} says why and every engine returns errors
 * @param startError   the framework's message when it did not start, else empty
 * @param nd4jVersion  ND4J's Maven version, e.g. {@code 1.0.0-M2.1}
 * @param dl4jVersion  DL4J's Maven version
 * @param backend      ND4J's backend, e.g. {@code CPU}
 * @param nativeBuild  the libnd4j build JavaCPP loaded, e.g. {@code linux-x86_64-onednn-avx2}
 * @param oneDnnBuilt  whether that build was compiled with oneDNN ({@code HAVE_ONEDNN} in its build information)
 * @param oneDnnOn     libnd4j's own oneDNN switch ({@code Environment::isUseONEDNN})
 * @param helpersAllowedAtStart whether platform helpers (oneDNN) were allowed when ND4J started; the engines set
 *                     this switch themselves around every call
 * @param blasVendor   the BLAS behind ND4J's gemm, e.g. {@code OPENBLAS}
 * @param threads      OpenMP threads ND4J uses
 * @param startNanos   wall time of the first ND4J call (loading the backend and native libraries)
 */
public record FrameworkInfo(boolean started, String startError, String nd4jVersion, String dl4jVersion, String backend,
                            String nativeBuild, boolean oneDnnBuilt, boolean oneDnnOn, boolean helpersAllowedAtStart,
                            String blasVendor, int threads, long startNanos) {

    /** One line for a report, e.g. {@code ND4J/DL4J 1.0.0-M2.1, CPU backend, linux-x86_64-onednn-avx2 (oneDNN: yes), OPENBLAS, 2 threads, started in 2.1 s}. */
    public String summary() {
        if (!started) {
            return "ND4J " + nd4jVersion + " did not start: " + startError;
        }
        String versions = nd4jVersion.equals(dl4jVersion) ? "ND4J/DL4J " + nd4jVersion : "ND4J " + nd4jVersion + ", DL4J " + dl4jVersion;
        return versions + ", " + backend + " backend, " + nativeBuild + " (oneDNN: " + (oneDnnBuilt && oneDnnOn ? "yes" : "no")
                + "), " + blasVendor + ", " + threads + " threads, started in " + String.format(java.util.Locale.ROOT, "%.1f s", startNanos / 1e9);
    }
}
