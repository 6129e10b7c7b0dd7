package convlab.render.anim;

import java.util.Locale;

/** How a frame draws the maps. */
public enum Style {
    /** Flat heatmap panels, one per channel, with the values printed in the cells when the maps are small. */
    PANELS,
    /** The classic look: the channels as slices of a slab seen from above, the kernel as a block through all of them. */
    STACK;

    public static Style parse(String s) {
        for (Style st : values()) {
            if (st.toString().equals(s)) {
                return st;
            }
        }
        throw new IllegalArgumentException("expected a style among panels, stack, but found \"" + s + "\"");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
