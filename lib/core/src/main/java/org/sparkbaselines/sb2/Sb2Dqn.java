package org.sparkbaselines.sb2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.algos.dqn.DQNPolicy;
import org.sparkbaselines.algos.dqn.QPolicySpec;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.policies.ObservationEncoder;
import org.sparkbaselines.spaces.Space;

/**
 * A Stable Baselines 2 DQN agent's network read from its file. The reference's deepq policies are often user
 * subclasses (the RL zoo's {@code utils.CustomDQNPolicy} is {@code FeedForwardPolicy(layers=[64], layer_norm=True)}),
 * whose layers a file does not record; so the architecture is read off the online network's arrays, which come
 * first after the exploration {@code deepq/eps} scalar in a {@code .pkl} list (and under {@code deepq/model/} in a
 * named {@code .zip}): per stream, dense weights {@code (in, h)} and biases {@code (h)}, each hidden one followed by
 * the layer norm's {@code beta, gamma} when the policy normalizes; a second stream ending in one unit is the dueling
 * value stream. The target network starts as a copy of the online one (the copies in the file are skipped, noted).
 *
 * @param spec the policy the arrays describe
 * @param parameters the online network's values under our names (the reference's), then the same values as the target's
 */
record Sb2Dqn(QPolicySpec spec, Map<String, float[]> parameters) {
    private static final String ONLINE_PREFIX = "deepq/model/";

    static Sb2Dqn read(Sb2File file, Space observationSpace, Space actionSpace, List<String> notes) throws MalformedFileException {
        Sb2Spaces.requireFits(file, observationSpace, actionSpace);
        int inputDim = new ObservationEncoder(observationSpace).inputDim();
        int nActions = actionSpace.flatDim() == 1 && actionSpace instanceof org.sparkbaselines.spaces.Discrete d ? d.n() : -1;
        if (nActions < 1) {
            throw new IllegalArgumentException("DQN agents act in Discrete action spaces; the env has " + actionSpace);
        }
        List<NdArray> online = onlineArrays(file);
        Reading reading = reading(online, inputDim, nActions);
        if (reading == null) {
            throw new MalformedFileException(file.path() + ": its " + online.size() + " arrays (shapes " + shapes(online, 6)
                    + "...) are not a deepq Q-network for " + inputDim + " inputs and " + nActions + " actions, followed by whole copies"
                    + " (is the model for this env?)");
        }
        Stream actions = reading.actions;
        boolean dueling = reading.value != null;
        int end = reading.end();
        QPolicySpec spec = new QPolicySpec(actions.layers, actions.layerNorm, dueling, activation(file));
        String policyName = spec.layerNorm() ? QPolicySpec.LN_MLP : QPolicySpec.MLP;
        Map<String, float[]> parameters = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(DQNPolicy.parameterShapes(policyName, observationSpace, actionSpace, spec.toMap()).keySet());
        for (int i = 0; i < end; i++) {
            parameters.put(names.get(i), Sb2ActorCritic.finite(file, names.get(i), online.get(i).toFloatArray()));
        }
        for (int i = 0; i < end; i++) {
            parameters.put(names.get(end + i), parameters.get(names.get(i)).clone());
        }
        int skipped = file.arrays().size() - end;
        if (skipped > 0) {
            notes.add(skipped + " arrays besides the online Q-network (deepq/eps, the target and parameter-noise copies) skipped; the target"
                    + " network starts as a copy of the online one");
        }
        return new Sb2Dqn(spec, parameters);
    }

    /** The online network's arrays in creation order: after {@code deepq/eps} in a list, by prefix in a named file. */
    private static List<NdArray> onlineArrays(Sb2File file) throws MalformedFileException {
        List<NdArray> arrays = file.arrays();
        if (file.names() != null) {
            List<NdArray> online = new ArrayList<>();
            for (int i = 0; i < arrays.size(); i++) {
                if (file.names().get(i).startsWith(ONLINE_PREFIX)) {
                    online.add(arrays.get(i));
                }
            }
            return online;
        }
        if (arrays.isEmpty() || arrays.get(0).size() != 1) {
            throw new MalformedFileException(file.path() + ": a DQN parameter list starts with the scalar deepq/eps, got "
                    + (arrays.isEmpty() ? "no arrays" : "shape " + NdArray.formatShape(arrays.get(0).shape())));
        }
        return arrays.subList(1, arrays.size());
    }

    /**
     * An architecture the arrays can be read as: the action stream, the dueling value stream (null without), and where
     * the online network ends.
     */
    private record Reading(Stream actions, Stream value) {
        int end() {
            return value != null ? value.end : actions.end;
        }
    }

    /**
     * The reading of {@code arrays} as the online network followed by whole copies of it (targets, parameter-noise
     * networks), or null when there is none. A hidden layer as wide as the output cannot always be told from the output
     * layer by its shapes alone; that the rest of the file must be copies of the network decides it. Where readings
     * remain, the one with the fewest arrays (then: dueling) is taken.
     */
    private static Reading reading(List<NdArray> arrays, int inputDim, int nActions) {
        for (Stream actions : Stream.readings(arrays, 0, inputDim, nActions)) {
            for (Stream value : Stream.readings(arrays, actions.end, inputDim, 1)) {
                if (value.layers.equals(actions.layers) && value.layerNorm == actions.layerNorm && copiesFollow(arrays, value.end)) {
                    return new Reading(actions, value);
                }
            }
            if (copiesFollow(arrays, actions.end)) {
                return new Reading(actions, null);
            }
        }
        return null;
    }

    /** Whether {@code arrays} after the first {@code block} are whole copies of it, shape for shape. */
    private static boolean copiesFollow(List<NdArray> arrays, int block) {
        if (arrays.size() % block != 0) {
            return false;
        }
        for (int i = block; i < arrays.size(); i++) {
            if (!java.util.Arrays.equals(arrays.get(i).shape(), arrays.get(i % block).shape())) {
                return false;
            }
        }
        return true;
    }

    private static String shapes(List<NdArray> arrays, int first) {
        return String.join(", ", arrays.stream().limit(first).map(a -> NdArray.formatShape(a.shape())).toList());
    }

    /** One stream read from {@code arrays[start..end)}: its hidden widths, whether they are layer-normalized, its output width. */
    private record Stream(List<Integer> layers, boolean layerNorm, int outputs, int end) {
        /**
         * Every way {@code arrays[start..]} begins with a stream of dense layers on {@code inputDim} inputs ending in
         * {@code outputs} units (weights {@code (in, h)}, biases {@code (h)}, layer norm {@code beta, gamma} after every
         * hidden layer or none), shortest first.
         */
        static List<Stream> readings(List<NdArray> arrays, int start, int inputDim, int outputs) {
            List<Stream> found = new ArrayList<>();
            collect(arrays, start, inputDim, outputs, new ArrayList<>(), null, found);
            return found;
        }

        private static void collect(List<NdArray> arrays, int i, int in, int outputs, List<Integer> layers, Boolean layerNorm, List<Stream> found) {
            if (i + 1 >= arrays.size()) {
                return;
            }
            NdArray weights = arrays.get(i);
            NdArray bias = arrays.get(i + 1);
            if (weights.ndim() != 2 || weights.shape()[0] != in || bias.ndim() != 1 || bias.shape()[0] != weights.shape()[1]) {
                return;
            }
            int units = weights.shape()[1];
            if (units == outputs) {
                found.add(new Stream(List.copyOf(layers), Boolean.TRUE.equals(layerNorm), units, i + 2));
            }
            List<Integer> deeper = new ArrayList<>(layers);
            deeper.add(units);
            boolean normalized = isVector(arrays, i + 2, units) && isVector(arrays, i + 3, units);
            if (normalized && !Boolean.FALSE.equals(layerNorm)) {
                collect(arrays, i + 4, units, outputs, deeper, true, found);
            }
            if (!Boolean.TRUE.equals(layerNorm)) {
                collect(arrays, i + 2, units, outputs, deeper, false, found);
            }
        }

        private static boolean isVector(List<NdArray> arrays, int i, int size) {
            return i < arrays.size() && arrays.get(i).ndim() == 1 && arrays.get(i).shape()[0] == size;
        }
    }

    /** The file's {@code policy_kwargs act_fun} where it gives one, else the reference's ReLU. */
    private static Activation activation(Sb2File file) throws MalformedFileException {
        if (file.get("policy_kwargs") instanceof Map<?, ?> kwargs && kwargs.get("act_fun") != null) {
            return Sb2ActorCritic.activation(file, kwargs.get("act_fun"));
        }
        return Activation.RELU;
    }
}
