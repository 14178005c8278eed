package org.sparkbaselines.policies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.sparkbaselines.distributions.DifferentiableDistribution;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.tape.Dense;
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
    private final List<Dense> shared;
    private final List<Dense> policyLayers;
    private final List<Dense> valueLayers;
    private final Variable logStdVariable;
    // The branches of a forward pass, made once: a replay of the tape allocates nothing for them.
    private final Consumer<Tape> policyBranch;
    private final Consumer<Tape> valueBranch;
    private Tensor latent;
    private Tensor params;
    private Tensor logStd;
    private Tensor values;

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
        this.shared = path("model/shared_fc", null);
        this.policyLayers = path("model/pi_fc", "model/pi");
        this.valueLayers = path("model/vf_fc", "model/vf");
        this.logStdVariable = variables.get(LOG_STD);
        this.policyBranch = t -> {
            params = Dense.forward(t, policyLayers, latent);
            logStd = logStdVariable == null ? null : t.variable(logStdVariable);
        };
        this.valueBranch = t -> values = Dense.forward(t, valueLayers, latent);
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
        latent = Dense.forward(tape, shared, observations);
        tape.recordInParallel(policyBranch, valueBranch);
        return new Outputs(params, logStd, values);
    }

    /** The distribution's parameters and log std only (values null): the policy path. */
    public Outputs forwardPolicy(Tape tape, Tensor observations) {
        latent = Dense.forward(tape, shared, observations);
        policyBranch.accept(tape);
        return new Outputs(params, logStd, null);
    }

    /** The value estimates only: the value path. */
    public Tensor forwardValue(Tape tape, Tensor observations) {
        return Dense.forward(tape, valueLayers, Dense.forward(tape, shared, observations));
    }

    /** Hidden layers {@code prefix0, prefix1, ...} with the policy's activation, then the linear {@code head} if given. */
    private List<Dense> path(String prefix, String head) {
        List<Dense> out = new ArrayList<>();
        for (int i = 0; variables.containsKey(prefix + i + "/w:0"); i++) {
            out.add(new Dense(variables.get(prefix + i + "/w:0"), variables.get(prefix + i + "/b:0"), activation));
        }
        if (head != null) {
            out.add(new Dense(variables.get(head + "/w:0"), variables.get(head + "/b:0"), Activation.LINEAR));
        }
        return out;
    }
}
