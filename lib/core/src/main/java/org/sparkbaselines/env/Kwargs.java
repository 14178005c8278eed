package org.sparkbaselines.env;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reading of keyword arguments ({@code env_kwargs}, YAML config), with errors that name the
 * owner and the key: an unknown key or a value of the wrong type is refused, never ignored.
 */
public final class Kwargs {
    private final String owner;
    private final Map<String, ?> values;

    private Kwargs(String owner, Map<String, ?> values) {
        this.owner = owner;
        this.values = values;
    }

    /** Reads {@code values} for {@code owner}; any key outside {@code allowed} is an error listing the allowed ones. */
    public static Kwargs of(String owner, Map<String, ?> values, Set<String> allowed) {
        Map<String, ?> v = values == null ? Map.of() : values;
        for (String key : v.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(owner + ": unknown argument '" + key + "'; known: " + new TreeSet<>(allowed));
            }
        }
        return new Kwargs(owner, v);
    }

    public boolean has(String key) {
        return values.get(key) != null;
    }

    public int getInt(String key, int defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return Math.toIntExact(n.longValue());
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw wrongType(key, v, "an integer");
    }

    /** An integer, or null when absent. */
    public Integer getIntOrNull(String key) {
        return has(key) ? getInt(key, 0) : null;
    }

    public double getDouble(String key, double defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw wrongType(key, v, "a number");
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw wrongType(key, v, "true or false");
    }

    public String getString(String key, String defaultValue) {
        Object v = values.get(key);
        return v == null ? defaultValue : v.toString();
    }

    private IllegalArgumentException wrongType(String key, Object v, String expected) {
        return new IllegalArgumentException(owner + ": argument '" + key + "' must be " + expected + ", got '" + v + "'");
    }
}
