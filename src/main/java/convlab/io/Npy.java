package convlab.io;

import convlab.core.DType;
import convlab.core.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1-3): float32 and float64, either byte order, C or Fortran order.
 * A Fortran-order file is read as the same logical array, never transposed. Writes little-endian, C order.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static Tensor read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file, "no such file");
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot be read: " + e.getMessage());
        }
        return parse(file, bytes);
    }

    static Tensor parse(Path file, byte[] bytes) {
        if (bytes.length >= 2 && bytes[0] == 'P' && bytes[1] == 'K') {
            throw new InvalidInputException(file, "expected a .npy array, but found a .npz (zip) archive; save each array with numpy.save");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length <= i || bytes[i] != MAGIC[i]) {
                throw new InvalidInputException(file, "expected a NumPy .npy file (starting with \\x93NUMPY), but found other bytes");
            }
        }
        if (bytes.length < 10) {
            throw new InvalidInputException(file, "truncated .npy header");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            headerStart = 12;
        } else {
            throw new InvalidInputException(file, "expected .npy format version 1, 2 or 3, but found " + major);
        }
        if (headerStart + headerLen > bytes.length) {
            throw new InvalidInputException(file, "truncated .npy header");
        }
        String header = new String(bytes, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(file, DESCR, header, "descr");
        boolean fortran = group(file, FORTRAN, header, "fortran_order").equals("True");
        int[] shape = parseShape(file, group(file, SHAPE, header, "shape"));

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
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        int dataStart = headerStart + headerLen;
        if ((long) bytes.length - dataStart < count * width) {
            throw new InvalidInputException(file, "expected " + count + " values of " + type + " for shape "
                    + Tensor.shapeString(shape) + ", but the file holds only " + (bytes.length - dataStart) + " bytes of data");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice().order(order);
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = width == 8 ? data.getDouble(i * 8) : data.getFloat(i * 4);
        }
        if (!fortran || shape.length < 2) {
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

    private static String group(Path file, Pattern p, String header, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new InvalidInputException(file, "the .npy header has no readable '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static int[] parseShape(Path file, String s) {
        String[] parts = s.split(",");
        int count = 0;
        int[] dims = new int[parts.length];
        for (String part : parts) {
            String t = part.trim().replace("L", "");
            if (t.isEmpty()) {
                continue;
            }
            try {
                dims[count++] = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(file, "the .npy header has an unreadable shape (" + s + ")");
            }
        }
        return java.util.Arrays.copyOf(dims, count);
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
