package org.sparkbaselines.policies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.distributions.DifferentiableDistribution;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;

/**
 * An {@link ActorCriticPolicy}'s networks as {@link Tape} variables under the reference's names, for updates
 * written as forward expressions (TRPO, PPO1): the same layers (shared, then policy and value), activations
 * and values. {@link #pull} copies the policy's parameters in, {@link #push} writes these back, so the policy
 * keeps acting (in process and on executors) with its own fast kernels.
 */
public final class ActorCriticOnTape {
    private static final String LOG_STD = "model/pi/logstd:0";
    private final Map<String, Variable> variables = new LinkedHashMap<>();
    private final Activation activation;
    private final DifferentiableDistribution distribution;
    private final ObservationEncoder encoder;

    /** The distribution's parameters, log std (or null) and, when asked for, the values of a batch. */
    public record Outputs(Tensor params, Tensor logStd, Tensor values) {
    }

    public ActorCriticOnTape(ActorCriticPolicy policy) {
        this.activation = policy.kwargs().actFun();
        this.distribution = DifferentiableDistribution.forActionSpace(policy.actionSpace());
        this.encoder = new ObservationEncoder(policy.observationSpace());
        policy.parameterShapes().forEach((name, shape) -> variables.put(name,
                shape.length == 2 ? new Variable(name, shape[0], shape[1]) : new Variable(name, 1, shape[0])));
        pull(policy);
    }

    public DifferentiableDistribution distribution() {
        return distribution;
    }

    /** The network input on {@code tape} for the first {@code rows} observations, encoded as the policy encodes them. */
    public Tensor input(Tape tape, float[][] observations, int rows) {
        return tape.constant(encoder.encode(observations, rows), rows, encoder.inputDim());
    }

    /** Every variable, in the policy's parameter order. */
    public List<Variable> variables() {
        return List.copyOf(variables.values());
    }

    /**
     * What the reference's TRPO moves along the natural gradient: every variable whose name has no {@code /vf}
     * (shared layers, policy layers and head, log std).
     */
    public List<Variable> policyVariables() {
        return select(name -> !name.contains("/vf"));
    }

    /** What the reference's TRPO fits to the returns: every variable whose name has no {@code /pi} (shared and value layers). */
    public List<Variable> valueVariables() {
        return select(name -> !name.contains("/pi"));
    }

    private List<Variable> select(java.util.function.Predicate<String> keep) {
        List<Variable> out = new ArrayList<>();
        variables.forEach((name, v) -> {
            if (keep.test(name)) {
                out.add(v);
            }
        });
        return out;
    }

    /** Copies the policy's parameters into these variables. */
    public void pull(ActorCriticPolicy policy) {
        Variables.assign(variables(), policy.getParameters());
    }

    /** Writes these variables into the policy. */
    public void push(ActorCriticPolicy policy) {
        policy.assignParameters(Variables.values(variables()));
    }

    /**
     * The distribution's parameters, log std and values, the shared layers computed once; the policy and value
     * layers after them are recorded at once, on the two cores ({@link Tape#recordInParallel}).
     */
    public Outputs forward(Tape tape, Tensor observations) {
        Tensor latent = layers(tape, observations, "model/shared_fc", null);
        Outputs[] policy = new Outputs[1];
        Tensor[] values = new Tensor[1];
        tape.recordInParallel(t -> policy[0] = policyHead(t, latent), t -> values[0] = layers(t, latent, "model/vf_fc", "model/vf"));
        return new Outputs(policy[0].params(), policy[0].logStd(), values[0]);
    }

    /** The distribution's parameters and log std only (values null): the policy path. */
    public Outputs forwardPolicy(Tape tape, Tensor observations) {
        return policyHead(tape, layers(tape, observations, "model/shared_fc", null));
    }

    /** The value estimates only: the value path. */
    public Tensor forwardValue(Tape tape, Tensor observations) {
        return layers(tape, layers(tape, observations, "model/shared_fc", null), "model/vf_fc", "model/vf");
    }

    private Outputs policyHead(Tape tape, Tensor latent) {
        Variable logStd = variables.get(LOG_STD);
        return new Outputs(layers(tape, latent, "model/pi_fc", "model/pi"), logStd == null ? null : tape.variable(logStd), null);
    }

    /** Hidden layers {@code prefix0, prefix1, ...} with the policy's activation, then the linear {@code head} if given. */
    private Tensor layers(Tape tape, Tensor x, String prefix, String head) {
        for (int i = 0; variables.containsKey(prefix + i + "/w:0"); i++) {
            x = tape.dense(x, variables.get(prefix + i + "/w:0"), variables.get(prefix + i + "/b:0"), activation);
        }
        return head == null ? x : tape.dense(x, variables.get(head + "/w:0"), variables.get(head + "/b:0"), Activation.LINEAR);
    }
}
