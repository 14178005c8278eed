package org.sparkbaselines.algos.ddpg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.tape.Dense;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.ContinuousPolicyKwargs;
import org.sparkbaselines.policies.ObservationEncoder;
import org.sparkbaselines.policies.BoxTapePolicy;
import org.sparkbaselines.policies.TapePolicy;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Space;

/**
 * DDPG's policy as the reference's {@code ddpg.policies.FeedForwardPolicy} builds it: an actor {@code model/pi} (hidden
 * layers {@code fc0, fc1, ...}, then {@code pi} with tanh) and a critic {@code model/qf} whose first hidden layer sees
 * the observation only, the action joining after it ({@code concat(relu(fc0), action)}), ending in {@code qf_output};
 * Glorot-uniform hidden kernels, the output layers' kernels uniform in [-3e-3, 3e-3]; and target copies under
 * {@code target/}. Observations enter as the reference feeds them: normalized with the running statistics when
 * {@code normalize_observations}, and always clipped to {@code observation_range}; the statistics
 * ({@code obs_rms/mean:0}, {@code obs_rms/var:0}, {@code obs_rms/count:0}) are saved with the model. They are the
 * reference's running sums ({@code obs_rms/runningsum}, {@code runningsumsq}, {@code count}, which a reference agent
 * converts to) kept as mean and variance: the same prior weight of 1e-2 and the same floor on the standard deviation.
 */
public final class DDPGPolicy extends BoxTapePolicy {
    static final String OBS_MEAN = "obs_rms/mean:0";
    /**
     * The reference's DDPG statistics ({@code mpi_running_mean_std}): sums start at this weight (a prior of mean 0,
     * variance 1), and the standard deviation is at least {@code sqrt(1e-2)}.
     */
    static final double STATISTICS_EPSILON = 1e-2;
    static final String OBS_VAR = "obs_rms/var:0";
    static final String OBS_COUNT = "obs_rms/count:0";
    /** The return statistics of Pop-Art ({@code normalize_returns} with {@code enable_popart}), kept as the observations'. */
    static final String RET_MEAN = "ret_rms/mean:0";
    static final String RET_VAR = "ret_rms/var:0";
    static final String RET_COUNT = "ret_rms/count:0";
    private static final float OUTPUT_INIT = 3e-3f;

    /** One actor and one critic. */
    record Networks(List<Dense> actorHidden, Dense actorOut, List<Dense> criticHidden, Dense criticOut) {
        static Networks create(String scope, int obs, int act, ContinuousPolicyKwargs kwargs, SplittableRandom random) {
            List<Integer> layers = kwargs.layers();
            List<Dense> actor = kwargs.hidden(scope + "/pi", obs, random);
            Dense pi = uniform(scope + "/pi/pi", layers.get(layers.size() - 1), act, Activation.LINEAR, random);
            List<Dense> critic = new ArrayList<>();
            int in = obs;
            for (int i = 0; i < layers.size(); i++) {
                Dense layer = Dense.glorot(scope + "/qf/fc" + i, in, layers.get(i), kwargs.actFun(), random);
                critic.add(kwargs.layerNorm() ? layer.withLayerNorm(Dense.layerNormScope(scope + "/qf", i)) : layer);
                in = layers.get(i) + (i == 0 ? act : 0);
            }
            return new Networks(actor, pi, critic, uniform(scope + "/qf/qf_output", in, 1, Activation.LINEAR, random));
        }

        private static Dense uniform(String scope, int in, int units, Activation activation, SplittableRandom random) {
            Dense layer = Dense.glorot(scope, in, units, activation, random);
            float[] kernel = layer.kernel().values();
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] = (float) ((2 * random.nextDouble() - 1) * OUTPUT_INIT);
            }
            return layer;
        }

        /** {@code tanh} as its own op, exact, rather than the dense kernels' approximation: the reference's agents act through it. */
        Tensor actor(Tape t, Tensor s) {
            return t.tanh(actorOut.forward(t, Dense.forward(t, actorHidden, s)));
        }

        /** {@code Q(s, a)}: the action joins after the first hidden layer. */
        Tensor critic(Tape t, Tensor s, Tensor a) {
            Tensor h = t.concat(criticHidden.get(0).forward(t, s), a);
            return criticOut.forward(t, Dense.forward(t, criticHidden.subList(1, criticHidden.size()), h));
        }

        /** The critic as a constant ({@link Variable#frozenView}): what the actor's loss back-propagates through. */
        Networks frozenCritic() {
            return new Networks(actorHidden, actorOut, criticHidden.stream().map(Dense::frozenView).toList(), criticOut.frozenView());
        }

        /** A network of this one's actor shape with variables of its own (values unset) and this critic: parameter noise's copies. */
        Networks actorCopy(String scope) {
            List<Dense> hidden = new ArrayList<>();
            for (int i = 0; i < actorHidden.size(); i++) {
                hidden.add(copyShape(actorHidden.get(i), scope + "/pi/fc" + i, Dense.layerNormScope(scope + "/pi", i)));
            }
            return new Networks(hidden, copyShape(actorOut, scope + "/pi/pi", null), criticHidden, criticOut);
        }

        private static Dense copyShape(Dense layer, String scope, String normScope) {
            Variable kernel = layer.kernel();
            Dense copy = new Dense(new Variable(scope + "/kernel:0", kernel.rows(), kernel.cols()), Variable.vector(scope + "/bias:0", kernel.cols()),
                    layer.activation());
            return layer.norm() == null ? copy : copy.withLayerNorm(normScope);
        }

        List<Variable> actorVariables() {
            return Dense.variables(concat(actorHidden, actorOut));
        }

        List<Variable> criticVariables() {
            return Dense.variables(concat(criticHidden, criticOut));
        }

        List<Variable> variables() {
            List<Variable> out = new ArrayList<>(actorVariables());
            out.addAll(criticVariables());
            return out;
        }

        private static List<Dense> concat(List<Dense> hidden, Dense out) {
            List<Dense> all = new ArrayList<>(hidden);
            all.add(out);
            return all;
        }
    }

    private final boolean normalizeObservations;
    private final float observationLow;
    private final float observationHigh;
    final Networks online;
    final Networks target;
    final Variable obsMean;
    final Variable obsVar;
    final Variable obsCount;
    final Variable retMean;
    final Variable retVar;
    final Variable retCount;
    private final float[] std;

    /**
     * @param normalizeObservations the reference's {@code normalize_observations}
     * @param observationRange the reference's {@code observation_range}: inputs are clipped to it
     * @throws IllegalArgumentException for a policy or kwargs this cannot build, or an action space other than Box
     */
    DDPGPolicy(String policyName, Space observationSpace, Space actionSpace, Map<String, ?> policyKwargs, boolean normalizeObservations,
            float[] observationRange, long seed) {
        super("DDPG", observationSpace, actionSpace);
        ContinuousPolicyKwargs kwargs = ContinuousPolicyKwargs.of(policyName, policyKwargs);
        if (kwargs.layers().isEmpty()) {
            throw new IllegalArgumentException("DDPG's policy needs at least one hidden layer (the action joins the critic after it)");
        }
        this.normalizeObservations = normalizeObservations;
        this.observationLow = observationRange[0];
        this.observationHigh = observationRange[1];
        SplittableRandom random = new SplittableRandom(seed);
        int obs = encoder.inputDim();
        this.online = Networks.create("model", obs, this.actionSpace.flatDim(), kwargs, random);
        this.target = Networks.create("target", obs, this.actionSpace.flatDim(), kwargs, random);
        Variables.copy(online.variables(), target.variables());
        this.obsMean = Variable.vector(OBS_MEAN, obs);
        this.obsVar = Variable.vector(OBS_VAR, obs);
        java.util.Arrays.fill(obsVar.values(), 1f);
        this.obsCount = Variable.vector(OBS_COUNT, 1);
        obsCount.values()[0] = (float) STATISTICS_EPSILON;
        this.retMean = Variable.vector(RET_MEAN, 1);
        this.retVar = Variable.vector(RET_VAR, 1);
        retVar.values()[0] = 1f;
        this.retCount = Variable.vector(RET_COUNT, 1);
        retCount.values()[0] = (float) STATISTICS_EPSILON;
        this.std = new float[obs];
        refreshStatistics();
    }

    /** The parameter shapes of a policy of these arguments, worked out without building it. */
    public static LinkedHashMap<String, int[]> parameterShapes(String policyName, Space observationSpace, Space actionSpace,
            Map<String, ?> policyKwargs) {
        ContinuousPolicyKwargs kwargs = ContinuousPolicyKwargs.of(policyName, policyKwargs);
        List<Integer> layers = kwargs.layers();
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("DDPG's policy needs at least one hidden layer (the action joins the critic after it)");
        }
        int obs = new ObservationEncoder(observationSpace).inputDim();
        int act = actionSpace.flatDim();
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        for (String scope : List.of("model", "target")) {
            kwargs.addShapes(shapes, scope + "/pi", obs, "pi", act);
            int in = obs;
            for (int i = 0; i < layers.size(); i++) {
                shapes.put(scope + "/qf/fc" + i + "/kernel:0", new int[] {in, layers.get(i)});
                shapes.put(scope + "/qf/fc" + i + "/bias:0", new int[] {layers.get(i)});
                if (kwargs.layerNorm()) {
                    ContinuousPolicyKwargs.addLayerNormShapes(shapes, Dense.layerNormScope(scope + "/qf", i), layers.get(i));
                }
                in = layers.get(i) + (i == 0 ? act : 0);
            }
            shapes.put(scope + "/qf/qf_output/kernel:0", new int[] {in, 1});
            shapes.put(scope + "/qf/qf_output/bias:0", new int[] {1});
        }
        shapes.put(OBS_MEAN, new int[] {obs});
        shapes.put(OBS_VAR, new int[] {obs});
        shapes.put(OBS_COUNT, new int[] {1});
        shapes.put(RET_MEAN, new int[] {1});
        shapes.put(RET_VAR, new int[] {1});
        shapes.put(RET_COUNT, new int[] {1});
        return shapes;
    }

    /**
     * What the networks see of {@code x}: {@code clip((x - mean) / sqrt(max(var, 1e-2)), observation_range)} with the running
     * statistics when normalizing, else {@code clip(x, observation_range)} (the reference clips either way).
     */
    Tensor normalized(Tape t, Tensor x) {
        Tensor z = x;
        if (normalizeObservations) {
            z = t.divide(t.subtract(x, t.constant(obsMean.values(), 1, std.length)), t.constant(std, 1, std.length));
        }
        return t.clip(z, observationLow, observationHigh);
    }

    /** Recomputes the standard deviations {@link #normalized} divides by, from the running variance (one thread, before the tapes run). */
    void refreshStatistics() {
        float[] var = obsVar.values();
        for (int j = 0; j < std.length; j++) {
            std[j] = (float) standardDeviation(var[j]);
        }
    }

    /** {@code sqrt(max(var, 1e-2))}, as the reference's running statistics give it. */
    static double standardDeviation(double variance) {
        return Math.sqrt(Math.max(variance, STATISTICS_EPSILON));
    }

    /** The network input on {@code t} for {@code batch} observations given row-major ({@link #refreshStatistics} first). */
    Tensor normalizedInput(Tape t, ObservationEncoder encoder, float[] observations, int batch) {
        return normalized(t, TapePolicy.input(t, encoder, observations, batch));
    }

    /** The return statistics' mean: 0 unless Pop-Art moves it (the reference's {@code ret_rms.mean}). */
    float returnMean() {
        return retMean.values()[0];
    }

    /** The return statistics' standard deviation, {@code sqrt(max(var, 1e-2))}: 1 unless Pop-Art moves it. */
    float returnStd() {
        return (float) standardDeviation(retVar.values()[0]);
    }

    /**
     * Pop-Art (van Hasselt et al. 2016), the reference's {@code _setup_popart}: folds the first {@code n} critic targets into the
     * return statistics, then rescales the online and target critics' output layers so that their denormalized outputs are
     * unchanged: {@code W *= old_std / new_std}, {@code b = (b old_std + old_mean - new_mean) / new_std}.
     */
    void popArt(float[] targets, int n) {
        float oldMean = returnMean();
        float oldStd = returnStd();
        double count = retCount.values()[0];
        double mean = retMean.values()[0];
        double m2 = retVar.values()[0] * count;
        for (int i = 0; i < n; i++) {
            count++;
            double delta = targets[i] - mean;
            mean += delta / count;
            m2 += delta * (targets[i] - mean);
        }
        retMean.values()[0] = (float) mean;
        retVar.values()[0] = (float) (m2 / count);
        retCount.values()[0] = (float) count;
        float newMean = returnMean();
        float newStd = returnStd();
        for (Networks networks : List.of(online, target)) {
            float[] kernel = networks.criticOut().kernel().values();
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] *= oldStd / newStd;
            }
            float[] bias = networks.criticOut().bias().values();
            bias[0] = (bias[0] * oldStd + oldMean - newMean) / newStd;
        }
    }

    /** Folds one observation into the running statistics (the reference's {@code obs_rms.update}). */
    void updateObservationStatistics(float[] observation) {
        double count = obsCount.values()[0];
        double total = count + 1;
        float[] mean = obsMean.values();
        float[] var = obsVar.values();
        for (int j = 0; j < mean.length; j++) {
            double delta = observation[j] - mean[j];
            double newMean = mean[j] + delta / total;
            double m2 = var[j] * count + delta * delta * count / total;
            mean[j] = (float) newMean;
            var[j] = (float) (m2 / total);
        }
        obsCount.values()[0] = (float) total;
    }

    /** The actor's action in [-1, 1] for one observation, into {@code out}. */
    float[] act(float[] observation, float[] out) {
        return act(online, observation, out);
    }

    /** The action of {@code networks}' actor (the online one, or a perturbed copy) for one observation, into {@code out}. */
    float[] act(Networks networks, float[] observation, float[] out) {
        refreshStatistics();
        Tensor a = networks.actor(inference, normalized(inference, inferenceInput(observation)));
        System.arraycopy(a.values(), 0, out, 0, out.length);
        return out;
    }

    /** {@code Q(s, a)} for one observation and an action in [-1, 1], clipped to {@code returnRange} when not null, then denormalized. */
    float q(float[] observation, float[] scaledAction, float[] returnRange) {
        refreshStatistics();
        Tensor s = normalized(inference, inferenceInput(observation));
        float q = online.critic(inference, s, inference.constant(scaledAction, 1, scaledAction.length)).get(0, 0);
        float clipped = returnRange == null ? q : Math.max(returnRange[0], Math.min(returnRange[1], q));
        return clipped * returnStd() + returnMean();
    }

    /** The actor's deterministic actions rescaled to the Box, in double precision as the reference's agents were evaluated. */
    @Override
    public float[][] predict(float[][] observations, boolean deterministic) {
        double[][] inputs = doubleInputs(observations);
        float[] mean = obsMean.values();
        float[] var = obsVar.values();
        float[][] actions = new float[observations.length][];
        for (int b = 0; b < inputs.length; b++) {
            double[] x = inputs[b];
            for (int j = 0; j < x.length; j++) {
                double z = normalizeObservations ? (x[j] - mean[j]) / standardDeviation(var[j]) : x[j];
                x[j] = Math.max(observationLow, Math.min(observationHigh, z));
            }
            double[] u = online.actorOut().apply(Dense.apply(online.actorHidden(), x));
            for (int j = 0; j < u.length; j++) {
                u[j] = Math.tanh(u[j]);
            }
            actions[b] = unscaled(u);
        }
        return actions;
    }

    @Override
    protected List<Variable> variables() {
        List<Variable> all = new ArrayList<>(online.variables());
        all.addAll(target.variables());
        all.add(obsMean);
        all.add(obsVar);
        all.add(obsCount);
        all.add(retMean);
        all.add(retVar);
        all.add(retCount);
        return all;
    }
}
