package org.sparkbaselines.sb2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.pickle.PyGlobal;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;

/**
 * SB2's {@code common.policies.MlpPolicy}, shared by A2C, ACER, ACKTR, PPO2 and TRPO, mapped onto our
 * {@link ActorCriticPolicy}. The layer names are the same in both (TensorFlow's variable names); what differs
 * is the saved order, which names a {@code .pkl}'s unnamed list: TensorFlow's creation order, i.e. the shared
 * layers, then policy and value layers interleaved by depth, the value head, the policy head (and
 * {@code logstd}, shape (1, n), for Box actions), and last the {@code q} head ACER trains and the others leave
 * at its initial values. Whatever follows that block in a file is a copy (TRPO's {@code oldpi}) and is skipped.
 */
final class Sb2ActorCritic {
    static final String LOG_STD = "model/pi/logstd:0";
    private static final String POLICIES_MODULE = "stable_baselines.common.policies";
    private static final String Q_WEIGHTS = "model/q/w:0";
    private static final String Q_BIAS = "model/q/b:0";

    private Sb2ActorCritic() {
    }

    /**
     * Our policy kwargs for the file's {@code policy_kwargs} ({@code net_arch} or {@code layers}, and
     * {@code act_fun}, a TensorFlow function the pickle names), after checking the policy is SB2's MlpPolicy.
     */
    static PolicyKwargs policyKwargs(Sb2File file) throws MalformedFileException {
        Object policy = file.get("policy");
        // The module too: DQN, SAC, TD3 and DDPG have MlpPolicy classes of their own, and a user's class may reuse the name.
        if (policy instanceof PyGlobal global && !(global.module().equals(POLICIES_MODULE) && global.name().equals("MlpPolicy"))) {
            throw new MalformedFileException(file.path() + ": policy " + global + " is not supported; Stable Baselines 2 agents import"
                    + " with stable_baselines.common.policies.MlpPolicy");
        }
        Object kwargs = file.get("policy_kwargs");
        if (kwargs == null) {
            return PolicyKwargs.DEFAULT;
        }
        if (!(kwargs instanceof Map<?, ?> given)) {
            throw new MalformedFileException(file.path() + ": policy_kwargs is " + Sb2File.describe(kwargs) + ", not a dict");
        }
        Map<String, Object> ours = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : given.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            switch (key) {
                case "net_arch", "layers" -> ours.put(key, value);
                case "act_fun" -> ours.put(key, activation(file, value));
                default -> throw new MalformedFileException(file.path() + ": policy_kwargs '" + key + "' is not supported when importing"
                        + " (net_arch, layers and act_fun are)");
            }
        }
        try {
            return PolicyKwargs.fromMap(ours);
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(file.path() + ": policy_kwargs: " + e.getMessage(), e);
        }
    }

    /**
     * Our policy's parameters from the file: the acting block named by the saved order (a {@code .pkl} list)
     * or by name (a {@code .zip}), after the spaces the file records are checked against the env's
     * ({@link Sb2Spaces}); every shape checked against what the env's spaces and the kwargs give, and
     * every value finite once in float32, as our own model files must be.
     *
     * @param skipped receives a note when the file holds arrays after the acting block (copies)
     */
    static Map<String, float[]> parameters(Sb2File file, Space observationSpace, Space actionSpace, PolicyKwargs kwargs,
            List<String> skipped) throws MalformedFileException {
        if (!(observationSpace instanceof Box) || !(actionSpace instanceof Box || actionSpace instanceof Discrete)) {
            throw new IllegalArgumentException("Stable Baselines 2 MlpPolicy agents import for Box observations and Box or Discrete"
                    + " actions; the env has " + observationSpace + " / " + actionSpace);
        }
        Sb2Spaces.requireFits(file, observationSpace, actionSpace);
        LinkedHashMap<String, int[]> block = savedBlock(observationSpace, actionSpace, kwargs);
        Map<String, NdArray> found = file.names() == null ? byOrder(file, block, skipped) : byName(file, block, skipped);
        Map<String, float[]> ours = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> entry : found.entrySet()) {
            String name = entry.getKey();
            NdArray array = entry.getValue();
            int[] expected = block.get(name);
            if (!Arrays.equals(array.shape(), expected)) {
                throw new MalformedFileException(file.path() + ": parameter " + name + " has shape " + NdArray.formatShape(array.shape())
                        + " but the env's spaces and the policy's layers give " + NdArray.formatShape(expected)
                        + " (is the model for this env?)");
            }
            if (!name.equals(Q_WEIGHTS) && !name.equals(Q_BIAS)) {
                ours.put(name, finite(file, name, array.toFloatArray()));
            }
        }
        return ours;
    }

    /**
     * {@code values}, refused when one is NaN or infinite: a policy holding them acts on garbage and
     * cannot learn back. Checked after the conversion to float32, which also turns a float64 beyond its
     * range into infinity.
     */
    static float[] finite(Sb2File file, String name, float[] values) throws MalformedFileException {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new MalformedFileException(file.path() + ": parameter " + name + " holds " + values[i] + " at flat index " + i
                        + (Float.isNaN(values[i]) ? "" : " (in float32)") + "; model parameters must be finite");
            }
        }
        return values;
    }

    /** The acting block's names and SB2 shapes in SB2's saved order. */
    static LinkedHashMap<String, int[]> savedBlock(Space observationSpace, Space actionSpace, PolicyKwargs kwargs) {
        LinkedHashMap<String, int[]> ours = ActorCriticPolicy.parameterShapes(observationSpace, actionSpace, kwargs);
        int actions = actionSpace instanceof Discrete d ? d.n() : actionSpace.flatDim();
        int valueLatent = ours.get("model/vf/w:0")[0];
        LinkedHashMap<String, int[]> sb2 = new LinkedHashMap<>(ours);
        if (sb2.containsKey(LOG_STD)) {
            sb2.put(LOG_STD, new int[] {1, actions});
        }
        sb2.put(Q_WEIGHTS, new int[] {valueLatent, actions});
        sb2.put(Q_BIAS, new int[] {actions});
        List<String> names = new ArrayList<>(sb2.keySet());
        names.sort(Comparator.comparingInt(Sb2ActorCritic::creationRank));
        LinkedHashMap<String, int[]> ordered = new LinkedHashMap<>();
        names.forEach(name -> ordered.put(name, sb2.get(name)));
        return ordered;
    }

    /**
     * Where TensorFlow created a variable: shared layers by depth, then pi_fc/vf_fc interleaved by depth,
     * then the heads vf, pi, logstd, q; weights before biases.
     */
    private static int creationRank(String name) {
        String layer = name.substring("model/".length(), name.lastIndexOf('/'));
        int weightFirst = name.endsWith("/b:0") ? 1 : 0;
        if (layer.startsWith("shared_fc")) {
            return 4 * Integer.parseInt(layer.substring("shared_fc".length())) + weightFirst;
        }
        int hidden = 1 << 20;
        if (layer.startsWith("pi_fc")) {
            return hidden + 4 * Integer.parseInt(layer.substring("pi_fc".length())) + weightFirst;
        }
        if (layer.startsWith("vf_fc")) {
            return hidden + 4 * Integer.parseInt(layer.substring("vf_fc".length())) + 2 + weightFirst;
        }
        int heads = 1 << 28;
        return switch (name) {
            case "model/vf/w:0" -> heads;
            case "model/vf/b:0" -> heads + 1;
            case "model/pi/w:0" -> heads + 2;
            case "model/pi/b:0" -> heads + 3;
            case LOG_STD -> heads + 4;
            case Q_WEIGHTS -> heads + 5;
            case Q_BIAS -> heads + 6;
            default -> throw new IllegalStateException("unexpected parameter " + name);
        };
    }

    /** A {@code .pkl} list: the first block names itself by position; the rest must be whole copies of it. */
    private static Map<String, NdArray> byOrder(Sb2File file, LinkedHashMap<String, int[]> block, List<String> skipped)
            throws MalformedFileException {
        List<NdArray> arrays = file.arrays();
        int size = block.size();
        if (arrays.size() < size || arrays.size() % size != 0) {
            throw new MalformedFileException(file.path() + " holds " + arrays.size() + " parameter arrays; an MlpPolicy for the env's spaces"
                    + " and these layers has " + size + " (in order: " + block.keySet() + "), possibly followed by whole copies");
        }
        Map<String, NdArray> named = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(block.keySet());
        for (int i = 0; i < arrays.size(); i++) {
            String name = names.get(i % size);
            if (!Arrays.equals(arrays.get(i).shape(), block.get(name))) {
                throw new MalformedFileException(file.path() + ": parameter array " + i + " (" + name + (i >= size ? ", in a copy" : "")
                        + ") has shape " + NdArray.formatShape(arrays.get(i).shape()) + " but the env's spaces and the policy's layers give "
                        + NdArray.formatShape(block.get(name)) + " (is the model for this env?)");
            }
            if (i < size) {
                named.put(name, arrays.get(i));
            }
        }
        if (arrays.size() > size) {
            skipped.add((arrays.size() / size - 1) + " copy of the network after the acting one (e.g. TRPO's oldpi), "
                    + (arrays.size() - size) + " arrays, skipped");
        }
        return named;
    }

    /** A named file: exactly the acting block's names are used; others (copies under other scopes) are skipped. */
    private static Map<String, NdArray> byName(Sb2File file, LinkedHashMap<String, int[]> block, List<String> skipped)
            throws MalformedFileException {
        Map<String, NdArray> byName = new LinkedHashMap<>();
        for (int i = 0; i < file.names().size(); i++) {
            byName.put(file.names().get(i), file.arrays().get(i));
        }
        Map<String, NdArray> named = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : block.keySet()) {
            if (byName.containsKey(name)) {
                named.put(name, byName.get(name));
            } else {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new MalformedFileException(file.path() + " lacks parameters an MlpPolicy has: " + missing + " (it has "
                    + file.names() + ")");
        }
        int others = byName.size() - named.size();
        if (others > 0) {
            skipped.add(others + " arrays outside the acting network (copies), skipped");
        }
        return named;
    }

    /** Our activation for SB2's {@code act_fun}: a TensorFlow function the pickle names, e.g. {@code tensorflow...relu}. */
    static Activation activation(Sb2File file, Object actFun) throws MalformedFileException {
        if (actFun instanceof PyGlobal global) {
            try {
                return Activation.parse(global.name());
            } catch (IllegalArgumentException e) {
                throw new MalformedFileException(file.path() + ": policy_kwargs act_fun " + global + " is not supported (" + e.getMessage() + ")");
            }
        }
        throw new MalformedFileException(file.path() + ": policy_kwargs act_fun is " + (Sb2File.isSerialized(actFun)
                ? "a cloudpickled function, which is never decoded here; only the default tanh imports from a .zip"
                : Sb2File.describe(actFun) + ", not a TensorFlow activation"));
    }
}
