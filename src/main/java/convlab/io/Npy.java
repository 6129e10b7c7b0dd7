package convlab.io;

import convlab.core.Budget;
import convlab.core.DType;
import convlab.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/**
 * NumPy {@code .npy} files (format versions 1-3): float32 and float64, either byte order, C or Fortran order.
 * A Fortran-order file is read as the same logical array, never transposed. Writes little-endian, C order.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int CHUNK = 1 << 16;

    private Npy() {
    }

    /**
     * Reads a .npy file. Only a regular file is read (a FIFO or a device would hang or never end); the header is
     * parsed as a Python literal; the shape's size is checked against {@link Budget} and against the file's length
     * before anything is allocated.
     */
    public static Tensor read(Path file) {
        if (!Files.exists(file)) {
            throw new InvalidInputException(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, "expected a regular .npy file, but found " + (Files.isDirectory(file) ? "a directory" : "a device, FIFO or socket"));
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            return read(file, ch);
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot be read: " + e.getMessage());
        }
    }

    /** Reads from bytes held in memory (tests, archives); the same checks as {@link #read(Path)}. */
    static Tensor parse(Path file, byte[] bytes) {
        try {
            return read(file, new ByteArrayChannel(bytes));
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot be read: " + e.getMessage());
        }
    }

    private static Tensor read(Path file, SeekableByteChannel ch) throws IOException {
        long size = ch.size();
        byte[] start = readFully(ch, (int) Math.min(size, 12));
        if (start.length >= 2 && start[0] == 'P' && start[1] == 'K') {
            throw new InvalidInputException(file, "expected a .npy array, but found a .npz (zip) archive; save each array with numpy.save");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (start.length <= i || start[i] != MAGIC[i]) {
                throw new InvalidInputException(file, "expected a NumPy .npy file (starting with \\x93NUMPY), but found other bytes");
            }
        }
        if (start.length < 10) {
            throw new InvalidInputException(file, "truncated .npy header");
        }
        int major = start[6] & 0xff;
        ByteBuffer bb = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            headerStart = 10;
        } else if ((major == 2 || major == 3) && start.length >= 12) {
            headerLen = bb.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else if (major == 2 || major == 3) {
            throw new InvalidInputException(file, "truncated .npy header");
        } else {
            throw new InvalidInputException(file, "expected .npy format version 1, 2 or 3, but found " + major);
        }
        if (headerLen > NpyHeader.MAX_LENGTH) {
            throw new InvalidInputException(file, "the .npy header claims " + headerLen + " bytes; expected at most " + NpyHeader.MAX_LENGTH);
        }
        if (headerStart + headerLen > size) {
            throw new InvalidInputException(file, "truncated .npy header: it claims " + headerLen + " bytes, but the file has only "
                    + (size - headerStart) + " after the preamble");
        }
        ch.position(headerStart);
        String text = new String(readFully(ch, (int) headerLen), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.parse(file, text);
        String descr = header.descr();
        ByteOrder order;
        char o = descr.charAt(0);
        String kind = descr.substring(1);
        if (o == '<' || o == '=' || o == '|') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (o == '>') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            kind = descr;
            order = ByteOrder.LITTLE_ENDIAN;
        }
        DType type;
        int width;
        if (kind.equals("f8")) {
            type = DType.FLOAT64;
            width = 8;
        } else if (kind.equals("f4")) {
            type = DType.FLOAT32;
            width = 4;
        } else {
            throw new InvalidInputException(file, "expected float32 or float64 data (descr '<f4' or '<f8', any byte order), but found descr '" + descr + "'");
        }
        long[] dims = header.shape();
        String shapeText = shapeString(dims);
        long count = Budget.elements(dims);
        try {
            Budget.check("the array of shape " + shapeText, count);
        } catch (Budget.Exceeded e) {
            throw new InvalidInputException(file, "shape", e.getMessage());
        }
        long dataStart = headerStart + headerLen;
        if (size - dataStart < count * width) {
            throw new InvalidInputException(file, "expected " + count + " values of " + type + " for shape "
                    + shapeText + ", but the file holds only " + (size - dataStart) + " bytes of data");
        }
        int[] shape = java.util.Arrays.stream(dims).mapToInt(Math::toIntExact).toArray();
        double[] values = new double[(int) count];
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK - CHUNK % 8).order(order);
        ch.position(dataStart);
        for (int i = 0; i < values.length; ) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity(), (long) (values.length - i) * width));
            while (chunk.hasRemaining()) {
                if (ch.read(chunk) < 0) {
                    throw new InvalidInputException(file, "ends before its data does");
                }
            }
            chunk.flip();
            while (chunk.hasRemaining()) {
                values[i++] = width == 8 ? chunk.getDouble() : chunk.getFloat();
            }
        }
        if (!header.fortranOrder() || shape.length < 2) {
            return Tensor.of(type, shape, values);
        }
        // Fortran order: the first index varies fastest, so the bytes are the C-order array of the reversed shape.
        int[] reversed = new int[shape.length];
        int[] axes = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            reversed[i] = shape[shape.length - 1 - i];
            axes[i] = shape.length - 1 - i;
        }
        return Tensor.of(type, reversed, values).permute(axes);
    }

    private static String shapeString(long[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return dims.length == 0 ? "scalar" : sb.toString();
    }

    private static byte[] readFully(SeekableByteChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && ch.read(b) >= 0) {
            // keep reading
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** A read-only channel over bytes in memory. */
    private static final class ByteArrayChannel implements SeekableByteChannel {
        private final byte[] bytes;
        private long position;

        ByteArrayChannel(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long p) {
            position = p;
            return this;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Writes a tensor as a version 1.0, C-order, little-endian file of its own type, atomically. */
    public static void write(Path file, Tensor t) {
        AtomicFiles.write(file, out -> out.write(toBytes(t)));
    }

    static byte[] toBytes(Tensor t) {
        int width = t.dtype() == DType.FLOAT32 ? 4 : 8;
        int[] shape = t.shape();
        StringBuilder sh = new StringBuilder("(");
        for (int d : shape) {
            sh.append(d).append(", ");
        }
        if (shape.length > 1) {
            sh.setLength(sh.length() - 2);
        } else if (shape.length == 1) {
            sh.setLength(sh.length() - 1);
        }
        sh.append(")");
        String dict = "{'descr': '<f" + width + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + t.size() * width).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < t.size(); i++) {
            if (width == 8) {
                bb.putDouble(t.flat(i));
            } else {
                bb.putFloat((float) t.flat(i));
            }
        }
        return bb.array();
    }
}
