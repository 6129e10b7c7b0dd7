package convlab.render.anim;

import convlab.core.Activation;
import convlab.core.Conv2d;
import convlab.core.Tap;
import java.util.List;

/**
 * The numbers behind one output value, as a frame shows them: its taps ({@link Conv2d#taps}), the sum of the
 * products over each input channel, the bias, the pre-activation and activated values of the reference.
 */
public final class StepValues {
    private final FramePlan.Position position;
    private final List<Tap> taps;
    private final int[] channels;
    private final double[] partial;
    private final double bias;
    private final boolean hasBias;
    private final double pre;
    private final double out;
    private final Activation activation;

    StepValues(FramePlan.Position position, List<Tap> taps, int channelsPerGroup, double bias, boolean hasBias,
            double pre, double out, Activation activation) {
        this.position = position;
        this.taps = List.copyOf(taps);
        this.channels = new int[channelsPerGroup];
        this.partial = new double[channelsPerGroup];
        for (Tap t : taps) {
            channels[t.ic()] = t.c();
            partial[t.ic()] += t.product();
        }
        this.bias = bias;
        this.hasBias = hasBias;
        this.pre = pre;
        this.out = out;
        this.activation = activation;
    }

    public FramePlan.Position position() {
        return position;
    }

    /** Every tap, in the formula's order: by channel, then kernel row, then kernel column. */
    public List<Tap> taps() {
        return taps;
    }

    /** The taps of one channel of the filter ({@code ic} counts within the group). */
    public List<Tap> taps(int ic) {
        return taps.stream().filter(t -> t.ic() == ic).toList();
    }

    public int channelsPerGroup() {
        return channels.length;
    }

    /** The absolute input channel of group channel {@code ic}. */
    public int channel(int ic) {
        return channels[ic];
    }

    /** Sum of the products over channel {@code ic}'s taps. */
    public double partial(int ic) {
        return partial[ic];
    }

    /** Sum of all products, without the bias. */
    public double sum() {
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    public double bias() {
        return bias;
    }

    public boolean hasBias() {
        return hasBias;
    }

    /** The reference's value before the activation. */
    public double pre() {
        return pre;
    }

    /** The reference's output value: what the frame writes into the output map. */
    public double out() {
        return out;
    }

    public Activation activation() {
        return activation;
    }
}
