package org.sparkbaselines.algos.dqn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sparkbaselines.nn.Activation;

/**
 * A DQN policy's network as the reference's deepq policies define it, from a policy name and its
 * {@code policy_kwargs}: {@code MlpPolicy} (layer norm off) or {@code LnMlpPolicy} (on), with {@code layers}
 * ([64, 64]), {@code dueling} (true), {@code layer_norm} (the policy's) and {@code act_fun} ("relu").
 *
 * @param layers hidden layer widths of each stream
 * @param layerNorm layer normalization before each hidden activation
 * @param dueling separate value and advantage streams
 * @param actFun hidden activation
 */
public record QPolicySpec(List<Integer> layers, boolean layerNorm, boolean dueling, Activation actFun) {
    public static final String MLP = "MlpPolicy";
    public static final String LN_MLP = "LnMlpPolicy";
    private static final Set<String> KEYS = Set.of("layers", "dueling", "layer_norm", "act_fun", "feature_extraction");

    public QPolicySpec {
        layers = List.copyOf(layers);
        for (int units : layers) {
            if (units < 1) {
                throw new IllegalArgumentException("DQN policy layers must be positive widths, got " + layers);
            }
        }
    }

    /** The spec of policy {@code name} with {@code kwargs} applied; an unknown name, key or value is an error naming it. */
    public static QPolicySpec of(String name, Map<String, ?> kwargs) {
        if (!MLP.equals(name) && !LN_MLP.equals(name)) {
            throw new IllegalArgumentException("unknown DQN policy '" + name + "'; known: " + MLP + ", " + LN_MLP
                    + (name != null && name.contains("Cnn") ? " (CNN policies are not available for DQN yet)" : ""));
        }
        Map<String, ?> given = kwargs == null ? Map.of() : kwargs;
        for (String key : given.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown DQN policy_kwargs key '" + key + "'; known: " + new TreeSet<>(KEYS));
            }
        }
        Object extraction = given.get("feature_extraction");
        if (extraction != null && !"mlp".equals(extraction)) {
            throw new IllegalArgumentException("DQN policy_kwargs feature_extraction must be \"mlp\", got " + extraction);
        }
        List<Integer> layers = List.of(64, 64);
        if (given.get("layers") instanceof List<?> list) {
            List<Integer> widths = new ArrayList<>();
            for (Object width : list) {
                if (!(width instanceof Number n) || n.doubleValue() != n.intValue()) {
                    throw new IllegalArgumentException("DQN policy_kwargs layers must be integers, got " + list);
                }
                widths.add(n.intValue());
            }
            layers = widths;
        } else if (given.get("layers") != null) {
            throw new IllegalArgumentException("DQN policy_kwargs layers must be a list of widths, got " + given.get("layers"));
        }
        Object act = given.get("act_fun");
        return new QPolicySpec(layers, flag(given, "layer_norm", LN_MLP.equals(name)), flag(given, "dueling", true),
                act == null ? Activation.RELU : act instanceof Activation a ? a : Activation.parse(act.toString()));
    }

    private static boolean flag(Map<String, ?> kwargs, String key, boolean otherwise) {
        Object value = kwargs.get(key);
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException("DQN policy_kwargs " + key + " must be true or false, got " + value);
        }
        return b;
    }

    /** As written in model files' {@code policy_kwargs}. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("layers", layers);
        out.put("layer_norm", layerNorm);
        out.put("dueling", dueling);
        out.put("act_fun", actFun.name().toLowerCase(java.util.Locale.ROOT));
        return out;
    }
}
