package convlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import convlab.core.Layer;
import convlab.core.Tap;
import convlab.core.Tensor;
import convlab.io.CaseFiles;
import convlab.report.lesson.LessonModel;
import convlab.report.lesson.LessonPage;
import convlab.verify.CaseResult;
import convlab.verify.Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lesson page in Debian's Chromium, driven by Playwright (never a downloaded browser): cells clicked, their taps
 * and sums read off the page and checked against the reference's {@link Layer#taps} and {@link Layer#reduce}, the
 * player's controls moving the highlighted cell, and a screenshot per chapter in {@code target/lesson-screenshots/}.
 * Skipped, saying so, on a machine without {@code /usr/bin/chromium}.
 */
class LessonBrowserTest {

    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SHOTS = Paths.get("target", "lesson-screenshots");

    static Playwright playwright;
    static BrowserContext browser;
    static CaseResult demo;
    static Path demoPage;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println("LessonBrowserTest skipped: no " + CHROMIUM + " (apt-get install -y chromium)");
        }
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "skipped: no " + CHROMIUM + " (apt-get install -y chromium)");
        Files.createDirectories(SHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Path profile = Files.createDirectories(dir.resolve("profile"));
        browser = playwright.chromium().launchPersistentContext(profile, new BrowserType.LaunchPersistentContextOptions()
                .setExecutablePath(CHROMIUM).setHeadless(true).setViewportSize(1400, 1000)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync")));
        // The demo's two layers, as demo writes them, with no engine (the page needs only the reference).
        demo = new Verifier(List.of()).verify(DemoData.twoLayers(dir.resolve("cases")));
        demoPage = dir.resolve("demo").resolve("index.html");
        LessonPage.write(LessonModel.of(demo, "convlab demo"), demoPage);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    static Page open(Path html) {
        Page page = browser.newPage();
        List<String> errors = new ArrayList<>();
        page.onPageError(errors::add);
        page.onRequest(r -> {
            if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) {
                errors.add("network request: " + r.url());
            }
        });
        page.navigate(html.toUri().toString());
        page.waitForLoadState();
        assertThat(errors).as("page errors and network requests").isEmpty();
        return page;
    }

    @Test
    void clickingACellWritesOutTheReferenceTapsAndSum() throws Exception {
        Page page = open(demoPage);
        // Cells in both layers, corners and middles, both filters.
        int[][] cells = {{1, 0, 0, 0}, {1, 1, 3, 4}, {1, 0, 5, 5}, {1, 1, 2, 0}, {2, 0, 0, 0}, {2, 1, 2, 1}, {2, 0, 3, 3}};
        for (int[] cell : cells) {
            checkCell(page, demo, cell[0], cell[1], cell[2], cell[3]);
        }
        page.close();
    }

    @Test
    void paddedTapsReadThePaddingRingAndTheLessonCommandWritesThePage() throws Exception {
        Path out = dir.resolve("same");
        Cli.Run run = Cli.run("lesson", "data/golden/tf_same_stride2/case.json", "--out", out.toString(), "--engines", "none");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        CaseResult r = new Verifier(List.of()).verify(CaseFiles.load(Path.of("data/golden/tf_same_stride2/case.json")));
        Page page = open(out.resolve("index.html"));
        int[] shape = r.layers().get(0).geometry().outputShape();
        // The last row and column read the bottom/right padding (SAME, stride 2: the odd pixel at the bottom/right).
        checkCell(page, r, 1, 0, shape[2] - 1, shape[3] - 1);
        assertThat(page.locator("[data-chapter=layer][data-layer='1'] [data-tap].padding").count()).isPositive();
        page.locator("#layer1").screenshot(new Locator.ScreenshotOptions().setPath(SHOTS.resolve("same-stride2-layer1.png")));
        checkCell(page, r, 1, shape[1] - 1, 0, 0);
        assertThat(page.locator("[data-chapter=layer][data-layer='1'] [data-tap].padding").count()).isZero();
        page.close();
    }

    @Test
    void playAndStepMoveTheHighlightedCellAndEveryChapterIsPhotographed() throws Exception {
        Page page = open(demoPage);
        Locator layer1 = page.locator("[data-chapter=layer][data-layer='1']");
        Locator current = layer1.locator("[data-output].current");

        // The page opens on the first step (filter 0, row 0, column 0) explained, every value shown.
        assertThat(current.getAttribute("data-output")).isEqualTo("1,0,0,0");
        assertThat(layer1.locator("[data-role=taps] [data-tap]").count()).isEqualTo(27);
        assertThat(layer1.locator("[data-output].pending").count()).isZero();
        layer1.locator("[data-role=step]").click();
        assertThat(current.getAttribute("data-output")).isEqualTo("1,0,0,1");
        layer1.locator("[data-role=step]").click();
        assertThat(current.getAttribute("data-output")).isEqualTo("1,0,0,2");
        // Cells not yet computed are pending, as in the GIFs.
        assertThat(layer1.locator("[data-output].pending").count()).isEqualTo(72 - 3);
        layer1.locator("[data-role=back]").click();
        assertThat(current.getAttribute("data-output")).isEqualTo("1,0,0,1");

        layer1.locator("[data-role=speed]").selectOption("16");
        layer1.locator("[data-role=play]").click();
        // Playing moves on from step 2 (1,0,0,1) by itself: wait until it is past row 1 (a poll may miss single steps).
        page.waitForFunction("() => Number(document.querySelector('[data-chapter=layer][data-layer=\"1\"] [data-role=scrub]').value) >= 12");
        layer1.locator("[data-role=play]").click(); // pause
        String paused = current.getAttribute("data-output");
        assertThat(Integer.parseInt(layer1.locator("[data-role=scrub]").inputValue())).isGreaterThanOrEqualTo(12);
        page.waitForTimeout(300);
        assertThat(current.getAttribute("data-output")).as("paused").isEqualTo(paused);

        layer1.locator("[data-role=scrub]").fill("40"); // step 41 of 72: filter 1, row 0, column 4
        assertThat(current.getAttribute("data-output")).isEqualTo("1,1,0,4");
        assertThat(layer1.locator("[data-role=position]").textContent()).contains("step 41 of 72");

        // A screenshot per chapter, each in a state a student would see: a cell explained, the boundary, the cross-check.
        layer1.locator("[data-output='1,1,3,4']").click();
        page.locator("#layer1").screenshot(new Locator.ScreenshotOptions().setPath(SHOTS.resolve("chapter1-layer1.png")));
        page.locator("#boundary1").screenshot(new Locator.ScreenshotOptions().setPath(SHOTS.resolve("chapter2-boundary.png")));
        page.locator("[data-chapter=layer][data-layer='2'] [data-output='2,1,2,1']").click();
        page.locator("#layer2").screenshot(new Locator.ScreenshotOptions().setPath(SHOTS.resolve("chapter3-layer2.png")));
        page.locator("[data-role=cross-check] summary").click();
        page.locator("#check").screenshot(new Locator.ScreenshotOptions().setPath(SHOTS.resolve("chapter4-check.png")));
        page.locator("[data-output='1,1,3,4']").click();
        page.evaluate("window.scrollTo(0, 0)");
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("lesson.png")));
        for (String f : List.of("chapter1-layer1.png", "chapter2-boundary.png", "chapter3-layer2.png", "chapter4-check.png", "lesson.png")) {
            assertThat(Files.size(SHOTS.resolve(f))).as(f).isGreaterThan(10_000);
        }
        page.close();
    }

    /** Clicks output {@code [L][oc][oh][ow]} and checks what the page says against the reference. */
    static void checkCell(Page page, CaseResult r, int k, int oc, int oh, int ow) {
        CaseResult.LayerCheck l = r.layers().get(k - 1);
        Tensor input = k == 1 ? r.kase().input() : r.layers().get(k - 2).reference().activated();
        List<Tap> taps = l.layer().taps(input, 0, oc, oh, ow);
        String key = k + "," + oc + "," + oh + "," + ow;
        Locator chapter = page.locator("[data-chapter=layer][data-layer='" + k + "']");
        Locator cell = chapter.locator("[data-output='" + key + "']");
        assertThat(Double.parseDouble(cell.getAttribute("data-value"))).as(key).isEqualTo(l.reference().activated().get(0, oc, oh, ow));
        cell.click();
        Locator terms = chapter.locator("[data-role=taps] [data-tap]");
        assertThat(terms.count()).as(key + " taps").isEqualTo(taps.size());
        @SuppressWarnings("unchecked")
        List<List<String>> shown = (List<List<String>>) terms.evaluateAll(
                "ts => ts.map(t => [t.dataset.c, t.dataset.ih, t.dataset.iw, t.dataset.x, t.dataset.w])");
        for (int i = 0; i < taps.size(); i++) {
            Tap t = taps.get(i);
            List<String> s = shown.get(i);
            assertThat(List.of(Integer.parseInt(s.get(0)), Integer.parseInt(s.get(1)), Integer.parseInt(s.get(2)))).as(key + " tap " + i)
                    .containsExactly(t.c(), t.ih(), t.iw());
            assertThat(Double.parseDouble(s.get(3))).as(key + " tap " + i + " x").isEqualTo(t.x());
            assertThat(Double.parseDouble(s.get(4))).as(key + " tap " + i + " w").isEqualTo(t.w());
        }
        // The page sums in the formula's order, so its total is the reference's to the last bit.
        double sum = Double.parseDouble(chapter.locator("[data-role=sum]").getAttribute("data-value"));
        assertThat(sum).as(key + " sum").isEqualTo(l.layer().reduce(taps, oc)).isEqualTo(l.reference().preActivation().get(0, oc, oh, ow));
        // The receptive field lights up in every input channel: one lit input cell per distinct tap position.
        Set<String> positions = new HashSet<>();
        taps.forEach(t -> positions.add(t.c() + "," + t.ih() + "," + t.iw()));
        assertThat(chapter.locator("[data-in].rf").count()).as(key + " receptive field").isEqualTo(positions.size());
        assertThat(chapter.locator("[data-output].current").getAttribute("data-output")).isEqualTo(key);
    }
}
