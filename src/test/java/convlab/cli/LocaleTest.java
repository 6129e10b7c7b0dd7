package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import convlab.core.Describe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user reads does not depend on the default locale: explain's text, verify's reports (on two golden cases,
 * one with replicate padding and one with a non-zero difference), a figure's SVG (tick and colour-bar labels) and the
 * describer's numbers come out byte for byte the same under a Turkish, a German and an English default. Turkish lower-cases "I" to a dotless "ı" and German
 * writes a decimal comma, so a missing {@code Locale.ROOT} shows up here (forbiddenapis also rejects it at build
 * time). Run times and the report's time stamp are masked, as they differ from run to run in any locale.
 */
class LocaleTest {

    private static final List<Locale> LOCALES = List.of(Locale.forLanguageTag("tr-TR"), Locale.GERMANY, Locale.US);

    @TempDir
    Path dir;

    @Test
    void userVisibleOutputIsTheSameInEveryDefaultLocale() throws IOException {
        Map<Locale, Map<String, String>> byLocale = new LinkedHashMap<>();
        for (Locale locale : LOCALES) {
            byLocale.put(locale, outputsUnder(locale));
        }
        Map<String, String> us = byLocale.get(Locale.US);
        for (Map.Entry<Locale, Map<String, String>> e : byLocale.entrySet()) {
            for (String name : us.keySet()) {
                assertThat(e.getValue().get(name)).as("%s under the default locale %s", name, e.getKey()).isEqualTo(us.get(name));
            }
        }
        String explain = us.get("explain");
        assertThat(explain).contains("replicate: the edge cell repeated", "padding same", ", relu,", "Multiply-adds: 442,368");
        String report = us.get("report.md");
        assertThat(report).contains("with replicate padding", "max\\|diff\\|=3.13e-07", "float64 | #.## ms");
        assertThat(us.get("describe")).isEqualTo("1.25 | 0.000125 | 1.25 ms");
    }

    /** Every output of interest, run with {@code locale} as the JVM's default (restored afterwards). */
    private Map<String, String> outputsUnder(Locale locale) throws IOException {
        Locale before = Locale.getDefault();
        Locale.setDefault(locale);
        try {
            Map<String, String> outputs = new LinkedHashMap<>();
            Cli.Run explain = Cli.run("explain", "--input", "3x64x64", "--filters", "16", "--kernel", "3", "--stride", "2",
                    "--padding", "same", "--padding-mode", "replicate", "--dilation", "2", "--activation", "relu");
            assertThat(explain.exit()).as("explain's exit code under %s; stderr: %s", locale, explain.err()).isZero();
            outputs.put("explain", explain.out());

            Path out = dir.resolve(locale.toLanguageTag());
            Cli.Run verify = Cli.run("verify", "data/golden/torch_replicate", "data/golden/torch_sigmoid_float32",
                    "--engines", "none", "--no-figures", "--out", out.toString());
            assertThat(verify.exit()).as("verify's exit code under %s; stderr: %s", locale, verify.err()).isZero();
            outputs.put("verify stdout", masked(verify.out().replace(out.toString(), "OUT")));
            for (String report : List.of("report.md", "report.html", "report.json")) {
                outputs.put(report, masked(Files.readString(out.resolve(report), StandardCharsets.UTF_8)));
            }

            Path figures = out.resolve("figures");
            Cli.Run figure = Cli.run("figure", "data/golden/torch_sigmoid_float32/case.json", "--engines", "none",
                    "--format", "svg", "--out", figures.toString());
            assertThat(figure.exit()).as("figure's exit code under %s; stderr: %s", locale, figure.err()).isZero();
            outputs.put("figure svg", Files.readString(figures.resolve("torch_sigmoid_float32-layer1.svg"), StandardCharsets.UTF_8));

            outputs.put("describe", Describe.num(1.25) + " | " + Describe.num(1.25e-4) + " | " + Describe.ms(1_250_000));
            return outputs;
        } finally {
            Locale.setDefault(before);
        }
    }

    /** Masks what changes from run to run: ISO time stamps and run times (text and JSON). */
    private static String masked(String s) {
        return s.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "TIME")
                .replaceAll("\\d+\\.\\d\\d ms", "#.## ms")
                .replaceAll("\"(\\w*[tT]imeMs)\" : [0-9.eE+-]+", "\"$1\" : #");
    }
}
