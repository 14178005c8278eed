package org.sparkbaselines.spaces;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A single-level dictionary of spaces, Gym's {@code Dict} (used by goal envs: {@code observation},
 * {@code achieved_goal}, {@code desired_goal}). An element is the sub-elements laid end to end in key
 * order; {@link #offset(String)} and {@link #get(float[], String)} address one key's slice.
 */
public final class DictSpace extends Space {
    private final LinkedHashMap<String, Space> spaces;
    private final Map<String, Integer> offsets = new LinkedHashMap<>();
    private final int flatDim;

    /** Keys keep the order of the map given (use a {@link LinkedHashMap}). Nested dicts are not supported. */
    public DictSpace(Map<String, Space> spaces) {
        super(new int[0]);
        if (spaces.isEmpty()) {
            throw new IllegalArgumentException("DictSpace needs at least one key");
        }
        this.spaces = new LinkedHashMap<>(spaces);
        int offset = 0;
        for (Map.Entry<String, Space> e : this.spaces.entrySet()) {
            if (e.getValue() instanceof DictSpace) {
                throw new IllegalArgumentException("nested Dict spaces are not supported (key '" + e.getKey() + "')");
            }
            offsets.put(e.getKey(), offset);
            offset += e.getValue().flatDim();
        }
        this.flatDim = offset;
    }

    public Map<String, Space> spaces() {
        return Collections.unmodifiableMap(spaces);
    }

    public List<String> keys() {
        return new ArrayList<>(spaces.keySet());
    }

    /** The sub-space under {@code key}; an unknown key is an error naming the known ones. */
    public Space space(String key) {
        Space s = spaces.get(key);
        if (s == null) {
            throw new IllegalArgumentException("no key '" + key + "' in " + this);
        }
        return s;
    }

    /** Where {@code key}'s slice starts in the flat layout. */
    public int offset(String key) {
        space(key);
        return offsets.get(key);
    }

    /** A copy of {@code key}'s slice of {@code element}. */
    public float[] get(float[] element, String key) {
        int from = offset(key);
        return Arrays.copyOfRange(element, from, from + spaces.get(key).flatDim());
    }

    /** Writes {@code value} into {@code key}'s slice of {@code element}. */
    public void put(float[] element, String key, float[] value) {
        Space s = space(key);
        s.checkLength(value, "value for key '" + key + "'");
        System.arraycopy(value, 0, element, offsets.get(key), value.length);
    }

    @Override
    public int flatDim() {
        return flatDim;
    }

    @Override
    public void seed(long seed) {
        super.seed(seed);
        int i = 0;
        for (Space s : spaces.values()) {
            s.seed(seed + i++);
        }
    }

    @Override
    public void sample(float[] out) {
        float[] part = null;
        for (Map.Entry<String, Space> e : spaces.entrySet()) {
            Space s = e.getValue();
            if (part == null || part.length != s.flatDim()) {
                part = new float[s.flatDim()];
            }
            s.sample(part);
            System.arraycopy(part, 0, out, offsets.get(e.getKey()), part.length);
        }
    }

    @Override
    public boolean contains(float[] x) {
        if (x == null || x.length != flatDim) {
            return false;
        }
        for (Map.Entry<String, Space> e : spaces.entrySet()) {
            int from = offsets.get(e.getKey());
            if (!e.getValue().contains(Arrays.copyOfRange(x, from, from + e.getValue().flatDim()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DictSpace d && d.spaces.equals(spaces) && d.keys().equals(keys());
    }

    @Override
    public int hashCode() {
        return spaces.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Dict(");
        String sep = "";
        for (Map.Entry<String, Space> e : spaces.entrySet()) {
            sb.append(sep).append(e.getKey()).append(": ").append(e.getValue());
            sep = ", ";
        }
        return sb.append(')').toString();
    }
}
