package convlab.report.lesson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import convlab.core.Activation;
import convlab.core.ConvLayer;
import convlab.core.ConvSpec;
import convlab.core.DType;
import convlab.core.Layer;
import convlab.core.Layout;
import convlab.core.Padding;
import convlab.core.PaddingMode;
import convlab.core.Tap;
import convlab.core.Tensor;
import convlab.core.WeightsLayout;
import convlab.io.Case;
import convlab.verify.CaseResult;
import convlab.verify.Verifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's HTML and data without a browser: the test contract's attributes, the taps in its JSON, escaping. */
class LessonPageTest {

    static final long SEED = 14;

    static Tensor random(Random rnd, int... shape) {
        return Tensor.fill(DType.FLOAT64, shape, i -> Math.round((rnd.nextDouble() * 2 - 1) * 100) / 100.0);
    }

    /** Two layers: reflect-padded 3 -> 4 channels with a relu, then a 4 -> 2 layer of stride 2 and SAME padding. */
    static Case twoLayers(String name, String source) {
        Random rnd = new Random(SEED);
        ConvLayer first = new ConvLayer(random(rnd, 4, 3, 3, 3), random(rnd, 4),
                ConvSpec.defaults().withPadding(Padding.of(1, 1)).withPaddingMode(PaddingMode.REFLECT).withActivation(Activation.RELU));
        ConvLayer second = new ConvLayer(random(rnd, 2, 4, 3, 3), null, ConvSpec.defaults().withPadding(Padding.same()));
        Tensor input = random(rnd, 1, 3, 5, 6);
        return new Case(name, Path.of(name + ".case.json"), source, input, Layout.NCHW,
                List.of(step(first), step(second)));
    }

    static Case.Step step(Layer layer) {
        return new Case.Step(layer, WeightsLayout.OIHW, null, null);
    }

    static JsonNode data(String html) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"lesson-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).isTrue();
        return new ObjectMapper().readTree(m.group(1));
    }

    @Test
    void everyOutputCellIsOnThePageWithItsValueAndItsTapsAreTheReferences() throws Exception {
        CaseResult r = new Verifier(List.of()).verify(twoLayers("two", ""));
        String html = LessonPage.html(LessonModel.of(r, "convlab lesson two.case.json --out x"));
        JsonNode data = data(html);
        for (CaseResult.LayerCheck l : r.layers()) {
            int k = l.index() + 1;
            Layer layer = l.layer();
            Tensor input = k == 1 ? r.kase().input() : r.layers().get(k - 2).reference().activated();
            Tensor act = l.reference().activated();
            JsonNode taps = data.get("layers").get(k - 1).get("taps");
            for (int oc = 0; oc < act.dim(1); oc++) {
                for (int oh = 0; oh < act.dim(2); oh++) {
                    for (int ow = 0; ow < act.dim(3); ow++) {
                        String key = k + "," + oc + "," + oh + "," + ow;
                        assertThat(html).contains("data-output=\"" + key + "\" data-value=\"" + act.get(0, oc, oh, ow) + "\"");
                        List<Tap> expected = layer.taps(input, 0, oc, oh, ow);
                        JsonNode cell = taps.get(oc).get(oh).get(ow);
                        assertThat(cell.size()).as(key).isEqualTo(expected.size());
                        for (int i = 0; i < expected.size(); i++) {
                            Tap t = expected.get(i);
                            JsonNode j = cell.get(i);
                            assertThat(new double[] {j.get(0).asInt(), j.get(1).asInt(), j.get(2).asInt(), j.get(3).asInt(), j.get(4).asInt(),
                                    j.get(5).asInt(), j.get(6).asInt(), j.get(7).asDouble(), j.get(8).asDouble()}).as(key + " tap " + i)
                                    .containsExactly(t.c(), t.ic(), t.kh(), t.kw(), t.ih(), t.iw(), t.padding() ? 1 : 0, t.x(), t.w());
                        }
                    }
                }
            }
            int cells = act.dim(1) * act.dim(2) * act.dim(3);
            assertThat(html.split("data-output=\"" + k + ",", -1)).hasSize(cells + 1);
        }
        // The reflect padding ring is drawn, with the values the taps read there; the second layer has no activation, so
        // no "before" maps and no activation in its formula.
        assertThat(html).contains("data-in=\"1,0,-1,-1\"").contains("class=\"cell pad\"");
        assertThat(html).doesNotContain("data-pre=\"2,").doesNotContain("none(");
        assertThat(html).contains("kernel is 4x3x3: as deep as layer 1 had filters (4)");
    }

    @Test
    void textIsEscapedByTheTemplateAndTheDataCannotCloseItsScript() throws Exception {
        CaseResult r = new Verifier(List.of()).verify(twoLayers("a<b>&c", "</script><img src=x onerror=alert(1)>"));
        String html = LessonPage.html(LessonModel.of(r, "convlab lesson 'x<y'"));
        assertThat(html).doesNotContain("<img src=x").doesNotContain("a<b>")
                .contains("a&lt;b&gt;&amp;c").contains("&lt;/script&gt;&lt;img").contains("x&lt;y");
        assertThat(html.split("</script>", -1)).as("only the page's own two script elements close").hasSize(3);
        assertThat(data(html).get("case").asText()).isEqualTo("a<b>&c");
    }

    @Test
    void thePageIsTheSameInEveryDefaultLocale() {
        CaseResult r = new Verifier(List.of()).verify(twoLayers("two", ""));
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.US);
            String us = LessonPage.html(LessonModel.of(r, "convlab lesson"));
            for (Locale l : List.of(Locale.forLanguageTag("tr-TR"), Locale.GERMANY)) {
                Locale.setDefault(l);
                assertThat(LessonPage.html(LessonModel.of(r, "convlab lesson"))).as(l.toString()).isEqualTo(us);
            }
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void withNothingComparedThePageSaysSo() {
        CaseResult r = new Verifier(List.of()).verify(twoLayers("two", ""));
        String html = LessonPage.html(LessonModel.of(r, "convlab lesson"));
        assertThat(html).contains("Cross-check: nothing compared").doesNotContain("agrees");
    }

    @Test
    void aCaseTooLargeForAPageIsRefusedSayingHowLargeItIs() {
        Random rnd = new Random(SEED);
        ConvLayer wide = new ConvLayer(random(rnd, 64, 16, 3, 3), null);
        Case big = new Case("big", Path.of("big.case.json"), "", random(rnd, 1, 16, 34, 34), Layout.NCHW, List.of(step(wide)));
        CaseResult r = new Verifier(List.of()).verify(big);
        assertThatThrownBy(() -> LessonModel.of(r, "convlab lesson big.case.json"))
                .isInstanceOf(LessonModel.TooLargeException.class)
                .hasMessage("big.case.json: the case has 9437184 taps on batch item 0, more than a lesson page holds (400000); "
                        + "use a smaller input or fewer filters");
    }
}
