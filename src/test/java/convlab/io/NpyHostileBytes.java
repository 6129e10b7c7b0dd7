package convlab.io;

/** {@link NpyTest#npy} for tests in other packages. */
public final class NpyHostileBytes {

    private NpyHostileBytes() {
    }

    public static byte[] npy(String dict, byte[] data) {
        return NpyTest.npy(dict, data);
    }
}
