package convlab.core;

/**
 * What the specs of every op share: how the window moves over the input ({@code stride}, {@code dilation}), the
 * padding, and the activation that follows. {@link ConvSpec}, {@link ConvTransposeSpec} and {@link PoolSpec} are
 * each one, and check these fields the same way ({@link #requireAtLeast}).
 */
public interface WindowSpec {

    Hw stride();

    Hw dilation();

    Padding padding();

    Activation activation();

    /** {@code value} when both its sides are at least {@code min}; else "Expected NAME >= MIN, but found VALUE". */
    static Hw requireAtLeast(String name, Hw value, int min) {
        if (value == null || !value.atLeast(min)) {
            throw new IllegalArgumentException("Expected " + name + " >= " + min + ", but found " + value);
        }
        return value;
    }

    /** {@code groups} when at least 1; else "Expected groups >= 1, but found GROUPS". */
    static int requireGroups(int groups) {
        if (groups < 1) {
            throw new IllegalArgumentException("Expected groups >= 1, but found " + groups);
        }
        return groups;
    }
}
