package org.sparkbaselines.policies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.common.PairedWork;
import org.sparkbaselines.distributions.Distribution;
import org.sparkbaselines.distributions.Distributions;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.Backend;
import org.sparkbaselines.nn.Backends;
import org.sparkbaselines.nn.LayerSpec;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.MlpSpec;
import org.sparkbaselines.nn.ParameterVector;
import org.sparkbaselines.nn.Trainable;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;
import org.sparkbaselines.spaces.Space;

/**
 * The reference's actor-critic {@code MlpPolicy} (A2C, PPO2, and later TRPO, PPO1, ACKTR): optional
 * shared layers, then a policy MLP ending in the action distribution's parameters and a value MLP
 * ending in one value, built from {@code net_arch} with orthogonal initialisation (gain sqrt(2) for
 * hidden layers, 0.01 for the policy head, 1 for the value head) and a state-independent
 * {@code logstd} (initialised to 0) for Box actions. Parameter names follow the reference:
 * {@code model/shared_fc0/w:0}, {@code model/pi_fc0/w:0}, {@code model/vf_fc0/w:0}, {@code model/pi/w:0},
 * {@code model/vf/w:0}, {@code model/pi/logstd:0}.
 *
 * <p>{@link #trainingPass} runs the value network on a second core alongside the policy network for
 * batches of at least {@link #PAIRED_MIN_BATCH} rows when the backend allows it ({@link PairedWork});
 * {@link #evaluateActions} and {@link #backward} (behavior cloning, action probabilities) run in turn.
 *
 * <p>Not thread-safe: buffers are reused across calls, so nothing is allocated per call once a batch
 * size has been seen.
 */
public final class ActorCriticPolicy implements Policy {
    /** Smallest batch whose value network is worth handing to a second core (a hand-off costs ~1 µs). */
    static final int PAIRED_MIN_BATCH = 32;
    private static final String LOG_STD = "model/pi/logstd:0";
    private final Space observationSpace;
    private final Space actionSpace;
    private final PolicyKwargs kwargs;
    private final Backend backend;
    private final ObservationEncoder encoder;
    private final Distribution distribution;
    private final Mlp shared;
    private final Mlp pi;
    private final Mlp vf;
    private final MlpSpec actionPath;
    private final ParameterVector logStd;
    private final float[] logStdValues;
    private final float[] logStdGrad;
    private final SplittableRandom random;
    private ActorCriticPolicies.Registration registration;

    private float[][] lastParams;
    private float[][] lastActions;
    private int lastBatch = -1;
    private float[][] gradParams = new float[0][];
    private float[][] gradValues = new float[0][];
    private float[][] sharedGrad = new float[0][];
    // The value network's half of a training pass: its inputs and result, and the work itself,
    // created once so that pairing allocates nothing.
    private float[][] pairedInput;
    private int pairedBatch;
    private boolean pairedNeedInputGrad;
    private float[][] valueInputGrad;
    private final Runnable valuePass = this::valuePass;
    private SplitLoss pairedLoss;
    private boolean secondCore = true;
    // Per-row buffers of a training pass.
    private float[] passLogProb = new float[0];
    private float[] passEntropy = new float[0];
    private float[] passValues = new float[0];
    private float[] passDLogProb = new float[0];
    private float[] passDEntropy = new float[0];
    private float[] passDValue = new float[0];

    public ActorCriticPolicy(Space observationSpace, Space actionSpace, PolicyKwargs kwargs, long seed) {
        this.observationSpace = observationSpace;
        this.actionSpace = actionSpace;
        this.kwargs = kwargs;
        this.registration = new ActorCriticPolicies.Registration(ActorCriticPolicies.MLP, ActorCriticPolicy::new, kwargs);
        this.random = new SplittableRandom(seed);
        this.backend = Backends.get(kwargs.backend());
        this.encoder = new ObservationEncoder(observationSpace);
        this.distribution = Distributions.forActionSpace(actionSpace);
        Layout layout = Layout.of(encoder.inputDim(), distribution, kwargs);
        actionPath = layout.actionPath();
        shared = layout.shared() == null ? null : backend.mlp(layout.shared(), seed);
        pi = backend.mlp(layout.pi(), seed + 1000);
        vf = backend.mlp(layout.vf(), seed + 2000);
        if (distribution.logStdDim() > 0) {
            logStd = backend.parameterVector(LOG_STD, distribution.logStdDim(), 0f);
            logStdValues = new float[distribution.logStdDim()];
            logStdGrad = new float[distribution.logStdDim()];
        } else {
            logStd = null;
            logStdValues = null;
            logStdGrad = null;
        }
    }

    /**
     * The parameter names and shapes of the policy for these spaces and kwargs, in the policy's order
     * ({@link #parameterShapes()} of the built policy), worked out without building it: what a model file's
     * parameters are checked against before a network is allocated or initialised.
     *
     * @throws IllegalArgumentException naming what is wrong, e.g. a space whose network input or output
     *     width does not fit an int
     */
    public static LinkedHashMap<String, int[]> parameterShapes(Space observationSpace, Space actionSpace, PolicyKwargs kwargs) {
        Distribution distribution = Distributions.forActionSpace(actionSpace);
        Layout layout = Layout.of(new ObservationEncoder(observationSpace).inputDim(), distribution, kwargs);
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        if (layout.shared() != null) {
            shapes.putAll(layout.shared().parameterShapes());
        }
        shapes.putAll(layout.pi().parameterShapes());
        shapes.putAll(layout.vf().parameterShapes());
        if (distribution.logStdDim() > 0) {
            shapes.put(LOG_STD, new int[] {distribution.logStdDim()});
        }
        return shapes;
    }

    /**
     * The networks of the policy, from {@code net_arch}: optional shared layers, then the policy and value
     * layers, each ending in its head.
     *
     * @param shared the shared layers, or null when there are none
     */
    private record Layout(MlpSpec shared, MlpSpec pi, MlpSpec vf) {
        static Layout of(int inputDim, Distribution distribution, PolicyKwargs kwargs) {
            NetArch arch = kwargs.netArch();
            MlpSpec shared = arch.shared().isEmpty() ? null : new MlpSpec(inputDim, hidden("model/shared_fc", arch.shared(), kwargs.actFun()));
            int latent = shared == null ? inputDim : shared.outputDim();
            List<LayerSpec> piLayers = hidden("model/pi_fc", arch.pi(), kwargs.actFun());
            piLayers.add(new LayerSpec("model/pi", distribution.paramDim(), Activation.LINEAR, 0.01));
            List<LayerSpec> vfLayers = hidden("model/vf_fc", arch.vf(), kwargs.actFun());
            vfLayers.add(new LayerSpec("model/vf", 1, Activation.LINEAR, 1.0));
            return new Layout(shared, new MlpSpec(latent, piLayers), new MlpSpec(latent, vfLayers));
        }

        /** The shared layers, then the policy layers and head, as one stack from the encoded observation. */
        MlpSpec actionPath() {
            List<LayerSpec> layers = new ArrayList<>(shared == null ? List.of() : shared.layers());
            layers.addAll(pi.layers());
            return new MlpSpec(shared == null ? pi.inputDim() : shared.inputDim(), layers);
        }

        private static List<LayerSpec> hidden(String prefix, List<Integer> widths, Activation act) {
            List<LayerSpec> layers = new ArrayList<>();
            for (int i = 0; i < widths.size(); i++) {
                layers.add(new LayerSpec(prefix + i, widths.get(i), act, Math.sqrt(2)));
            }
            return layers;
        }
    }

    /**
     * Threads a {@link #trainingPass} may use (the algorithm's {@code n_cpu_tf_sess}): 1 runs the value
     * network on the caller's thread too; 2 or more lets it run on a second core (the default).
     */
    public void setThreads(int threads) {
        secondCore = threads >= 2;
    }

    /**
     * The layers from the encoded observation to the action distribution's parameters (shared, then policy,
     * then the head), with the policy's names, widths and activations: what another trainer of the action
     * path (data-parallel behavior cloning) builds its network from.
     */
    public MlpSpec actionPath() {
        return actionPath;
    }

    public PolicyKwargs kwargs() {
        return kwargs;
    }

    /**
     * The registered name, factory and kwargs this policy was built from ({@code MlpPolicy} and its own
     * kwargs when constructed directly): what a replica elsewhere, e.g. on a Spark executor, is built from.
     */
    public ActorCriticPolicies.Registration registration() {
        return registration;
    }

    void registeredAs(ActorCriticPolicies.Registration registration) {
        this.registration = registration;
    }

    public Distribution distribution() {
        return distribution;
    }

    @Override
    public Space observationSpace() {
        return observationSpace;
    }

    @Override
    public Space actionSpace() {
        return actionSpace;
    }

    /** The backend its networks run on. */
    public Backend backend() {
        return backend;
    }

    /** Everything an optimizer updates. */
    public List<Trainable> trainables() {
        List<Trainable> out = new ArrayList<>(4);
        if (shared != null) {
            out.add(shared);
        }
        out.add(pi);
        out.add(vf);
        if (logStd != null) {
            out.add(logStd);
        }
        return out;
    }

    /**
     * Chooses actions for a batch: samples (or takes the mode when {@code deterministic}), and writes
     * the value estimates and the actions' log-probabilities when those arrays are not null.
     * Actions are not clipped here (the rollout stores what was sampled).
     */
    public void act(float[][] obs, int batch, boolean deterministic, SplittableRandom random, float[][] actionsOut, float[] valuesOut,
            float[] logProbOut) {
        float[][] input = trunk(obs, batch);
        float[][] params = pi.forward(input, batch);
        refreshLogStd();
        if (deterministic) {
            distribution.mode(params, batch, actionsOut);
        } else {
            distribution.sample(params, logStdValues, batch, random, actionsOut);
        }
        if (logProbOut != null) {
            distribution.logProb(params, logStdValues, actionsOut, batch, logProbOut);
        }
        if (valuesOut != null) {
            copyValues(vf.forward(input, batch), batch, valuesOut);
        }
        lastBatch = -1;
    }

    /** Value estimates for a batch of observations. */
    public void predictValues(float[][] obs, int batch, float[] valuesOut) {
        copyValues(vf.forward(trunk(obs, batch), batch), batch, valuesOut);
        lastBatch = -1;
    }

    /**
     * The training forward pass: log-probabilities of {@code actions}, entropies and values (arrays may be
     * null when not needed), keeping what {@link #backward} needs.
     */
    public void evaluateActions(float[][] obs, float[][] actions, int batch, float[] logProbOut, float[] entropyOut, float[] valuesOut) {
        float[][] input = trunk(obs, batch);
        float[][] params = pi.forward(input, batch);
        refreshLogStd();
        if (logProbOut != null && entropyOut != null) {
            distribution.logProbAndEntropy(params, logStdValues, actions, batch, logProbOut, entropyOut);
        } else if (logProbOut != null) {
            distribution.logProb(params, logStdValues, actions, batch, logProbOut);
        } else if (entropyOut != null) {
            distribution.entropy(params, logStdValues, batch, entropyOut);
        }
        float[][] values = vf.forward(input, batch);
        if (valuesOut != null) {
            copyValues(values, batch, valuesOut);
        }
        lastParams = params;
        lastActions = actions;
        lastBatch = batch;
    }

    /**
     * Back-propagates a loss given per row as its derivatives with respect to the log-probability, the
     * entropy and the value of the last {@link #evaluateActions} call; ADDS parameter gradients.
     */
    public void backward(int batch, float[] dLogProb, float[] dEntropy, float[] dValue) {
        if (batch != lastBatch) {
            throw new IllegalStateException("backward(" + batch + ") must follow evaluateActions with the same batch (last: " + lastBatch + ")");
        }
        ensureGradBuffers(batch);
        for (int b = 0; b < batch; b++) {
            Arrays.fill(gradParams[b], 0f);
            gradValues[b][0] = dValue[b];
        }
        if (logStdGrad != null) {
            Arrays.fill(logStdGrad, 0f);
        }
        boolean needTrunkGrad = shared != null;
        distribution.backward(lastParams, logStdValues, lastActions, batch, dLogProb, dEntropy, gradParams, logStdGrad);
        float[][] piInputGrad = pi.backward(gradParams, batch, needTrunkGrad);
        finishBackward(batch, piInputGrad, vf.backward(gradValues, batch, needTrunkGrad));
    }

    /** Back-propagates into the shared layers (the sum of both networks' input gradients) and adds the log std gradient. */
    private void finishBackward(int batch, float[][] piInputGrad, float[][] vfInputGrad) {
        if (shared != null) {
            for (int b = 0; b < batch; b++) {
                float[] row = sharedGrad[b];
                for (int j = 0; j < row.length; j++) {
                    row[j] = piInputGrad[b][j] + vfInputGrad[b][j];
                }
            }
            shared.backward(sharedGrad, batch, false);
        }
        if (logStd != null) {
            logStd.addGradient(logStdGrad);
        }
    }

    /**
     * One training pass over a minibatch: both networks' forward passes, {@code loss}'s derivatives
     * and the backward passes, ADDING parameter gradients (zero them first). The value network's
     * whole part (forward, {@link SplitLoss#valueTerms}, backward) runs on a second core beside the
     * policy network's when the batch and backend allow it: one hand-off instead of two, and the
     * value loss's derivatives never cross cores.
     */
    public void trainingPass(float[][] obs, float[][] actions, int batch, SplitLoss loss) {
        ensureGradBuffers(batch);
        float[][] input = trunk(obs, batch);
        boolean needTrunkGrad = shared != null;
        pairedInput = input;
        pairedBatch = batch;
        pairedLoss = loss;
        pairedNeedInputGrad = needTrunkGrad;
        boolean forked = forkValuePass(batch);
        float[][] piInputGrad;
        try {
            float[][] params = pi.forward(input, batch);
            refreshLogStd();
            distribution.logProbAndEntropy(params, logStdValues, actions, batch, passLogProb, passEntropy);
            loss.policyTerms(batch, passLogProb, passEntropy, passDLogProb, passDEntropy);
            for (int b = 0; b < batch; b++) {
                Arrays.fill(gradParams[b], 0f);
            }
            if (logStdGrad != null) {
                Arrays.fill(logStdGrad, 0f);
            }
            distribution.backward(params, logStdValues, actions, batch, passDLogProb, passDEntropy, gradParams, logStdGrad);
            piInputGrad = pi.backward(gradParams, batch, needTrunkGrad);
        } finally {
            PairedWork.join(valuePass, forked);
        }
        finishBackward(batch, piInputGrad, valueInputGrad);
        lastBatch = -1;
    }

    @Override
    public LinkedHashMap<String, float[]> getParameters() {
        LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
        for (Trainable t : trainables()) {
            for (String name : t.parameterNames()) {
                out.put(name, t.getParameters().get(name));
            }
        }
        return out;
    }

    @Override
    public Map<String, int[]> parameterShapes() {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (Trainable t : trainables()) {
            out.putAll(t.parameterShapes());
        }
        return out;
    }

    @Override
    public void assignParameters(Map<String, float[]> values) {
        for (Trainable t : trainables()) {
            Map<String, float[]> mine = new LinkedHashMap<>();
            for (String name : t.parameterNames()) {
                if (values.containsKey(name)) {
                    mine.put(name, values.get(name));
                }
            }
            if (!mine.isEmpty()) {
                t.setParameters(mine);
            }
        }
    }

    /** Zeroes every gradient. */
    public void zeroGrad() {
        for (Trainable t : trainables()) {
            t.zeroGrad();
        }
    }

    /**
     * The distribution per observation as the reference's {@code action_probability}: softmax
     * probabilities (MultiDiscrete: per sub-action, concatenated), Bernoulli probabilities, or for Box
     * the mean followed by the standard deviation.
     */
    public float[][] actionProbability(float[][] obs, int batch) {
        float[][] params = pi.forward(trunk(obs, batch), batch);
        refreshLogStd();
        lastBatch = -1;
        float[][] out = new float[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = probabilities(params[b]);
        }
        return out;
    }

    private float[] probabilities(float[] params) {
        if (actionSpace instanceof Discrete) {
            return softmax(params, 0, params.length, new float[params.length]);
        }
        if (actionSpace instanceof MultiDiscrete m) {
            float[] out = new float[params.length];
            int offset = 0;
            for (int n : m.nvec()) {
                softmax(params, offset, n, out);
                offset += n;
            }
            return out;
        }
        if (actionSpace instanceof MultiBinary) {
            float[] out = new float[params.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (1 / (1 + Math.exp(-params[i])));
            }
            return out;
        }
        if (actionSpace instanceof Box) {
            float[] out = Arrays.copyOf(params, params.length * 2);
            for (int i = 0; i < params.length; i++) {
                out[params.length + i] = (float) Math.exp(logStdValues[i]);
            }
            return out;
        }
        throw new IllegalStateException("no probabilities for " + actionSpace);
    }

    private static float[] softmax(float[] x, int from, int n, float[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) {
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            sum += Math.exp(x[i] - max);
        }
        for (int i = from; i < from + n; i++) {
            out[i] = (float) (Math.exp(x[i] - max) / sum);
        }
        return out;
    }

    @Override
    public float[][] predict(float[][] observations, boolean deterministic) {
        float[][] out = new float[observations.length][actionSpace.flatDim()];
        act(observations, observations.length, deterministic, random, out, null, null);
        return out;
    }

    private void valuePass() {
        copyValues(vf.forward(pairedInput, pairedBatch), pairedBatch, passValues);
        pairedLoss.valueTerms(pairedBatch, passValues, passDValue);
        for (int b = 0; b < pairedBatch; b++) {
            gradValues[b][0] = passDValue[b];
        }
        valueInputGrad = vf.backward(gradValues, pairedBatch, pairedNeedInputGrad);
    }

    /** Offers the value network's half to a second core when the batch and backend make it worth it. */
    private boolean forkValuePass(int batch) {
        return secondCore && batch >= PAIRED_MIN_BATCH && backend.concurrentNetworks() && PairedWork.fork(valuePass);
    }

    private float[][] trunk(float[][] obs, int batch) {
        float[][] input = encoder.encode(obs, batch);
        return shared == null ? input : shared.forward(input, batch);
    }

    private void refreshLogStd() {
        if (logStd != null) {
            logStd.values(logStdValues);
        }
    }

    private static float[] copyValues(float[][] values, int batch, float[] out) {
        for (int b = 0; b < batch; b++) {
            out[b] = values[b][0];
        }
        return out;
    }

    private void ensureGradBuffers(int batch) {
        if (gradParams.length < batch) {
            passLogProb = new float[batch];
            passEntropy = new float[batch];
            passValues = new float[batch];
            passDLogProb = new float[batch];
            passDEntropy = new float[batch];
            passDValue = new float[batch];
            gradParams = new float[batch][distribution.paramDim()];
            gradValues = new float[batch][1];
            if (shared != null) {
                sharedGrad = new float[batch][shared.spec().outputDim()];
            }
        }
    }
}
