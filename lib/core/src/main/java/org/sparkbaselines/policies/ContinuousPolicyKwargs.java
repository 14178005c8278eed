package org.sparkbaselines.policies;

import java.util.List;
import java.util.Map;
import org.sparkbaselines.nn.Activation;

/**
 * The {@code policy_kwargs} of the reference's TD3, SAC and DDPG {@code MlpPolicy}: {@code layers} (hidden widths of
 * every network, [64, 64]) and {@code act_fun} ("relu").
 *
 * @param layers hidden layer widths
 * @param actFun hidden activation
 */
public record ContinuousPolicyKwargs(List<Integer> layers, Activation actFun) {
    public static final String MLP = "MlpPolicy";

    public ContinuousPolicyKwargs {
        layers = List.copyOf(layers);
    }

    /** Reads {@code kwargs} for policy {@code policyName}; an unknown policy, key or value is an error naming it. */
    public static ContinuousPolicyKwargs of(String policyName, Map<String, ?> kwargs) {
        if (!MLP.equals(policyName)) {
            throw new IllegalArgumentException("unknown policy '" + policyName + "' for this algorithm; known: " + MLP);
        }
        Map<String, ?> given = kwargs == null ? Map.of() : kwargs;
        for (String key : given.keySet()) {
            if (!key.equals("layers") && !key.equals("act_fun")) {
                throw new IllegalArgumentException("unknown policy_kwargs key '" + key + "'; known: act_fun, layers");
            }
        }
        List<Integer> layers = List.of(64, 64);
        if (given.get("layers") instanceof List<?> list) {
            layers = list.stream().map(w -> {
                if (!(w instanceof Number n) || n.intValue() < 1 || n.doubleValue() != n.intValue()) {
                    throw new IllegalArgumentException("policy_kwargs layers must be positive integers, got " + list);
                }
                return n.intValue();
            }).toList();
        } else if (given.get("layers") != null) {
            throw new IllegalArgumentException("policy_kwargs layers must be a list of widths, got " + given.get("layers"));
        }
        Object act = given.get("act_fun");
        return new ContinuousPolicyKwargs(layers, act == null ? Activation.RELU : act instanceof Activation a ? a : Activation.parse(act.toString()));
    }

    /** Adds the shapes of {@code MlpWithHead.glorot(scope, in, layers, ..., head, outputs, ...)}'s variables, in order. */
    public static void addShapes(Map<String, int[]> shapes, String scope, int in, List<Integer> layers, String head, int outputs) {
        int width = in;
        for (int i = 0; i <= layers.size(); i++) {
            String name = scope + "/" + (i < layers.size() ? "fc" + i : head);
            int units = i < layers.size() ? layers.get(i) : outputs;
            shapes.put(name + "/kernel:0", new int[] {width, units});
            shapes.put(name + "/bias:0", new int[] {units});
            width = units;
        }
    }
}
