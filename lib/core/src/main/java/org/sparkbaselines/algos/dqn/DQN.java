package org.sparkbaselines.algos.dqn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.OffPolicyAlgorithm;
import org.sparkbaselines.buffers.PrioritizedReplayBuffer;
import org.sparkbaselines.buffers.ReplayBatch;
import org.sparkbaselines.buffers.ReplayBuffer;
import org.sparkbaselines.common.Hyperparameters;
import org.sparkbaselines.common.Schedule;
import org.sparkbaselines.common.Schedules;
import org.sparkbaselines.imitation.Batch;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.TapeAdam;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.TapePolicy;
import org.sparkbaselines.sb2.Sb2Models;
import org.sparkbaselines.spaces.Space;

/**
 * Deep Q-Network (Mnih et al. 2013), the reference's {@code DQN}, with its extensions on by default: double
 * Q-learning (van Hasselt et al. 2015) and the dueling network ({@link QPolicySpec}); prioritized replay (Schaul et
 * al. 2015) on request. Each gradient step, on a minibatch from the replay buffer:
 * <pre>
 *   a*     = argmax_a Q(s', a)                 (online net; max over Q_target without double_q)
 *   y      = r + gamma (1 - done) Q_target(s', a*)
 *   L      = mean(w * huber(Q(s, a) - y))      (w: importance weights, 1 without prioritized replay)
 * </pre>
 * with Adam and each gradient clipped to norm 10 (the reference's {@code grad_norm_clipping=10}); the target net
 * copies the online one every {@code target_network_update_freq} steps. Actions are epsilon-greedy, epsilon
 * falling linearly from {@code exploration_initial_eps} to {@code exploration_final_eps} over the first
 * {@code exploration_fraction} of each {@code learn} call; with {@code param_noise}, greedy with a perturbed network
 * instead ({@link ParamNoise}).
 */
public final class DQN extends OffPolicyAlgorithm<DQN.Config> {
    /** The reference's {@code grad_norm_clipping} for DQN, per variable. */
    private static final double GRADIENT_CLIP_NORM = 10;

    /**
     * DQN's hyperparameters with the reference's defaults ({@link #DEFAULT}).
     *
     * @param gamma discount factor (0.99)
     * @param learningRate Adam's learning rate (5e-4)
     * @param bufferSize replay buffer size (50000)
     * @param explorationFraction fraction of the training over which epsilon falls (0.1)
     * @param explorationFinalEps final epsilon (0.02)
     * @param explorationInitialEps initial epsilon (1.0)
     * @param trainFreq env steps between training phases (1)
     * @param batchSize minibatch size (32)
     * @param doubleQ double Q-learning (true)
     * @param learningStarts env steps before learning starts (1000)
     * @param targetNetworkUpdateFreq env steps between target network copies (500)
     * @param prioritizedReplay prioritized experience replay (false)
     * @param prioritizedReplayAlpha how much prioritization is used, 0 being uniform (0.6)
     * @param prioritizedReplayBeta0 initial importance-sampling exponent, annealed to 1 (0.4)
     * @param prioritizedReplayBetaIters steps over which beta is annealed; null: the {@code learn} call's total (null)
     * @param prioritizedReplayEps added to |TD error| to make priorities (1e-6)
     * @param paramNoise parameter-space noise instead of epsilon-greedy actions ({@link ParamNoise}; epsilon then only sets
     *     the noise's target distance) (false)
     * @param gradientSteps gradient steps per training phase (1, the reference's fixed value; SB3's {@code gradient_steps})
     * @param truncationIsTerminal a time-out ends the return, as the reference, instead of bootstrapping (false)
     */
    public record Config(double gamma, double learningRate, int bufferSize, double explorationFraction, double explorationFinalEps,
            double explorationInitialEps, int trainFreq, int batchSize, boolean doubleQ, int learningStarts, int targetNetworkUpdateFreq,
            boolean prioritizedReplay, double prioritizedReplayAlpha, double prioritizedReplayBeta0, Integer prioritizedReplayBetaIters,
            double prioritizedReplayEps, boolean paramNoise, int gradientSteps, boolean truncationIsTerminal) implements ReplayConfig {
        public static final Config DEFAULT = new Config(0.99, 5e-4, 50000, 0.1, 0.02, 1.0, 1, 32, true, 1000, 500, false, 0.6, 0.4, null,
                1e-6, false, 1, false);

        public Config {
            Hyperparameters.requireFraction("gamma", gamma);
            Hyperparameters.requireFraction("exploration_fraction", explorationFraction);
            if (targetNetworkUpdateFreq < 1) {
                throw new IllegalArgumentException("target_network_update_freq must be >= 1, got " + targetNetworkUpdateFreq);
            }
            if (!(prioritizedReplayEps > 0)) {
                throw new IllegalArgumentException("prioritized_replay_eps must be > 0, got " + prioritizedReplayEps);
            }
            new ReplaySettings(bufferSize, batchSize, learningStarts, trainFreq, gradientSteps, truncationIsTerminal);
        }

        /** This config with the given snake_case hyperparameters replaced. */
        public Config with(Map<String, ?> overrides) {
            return Hyperparameters.with(this, overrides);
        }
    }

    private final DQNPolicy policy;
    private final TapeAdam optimizer;
    private Schedule exploration;
    private Schedule beta;
    private final float[] action = new float[1];
    /** Parameter-space noise, or null for epsilon-greedy exploration. */
    private final ParamNoise paramNoise;
    /** The acting network is to be perturbed anew before the next action: an episode has started. */
    private boolean perturbationDue = true;
    private TdLoss tdLoss;
    private final double[] priorities;
    private long nUpdates;

    /** DQN with the reference's defaults. */
    public DQN(String policy, Object env) {
        this(policy, env, Config.DEFAULT, AlgorithmOptions.DEFAULT);
    }

    public DQN(String policy, Object env, Config config) {
        this(policy, env, config, AlgorithmOptions.DEFAULT);
    }

    public DQN(String policy, Object env, Config config, AlgorithmOptions options) {
        this(policy, env, null, null, config, options);
    }

    private DQN(String policy, Object env, Space obs, Space act, Config config, AlgorithmOptions options) {
        super(policy, env, obs, act, config, options);
        this.policy = new DQNPolicy(policy, observationSpace, actionSpace, this.options.policyKwargs(), seed());
        this.optimizer = new TapeAdam(this.policy.onlineVariables(), AdamConfig.DEFAULT);
        this.priorities = new double[config.batchSize()];
        this.paramNoise = config.paramNoise() ? new ParamNoise(this.policy, this.policy.newEncoder().inputDim(), this.policy.actionSpace().n())
                : null;
    }

    /** Loads a DQN model file; {@code env} may be null (prediction only). */
    public static DQN load(Path path, Object env) throws IOException {
        return load(path, env, Map.of());
    }

    /** Loads a DQN model file with some hyperparameters, or options such as {@code verbose}, replaced. */
    public static DQN load(Path path, Object env, Map<String, ?> overrides) throws IOException {
        return load(path, env, overrides, "DQN", DQNPolicy::parameterShapes,
                (policy, venv, obs, act, hyper, options) -> new DQN(policy, venv, obs, act, Config.DEFAULT.with(hyper), options));
    }

    /** Loads a Stable Baselines 2 DQN agent ({@code .pkl} or {@code .zip}) for {@code env} without running the file's code. */
    public static DQN loadSb2(Path path, Object env) throws IOException {
        return (DQN) Sb2Models.load("dqn", path, env).model();
    }

    @Override
    public String algorithmName() {
        return "DQN";
    }

    @Override
    public DQNPolicy policy() {
        return policy;
    }

    @Override
    protected Optimizer optimizer() {
        return optimizer;
    }

    @Override
    protected ReplayBuffer makeReplayBuffer() {
        if (!config.prioritizedReplay()) {
            return super.makeReplayBuffer();
        }
        return new PrioritizedReplayBuffer(config.bufferSize(), observationSpace.flatDim(), 1, config.truncationIsTerminal(),
                config.prioritizedReplayAlpha());
    }

    @Override
    protected void startLearning(long totalTimesteps) {
        long explorationSteps = (long) (config.explorationFraction() * totalTimesteps);
        exploration = explorationSteps > 0 ? Schedules.linear(explorationSteps, config.explorationFinalEps(), config.explorationInitialEps())
                : Schedules.constant(config.explorationFinalEps());
        Integer betaIters = config.prioritizedReplayBetaIters();
        beta = Schedules.linear(betaIters != null ? betaIters : totalTimesteps, 1.0, config.prioritizedReplayBeta0());
    }

    @Override
    protected void onEpisodeStart() {
        perturbationDue = true;
    }

    @Override
    protected float[] explorationAction(float[] observation) {
        double epsilon = exploration.value(numTimesteps);
        if (paramNoise != null) {
            if (perturbationDue) {
                paramNoise.perturb(random);
                perturbationDue = false;
            }
            paramNoise.adapt(observation, epsilon, random);
            action[0] = paramNoise.action(observation);
            return action;
        }
        action[0] = random.nextDouble() < epsilon ? random.nextInt(policy.actionSpace().n()) : policy.greedyAction(observation);
        return action;
    }

    @Override
    protected void train(int gradientSteps) {
        double loss = 0;
        for (int step = 0; step < gradientSteps; step++) {
            sample(tdLoss().batch);
            loss = gradientStep();
        }
        logger.record("train/n_updates", nUpdates);
        logger.record("train/learning_rate", config.learningRate());
        logger.record("train/loss", loss);
        logger.record("rollout/exploration_rate", exploration.value(numTimesteps));
        if (paramNoise != null) {
            logger.record("rollout/param_noise_scale", paramNoise.scale());
        }
    }

    /** Prioritized replay draws by priority, with the annealed importance-sampling exponent. */
    @Override
    protected void draw(ReplayBatch batch) {
        if (replayBuffer instanceof PrioritizedReplayBuffer prioritized) {
            prioritized.sample(beta.value(numTimesteps), random, batch);
        } else {
            super.draw(batch);
        }
    }

    /** The minibatch's loss, made on first use (the batch size is fixed by then). */
    TdLoss tdLoss() {
        if (tdLoss == null) {
            tdLoss = new TdLoss(policy, new ReplayBatch(config.batchSize(), observationSpace.flatDim(), 1));
        }
        return tdLoss;
    }

    /** One Adam step on the TD loss of the minibatch {@link #tdLoss()} holds; returns the loss. */
    double gradientStep() {
        TdLoss td = tdLoss();
        Variables.zeroGrad(policy.onlineVariables());
        double loss = td.run(config.gamma(), config.doubleQ());
        Variables.clipEachByNorm(policy.onlineVariables(), GRADIENT_CLIP_NORM);
        optimizer.step(config.learningRate(), Double.NaN);
        nUpdates++;
        if (replayBuffer instanceof PrioritizedReplayBuffer prioritized) {
            for (int i = 0; i < td.batch.size(); i++) {
                priorities[i] = Math.abs(td.tdError.get(i, 0)) + config.prioritizedReplayEps();
            }
            prioritized.updatePriorities(td.batch.indices, priorities, td.batch.size());
        }
        return loss;
    }

    /** The reference's DQN trains once more than {@code learning_starts} steps have passed. */
    @Override
    protected boolean learningStarted() {
        return numTimesteps > config.learningStarts();
    }

    @Override
    protected void afterTrainingStep() {
        if (numTimesteps % config.targetNetworkUpdateFreq() == 0) {
            policy.updateTarget();
        }
    }

    /** The reference's cross-entropy of the expert's actions under {@code softmax(Q(s, .))}. */
    @Override
    protected Tensor cloningLoss(Tape tape, Batch batch) {
        int n = batch.size();
        int obsDim = observationSpace.flatDim();
        float[] observations = new float[n * obsDim];
        int[] actions = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(batch.observations()[i], 0, observations, i * obsDim, obsDim);
            actions[i] = (int) batch.actions()[i][0];
        }
        Tensor q = policy.qNet.forward(tape, TapePolicy.input(tape, policy.newEncoder(), observations, n));
        return tape.scale(tape.mean(tape.gather(tape.logSoftmax(q), actions)), -1f);
    }

    @Override
    protected List<Variable> cloningVariables() {
        return policy.onlineVariables();
    }
}
