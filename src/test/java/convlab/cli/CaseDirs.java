package convlab.cli;

import convlab.core.DType;
import convlab.core.Tensor;
import convlab.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Case folders for the robustness tests: x.npy, w.npy, b.npy and a case.json with extra fields. */
final class CaseDirs {

    private CaseDirs() {
    }

    /** {@code dir/case.json} over an input of {@code x}, weights {@code w} and a bias of w[0] values, plus {@code extra} JSON fields. */
    static Path write(Path dir, int[] x, int[] w, String extra) {
        Npy.write(dir.resolve("x.npy"), Tensor.fill(DType.FLOAT64, x, i -> (i[1] + 1) * 0.5 - i[2] * 0.25 + i[3] * 0.125));
        Npy.write(dir.resolve("w.npy"), Tensor.fill(DType.FLOAT64, w, i -> i[0] - i[1] + 0.5 * i[2] - 0.25 * i[3]));
        Npy.write(dir.resolve("b.npy"), Tensor.fill(DType.FLOAT64, new int[] {w[0]}, i -> 0.5 + i[0]));
        String json = "{\"input\": \"x.npy\", \"weights\": \"w.npy\", \"bias\": \"b.npy\"" + (extra.isEmpty() ? "" : ", " + extra) + "}";
        try {
            return Files.writeString(dir.resolve("case.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small valid case. */
    static Path valid(Path dir, String extra) {
        return write(dir, new int[] {1, 2, 5, 5}, new int[] {3, 2, 3, 3}, extra);
    }

    /** Every regular file below {@code root} that is not below {@code except}, as sorted relative paths. */
    static java.util.List<String> filesOutside(Path root, Path except) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.startsWith(except)).map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
