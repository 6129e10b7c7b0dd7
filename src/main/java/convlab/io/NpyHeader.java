package convlab.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a .npy file, parsed as the Python literal it is: a dict with exactly the keys {@code 'descr'} (a
 * string), {@code 'fortran_order'} ({@code True} or {@code False}) and {@code 'shape'} (a tuple of ints >= 0).
 * Anything else (a regex would have read {@code {'x': "'descr': '<f8'", ...}} as float64) is an
 * {@link InvalidInputException} naming the file and the key.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {

    /** NumPy's own reader refuses headers over 10000 bytes by default; we allow more but not without bound. */
    static final int MAX_LENGTH = 1 << 16;

    static NpyHeader parse(Path file, String text) {
        Parser p = new Parser(file, text);
        Map<String, Object> dict = p.dict();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.fail("expected the header to end after its dict, but found more text");
        }
        for (String key : dict.keySet()) {
            if (!List.of("descr", "fortran_order", "shape").contains(key)) {
                throw new InvalidInputException(file, "the .npy header has an unexpected key '" + key
                        + "'; expected exactly 'descr', 'fortran_order' and 'shape'");
            }
        }
        if (!(dict.get("descr") instanceof String descr) || descr.isEmpty()) {
            throw new InvalidInputException(file, "the .npy header needs 'descr': a non-empty string such as '<f4', but found " + show(dict.get("descr")));
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new InvalidInputException(file, "the .npy header needs 'fortran_order': True or False, but found " + show(dict.get("fortran_order")));
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw new InvalidInputException(file, "the .npy header needs 'shape': a tuple of ints >= 0, but found " + show(dict.get("shape")));
        }
        return new NpyHeader(descr, fortran, shape);
    }

    private static String show(Object v) {
        if (v == null) {
            return "nothing";
        }
        return v instanceof long[] a ? java.util.Arrays.toString(a) : "'" + v + "'";
    }

    /** A recursive-descent reader for the subset of Python literals a .npy header uses. */
    private static final class Parser {
        private final Path file;
        private final String s;
        int pos;

        Parser(Path file, String s) {
            this.file = file;
            this.s = s;
        }

        InvalidInputException fail(String what) {
            return new InvalidInputException(file, "the .npy header is not a readable Python dict literal: " + what + " at character " + pos);
        }

        void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n' || s.charAt(pos) == '\r')) {
                pos++;
            }
        }

        boolean eat(char c) {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!eat(c)) {
                throw fail("expected '" + c + "'");
            }
        }

        Map<String, Object> dict() {
            expect('{');
            Map<String, Object> d = new LinkedHashMap<>();
            while (!eat('}')) {
                skipSpace();
                String key = string();
                expect(':');
                Object value = value();
                if (d.put(key, value) != null) {
                    throw new InvalidInputException(file, "the .npy header has the key '" + key + "' twice");
                }
                if (!eat(',')) {
                    expect('}');
                    break;
                }
            }
            return d;
        }

        Object value() {
            skipSpace();
            if (pos >= s.length()) {
                throw fail("expected a value");
            }
            char c = s.charAt(pos);
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw fail("expected a string, a tuple, True or False");
        }

        String string() {
            if (pos >= s.length() || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')) {
                throw fail("expected a quoted string");
            }
            char quote = s.charAt(pos++);
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != quote) {
                if (s.charAt(pos) == '\\') {
                    throw fail("expected a string without escapes");
                }
                pos++;
            }
            if (pos >= s.length()) {
                throw fail("expected the closing quote");
            }
            return s.substring(start, pos++);
        }

        long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (!eat(')')) {
                dims.add(integer());
                if (!eat(',')) {
                    expect(')');
                    break;
                }
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        long integer() {
            skipSpace();
            int start = pos;
            if (pos < s.length() && s.charAt(pos) == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
                pos++;
            }
            String digits = s.substring(start, pos);
            if (pos < s.length() && s.charAt(pos) == 'L') {
                pos++; // Python 2 long suffix
            }
            if (digits.isEmpty() || digits.equals("-")) {
                throw fail("expected an int in the shape");
            }
            if (digits.startsWith("-")) {
                throw new InvalidInputException(file, "the .npy header has a negative dimension " + digits + " in its shape; expected ints >= 0");
            }
            if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
                throw new InvalidInputException(file, "the .npy header has a dimension " + digits + " in its shape; expected at most " + Integer.MAX_VALUE);
            }
            return Long.parseLong(digits);
        }
    }
}
