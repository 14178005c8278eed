package org.sparkbaselines.policies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sparkbaselines.nn.Activation;

/**
 * The reference's {@code policy_kwargs} for actor-critic policies.
 *
 * @param netArch layer layout (default {@link NetArch#DEFAULT})
 * @param actFun hidden-layer activation (default tanh)
 * @param backend network backend: {@code "auto"} (default: JVM kernels on CPU, ND4J when its CUDA
 *        backend is present), {@code "jvm"} or {@code "nd4j"}
 */
public record PolicyKwargs(NetArch netArch, Activation actFun, String backend) {
    public static final PolicyKwargs DEFAULT = new PolicyKwargs(NetArch.DEFAULT, Activation.TANH, "auto");
    private static final Set<String> KEYS = Set.of("net_arch", "layers", "act_fun", "backend");

    /**
     * Reads {@code net_arch} (or the legacy {@code layers}: the same widths for pi and vf),
     * {@code act_fun} and {@code backend}; an unknown key is an error naming it.
     */
    public static PolicyKwargs fromMap(Map<String, ?> kwargs) {
        if (kwargs == null || kwargs.isEmpty()) {
            return DEFAULT;
        }
        for (String key : kwargs.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown policy_kwargs key '" + key + "'; known: " + new TreeSet<>(KEYS));
            }
        }
        NetArch arch = DEFAULT.netArch;
        if (kwargs.containsKey("net_arch") && kwargs.containsKey("layers")) {
            throw new IllegalArgumentException("policy_kwargs: give net_arch or layers, not both");
        }
        if (kwargs.get("net_arch") != null) {
            arch = NetArch.parse(kwargs.get("net_arch"));
        } else if (kwargs.get("layers") != null) {
            NetArch layers = NetArch.parse(kwargs.get("layers"));
            arch = new NetArch(List.of(), layers.shared(), layers.shared());
        }
        Object act = kwargs.get("act_fun");
        Activation activation = act == null ? DEFAULT.actFun : act instanceof Activation a ? a : Activation.parse(act.toString());
        Object backend = kwargs.get("backend");
        return new PolicyKwargs(arch, activation, backend == null ? DEFAULT.backend : backend.toString());
    }

    /** As written in configs and model files. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("net_arch", netArch.toList());
        out.put("act_fun", actFun.name().toLowerCase());
        out.put("backend", backend);
        return out;
    }
}
