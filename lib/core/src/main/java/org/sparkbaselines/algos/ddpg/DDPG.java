package org.sparkbaselines.algos.ddpg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.BoxOffPolicyAlgorithm;
import org.sparkbaselines.buffers.ReplayBatch;
import org.sparkbaselines.common.Hyperparameters;
import org.sparkbaselines.common.PairedWork;
import org.sparkbaselines.common.noise.ActionNoise;
import org.sparkbaselines.common.noise.AdaptiveParamNoiseSpec;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.OptimizerState;
import org.sparkbaselines.nn.tape.Dense;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.TapeAdam;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.ObservationEncoder;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecStepResult;

/**
 * Deep Deterministic Policy Gradient (Lillicrap et al. 2015), the reference's {@code DDPG}. It collects
 * {@code nb_rollout_steps} steps with the actor plus action noise, then takes {@code nb_train_steps} gradient steps, each
 * on a minibatch (rewards stored times {@code reward_scale}; observations normalized by their running statistics when
 * {@code normalize_observations}, always clipped to {@code observation_range}):
 * <pre>
 *   y    = r + gamma (1 - done) Q_targ(s', pi_targ(s'))
 *   L_Q  = mean((Q(s, a) - clip(y, return_range))^2) + critic_l2_reg * sum(|W|^2) / 2   (Adam, critic_lr)
 *   L_pi = -mean(clip(Q(s, pi(s)), return_range))                                      (Adam, actor_lr)
 *   targ = (1 - tau) targ + tau online
 * </pre>
 * each gradient clipped to norm {@code clip_norm} when set (variable by variable, as the reference's {@code flatgrad}),
 * the critic's and the actor's steps from the same parameters, on two cores. An evaluation env ({@link #setEvalEnv})
 * runs {@code nb_eval_steps} deterministic steps after each cycle. Exploration is action noise, parameter noise
 * ({@link DDPGParamNoise}), or both. With {@code normalize_returns} and {@code enable_popart} the critic learns normalized returns
 * (Pop-Art, {@link DDPGPolicy#popArt}): each step the targets {@code y} (computed with the old statistics) update the return
 * statistics, the critics' output layers are rescaled to keep their denormalized outputs, and the losses become
 * {@code mean((Q_n(s, a) - clip((y - mean) / std, return_range))^2)} and {@code -mean(clip(Q_n(s, pi(s)), return_range) std + mean)};
 * without Pop-Art the reference never updates its return statistics, so {@code normalize_returns} only clips to {@code return_range}.
 */
public final class DDPG extends BoxOffPolicyAlgorithm<DDPG.Config> {

    /**
     * DDPG's hyperparameters with the reference's defaults ({@link #DEFAULT}).
     *
     * @param gamma discount factor (0.99)
     * @param nbTrainSteps gradient steps per cycle (50)
     * @param nbRolloutSteps env steps per cycle (100)
     * @param nbEvalSteps evaluation steps per cycle, with an evaluation env ({@link #setEvalEnv}) (100)
     * @param paramNoise parameter-space noise with the reference's {@code AdaptiveParamNoiseSpec()} ({@link DDPGParamNoise}) (false)
     * @param noiseType action noise: null, {@code "normal"} or {@code "ornstein-uhlenbeck"}; or the zoo's {@code "adaptive-param"},
     *     parameter noise of {@code noise_std} (null)
     * @param noiseStd its standard deviation (0.1)
     * @param normalizeObservations normalize observations by running statistics (false)
     * @param tau soft target update coefficient (0.001)
     * @param batchSize minibatch size (128)
     * @param paramNoiseAdaptionInterval gradient steps of a cycle between parameter-noise adaptions (50)
     * @param normalizeReturns the critic learns normalized returns (false; without Pop-Art the statistics stay at mean 0, std 1, so
     *     only the {@code return_range} clip acts, as in the reference)
     * @param enablePopart Pop-Art: the return statistics follow the critic's targets and its output layer is rescaled to match
     *     (false; needs {@code normalize_returns})
     * @param observationRange the clip of the network input, two numbers ([-5, 5])
     * @param criticL2Reg L2 regularization of the critic's hidden kernels (0)
     * @param returnRange the clip of the critic's output, two numbers, or null for none (null)
     * @param actorLr the actor's learning rate (1e-4)
     * @param criticLr the critic's learning rate (1e-3)
     * @param clipNorm gradient clip by norm per variable, or null for none (null)
     * @param rewardScale the factor rewards are stored with (1.0)
     * @param bufferSize replay buffer size (50000)
     * @param randomExploration probability of a uniformly random action (0.0)
     * @param truncationIsTerminal a time-out ends the return, as the reference, instead of bootstrapping (false)
     */
    /** The zoo's {@code noise_type} for parameter noise. */
    static final String ADAPTIVE_PARAM = "adaptive-param";
    private static final String PARAM_NOISE_STDDEV = "param_noise_stddev";

    public record Config(double gamma, int nbTrainSteps, int nbRolloutSteps, int nbEvalSteps, boolean paramNoise, String noiseType,
            double noiseStd, boolean normalizeObservations, double tau, int batchSize, int paramNoiseAdaptionInterval, boolean normalizeReturns,
            boolean enablePopart, List<?> observationRange, double criticL2Reg, List<?> returnRange, double actorLr, double criticLr,
            Double clipNorm, double rewardScale, int bufferSize, double randomExploration, boolean truncationIsTerminal) implements ExplorationConfig {
        public static final Config DEFAULT = new Config(0.99, 50, 100, 100, false, null, 0.1, false, 0.001, 128, 50, false, false,
                List.of(-5.0, 5.0), 0.0, null, 1e-4, 1e-3, null, 1.0, 50000, 0.0, false);

        public Config {
            Hyperparameters.requireFraction("gamma", gamma);
            Hyperparameters.requireFraction("tau", tau);
            Hyperparameters.requireFraction("random_exploration", randomExploration);
            if (enablePopart && !normalizeReturns) {
                throw new IllegalArgumentException("enable_popart needs normalize_returns (the reference ignores it without)");
            }
            if (clipNorm != null && !(clipNorm > 0)) {
                throw new IllegalArgumentException("clip_norm must be positive or null, got " + clipNorm);
            }
            if (!(criticL2Reg >= 0)) {
                throw new IllegalArgumentException("critic_l2_reg must be >= 0, got " + criticL2Reg);
            }
            range("observation_range", observationRange);
            if (returnRange != null) {
                range("return_range", returnRange);
            }
            ActionNoise.of(ADAPTIVE_PARAM.equals(noiseType) ? null : noiseType, noiseStd, 1, 0L);
            if (paramNoiseAdaptionInterval < 1) {
                throw new IllegalArgumentException("param_noise_adaption_interval must be >= 1, got " + paramNoiseAdaptionInterval);
            }
            new ReplaySettings(bufferSize, batchSize, 0, nbRolloutSteps, nbTrainSteps, truncationIsTerminal);
        }

        /** {@code [low, high]} of a two-number range, checked. */
        static float[] range(String name, List<?> range) {
            if (range == null || range.size() != 2 || !(range.get(0) instanceof Number low) || !(range.get(1) instanceof Number high)
                    || !(low.doubleValue() < high.doubleValue())) {
                throw new IllegalArgumentException(name + " must be two numbers [low, high] with low < high, got " + range);
            }
            return new float[] {low.floatValue(), high.floatValue()};
        }

        @Override
        public int learningStarts() {
            return 0;
        }

        /** {@code "adaptive-param"} names parameter noise, not an action noise. */
        @Override
        public String actionNoiseType() {
            return ADAPTIVE_PARAM.equals(noiseType) ? null : noiseType;
        }

        /**
         * The parameter noise: the zoo's {@code noise_type: adaptive-param} with {@code noise_std} as initial and desired
         * standard deviation, else {@code param_noise: true} with the reference's defaults, else null.
         */
        AdaptiveParamNoiseSpec paramNoiseSpec() {
            if (ADAPTIVE_PARAM.equals(noiseType)) {
                return new AdaptiveParamNoiseSpec(noiseStd, noiseStd, 1.01);
            }
            return paramNoise ? new AdaptiveParamNoiseSpec() : null;
        }

        @Override
        public int trainFreq() {
            return nbRolloutSteps;
        }

        @Override
        public int gradientSteps() {
            return nbTrainSteps;
        }

        /** This config with the given snake_case hyperparameters replaced. */
        public Config with(Map<String, ?> overrides) {
            return Hyperparameters.with(this, overrides);
        }
    }

    private final DDPGPolicy policy;
    /** The critic's output clip, or null. */
    private final float[] returnRange;
    private EvalEnvPhases evaluation;
    private final TapeAdam criticOptimizer;
    private final TapeAdam actorOptimizer;
    private final CriticStep criticStep;
    private final ActorStep actorStep;
    private final float[] scaledReward = new float[1];
    private long nUpdates;
    /** Parameter noise, or null. */
    private final DDPGParamNoise paramNoise;
    /** The exploring actor is to be perturbed anew before its next action: an episode has started. */
    private boolean perturbationDue = true;

    /** DDPG with the reference's defaults. */
    public DDPG(String policy, Object env) {
        this(policy, env, Config.DEFAULT, AlgorithmOptions.DEFAULT);
    }

    public DDPG(String policy, Object env, Config config, AlgorithmOptions options) {
        this(policy, env, null, null, config, options);
    }

    private DDPG(String policy, Object env, Space obs, Space act, Config config, AlgorithmOptions options) {
        super(policy, env, obs, act, config, options);
        this.policy = new DDPGPolicy(policy, observationSpace, actionSpace, this.options.policyKwargs(), config.normalizeObservations(),
                Config.range("observation_range", config.observationRange()), seed());
        this.criticOptimizer = new TapeAdam(this.policy.online.criticVariables(), AdamConfig.DEFAULT);
        this.actorOptimizer = new TapeAdam(this.policy.online.actorVariables(), AdamConfig.DEFAULT);
        this.returnRange = config.returnRange() == null ? null : Config.range("return_range", config.returnRange());
        this.criticStep = new CriticStep(this.policy, config, returnRange);
        this.actorStep = new ActorStep(this.policy, returnRange, criticStep.batch);
        AdaptiveParamNoiseSpec spec = config.paramNoiseSpec();
        this.paramNoise = spec == null ? null : new DDPGParamNoise(this.policy, spec, config.batchSize());
    }

    /** Loads a DDPG model file; {@code env} may be null (prediction only). */
    public static DDPG load(Path path, Object env, Map<String, ?> overrides) throws IOException {
        return load(path, env, overrides, "DDPG", DDPGPolicy::parameterShapes,
                (policy, venv, obs, act, hyper, options) -> new DDPG(policy, venv, obs, act, Config.DEFAULT.with(hyper), options));
    }

    @Override
    public String algorithmName() {
        return "DDPG";
    }

    @Override
    public DDPGPolicy policy() {
        return policy;
    }

    @Override
    protected OptimizerState optimizer() {
        Map<String, TapeAdam> groups = new LinkedHashMap<>();
        groups.put("critic", criticOptimizer);
        groups.put("actor", actorOptimizer);
        return OptimizerState.groups(groups);
    }

    /** The actor's action, or with parameter noise the perturbed actor's. */
    @Override
    protected void policyAction(float[] observation, float[] out) {
        if (paramNoise == null) {
            policy.act(observation, out);
            return;
        }
        if (perturbationDue) {
            paramNoise.perturb(random);
            perturbationDue = false;
        }
        policy.act(paramNoise.perturbed, observation, out);
    }

    @Override
    protected void onEpisodeStart() {
        super.onEpisodeStart();
        perturbationDue = true;
    }

    @Override
    protected Map<String, Double> explorationState() {
        return paramNoise == null ? Map.of() : Map.of(PARAM_NOISE_STDDEV, paramNoise.spec.currentStddev());
    }

    @Override
    protected void followExplorationState(Map<String, Double> state) {
        if (paramNoise != null && state.containsKey(PARAM_NOISE_STDDEV)) {
            paramNoise.spec.setCurrentStddev(state.get(PARAM_NOISE_STDDEV));
        }
    }

    /** The reference's {@code _store_transition}: the reward times {@code reward_scale}, the observation into the running statistics. */
    @Override
    public void replayBufferAdd(float[] observation, float[] action, float reward, float[] nextObservation, boolean terminated,
            boolean truncated) {
        super.replayBufferAdd(observation, action, (float) (reward * config.rewardScale()), nextObservation, terminated, truncated);
        if (config.normalizeObservations()) {
            policy.updateObservationStatistics(observation);
        }
    }

    @Override
    protected void train(int gradientSteps) {
        for (int step = 0; step < gradientSteps; step++) {
            if (paramNoise != null && step % config.paramNoiseAdaptionInterval() == 0) {
                sample(paramNoise.batch);
                paramNoise.adapt(random);
            }
            sample(criticStep.batch);
            policy.refreshStatistics();
            criticStep.computeTargets();
            if (config.enablePopart()) {
                policy.popArt(criticStep.targets, criticStep.batch.size());
            }
            Variables.zeroGrad(policy.online.variables());
            boolean forked = PairedWork.fork(actorStep);
            try {
                criticStep.run();
            } finally {
                PairedWork.join(actorStep, forked);
            }
            if (config.clipNorm() != null) {
                Variables.clipEachByNorm(policy.online.variables(), config.clipNorm());
            }
            actorOptimizer.step(config.actorLr(), Double.NaN);
            criticOptimizer.step(config.criticLr(), Double.NaN);
            Variables.polyak(policy.online.variables(), policy.target.variables(), (float) config.tau());
            nUpdates++;
        }
        logger.record("train/n_updates", nUpdates);
        logger.record("train/critic_loss", criticStep.loss);
        logger.record("train/actor_loss", actorStep.loss);
        if (paramNoise != null) {
            logger.record("train/param_noise_distance", paramNoise.lastDistance);
            logger.record("train/param_noise_stddev", paramNoise.spec.currentStddev());
        }
        if (evaluation != null) {
            evaluation.run();
        }
    }

    /**
     * The reference's {@code eval_env}: after each cycle's training, {@code nb_eval_steps} steps in this env with the
     * actor's deterministic action (no noise), recorded as {@code eval/return} (the mean return of the episodes that
     * ended in those steps), {@code eval/return_history} (of the last 100), {@code eval/Q} (the mean of
     * {@code clip(Q(s, pi(s)), return_range)}) and {@code eval/episodes}. The env keeps its episode across cycles, and an
     * episode's return counts all its steps (the reference restarts the count at each cycle's first step). Null stops
     * evaluating.
     *
     * @param evalEnv an env, VecEnv of one env or env id, with this model's spaces
     * @throws IllegalArgumentException when its spaces are not this model's, or it has several envs
     */
    public void setEvalEnv(Object evalEnv) {
        if (evalEnv == null) {
            evaluation = null;
            return;
        }
        VecEnv venv = toVecEnv(evalEnv, seed() + 1);
        if (venv.numEnvs() != 1 || !venv.observationSpace().equals(observationSpace) || !venv.actionSpace().equals(actionSpace)) {
            throw new IllegalArgumentException("the evaluation env must be one env of the model's spaces " + observationSpace + " / "
                    + actionSpace + "; got " + venv.numEnvs() + " of " + venv.observationSpace() + " / " + venv.actionSpace());
        }
        evaluation = new EvalEnvPhases(venv);
    }

    /** Evaluation phases in the evaluation env, one per cycle. */
    private final class EvalEnvPhases implements Runnable {
        private final VecEnv env;
        private final Deque<Double> history = new ArrayDeque<>();
        private final float[][] action = {new float[actionSpace.flatDim()]};
        private final float[] scaled = new float[actionSpace.flatDim()];
        private float[] obs;
        private double episodeReturn;

        EvalEnvPhases(VecEnv env) {
            this.env = env;
        }

        @Override
        public void run() {
            if (obs == null) {
                obs = env.reset()[0].clone();
            }
            double returns = 0;
            int episodes = 0;
            double qSum = 0;
            for (int step = 0; step < config.nbEvalSteps(); step++) {
                policy.act(obs, scaled);
                qSum += policy.q(obs, scaled, returnRange);
                boundedBox().unscale(scaled, 0, action[0]);
                VecStepResult result = env.step(action);
                episodeReturn += result.rewards()[0];
                if (result.dones()[0]) {
                    returns += episodeReturn;
                    episodes++;
                    if (history.size() == 100) {
                        history.removeFirst();
                    }
                    history.addLast(episodeReturn);
                    episodeReturn = 0;
                }
                System.arraycopy(result.obs()[0], 0, obs, 0, obs.length);
            }
            logger.record("eval/return", episodes > 0 ? returns / episodes : Double.NaN);
            logger.record("eval/return_history", history.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
            logger.record("eval/Q", config.nbEvalSteps() > 0 ? qSum / config.nbEvalSteps() : Double.NaN);
            logger.record("eval/episodes", episodes);
        }
    }

    /** The critic's loss on a minibatch, on tapes of its own; its gradients go into the critic. */
    static final class CriticStep implements Runnable {
        private final DDPGPolicy policy;
        private final Config config;
        private final float[] returnRange;
        private final ObservationEncoder encoder;
        private final Tape targetTape = new Tape();
        private final Tape tape = new Tape();
        final ReplayBatch batch;
        final float[] targets;
        private final float[] normalizedTargets;
        double loss;

        CriticStep(DDPGPolicy policy, Config config, float[] returnRange) {
            this.policy = policy;
            this.config = config;
            this.returnRange = returnRange;
            this.encoder = policy.newEncoder();
            this.batch = new ReplayBatch(config.batchSize(), policy.observationSpace().flatDim(), policy.actionSpace().flatDim());
            this.targets = new float[config.batchSize()];
            this.normalizedTargets = new float[config.batchSize()];
        }

        /** {@code y = r + gamma (1 - done) Q_targ(s', pi_targ(s'))}, the target critic's output denormalized, into {@link #targets}. */
        void computeTargets() {
            int n = batch.size();
            targetTape.reset();
            Tensor next = policy.normalizedInput(targetTape, encoder, batch.nextObservations, n);
            Tensor qNext = policy.target.critic(targetTape, next, policy.target.actor(targetTape, next));
            float mean = policy.returnMean();
            float std = policy.returnStd();
            for (int i = 0; i < n; i++) {
                targets[i] = (float) (batch.rewards[i] + config.gamma() * (1 - batch.dones[i]) * (qNext.get(i, 0) * std + mean));
            }
        }

        /** The loss on {@link #computeTargets}' targets, normalized by the return statistics as they are now and clipped. */
        @Override
        public void run() {
            int n = batch.size();
            float mean = policy.returnMean();
            float std = policy.returnStd();
            for (int i = 0; i < n; i++) {
                float y = (targets[i] - mean) / std;
                normalizedTargets[i] = returnRange == null ? y : Math.max(returnRange[0], Math.min(returnRange[1], y));
            }
            tape.reset();
            Tensor s = policy.normalizedInput(tape, encoder, batch.observations, n);
            Tensor q = policy.online.critic(tape, s, tape.constant(batch.actions, n, batch.actionDim()));
            Tensor criticLoss = tape.mean(tape.squaredError(q, tape.column(normalizedTargets, n)));
            if (config.criticL2Reg() > 0) {
                for (Dense layer : policy.online.criticHidden()) {
                    criticLoss = tape.add(criticLoss, tape.scale(tape.sum(tape.square(tape.variable(layer.kernel()))),
                            (float) (config.criticL2Reg() / 2)));
                }
            }
            tape.backward(criticLoss);
            loss = criticLoss.item();
        }
    }

    /** The actor's loss {@code -mean(clip(Q(s, pi(s))) std + mean)}, through a frozen view of the critic: the critic's gradients are untouched. */
    static final class ActorStep implements Runnable {
        private final DDPGPolicy policy;
        private final DDPGPolicy.Networks frozen;
        private final float[] returnRange;
        private final ObservationEncoder encoder;
        private final Tape tape = new Tape();
        private final ReplayBatch batch;
        double loss;

        ActorStep(DDPGPolicy policy, float[] returnRange, ReplayBatch batch) {
            this.policy = policy;
            this.frozen = policy.online.frozenCritic();
            this.returnRange = returnRange;
            this.encoder = policy.newEncoder();
            this.batch = batch;
        }

        @Override
        public void run() {
            int n = batch.size();
            tape.reset();
            Tensor s = policy.normalizedInput(tape, encoder, batch.observations, n);
            Tensor q = frozen.critic(tape, s, policy.online.actor(tape, s));
            if (returnRange != null) {
                q = tape.clip(q, returnRange[0], returnRange[1]);
            }
            Tensor actorLoss = tape.scale(tape.mean(tape.affine(q, policy.returnStd(), policy.returnMean())), -1f);
            tape.backward(actorLoss);
            loss = actorLoss.item();
        }
    }

    @Override
    protected Tensor deterministicAction(Tape tape, float[] observations, int n) {
        policy.refreshStatistics();
        return policy.online.actor(tape, policy.normalizedInput(tape, policy.newEncoder(), observations, n));
    }

    @Override
    protected List<Variable> cloningVariables() {
        return policy.online.actorVariables();
    }
}
