package convlab.render.anim;

import java.util.Arrays;

/**
 * Which output value each frame computes. Frames go filter by filter, and within a filter over the output positions
 * in raster order (row by row, left to right); that order numbers every step {@code order = (oc * OH + oh) * OW + ow}.
 * After the last step come {@link #HOLD_FRAMES} frame(s) showing the finished layer for {@link #HOLD_DELAY_CENTIS}.
 * A layer that reads another layer's output can open with {@link #INTRO_FRAMES} intro frame showing how that output
 * becomes its input (held for {@link #INTRO_DELAY_CENTIS}); frame numbers then count it.
 *
 * <p>When {@code filters x positions} exceeds {@code maxFrames}, steps are sampled evenly: each filter keeps
 * {@code maxFrames / filters} positions including its first and last (or, with more filters than frames, the
 * whole sequence is sampled evenly, first and last kept). A frame's output maps show every value whose order is at
 * most the frame's step, so skipped values still appear, in order; only their own frame is left out.
 */
public final class FramePlan {

    /** Frames added after the last step to show the finished layer: one, held for {@link #HOLD_DELAY_CENTIS}. */
    public static final int HOLD_FRAMES = 1;
    /** How long the finished layer is shown before the GIF loops, in hundredths of a second. */
    public static final int HOLD_DELAY_CENTIS = 250;

    /** Frames before the first step explaining where the input comes from, when there is an intro: one. */
    public static final int INTRO_FRAMES = 1;
    /** How long the intro is shown, in hundredths of a second. */
    public static final int INTRO_DELAY_CENTIS = 500;

    /** One computing frame's output value. */
    public record Position(int oc, int oh, int ow, long order) {
    }

    private final int filters;
    private final int oh;
    private final int ow;
    private final int maxFrames;
    private final long[] orders;
    private final int intro;

    private final long selected;

    private FramePlan(int filters, int oh, int ow, int maxFrames, long[] orders, int intro, long selected) {
        this.intro = intro;
        this.selected = selected;
        this.filters = filters;
        this.oh = oh;
        this.ow = ow;
        this.maxFrames = maxFrames;
        this.orders = orders;
    }

    public static FramePlan of(int filters, int oh, int ow, int maxFrames) {
        return of(filters, oh, ow, maxFrames, false);
    }

    /** The plan, opening with {@link #INTRO_FRAMES} intro frame when {@code intro}. */
    public static FramePlan of(int filters, int oh, int ow, int maxFrames, boolean intro) {
        return of(filters, oh, ow, maxFrames, intro, Selection.ALL);
    }

    /**
     * Which steps get frames: one filter or all ({@code filter < 0}), and output rows {@code rowFrom} to
     * {@code rowTo} inclusive ({@code rowTo < 0}: to the last). The maps still fill in every value in order.
     */
    public record Selection(int filter, int rowFrom, int rowTo) {
        public static final Selection ALL = new Selection(-1, 0, -1);

        public Selection {
            if (rowFrom < 0 || (rowTo >= 0 && rowTo < rowFrom)) {
                throw new IllegalArgumentException("Expected output rows FROM-TO with 0 <= FROM <= TO, but found " + rowFrom + "-" + rowTo);
            }
        }

        /** {@code "2"} (one row) or {@code "2-4"} (rows 2 to 4), counted from 0. */
        public static Selection rows(int filter, String text) {
            String[] p = text.trim().split("-", -1);
            try {
                if (p.length == 1) {
                    int r = Integer.parseInt(p[0].trim());
                    return new Selection(filter, r, r);
                }
                if (p.length == 2) {
                    return new Selection(filter, Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
                }
            } catch (NumberFormatException e) {
                // the message below says what was expected
            }
            throw new IllegalArgumentException("Expected --rows R or FROM-TO (output rows, from 0), but found \"" + text + "\"");
        }

        public Selection withFilter(int f) {
            return new Selection(f, rowFrom, rowTo);
        }
    }

    /** The plan of the {@code selection}'s steps, sampled to at most {@code maxFrames}. */
    public static FramePlan of(int filters, int oh, int ow, int maxFrames, boolean intro, Selection selection) {
        if (filters < 1 || oh < 1 || ow < 1 || maxFrames < 1) {
            throw new IllegalArgumentException("Expected filters, OH, OW and maxFrames >= 1, but found "
                    + filters + ", " + oh + ", " + ow + ", " + maxFrames);
        }
        if (selection.filter() >= filters) {
            throw new IllegalArgumentException("Expected --filter between 0 and " + (filters - 1) + ", but found " + selection.filter());
        }
        int rowTo = selection.rowTo() < 0 ? oh - 1 : selection.rowTo();
        if (selection.rowFrom() >= oh || rowTo >= oh) {
            throw new IllegalArgumentException("Expected --rows between 0 and " + (oh - 1) + " (the output has " + oh + " rows), but found "
                    + selection.rowFrom() + "-" + rowTo);
        }
        int f0 = selection.filter() < 0 ? 0 : selection.filter();
        int f1 = selection.filter() < 0 ? filters - 1 : selection.filter();
        int shownFilters = f1 - f0 + 1;
        long positions = (long) oh * ow;
        long perFilter = (long) (rowTo - selection.rowFrom() + 1) * ow;
        long total = shownFilters * perFilter;
        long first = (long) selection.rowFrom() * ow;
        long[] orders;
        if (total <= maxFrames) {
            orders = new long[(int) total];
            int i = 0;
            for (int f = f0; f <= f1; f++) {
                for (long k = 0; k < perFilter; k++) {
                    orders[i++] = f * positions + first + k;
                }
            }
        } else if (shownFilters <= maxFrames) {
            int per = maxFrames / shownFilters;
            long[] within = evenly(perFilter, per);
            orders = new long[shownFilters * per];
            for (int f = f0; f <= f1; f++) {
                for (int i = 0; i < per; i++) {
                    orders[(f - f0) * per + i] = f * positions + first + within[i];
                }
            }
        } else {
            orders = evenly(total, maxFrames);
            for (int i = 0; i < orders.length; i++) {
                orders[i] = (orders[i] / perFilter + f0) * positions + first + orders[i] % perFilter;
            }
        }
        return new FramePlan(filters, oh, ow, maxFrames, orders, intro ? INTRO_FRAMES : 0, total);
    }

    /** {@code count} indices spread evenly over {@code [0, n)}, first and last included; {@code count < n}. */
    private static long[] evenly(long n, int count) {
        long[] idx = new long[count];
        if (count == 1) {
            return idx;
        }
        for (int i = 0; i < count; i++) {
            idx[i] = Math.round(i * (double) (n - 1) / (count - 1));
        }
        return idx;
    }

    public int filters() {
        return filters;
    }

    /** Output positions per filter: {@code OH * OW}. */
    public long positions() {
        return (long) oh * ow;
    }

    /** Every output value of the layer: {@code filters * OH * OW}. */
    public long totalSteps() {
        return filters * positions();
    }

    /** The computing frames actually shown. */
    public int steps() {
        return orders.length;
    }

    /** Whether some output values have no frame of their own (sampled, or left out by a selection). */
    public boolean sampled() {
        return orders.length < totalSteps();
    }

    /** The values the selection asked frames for ({@link #totalSteps()} without one). */
    public long selectedSteps() {
        return selected;
    }

    /** The intro (if any), the computing frames and the hold. */
    public int frameCount() {
        return intro + orders.length + HOLD_FRAMES;
    }

    /** Intro frames before the first step: 0 or {@link #INTRO_FRAMES}. */
    public int introFrames() {
        return intro;
    }

    public boolean isIntro(int frame) {
        check(frame);
        return frame < intro;
    }

    public boolean isHold(int frame) {
        check(frame);
        return frame >= intro + orders.length;
    }

    /** Which step frame {@code frame} computes (counting steps from 0), or -1 for the intro and the hold. */
    public int step(int frame) {
        return isIntro(frame) || isHold(frame) ? -1 : frame - intro;
    }

    /** The output value frame {@code frame} computes; the hold frame(s) give the last one, the intro the first. */
    public Position position(int frame) {
        check(frame);
        return at(orders[Math.max(0, Math.min(frame - intro, orders.length - 1))]);
    }

    /** The value with a given step order. */
    public Position at(long order) {
        int oc = (int) (order / positions());
        long p = order % positions();
        return new Position(oc, (int) (p / ow), (int) (p % ow), order);
    }

    /**
     * The order of the last value shown as computed in a frame ({@code totalSteps() - 1} for the hold, -1 for the
     * intro: nothing computed yet).
     */
    public long filledThrough(int frame) {
        return isHold(frame) ? totalSteps() - 1 : isIntro(frame) ? -1 : orders[frame - intro];
    }

    /** The first frame that computes output value {@code order}, or -1 when sampling left it out. */
    public int frameOf(long order) {
        int i = Arrays.binarySearch(orders, order);
        return i >= 0 ? i + intro : -1;
    }

    /** How long frame {@code frame} shows, in hundredths of a second, given a computing frame's delay. */
    public int delayCentis(int frame, int stepDelayCentis) {
        return isIntro(frame) ? INTRO_DELAY_CENTIS : isHold(frame) ? HOLD_DELAY_CENTIS : stepDelayCentis;
    }

    /** A one-line explanation of the sampling, for stderr; empty when every value gets its frame. */
    public String notice() {
        if (!sampled()) {
            return "";
        }
        if (orders.length == selected) {
            return "showing the " + selected + " selected of " + totalSteps() + " steps (--filter, --rows); the maps still fill in every value";
        }
        String how = filters <= maxFrames && selected == totalSteps()
                ? "showing " + (orders.length / filters) + " evenly spaced positions of each filter (first and last kept)"
                : "showing " + orders.length + " evenly spaced steps (first and last kept)";
        return (selected == totalSteps() ? filters + " filter(s) x " + positions() + " positions = " + totalSteps() : selected + " selected steps")
                + " frames is more than --max-frames " + maxFrames + "; " + how;
    }

    private void check(int frame) {
        if (frame < 0 || frame >= frameCount()) {
            throw new IndexOutOfBoundsException("Expected a frame in [0, " + frameCount() + "), but found " + frame);
        }
    }
}
