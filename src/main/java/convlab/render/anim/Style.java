package convlab.render.anim;

import java.util.Locale;

/** How a frame draws the maps. */
public enum Style {
    /** Flat heatmap panels, one per channel, with the values printed in the cells when the maps are small. */
    PANELS,
    /** The classic look: the channels as slices of a slab seen from above, the kernel as a block through all of them. */
    STACK;

    public static Style parse(String s) {
        return convlab.core.Names.parse(values(), s);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
