package convlab.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes sample figures for a person to look at, to the folder named by the system property
 * {@code convlab.renderCheck} (for example {@code mvn test -Dconvlab.renderCheck=/tmp/render-check}), with a few
 * extra cases; without it, just the two main samples to a temporary folder, so the writing is still exercised.
 */
class RenderCheckTest {

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void writesSamples(@TempDir Path tmp) throws Exception {
        String dir = System.getProperty("convlab.renderCheck");
        Path out = dir != null ? Path.of(dir) : tmp;
        FigureOptions opts = FigureOptions.defaults();
        Figure f8 = Figures.render(Samples.case8(true), opts);
        Figures.writePng(f8, out.resolve("case8.png"), 1.0);
        Figures.writeSvg(f8, out.resolve("case8.svg"));
        Figure f32 = Figures.render(Samples.case32(), opts);
        Figures.writePng(f32, out.resolve("case32.png"), 1.0);
        Figures.writeSvg(f32, out.resolve("case32.svg"));
        if (dir != null) {
            Figures.writePng(Samples.manyChannels(), opts, out.resolve("many.png"));
            Figures.writePng(Samples.nanAndGroups(), opts.withScale(2), out.resolve("nan-groups.png"));
            Figures.writeSvg(Samples.nanAndGroups(), opts, out.resolve("nan-groups.svg"));
            Figures.writePng(Samples.tiny(), opts, out.resolve("tiny.png"));
        }
        assertThat(out.resolve("case8.png")).isNotEmptyFile();
        assertThat(out.resolve("case32.svg")).isNotEmptyFile();
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
