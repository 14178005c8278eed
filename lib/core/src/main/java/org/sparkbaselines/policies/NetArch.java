package org.sparkbaselines.policies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reference's {@code net_arch}: shared layers first, then separate policy ({@code pi}) and value
 * ({@code vf}) layers, e.g. {@code [128, {pi: [64], vf: [64]}]}. The default of the actor-critic
 * {@code MlpPolicy} is {@code [{pi: [64, 64], vf: [64, 64]}]}: no shared layers.
 *
 * @param shared widths of the shared layers
 * @param pi widths of the policy-only layers
 * @param vf widths of the value-only layers
 */
public record NetArch(List<Integer> shared, List<Integer> pi, List<Integer> vf) {
    /** {@code [{pi: [64, 64], vf: [64, 64]}]}. */
    public static final NetArch DEFAULT = new NetArch(List.of(), List.of(64, 64), List.of(64, 64));

    public NetArch {
        shared = List.copyOf(shared);
        pi = List.copyOf(pi);
        vf = List.copyOf(vf);
        for (List<Integer> widths : List.of(shared, pi, vf)) {
            for (int w : widths) {
                if (w <= 0) {
                    throw new IllegalArgumentException("net_arch layer widths must be positive, got " + w);
                }
            }
        }
    }

    /**
     * Parses the list form: integers are shared layers; a final map with optional {@code pi} and
     * {@code vf} lists splits the heads. Anything else is an error naming it.
     */
    public static NetArch parse(Object netArch) {
        if (netArch instanceof NetArch n) {
            return n;
        }
        if (!(netArch instanceof List<?> items)) {
            throw new IllegalArgumentException("net_arch must be a list like [64, {pi: [64], vf: [64]}], got " + netArch);
        }
        List<Integer> shared = new ArrayList<>();
        List<Integer> pi = List.of();
        List<Integer> vf = List.of();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof Number n) {
                shared.add(width(n));
            } else if (item instanceof Map<?, ?> heads && i == items.size() - 1) {
                for (Object key : heads.keySet()) {
                    if (!"pi".equals(key) && !"vf".equals(key)) {
                        throw new IllegalArgumentException("net_arch head keys are 'pi' and 'vf', got '" + key + "'");
                    }
                }
                pi = widths(heads.get("pi"));
                vf = widths(heads.get("vf"));
            } else {
                throw new IllegalArgumentException("net_arch entry " + i + " must be a layer width or, last, a {pi, vf} map; got " + item);
            }
        }
        return new NetArch(shared, pi, vf);
    }

    /** The list form, as configs and model files write it. */
    public List<Object> toList() {
        List<Object> out = new ArrayList<>(shared);
        out.add(Map.of("pi", pi, "vf", vf));
        return out;
    }

    private static List<Integer> widths(Object list) {
        if (list == null) {
            return List.of();
        }
        if (!(list instanceof List<?> l)) {
            throw new IllegalArgumentException("net_arch pi/vf must be lists of widths, got " + list);
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Number n)) {
                throw new IllegalArgumentException("net_arch widths must be integers, got " + o);
            }
            out.add(width(n));
        }
        return out;
    }

    private static int width(Number n) {
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("net_arch widths must be integers, got " + n);
        }
        if (n.doubleValue() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("net_arch widths must be at most " + Integer.MAX_VALUE + ", got " + n);
        }
        return n.intValue();
    }
}
