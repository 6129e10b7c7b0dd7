package convlab.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the given arguments (as {@code org.openjdk.jmh.Main} takes them; by default {@link EnginesBenchmark})
 * and prints one Markdown table: per layer and implementation the median time per call, the score with its error,
 * GFLOP/s ({@code 2 * multiply-adds / time}) and the time over nd4j's and over nd4j-onednn's (above 1 is slower).
 */
public final class JmhTable {

    private static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("reference", "reference (Conv2d)");
        NAMES.put("conv2dFast", "Conv2dFast");
        NAMES.put("im2col", "im2col");
        NAMES.put("nd4j", "nd4j");
        NAMES.put("nd4jOnednn", "nd4j-onednn");
        NAMES.put("dl4j", "dl4j");
    }

    private JmhTable() {
    }

    public static void main(String[] args) throws Exception {
        String[] jmhArgs = args.length == 0 || args[0].startsWith("-") ? prepend("EnginesBenchmark", args) : args;
        Collection<RunResult> results = new Runner(new CommandLineOptions(jmhArgs)).run();
        System.out.println();
        System.out.print(table(results));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    record Row(String shape, String method, double medianMs, double scoreMs, double errorMs) {
    }

    static String table(Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            String method = label.substring(label.lastIndexOf('.') + 1);
            String shape = r.getParams().getParam("shape");
            double scale = toMs(r.getPrimaryResult().getScoreUnit());
            var stats = r.getPrimaryResult().getStatistics();
            double error = r.getPrimaryResult().getScoreError();
            rows.add(new Row(shape, method, stats.getPercentile(50) * scale, r.getPrimaryResult().getScore() * scale,
                    Double.isNaN(error) ? 0 : error * scale));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| layer | implementation | ms (median) | ms (score ± error) | GFLOP/s | time / nd4j | time / nd4j-onednn |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|\n");
        List<String> shapes = rows.stream().map(Row::shape).distinct().toList();
        for (String shape : shapes) {
            double nd4j = median(rows, shape, "nd4j");
            double onednn = median(rows, shape, "nd4jOnednn");
            long macs = EnginesBenchmark.multiplyAdds(shape);
            for (String method : NAMES.keySet()) {
                for (Row row : rows) {
                    if (row.shape().equals(shape) && row.method().equals(method)) {
                        sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f ± %.2f | %.1f | %s | %s |%n", shape, NAMES.get(method),
                                row.medianMs(), row.scoreMs(), row.errorMs(), 2.0 * macs / (row.medianMs() * 1e6),
                                ratio(row.medianMs(), nd4j), ratio(row.medianMs(), onednn)));
                    }
                }
            }
        }
        return sb.toString();
    }

    private static double median(List<Row> rows, String shape, String method) {
        return rows.stream().filter(r -> r.shape().equals(shape) && r.method().equals(method)).mapToDouble(Row::medianMs).findFirst()
                .orElse(Double.NaN);
    }

    private static String ratio(double ms, double base) {
        return Double.isNaN(base) ? "-" : String.format(Locale.ROOT, "%.2fx", ms / base);
    }

    private static double toMs(String unit) {
        return switch (unit) {
            case "ms/op" -> 1;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            case "s/op" -> 1e3;
            default -> throw new IllegalArgumentException("Expected a time per op, but found the unit " + unit);
        };
    }
}
