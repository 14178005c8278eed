package org.sparkbaselines.io.pickle;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Python-like rendering of loaded values that always terminates: loaded structures can contain
 * themselves (a list appended to itself) or nest very deeply, so cycles print as Python prints them
 * ({@code [...]}, and likewise {@code (...)}, {@code {...}} and {@code <...>}), nesting
 * stops at {@link #MAX_DEPTH}, and the text stops near {@link #MAX_CHARS}.
 */
final class PyRepr {
    static final int MAX_DEPTH = 8;
    static final int MAX_CHARS = 2_000;
    private static final int MAX_ITEMS = 20;
    private static final int MAX_STRING_CHARS = 100;
    private static final int MAX_BYTES = 32;

    private final StringBuilder out = new StringBuilder();
    /** The containers being rendered, outermost first: meeting one again is a cycle. */
    private final Set<Object> open = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    private PyRepr() {
    }

    static String of(Object value) {
        PyRepr repr = new PyRepr();
        repr.append(value, 0);
        return repr.out.length() > MAX_CHARS ? repr.out.substring(0, MAX_CHARS) + "..." : repr.out.toString();
    }

    private void append(Object value, int depth) {
        if (out.length() > MAX_CHARS) {
            return;
        }
        boolean container = value instanceof PyTuple || value instanceof Collection<?> || value instanceof Map<?, ?> || value instanceof PyObject;
        if (container && (depth >= MAX_DEPTH || !open.add(value))) {
            out.append(elided(value)); // as Python prints a list inside itself: [...]
            return;
        }
        if (value == null) {
            out.append("None");
        } else if (value instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (value instanceof Double d) {
            out.append(d.isNaN() ? "nan" : d.isInfinite() ? (d > 0 ? "inf" : "-inf") : d.toString());
        } else if (value instanceof String s) {
            appendString(s);
        } else if (value instanceof byte[] bytes) {
            appendBytes(bytes);
        } else if (value instanceof PyTuple tuple) {
            appendItems("(", tuple.items(), tuple.size() == 1 ? ",)" : ")", depth);
        } else if (value instanceof List<?> list) {
            appendItems("[", list, "]", depth);
        } else if (value instanceof Set<?> set) {
            appendItems(set.isEmpty() ? "set(" : "{", set, set.isEmpty() ? ")" : "}", depth);
        } else if (value instanceof Map<?, ?> map) {
            appendMap(map, depth);
        } else if (value instanceof PyObject object) {
            appendObject(object, depth);
        } else {
            out.append(value); // numbers, PyGlobal, NdArray: short, non-recursive renderings
        }
        if (container) {
            open.remove(value);
        }
    }

    private static String elided(Object container) {
        if (container instanceof PyTuple) {
            return "(...)";
        } else if (container instanceof List<?>) {
            return "[...]";
        } else if (container instanceof PyObject) {
            return "<...>";
        }
        return "{...}";
    }

    private void appendObject(PyObject object, int depth) {
        out.append('<');
        if (object.callee() instanceof PyObject callee) {
            append(callee, depth + 1);
        } else {
            out.append(object.type());
        }
        appendItems("(", object.args(), object.kwargs().isEmpty() ? ")" : "", depth);
        if (!object.kwargs().isEmpty()) {
            out.append(object.args().isEmpty() ? "**" : ", **");
            appendMap(object.kwargs(), depth);
            out.append(')');
        }
        if (object.state() != null) {
            out.append(" state=");
            append(object.state(), depth + 1);
        }
        out.append('>');
    }

    private void appendItems(String open, Collection<?> items, String close, int depth) {
        out.append(open);
        int count = 0;
        for (Iterator<?> it = items.iterator(); it.hasNext() && out.length() <= MAX_CHARS; count++) {
            if (count > 0) {
                out.append(", ");
            }
            if (count == MAX_ITEMS) {
                out.append("...");
                break;
            }
            append(it.next(), depth + 1);
        }
        out.append(close);
    }

    private void appendMap(Map<?, ?> map, int depth) {
        out.append('{');
        int count = 0;
        for (Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator(); it.hasNext() && out.length() <= MAX_CHARS; count++) {
            if (count > 0) {
                out.append(", ");
            }
            if (count == MAX_ITEMS) {
                out.append("...");
                break;
            }
            Map.Entry<?, ?> entry = it.next();
            append(entry.getKey(), depth + 1);
            out.append(": ");
            append(entry.getValue(), depth + 1);
        }
        out.append('}');
    }

    private void appendString(String s) {
        out.append('\'');
        int shown = Math.min(s.length(), MAX_STRING_CHARS);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append(shown < s.length() ? "'..." : "'");
    }

    private void appendBytes(byte[] bytes) {
        out.append("b'");
        int shown = Math.min(bytes.length, MAX_BYTES);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\'' || b == '\\') {
                out.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7f) {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        out.append(shown < bytes.length ? "'... (" + bytes.length + " bytes)" : "'");
    }
}
