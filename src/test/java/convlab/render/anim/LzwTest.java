package convlab.render.anim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoder's run short cut writes exactly what the plain LZW loop writes: here the textbook form (a map from
 * (prefix, index) to code, one look-up per pixel, the same code sizes, clear codes and sub-blocks), on seeded data
 * of long runs (longer than the 4096-code table, so runs cross clear codes), short runs and noise.
 */
class LzwTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theShortCutWritesThePlainLoopsCodes(long seed) throws IOException {
        Random r = new Random(seed);
        int bits = 1 + r.nextInt(8), colours = 1 << bits;
        byte[] data = new byte[1 + r.nextInt(200_000)];
        for (int i = 0; i < data.length; ) {
            int kind = r.nextInt(3);
            int length = kind == 0 ? 1 + r.nextInt(20_000) : kind == 1 ? 1 + r.nextInt(40) : 1;
            byte b = (byte) r.nextInt(colours);
            for (int j = 0; j < length && i < data.length; j++, i++) {
                data[i] = kind == 2 ? (byte) r.nextInt(colours) : b;
            }
        }
        int minCodeSize = Math.max(2, bits);
        ByteArrayOutputStream fast = new ByteArrayOutputStream();
        GifWriter.Lzw lzw = new GifWriter.Lzw();
        lzw.encode(data, minCodeSize, fast);
        lzw.encode(data, minCodeSize, fast); // a second image with the same encoder: nothing is left over from the first
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        plain(data, minCodeSize, plain);
        plain(data, minCodeSize, plain);
        assertThat(fast.toByteArray()).as("seed %d, %d bytes of %d colours", seed, data.length, colours).isEqualTo(plain.toByteArray());
    }

    /** GIF LZW, the textbook loop. */
    private static void plain(byte[] data, int minCodeSize, ByteArrayOutputStream out) {
        int clear = 1 << minCodeSize, end = clear + 1;
        Map<Integer, Integer> table = new HashMap<>();
        int[] state = new int[3]; // bit buffer, bit count, code size
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        state[2] = minCodeSize + 1;
        int next = clear + 2;
        write(clear, state, bytes);
        int prefix = data[0] & 0xff;
        for (int i = 1; i < data.length; i++) {
            int k = data[i] & 0xff;
            Integer code = table.get(prefix << 8 | k);
            if (code != null) {
                prefix = code;
                continue;
            }
            write(prefix, state, bytes);
            grow(next, state);
            if (next < 4096) {
                table.put(prefix << 8 | k, next++);
            } else {
                write(clear, state, bytes);
                table.clear();
                state[2] = minCodeSize + 1;
                next = clear + 2;
            }
            prefix = k;
        }
        write(prefix, state, bytes);
        grow(next, state);
        write(end, state, bytes);
        if (state[1] > 0) {
            bytes.write(state[0] & 0xff);
        }
        out.write(minCodeSize);
        byte[] b = bytes.toByteArray();
        for (int at = 0; at < b.length; at += 255) {
            int n = Math.min(255, b.length - at);
            out.write(n);
            out.write(b, at, n);
        }
        out.write(0);
    }

    /** After a code (not a clear code), the size grows once the table holds a code that needs one more bit. */
    private static void grow(int next, int[] state) {
        if (next > (1 << state[2]) - 1 && state[2] < 12) {
            state[2]++;
        }
    }

    private static void write(int code, int[] state, ByteArrayOutputStream bytes) {
        state[0] |= code << state[1];
        state[1] += state[2];
        while (state[1] >= 8) {
            bytes.write(state[0] & 0xff);
            state[0] >>>= 8;
            state[1] -= 8;
        }
    }
}
