package org.sparkbaselines.common;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads and writes the algorithms' hyperparameter records by the reference's snake_case names
 * ({@code n_steps}, {@code learning_rate}): one mechanism for YAML configs, CLI overrides and the
 * {@code data.json} of model files. An unknown key or a value of the wrong type is an error naming it.
 */
public final class Hyperparameters {
    private Hyperparameters() {
    }

    /**
     * The record's components as snake_case keys, values as they are written in configs.
     *
     * @throws IllegalArgumentException naming the key when a value has no written form (a {@link Schedule} given in code)
     */
    public static Map<String, Object> toMap(Record config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            Object v = read(c, config);
            String key = snake(c.getName());
            if (v instanceof ScheduleValue s && !s.isWritable()) {
                throw new IllegalArgumentException(config.getClass().getSimpleName() + ": hyperparameter '" + key
                        + "' is a Schedule given in code, which cannot be written to a model file or config; give it as a number or"
                        + " \"lin_<number>\", or keep the model's parameters with getParameters() instead");
            }
            out.put(key, v instanceof ScheduleValue s ? s.spec() : v);
        }
        return out;
    }

    /** {@code base} with the entries of {@code overrides} replaced; keys are snake_case component names. */
    public static <R extends Record> R with(R base, Map<String, ?> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return base;
        }
        @SuppressWarnings("unchecked")
        Class<R> type = (Class<R>) base.getClass();
        RecordComponent[] components = type.getRecordComponents();
        Map<String, RecordComponent> byName = new LinkedHashMap<>();
        for (RecordComponent c : components) {
            byName.put(snake(c.getName()), c);
        }
        for (String key : overrides.keySet()) {
            if (!byName.containsKey(key)) {
                throw new IllegalArgumentException(type.getSimpleName() + ": unknown hyperparameter '" + key + "'; known: "
                        + new TreeSet<>(byName.keySet()));
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            String key = snake(c.getName());
            args[i] = overrides.containsKey(key) ? convert(type, key, overrides.get(key), c.getType()) : read(c, base);
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalArgumentException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** camelCase to snake_case: {@code nSteps -> n_steps}, {@code clipRangeVf -> clip_range_vf}. */
    public static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

    private static Object convert(Class<?> owner, String key, Object v, Class<?> target) {
        String where = owner.getSimpleName() + ": hyperparameter '" + key + "'";
        if (v == null) {
            if (target.isPrimitive()) {
                throw new IllegalArgumentException(where + " cannot be null");
            }
            return null;
        }
        try {
            if (target == ScheduleValue.class) {
                return ScheduleValue.parse(v);
            }
            if (target == double.class || target == Double.class) {
                return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
            }
            if (target == int.class || target == Integer.class) {
                double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
                if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(where + " must be an integer, got " + v);
                }
                return (int) d;
            }
            if (target == long.class || target == Long.class) {
                double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
                if (d != Math.rint(d)) {
                    throw new IllegalArgumentException(where + " must be an integer, got " + v);
                }
                return (long) d;
            }
            if (target == boolean.class || target == Boolean.class) {
                if (v instanceof Boolean b) {
                    return b;
                }
                String s = v.toString().trim().toLowerCase();
                if (s.equals("true") || s.equals("false")) {
                    return Boolean.parseBoolean(s);
                }
                throw new IllegalArgumentException(where + " must be true or false, got " + v);
            }
            if (target == String.class) {
                return v.toString();
            }
            if (target == List.class || target == Map.class) {
                if (target.isInstance(v)) {
                    return v;
                }
                throw new IllegalArgumentException(where + " must be a " + target.getSimpleName().toLowerCase() + ", got " + v);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " must be a number, got '" + v + "'");
        }
        if (target.isInstance(v)) {
            return v;
        }
        throw new IllegalArgumentException(where + " has unsupported type " + target.getSimpleName());
    }

    /** Refuses a value outside [0, 1] (a discount, a soft-update coefficient, a probability), naming it. */
    public static void requireFraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
        }
    }
}
