package org.sparkbaselines.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header dict of a {@code .npy} file, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2500, 4), }}.
 *
 * <p>numpy writes it as a Python literal. {@link #parse} reads it with a strict parser that accepts
 * only what such a header can hold (a dict of quoted strings, True/False, integers and tuples of
 * integers) and exactly the keys {@code descr}, {@code fortran_order} and {@code shape}; nothing is
 * evaluated.
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    /** The dict text numpy writes for this header, without padding or the final newline. */
    static String format(DType dtype, int[] shape) {
        return "{'descr': '" + dtype.littleEndianDescr() + "', 'fortran_order': False, 'shape': "
                + NdArray.formatShape(shape) + ", }";
    }

    /**
     * Parses a header dict.
     *
     * @throws IllegalArgumentException naming the problem: invalid syntax, a missing, unknown or
     *     repeated key, or a value of the wrong type
     */
    static NpyHeader parse(String text) {
        Map<String, Object> dict = new Parser(text).dict();
        if (!dict.keySet().equals(KEYS)) {
            List<String> missing = new ArrayList<>(KEYS);
            missing.removeAll(dict.keySet());
            List<String> unknown = new ArrayList<>(dict.keySet());
            unknown.removeAll(KEYS);
            throw new IllegalArgumentException("the header dict must have exactly the keys descr, fortran_order and shape"
                    + (missing.isEmpty() ? "" : "; missing " + missing) + (unknown.isEmpty() ? "" : "; unknown " + unknown));
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new IllegalArgumentException("descr must be a string (structured dtypes are not supported), got " + dict.get("descr"));
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
            throw new IllegalArgumentException("fortran_order must be True or False, got " + dict.get("fortran_order"));
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw new IllegalArgumentException("shape must be a tuple of integers, got " + dict.get("shape"));
        }
        return new NpyHeader(descr, fortranOrder, shape);
    }

    /** A recursive-descent parser over the header text; values are String, Boolean, Long or long[] (a tuple). */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Map<String, Object> dict() {
            expect('{');
            Map<String, Object> dict = new LinkedHashMap<>();
            while (peek() != '}') {
                String key = string();
                expect(':');
                if (dict.put(key, value()) != null) {
                    throw error("key '" + key + "' appears twice");
                }
                if (peek() != ',') {
                    break;
                }
                pos++;
            }
            expect('}');
            skipSpace();
            if (pos != text.length()) {
                throw error("unexpected text after the dict");
            }
            return dict;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (c == '-' || Character.isDigit(c)) {
                return integer();
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("expected a string, True, False, an integer or a tuple");
        }

        /** A tuple of integers; {@code (5)} without the comma is an integer in Python, not a tuple. */
        private Object tuple() {
            expect('(');
            List<Long> items = new ArrayList<>();
            boolean sawComma = false;
            while (peek() != ')') {
                items.add(integer());
                if (peek() != ',') {
                    break;
                }
                sawComma = true;
                pos++;
            }
            expect(')');
            if (items.size() == 1 && !sawComma) {
                return items.get(0);
            }
            return items.stream().mapToLong(Long::longValue).toArray();
        }

        /** A decimal integer, with the optional {@code L} suffix Python 2 numpy wrote. */
        private Long integer() {
            skipSpace();
            int start = pos;
            if (pos < text.length() && text.charAt(pos) == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            String digits = text.substring(start, pos);
            if (pos < text.length() && text.charAt(pos) == 'L') {
                pos++;
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw error(digits.isEmpty() || digits.equals("-") ? "expected an integer" : "integer " + digits + " is out of range");
            }
        }

        /** A quoted string without escape sequences (numpy's keys and descr never need them). */
        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string");
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw error("unterminated string");
            }
            String value = text.substring(pos + 1, end);
            if (value.indexOf('\\') >= 0) {
                throw error("escape sequences in strings are not supported");
            }
            pos = end + 1;
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        /** The next non-space character (0 at the end) without consuming it. */
        private char peek() {
            skipSpace();
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException(problem + " at character " + pos);
        }
    }
}
