package org.sparkbaselines.io.pickle;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The text arguments of protocol 0 opcodes, decoded as Python's unpickler does but without
 * evaluating anything: integers ({@code INT}, {@code LONG}), floats ({@code FLOAT}), quoted byte strings
 * with backslash escapes ({@code STRING}) and raw-unicode-escape text ({@code UNICODE}). Problems are
 * {@link IllegalArgumentException}s naming them.
 */
final class PickleText {
    /** Python's own limit on decimal digits converted to an int ({@code sys.int_info.default_max_str_digits}), which keeps parsing linear. */
    static final int MAX_INT_DIGITS = 4300;
    /** Far more than {@code repr} of any float needs. */
    private static final int MAX_FLOAT_CHARS = 1000;
    private static final Pattern PYTHON_FLOAT = Pattern.compile(
            "[+-]?((\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    private PickleText() {
    }

    /** Python's {@code int(text, 0)}: optional sign, decimal or 0x/0o/0b digits, surrounding blanks ignored. */
    static Object parseInt(String text) {
        String s = text.strip();
        if (s.length() > MAX_INT_DIGITS + 3) {
            throw new IllegalArgumentException("integer text of " + s.length() + " characters exceeds the limit of " + MAX_INT_DIGITS + " digits");
        }
        boolean negative = s.startsWith("-");
        String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        int radix = 10;
        if (digits.length() > 2 && digits.charAt(0) == '0' && "xXoObB".indexOf(digits.charAt(1)) >= 0) {
            radix = switch (Character.toLowerCase(digits.charAt(1))) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            digits = digits.substring(2);
        }
        int base = radix;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c < 128 && Character.digit(c, base) >= 0)) {
            throw new IllegalArgumentException("invalid integer text '" + abbreviate(text) + "'");
        }
        BigInteger value = new BigInteger(digits, radix);
        return integer(negative ? value.negate() : value);
    }

    /** Python's {@code float(text)}: decimal notation, {@code inf}, {@code nan}. */
    static double parseFloat(String text) {
        String s = text.strip();
        if (s.length() > MAX_FLOAT_CHARS || !PYTHON_FLOAT.matcher(s).matches()) {
            throw new IllegalArgumentException("invalid float text '" + abbreviate(text) + "'");
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        boolean negative = lower.startsWith("-");
        if (lower.endsWith("inf") || lower.endsWith("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.endsWith("nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(s);
    }

    /** A Long when the value fits, else the BigInteger. */
    static Object integer(BigInteger value) {
        return value.bitLength() < Long.SIZE ? (Object) value.longValue() : value;
    }

    /**
     * The argument of a protocol 0 {@code STRING}: a quoted Python 2 string literal, unquoted and
     * unescaped as {@code codecs.escape_decode} does.
     */
    static byte[] unquoteString(byte[] line) {
        if (line.length < 2 || line[0] != line[line.length - 1] || (line[0] != '\'' && line[0] != '"')) {
            throw new IllegalArgumentException("the STRING argument must be quoted");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(line.length);
        int end = line.length - 1;
        for (int i = 1; i < end; i++) {
            byte b = line[i];
            if (b != '\\') {
                out.write(b);
                continue;
            }
            if (++i >= end) {
                throw new IllegalArgumentException("the STRING argument ends with a lone backslash");
            }
            byte c = line[i];
            switch (c) {
                case '\n' -> { } // a line continuation
                case '\\', '\'', '"' -> out.write(c);
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 't' -> out.write('\t');
                case 'n' -> out.write('\n');
                case 'v' -> out.write(11);
                case 'f' -> out.write(12);
                case 'r' -> out.write('\r');
                case 'x' -> {
                    int high = i + 1 < end ? Character.digit(line[i + 1], 16) : -1;
                    int low = i + 2 < end ? Character.digit(line[i + 2], 16) : -1;
                    if (high < 0 || low < 0) {
                        throw new IllegalArgumentException("invalid \\x escape in the STRING argument");
                    }
                    out.write(high * 16 + low);
                    i += 2;
                }
                default -> {
                    if (c >= '0' && c <= '7') {
                        int value = c - '0';
                        for (int digits = 1; digits < 3 && i + 1 < end && line[i + 1] >= '0' && line[i + 1] <= '7'; digits++) {
                            value = value * 8 + line[++i] - '0';
                        }
                        out.write(value); // Python keeps the low byte of \400 and above
                    } else {
                        out.write('\\'); // unknown escapes stay as they are
                        out.write(c);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * Python's {@code raw-unicode-escape} decoding of a protocol 0 {@code UNICODE} argument: bytes are
     * code points 0-255, except that {@code \}{@code uXXXX} and {@code \}{@code UXXXXXXXX} after an odd
     * number of backslashes are escapes.
     */
    static String rawUnicodeEscape(byte[] line) {
        StringBuilder out = new StringBuilder(line.length);
        int i = 0;
        while (i < line.length) {
            if (line[i] != '\\') {
                out.append((char) (line[i++] & 0xff));
                continue;
            }
            int run = 0;
            while (i < line.length && line[i] == '\\') {
                out.append('\\');
                run++;
                i++;
            }
            if (run % 2 == 0 || i >= line.length || (line[i] != 'u' && line[i] != 'U')) {
                continue;
            }
            out.setLength(out.length() - 1); // the last backslash starts the escape
            int digits = line[i] == 'u' ? 4 : 8;
            i++;
            if (i + digits > line.length) {
                throw new IllegalArgumentException("truncated \\" + (digits == 4 ? "uXXXX" : "UXXXXXXXX") + " escape in the UNICODE argument");
            }
            int codePoint = 0;
            for (int k = 0; k < digits; k++) {
                int digit = Character.digit(line[i++], 16);
                if (digit < 0) {
                    throw new IllegalArgumentException("invalid \\u escape in the UNICODE argument");
                }
                codePoint = codePoint * 16 + digit;
                if (codePoint > Character.MAX_CODE_POINT || codePoint < 0) {
                    throw new IllegalArgumentException("\\U escape beyond U+10FFFF in the UNICODE argument");
                }
            }
            out.appendCodePoint(codePoint);
        }
        return out.toString();
    }

    /** A line as ASCII text for a numeric argument. */
    static String ascii(byte[] line) {
        for (byte b : line) {
            if (b < 0) {
                throw new IllegalArgumentException("non-ASCII byte in a numeric argument");
            }
        }
        return new String(line, StandardCharsets.US_ASCII);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
