package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramePlanTest {

    @Test
    void everyValueGetsAFrameInFilterThenRasterOrderThenTheHold() {
        FramePlan p = FramePlan.of(2, 3, 4, 400);
        assertThat(p.sampled()).isFalse();
        assertThat(p.steps()).isEqualTo(24);
        assertThat(p.frameCount()).isEqualTo(24 + FramePlan.HOLD_FRAMES);
        assertThat(p.position(0)).isEqualTo(new FramePlan.Position(0, 0, 0, 0));
        assertThat(p.position(1)).isEqualTo(new FramePlan.Position(0, 0, 1, 1));
        assertThat(p.position(4)).isEqualTo(new FramePlan.Position(0, 1, 0, 4));
        assertThat(p.position(12)).isEqualTo(new FramePlan.Position(1, 0, 0, 12));
        assertThat(p.position(23)).isEqualTo(new FramePlan.Position(1, 2, 3, 23));
        assertThat(p.isHold(23)).isFalse();
        assertThat(p.isHold(24)).isTrue();
        assertThat(p.filledThrough(24)).isEqualTo(23);
        assertThat(p.notice()).isEmpty();
        assertThatThrownBy(() -> p.position(25)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void overMaxFramesEachFilterKeepsEvenlySpacedPositionsWithItsFirstAndLast() {
        FramePlan p = FramePlan.of(2, 30, 30, 400);
        assertThat(p.sampled()).isTrue();
        assertThat(p.totalSteps()).isEqualTo(1800);
        assertThat(p.steps()).isEqualTo(400);
        assertThat(p.frameCount()).isEqualTo(401);
        List<Long> f0 = new ArrayList<>();
        List<Long> f1 = new ArrayList<>();
        for (int i = 0; i < p.steps(); i++) {
            FramePlan.Position pos = p.position(i);
            (pos.oc() == 0 ? f0 : f1).add(pos.order() - pos.oc() * 900L);
        }
        assertThat(f0).hasSize(200).startsWith(0L).endsWith(899L).isSorted().doesNotHaveDuplicates();
        assertThat(f1).isEqualTo(f0);
        // Evenly: gaps of 4 or 5 (899 / 199 = 4.52).
        for (int i = 1; i < f0.size(); i++) {
            assertThat(f0.get(i) - f0.get(i - 1)).isBetween(4L, 5L);
        }
        assertThat(p.notice()).contains("2 filter(s) x 900 positions = 1800 frames is more than --max-frames 400")
                .contains("200 evenly spaced positions of each filter (first and last kept)");
        // A skipped value has no frame, but is drawn by the time a later one is.
        assertThat(p.frameOf(1)).isEqualTo(-1);
        assertThat(p.frameOf(0)).isEqualTo(0);
        assertThat(p.filledThrough(1)).isEqualTo(p.position(1).order());
    }

    @Test
    void moreFiltersThanFramesSamplesTheWholeSequence() {
        FramePlan p = FramePlan.of(10, 2, 2, 5);
        assertThat(p.steps()).isEqualTo(5);
        assertThat(p.position(0).order()).isZero();
        assertThat(p.position(4).order()).isEqualTo(39);
        assertThat(p.notice()).contains("showing 5 evenly spaced steps");
    }

    @Test
    void oneFrameKeepsTheFirstValue() {
        FramePlan p = FramePlan.of(1, 3, 3, 1);
        assertThat(p.steps()).isEqualTo(1);
        assertThat(p.position(0).order()).isZero();
        assertThat(p.filledThrough(1)).isEqualTo(8);
    }

    @Test
    void aSelectionGivesFramesToOneFilterAndSomeRowsOnly() {
        FramePlan p = FramePlan.of(3, 4, 5, 400, true, FramePlan.Selection.rows(1, "2-3"));
        assertThat(p.introFrames()).isEqualTo(1);
        assertThat(p.steps()).isEqualTo(2 * 5);
        assertThat(p.selectedSteps()).isEqualTo(10);
        assertThat(p.position(1)).isEqualTo(new FramePlan.Position(1, 2, 0, 20 + 10));
        assertThat(p.position(10)).isEqualTo(new FramePlan.Position(1, 3, 4, 20 + 19));
        assertThat(p.step(0)).isEqualTo(-1);
        assertThat(p.isHold(11)).isTrue();
        assertThat(p.filledThrough(0)).as("nothing computed in the intro").isEqualTo(-1);
        assertThat(p.frameOf(30)).isEqualTo(1);
        assertThat(p.notice()).contains("10 selected of 60 steps");
        // Sampled within the selection: first and last kept.
        FramePlan q = FramePlan.of(1, 10, 10, 4, false, FramePlan.Selection.rows(-1, "5-9"));
        assertThat(q.steps()).isEqualTo(4);
        assertThat(q.position(0).order()).isEqualTo(50);
        assertThat(q.position(3).order()).isEqualTo(99);
        assertThatThrownBy(() -> FramePlan.of(2, 4, 4, 10, false, FramePlan.Selection.rows(-1, "3-9")))
                .hasMessageContaining("--rows between 0 and 3");
        assertThatThrownBy(() -> FramePlan.Selection.rows(-1, "a")).hasMessageContaining("--rows R or FROM-TO");
    }
}
