package convlab.io;

/** {@link NpyTest#npy} for tests in other packages. */
public final class NpyHostileBytes {

    private NpyHostileBytes() {
    }

    /** A tensor's .npy bytes, as {@link Npy#write} writes them. */
    public static byte[] bytes(convlab.core.Tensor t) {
        return Npy.toBytes(t);
    }

    public static byte[] npy(String dict, byte[] data) {
        return NpyTest.npy(dict, data);
    }
}
