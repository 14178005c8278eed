package org.sparkbaselines.algos.dqn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.ObservationEncoder;
import org.sparkbaselines.policies.TapePolicy;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;

/**
 * DQN's policy: the online {@link QNetwork} ({@code deepq/model/...}) and its target copy
 * ({@code deepq/target_q_func/model/...}), both saved with the model as the reference saves them. It acts greedily
 * ({@code argmax Q}); asked for a stochastic action it samples from {@code softmax(Q)}, as the reference's
 * {@code DQNPolicy.step(deterministic=False)}. Observations are encoded as the reference's {@code observation_input}
 * (Discrete and MultiDiscrete as one-hots).
 */
public final class DQNPolicy extends TapePolicy {
    static final String ONLINE_SCOPE = "deepq/model";
    static final String TARGET_SCOPE = "deepq/target_q_func/model";

    private final Discrete actionSpace;
    private final QPolicySpec spec;
    final QNetwork qNet;
    final QNetwork qNetTarget;
    private final List<Variable> onlineVariables;
    private final List<Variable> targetVariables;
    private final SplittableRandom random;

    /**
     * @param policyName {@code MlpPolicy} or {@code LnMlpPolicy}
     * @param seed initialises the weights (the target starts as a copy) and stochastic predictions
     * @throws IllegalArgumentException for an action space other than Discrete, or a policy this cannot build
     */
    public DQNPolicy(String policyName, Space observationSpace, Space actionSpace, Map<String, ?> policyKwargs, long seed) {
        super(observationSpace);
        this.spec = QPolicySpec.of(policyName, policyKwargs);
        this.actionSpace = discrete(actionSpace);
        SplittableRandom init = new SplittableRandom(seed);
        this.qNet = new QNetwork(spec, encoder.inputDim(), this.actionSpace.n(), ONLINE_SCOPE, init);
        this.qNetTarget = new QNetwork(spec, encoder.inputDim(), this.actionSpace.n(), TARGET_SCOPE, init);
        this.onlineVariables = qNet.variables();
        this.targetVariables = qNetTarget.variables();
        Variables.copy(onlineVariables, targetVariables);
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /** The parameter shapes a policy of these arguments has (online then target), worked out without building it. */
    public static LinkedHashMap<String, int[]> parameterShapes(String policyName, Space observationSpace, Space actionSpace,
            Map<String, ?> policyKwargs) {
        QPolicySpec spec = QPolicySpec.of(policyName, policyKwargs);
        int inputDim = new ObservationEncoder(observationSpace).inputDim();
        int nActions = discrete(actionSpace).n();
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        for (String scope : List.of(ONLINE_SCOPE, TARGET_SCOPE)) {
            QNetwork.layout(spec, inputDim, nActions, scope,
                    (name, rows, cols, role) -> shapes.put(name, role == QNetwork.Role.WEIGHTS ? new int[] {rows, cols} : new int[] {cols}));
        }
        return shapes;
    }

    private static Discrete discrete(Space actionSpace) {
        if (!(actionSpace instanceof Discrete d)) {
            throw new IllegalArgumentException("DQN needs a Discrete action space, got " + actionSpace);
        }
        return d;
    }

    public QPolicySpec spec() {
        return spec;
    }

    /** The online network's variables, in order. */
    public List<Variable> onlineVariables() {
        return onlineVariables;
    }

    /** The target network's variables, matching {@link #onlineVariables()}. */
    public List<Variable> targetVariables() {
        return targetVariables;
    }

    /** Copies the online network into the target network (the reference's {@code update_target}). */
    public void updateTarget() {
        Variables.copy(onlineVariables, targetVariables);
    }

    /** {@code Q(s, .)} of the online network for one observation, on the policy's own tape (no allocation once warm). */
    Tensor qValues(float[] observation) {
        return qNet.forward(inference, inferenceInput(observation));
    }

    /** The greedy action for one observation. */
    public int greedyAction(float[] observation) {
        return argmax(qValues(observation), 0);
    }

    /** The index of the largest entry of row {@code row} (the first on ties, as {@code argmax}). */
    static int argmax(Tensor q, int row) {
        int best = 0;
        for (int a = 1; a < q.cols(); a++) {
            if (q.get(row, a) > q.get(row, best)) {
                best = a;
            }
        }
        return best;
    }

    /** {@code Q(s, .)} of the online network per observation, as the reference's {@code step} returns them. */
    public float[][] qValues(float[][] observations) {
        Tensor q = forward(observations);
        float[][] out = new float[observations.length][q.cols()];
        for (int b = 0; b < observations.length; b++) {
            for (int a = 0; a < q.cols(); a++) {
                out[b][a] = q.get(b, a);
            }
        }
        return out;
    }

    @Override
    public float[][] predict(float[][] observations, boolean deterministic) {
        Tensor q = forward(observations);
        float[][] actions = new float[observations.length][1];
        for (int b = 0; b < observations.length; b++) {
            actions[b][0] = deterministic ? argmax(q, b) : sampleSoftmax(q, b);
        }
        return actions;
    }

    /** The online network's {@code Q(s, .)} for a batch of observations, on the policy's own tape. */
    private Tensor forward(float[][] observations) {
        return qNet.forward(inference, inferenceInput(observations));
    }

    private int sampleSoftmax(Tensor q, int row) {
        double max = q.get(row, argmax(q, row));
        double total = 0;
        for (int a = 0; a < q.cols(); a++) {
            total += Math.exp(q.get(row, a) - max);
        }
        double u = random.nextDouble() * total;
        for (int a = 0; a < q.cols() - 1; a++) {
            u -= Math.exp(q.get(row, a) - max);
            if (u < 0) {
                return a;
            }
        }
        return q.cols() - 1;
    }

    @Override
    public Discrete actionSpace() {
        return actionSpace;
    }

    @Override
    protected List<Variable> variables() {
        List<Variable> all = new ArrayList<>(onlineVariables);
        all.addAll(targetVariables);
        return all;
    }
}
