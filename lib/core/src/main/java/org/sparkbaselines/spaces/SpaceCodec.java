package org.sparkbaselines.spaces;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spaces as plain maps of JSON values, for model files: {@code {"type": "Box", "shape": [4], "low": [...],
 * "high": [...], "dtype": "float32"}}, {@code {"type": "Discrete", "n": 2}}, and so on. Infinite bounds
 * are written as the strings {@code "inf"} / {@code "-inf"} (JSON has no infinity).
 */
public final class SpaceCodec {
    private static final int MAX_QUOTED_CHARS = 200;

    private SpaceCodec() {
    }

    public static Map<String, Object> encode(Space space) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (space instanceof Box b) {
            out.put("type", "Box");
            out.put("shape", b.shape());
            out.put("low", bounds(b.low()));
            out.put("high", bounds(b.high()));
            out.put("dtype", b.dtype().name().toLowerCase());
        } else if (space instanceof Discrete d) {
            out.put("type", "Discrete");
            out.put("n", d.n());
        } else if (space instanceof MultiDiscrete m) {
            out.put("type", "MultiDiscrete");
            out.put("nvec", m.nvec());
        } else if (space instanceof MultiBinary m) {
            out.put("type", "MultiBinary");
            out.put("n", m.n());
        } else if (space instanceof DictSpace d) {
            out.put("type", "Dict");
            Map<String, Object> spaces = new LinkedHashMap<>();
            d.spaces().forEach((k, v) -> spaces.put(k, encode(v)));
            out.put("spaces", spaces);
        } else {
            throw new IllegalArgumentException("cannot encode space " + space);
        }
        return out;
    }

    /** The inverse of {@link #encode}; a malformed description is an error naming what is wrong. */
    @SuppressWarnings("unchecked")
    public static Space decode(Map<String, ?> json) {
        Object type = json.get("type");
        try {
            if ("Box".equals(type)) {
                int[] shape = ints(json.get("shape"));
                Box.DType dtype = Box.DType.valueOf(String.valueOf(json.get("dtype")).toUpperCase());
                return new Box(floats(json.get("low")), floats(json.get("high")), dtype, shape);
            }
            if ("Discrete".equals(type)) {
                return new Discrete(((Number) json.get("n")).intValue());
            }
            if ("MultiDiscrete".equals(type)) {
                return new MultiDiscrete(ints(json.get("nvec")));
            }
            if ("MultiBinary".equals(type)) {
                return new MultiBinary(((Number) json.get("n")).intValue());
            }
            if ("Dict".equals(type)) {
                Map<String, Space> spaces = new LinkedHashMap<>();
                ((Map<String, Map<String, ?>>) json.get("spaces")).forEach((k, v) -> spaces.put(k, decode(v)));
                return new DictSpace(spaces);
            }
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("malformed " + type + " space description: " + shortened(json), e);
        }
        throw new IllegalArgumentException("unknown space type '" + type + "' in " + shortened(json));
    }

    /** A description for an error message: a Box's bounds may hold millions of values. */
    private static String shortened(Map<String, ?> json) {
        String text = String.valueOf(json);
        return text.length() <= MAX_QUOTED_CHARS ? text : text.substring(0, MAX_QUOTED_CHARS) + "...";
    }

    private static List<Object> bounds(float[] values) {
        List<Object> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(Float.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : (Object) (double) v);
        }
        return out;
    }

    private static float[] floats(Object list) {
        List<?> l = asList(list);
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = l.get(i);
            out[i] = v instanceof Number n ? n.floatValue()
                    : "inf".equals(v) ? Float.POSITIVE_INFINITY : "-inf".equals(v) ? Float.NEGATIVE_INFINITY : Float.parseFloat(String.valueOf(v));
        }
        return out;
    }

    private static int[] ints(Object list) {
        if (list instanceof int[] a) {
            return a;
        }
        List<?> l = asList(list);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).intValue();
        }
        return out;
    }

    private static List<?> asList(Object o) {
        if (o instanceof List<?> l) {
            return l;
        }
        if (o instanceof int[] a) {
            List<Object> out = new ArrayList<>();
            for (int v : a) {
                out.add(v);
            }
            return out;
        }
        throw new ClassCastException("expected a list, got " + o);
    }
}
