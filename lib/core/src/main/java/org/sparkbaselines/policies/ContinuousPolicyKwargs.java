package org.sparkbaselines.policies;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.tape.Dense;
import org.sparkbaselines.nn.tape.MlpWithHead;

/**
 * The {@code policy_kwargs} of the reference's TD3, SAC and DDPG {@code MlpPolicy} and {@code LnMlpPolicy}: {@code layers}
 * (hidden widths of every network, [64, 64]), {@code act_fun} ("relu") and {@code layer_norm} (true for {@code LnMlpPolicy}:
 * every hidden layer layer-normalized before its activation, {@code <scope>/LayerNorm/beta:0} and {@code gamma:0}).
 *
 * @param layers hidden layer widths
 * @param actFun hidden activation
 * @param layerNorm whether hidden layers are layer-normalized
 */
public record ContinuousPolicyKwargs(List<Integer> layers, Activation actFun, boolean layerNorm) {
    public static final String MLP = "MlpPolicy";
    public static final String LN_MLP = "LnMlpPolicy";

    public ContinuousPolicyKwargs {
        layers = List.copyOf(layers);
    }

    /** Reads {@code kwargs} for policy {@code policyName}; an unknown policy, key or value is an error naming it. */
    public static ContinuousPolicyKwargs of(String policyName, Map<String, ?> kwargs) {
        if (!MLP.equals(policyName) && !LN_MLP.equals(policyName)) {
            throw new IllegalArgumentException("unknown policy '" + policyName + "' for this algorithm; known: " + MLP + ", " + LN_MLP);
        }
        Map<String, ?> given = kwargs == null ? Map.of() : kwargs;
        for (String key : given.keySet()) {
            if (!List.of("layers", "act_fun", "layer_norm").contains(key)) {
                throw new IllegalArgumentException("unknown policy_kwargs key '" + key + "'; known: act_fun, layer_norm, layers");
            }
        }
        Object layerNorm = given.get("layer_norm");
        if (layerNorm != null && !(layerNorm instanceof Boolean)) {
            throw new IllegalArgumentException("policy_kwargs layer_norm must be true or false, got " + layerNorm);
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
        return new ContinuousPolicyKwargs(layers, act == null ? Activation.RELU : act instanceof Activation a ? a : Activation.parse(act.toString()),
                LN_MLP.equals(policyName) || Boolean.TRUE.equals(layerNorm));
    }

    /** The hidden layers {@code <scope>/fc0, fc1, ...} from {@code in} inputs, Glorot-initialised from {@code random}. */
    public List<Dense> hidden(String scope, int in, SplittableRandom random) {
        return Dense.mlp(scope, in, layers, actFun, layerNorm, random);
    }

    /** The hidden layers and a dense {@code <scope>/<head>} of {@code outputs} units, Glorot-initialised from {@code random}. */
    public MlpWithHead network(String scope, int in, String head, int outputs, Activation outputActivation, SplittableRandom random) {
        return MlpWithHead.glorot(scope, in, layers, actFun, layerNorm, head, outputs, outputActivation, random);
    }

    /** Adds the shapes of {@code MlpWithHead.glorot(scope, in, layers, ..., layerNorm, head, outputs, ...)}'s variables, in order. */
    public void addShapes(Map<String, int[]> shapes, String scope, int in, String head, int outputs) {
        int width = in;
        for (int i = 0; i <= layers.size(); i++) {
            String name = scope + "/" + (i < layers.size() ? "fc" + i : head);
            int units = i < layers.size() ? layers.get(i) : outputs;
            shapes.put(name + "/kernel:0", new int[] {width, units});
            shapes.put(name + "/bias:0", new int[] {units});
            if (layerNorm && i < layers.size()) {
                addLayerNormShapes(shapes, Dense.layerNormScope(scope, i), units);
            }
            width = units;
        }
    }

    /** The shapes of a layer norm's shift and gain under {@code normScope}. */
    public static void addLayerNormShapes(Map<String, int[]> shapes, String normScope, int units) {
        shapes.put(normScope + "/beta:0", new int[] {units});
        shapes.put(normScope + "/gamma:0", new int[] {units});
    }
}
