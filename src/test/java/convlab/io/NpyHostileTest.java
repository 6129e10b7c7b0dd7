package convlab.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import convlab.core.DType;
import convlab.core.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crafted .npy files (issue 10, class 5): each is one message naming the file, never a crash, hang or huge allocation. */
class NpyHostileTest {

    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] floats(int n) {
        return ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN).array();
    }

    private void rejects(Path p, String... words) {
        Throwable t = catchThrowable(() -> Npy.read(p));
        assertThat(t).isInstanceOf(InvalidInputException.class).hasMessageStartingWith(p.toString());
        for (String w : words) {
            assertThat(t.getMessage()).contains(w);
        }
    }

    @Test
    void anEmptyDescrIsAMessageNotAStringIndexException() throws Exception {
        rejects(file("empty-descr.npy", NpyTest.npy("{'descr': '', 'fortran_order': False, 'shape': (2,), }", floats(2))), "'descr'", "non-empty");
    }

    @Test
    void negativeAndHugeDimensionsAreRefusedBeforeAllocating() throws Exception {
        rejects(file("negative.npy", NpyTest.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", floats(6))), "negative dimension -3");
        rejects(file("overflow.npy", NpyTest.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }", new byte[0])),
                "field 'shape'", "size budget", "65536x65536x65536x65536");
        rejects(file("over-int.npy", NpyTest.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296,), }", new byte[0])), "at most 2147483647");
        // Within the budget but more than the file holds: refused from the file's length, not by reading.
        rejects(file("short.npy", NpyTest.npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000, 1000), }", new byte[16])),
                "expected 1000000 values", "holds only 16 bytes");
    }

    @Test
    void aHeaderLengthOver2To31IsRefused() throws Exception {
        ByteBuffer bb = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(0xFFFFFFF0);
        rejects(file("long-header.npy", bb.array()), "4294967280 bytes", "at most");
    }

    @Test
    void theHeaderIsParsedAsAPythonLiteralNotMatchedByRegex() throws Exception {
        // A regex finds 'descr': '<f8' inside the first value; the real descr is '<i4'.
        rejects(file("decoy.npy", NpyTest.npy("{'x': \"'descr': '<f8'\", 'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", floats(2))),
                "unexpected key 'x'");
        rejects(file("decoy2.npy", NpyTest.npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), 'y': \"'descr': '<f8'\"}", floats(2))),
                "unexpected key 'y'");
        rejects(file("twice.npy", NpyTest.npy("{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", floats(4))), "twice");
        rejects(file("junk.npy", NpyTest.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk", floats(2))), "more text");
        rejects(file("maybe.npy", NpyTest.npy("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }", floats(2))), "Python dict literal");
        // The real thing still reads: double quotes, no trailing comma, Python 2 long suffix.
        Tensor t = Npy.read(file("ok.npy", NpyTest.npy("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1L, 2L)}", floats(2))));
        assertThat(t.shape()).containsExactly(1, 2);
        assertThat(t.dtype()).isEqualTo(DType.FLOAT32);
    }

    @Test
    void onlyRegularFilesAreReadSoDevicesAndFifosNeitherExhaustMemoryNorHang() throws Exception {
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> rejects(zero, "regular .npy file", "device, FIFO or socket"));
        }
        Path fifo = dir.resolve("fifo.npy");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mk.waitFor() == 0) {
            Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> rejects(fifo, "regular .npy file"));
        }
        assertThatThrownBy(() -> Npy.read(dir)).hasMessageContaining("a directory");
    }

    @Test
    void truncationAnywhereIsAMessage() throws Exception {
        byte[] good = Npy.toBytes(Tensor.fill(DType.FLOAT32, new int[] {2, 3}, i -> i[0] + i[1]));
        for (int n = 0; n < good.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            Throwable t = catchThrowable(() -> Npy.parse(dir.resolve("cut.npy"), cut));
            assertThat(t).as("truncated to %d bytes", n).isInstanceOf(InvalidInputException.class);
        }
        assertThat(Npy.parse(dir.resolve("whole.npy"), good).shape()).containsExactly(2, 3);
        assertThat(new String(good, StandardCharsets.ISO_8859_1)).contains("'descr': '<f4'");
    }
}
