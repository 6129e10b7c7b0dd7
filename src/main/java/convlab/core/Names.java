package convlab.core;

/** Parses the lower-case names users write for enum values ({@code relu}, {@code reflect}, {@code NHWC}). */
public final class Names {

    private Names() {
    }

    /** The value whose {@code toString()} is {@code s}; the message lists the choices. */
    public static <E extends Enum<E>> E parse(E[] values, String s) {
        StringBuilder choices = new StringBuilder();
        for (E v : values) {
            if (v.toString().equals(s)) {
                return v;
            }
            choices.append(choices.length() == 0 ? "" : ", ").append(v);
        }
        throw new IllegalArgumentException("expected one of " + choices + ", but found \"" + s + "\"");
    }
}
