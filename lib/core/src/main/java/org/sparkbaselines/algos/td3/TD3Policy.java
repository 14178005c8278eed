package org.sparkbaselines.algos.td3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.tape.MlpWithHead;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.ContinuousPolicyKwargs;
import org.sparkbaselines.policies.ObservationEncoder;
import org.sparkbaselines.policies.BoxTapePolicy;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Space;

/**
 * TD3's policy as the reference's {@code td3.policies.FeedForwardPolicy} builds it: a deterministic actor
 * {@code model/pi} (hidden layers {@code fc0, fc1, ...}, then {@code dense} with tanh: actions in [-1, 1]) and twin
 * critics {@code model/values_fn/qf1} and {@code qf2} over {@code concat(observation, action)}; {@code tf.layers.dense}'s
 * Glorot-uniform kernels and zero biases; and target copies under {@code target/}, all saved with the model in the
 * reference's order. {@code MlpPolicy} or {@code LnMlpPolicy} (hidden layers layer-normalized); {@code policy_kwargs}:
 * {@code layers} ([64, 64]), {@code act_fun} ("relu"), {@code layer_norm}.
 */
public final class TD3Policy extends BoxTapePolicy {
    /** One set of networks: the online ones ({@code model/...}) or the targets ({@code target/...}). */
    record Networks(MlpWithHead actor, MlpWithHead qf1, MlpWithHead qf2) {
        static Networks create(String scope, int obsDim, int actDim, ContinuousPolicyKwargs kwargs, SplittableRandom random) {
            return new Networks(kwargs.network(scope + "/pi", obsDim, "dense", actDim, Activation.TANH, random),
                    kwargs.network(scope + "/values_fn/qf1", obsDim + actDim, "qf1", 1, Activation.LINEAR, random),
                    kwargs.network(scope + "/values_fn/qf2", obsDim + actDim, "qf2", 1, Activation.LINEAR, random));
        }

        List<Variable> variables() {
            List<Variable> out = new ArrayList<>(actor.variables());
            out.addAll(critics());
            return out;
        }

        List<Variable> critics() {
            List<Variable> out = new ArrayList<>(qf1.variables());
            out.addAll(qf2.variables());
            return out;
        }
    }

    final Networks online;
    final Networks target;

    /**
     * @throws IllegalArgumentException for a policy name other than {@code MlpPolicy}, unknown kwargs, or an action space
     *     other than Box
     */
    public TD3Policy(String policyName, Space observationSpace, Space actionSpace, Map<String, ?> policyKwargs, long seed) {
        super("TD3", observationSpace, actionSpace);
        ContinuousPolicyKwargs kwargs = ContinuousPolicyKwargs.of(policyName, policyKwargs);
        SplittableRandom random = new SplittableRandom(seed);
        this.online = Networks.create("model", encoder.inputDim(), this.actionSpace.flatDim(), kwargs, random);
        this.target = Networks.create("target", encoder.inputDim(), this.actionSpace.flatDim(), kwargs, random);
        Variables.copy(online.variables(), target.variables());
    }

    /** The parameter shapes of a policy of these arguments, worked out without building it. */
    public static LinkedHashMap<String, int[]> parameterShapes(String policyName, Space observationSpace, Space actionSpace,
            Map<String, ?> policyKwargs) {
        ContinuousPolicyKwargs kwargs = ContinuousPolicyKwargs.of(policyName, policyKwargs);
        int obs = new ObservationEncoder(observationSpace).inputDim();
        int act = actionSpace.flatDim();
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        for (String scope : List.of("model", "target")) {
            kwargs.addShapes(shapes, scope + "/pi", obs, "dense", act);
            kwargs.addShapes(shapes, scope + "/values_fn/qf1", obs + act, "qf1", 1);
            kwargs.addShapes(shapes, scope + "/values_fn/qf2", obs + act, "qf2", 1);
        }
        return shapes;
    }

    /** The actor's action in [-1, 1] for one observation, into {@code out} (no allocation once warm). */
    public float[] act(float[] observation, float[] out) {
        Tensor a = online.actor().forward(inference, inferenceInput(observation));
        System.arraycopy(a.values(), 0, out, 0, out.length);
        return out;
    }

    /**
     * Actions rescaled to the Box, the actor run in double precision as the reference's agents were evaluated (its output
     * is deterministic: {@code deterministic} changes nothing, as in the reference).
     */
    @Override
    public float[][] predict(float[][] observations, boolean deterministic) {
        double[][] inputs = doubleInputs(observations);
        float[][] actions = new float[observations.length][];
        for (int b = 0; b < inputs.length; b++) {
            actions[b] = unscaled(online.actor().apply(inputs[b]));
        }
        return actions;
    }

    @Override
    protected List<Variable> variables() {
        List<Variable> all = new ArrayList<>(online.variables());
        all.addAll(target.variables());
        return all;
    }
}
