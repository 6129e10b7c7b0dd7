package convlab.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import convlab.core.DType;
import convlab.core.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    /** A .npy v1.0 file with the given header dictionary and raw data bytes, as numpy.save writes them. */
    static byte[] npy(String dict, byte[] data) {
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return bb.array();
    }

    static byte[] doubles(ByteOrder order, double... v) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 8).order(order);
        for (double d : v) {
            bb.putDouble(d);
        }
        return bb.array();
    }

    @Test
    void roundTripsFloat64AndFloat32() {
        Tensor t = Tensor.fill(DType.FLOAT64, new int[] {2, 3, 4}, i -> i[0] - i[1] * 0.5 + i[2] / 3.0);
        Npy.write(dir.resolve("a.npy"), t);
        assertThat(Npy.read(dir.resolve("a.npy"))).isEqualTo(t);
        Tensor f = t.as(DType.FLOAT32);
        Npy.write(dir.resolve("f.npy"), f);
        assertThat(Npy.read(dir.resolve("f.npy"))).isEqualTo(f);
    }

    @Test
    void fortranOrderIsReadAsTheSameLogicalArray() throws Exception {
        // The 2x3 array [[1,2,3],[4,5,6]] in Fortran order is stored column by column: 1 4 2 5 3 6.
        byte[] bytes = npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", doubles(ByteOrder.LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6));
        Files.write(dir.resolve("f.npy"), bytes);
        Tensor t = Npy.read(dir.resolve("f.npy"));
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.toArray()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void bigEndianIsRead() throws Exception {
        Files.write(dir.resolve("b.npy"), npy("{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }", doubles(ByteOrder.BIG_ENDIAN, 1.5, -2, Double.NaN)));
        assertThat(Npy.read(dir.resolve("b.npy")).toArray()).containsExactly(1.5, -2, Double.NaN);
    }

    @Test
    void unreadableFilesAreRejectedNamingTheFile() throws Exception {
        Path ints = dir.resolve("ints.npy");
        Files.write(ints, npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
        assertThatThrownBy(() -> Npy.read(ints)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ints.npy").hasMessageContaining("'<i8'");
        Path zip = dir.resolve("z.npy");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 0, 0});
        assertThatThrownBy(() -> Npy.read(zip)).hasMessageContaining("z.npy").hasMessageContaining(".npz");
        Path shortFile = dir.resolve("short.npy");
        Files.write(shortFile, npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", new byte[8]));
        assertThatThrownBy(() -> Npy.read(shortFile)).hasMessageContaining("expected 4 values");
        assertThatThrownBy(() -> Npy.read(dir.resolve("missing.npy"))).hasMessageContaining("missing.npy").hasMessageContaining("no such file");
    }

    @Test
    void writingLeavesNoTemporaryFiles() throws Exception {
        Npy.write(dir.resolve("a.npy"), Tensor.of(new int[] {1}, new double[] {1}));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.npy");
        }
    }
}
