package org.sparkbaselines.algos.ppo1;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.OnPolicyAlgorithm;
import org.sparkbaselines.algos.RolloutOnTape;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.common.Hyperparameters;
import org.sparkbaselines.distributions.DifferentiableDistribution;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.TapeAdam;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.ActorCriticOnTape;
import org.sparkbaselines.spaces.Space;

/**
 * Proximal Policy Optimization, the reference's MPI version {@code PPO1} (Schulman et al. 2017). Each iteration, on a
 * rollout of {@code timesteps_per_actorbatch} steps (per env: rollout workers on executors play the MPI workers), with
 * {@code m = max(1 - timesteps_so_far / total_timesteps, 0)} under the {@code linear} schedule (1 under
 * {@code constant}):
 * <pre>
 *   A      = standardize(GAE advantages)                           (over the whole rollout)
 *   ratio  = π_θ(a|s) / π_old(a|s),   ε = clip_param · m
 *   L      = -mean(min(ratio · A, clip(ratio, 1 - ε, 1 + ε) · A)) - entcoeff · mean(entropy) + mean((V - R)^2)
 * </pre>
 * minimized by {@code optim_epochs} passes of Adam ({@code optim_stepsize · m}, {@code adam_epsilon}, no gradient
 * clipping) over shuffled full minibatches of {@code optim_batchsize}. As the reference, {@code num_timesteps}
 * advances per rollout and {@code learn(total)} runs rollouts until {@code total} steps are reached.
 */
public final class PPO1 extends OnPolicyAlgorithm<PPO1.Config> {

    /**
     * PPO1's hyperparameters with the reference's defaults ({@link #DEFAULT}).
     *
     * @param gamma discount factor (0.99)
     * @param timestepsPerActorbatch steps per env per iteration (256)
     * @param clipParam the surrogate's clipping epsilon, annealed by the schedule (0.2)
     * @param entcoeff entropy bonus weight (0.01)
     * @param optimEpochs epochs per iteration (4)
     * @param optimStepsize Adam learning rate, annealed by the schedule (1e-3)
     * @param optimBatchsize minibatch size (64)
     * @param lam GAE lambda (0.95)
     * @param adamEpsilon Adam's epsilon (1e-5)
     * @param schedule {@code linear} or {@code constant}, the multiplier of the step size and clipping ("linear")
     * @param truncationIsTerminal treat a time-limit truncation as a terminal state, as the reference did, instead
     *        of bootstrapping from the value of the cut-off observation (false: SB3's correction)
     */
    public record Config(double gamma, int timestepsPerActorbatch, double clipParam, double entcoeff, int optimEpochs, double optimStepsize,
            int optimBatchsize, double lam, double adamEpsilon, String schedule, boolean truncationIsTerminal) {
        public static final Config DEFAULT = new Config(0.99, 256, 0.2, 0.01, 4, 1e-3, 64, 0.95, 1e-5, "linear", false);

        public Config {
            if (timestepsPerActorbatch < 1 || optimEpochs < 1 || optimBatchsize < 1) {
                throw new IllegalArgumentException("PPO1 needs timesteps_per_actorbatch, optim_epochs and optim_batchsize >= 1");
            }
            if (!List.of("linear", "constant").contains(schedule)) {
                throw new IllegalArgumentException("PPO1's schedule is 'linear' or 'constant' (as the reference's), got '" + schedule + "'");
            }
        }

        /** This config with the given snake_case hyperparameters replaced. */
        public Config with(Map<String, ?> overrides) {
            return Hyperparameters.with(this, overrides);
        }
    }

    // Set by makeOptimizer(), which the superclass constructor calls: no initializers, or they would clear them.
    private ActorCriticOnTape onTape;
    private final Tape tape = new Tape();
    private final RolloutOnTape rows = new RolloutOnTape();
    private int[] order = new int[0];
    private float[][] mbObservations = new float[0][];
    private float[] mbActions = new float[0];
    private float[] mbAdvantages = new float[0];
    private float[] mbReturns = new float[0];
    private float[] mbOldLogProb = new float[0];
    private long nUpdates;

    /** PPO1 with the reference's defaults. */
    public PPO1(String policy, Object env) {
        this(policy, env, Config.DEFAULT, AlgorithmOptions.DEFAULT);
    }

    public PPO1(String policy, Object env, Config config) {
        this(policy, env, config, AlgorithmOptions.DEFAULT);
    }

    public PPO1(String policy, Object env, Config config, AlgorithmOptions options) {
        this(policy, env, null, null, config, options);
    }

    private PPO1(String policy, Object env, Space obs, Space act, Config config, AlgorithmOptions options) {
        super(policy, env, obs, act, config, options);
    }

    /** Loads a PPO1 model file; {@code env} may be null (prediction only). */
    public static PPO1 load(Path path, Object env) throws IOException {
        return load(path, env, Map.of());
    }

    /** Loads a PPO1 model file with some hyperparameters or options replaced. */
    public static PPO1 load(Path path, Object env, Map<String, ?> overrides) throws IOException {
        return load(path, env, overrides, "PPO1", OnPolicyAlgorithm::policyParameterShapes,
                (policy, venv, obs, act, hyper, options) -> new PPO1(policy, venv, obs, act, Config.DEFAULT.with(hyper), options));
    }

    @Override
    public String algorithmName() {
        return "PPO1";
    }

    @Override
    public int defaultLogInterval() {
        return 1;
    }

    @Override
    protected boolean mpiStyle() {
        return true;
    }

    @Override
    protected int nSteps() {
        return config.timestepsPerActorbatch();
    }

    @Override
    protected double gamma() {
        return config.gamma();
    }

    @Override
    protected double gaeLambda() {
        return config.lam();
    }

    @Override
    protected boolean truncationIsTerminal() {
        return config.truncationIsTerminal();
    }

    /** The reference iterates full minibatches only: one larger than the rollout would train nothing. */
    @Override
    protected void checkBatchSize(int batchSize) {
        if (config.optimBatchsize() > batchSize) {
            throw new IllegalArgumentException("optim_batchsize (" + config.optimBatchsize() + ") exceeds the rollout's timesteps_per_actorbatch"
                    + " * n_envs (" + batchSize + "): no minibatch would be trained");
        }
    }

    /** Adam over every variable, with {@code adam_epsilon}. */
    @Override
    protected Optimizer makeOptimizer() {
        onTape = new ActorCriticOnTape(policy);
        return new TapeAdam(onTape.variables(), AdamConfig.DEFAULT.withEpsilon(config.adamEpsilon()));
    }

    @Override
    protected void update(RolloutBuffer rollout, UpdateProgress progress) {
        onTape.pull(policy);
        double multiplier = config.schedule().equals("linear") ? progress.remainingTimesteps() : 1.0;
        float clip = (float) (config.clipParam() * multiplier);
        double learningRate = config.optimStepsize() * multiplier;
        int n = rollout.size();
        int m = config.optimBatchsize();
        take(rollout);
        Stats stats = new Stats();
        for (int epoch = 0; epoch < config.optimEpochs(); epoch++) {
            shuffle(order, n);
            for (int start = 0; start + m <= n; start += m) {
                Variables.zeroGrad(onTape.variables());
                Losses losses = loss(tape, start, m, clip);
                tape.backward(losses.total());
                optimizer.step(learningRate, Double.NaN);
                stats.add(losses);
                nUpdates++;
            }
        }
        onTape.push(policy);
        logger.record("train/learning_rate", learningRate);
        logger.record("train/clip_range", clip);
        logger.record("train/n_updates", nUpdates);
        logger.record("train/explained_variance", explainedVariance(rollout.values(), rollout.returns()));
        stats.record(logger);
    }

    /** The minibatch's losses, each a forward expression on {@code t}. */
    record Losses(Tensor total, Tensor surrogate, Tensor entropyPenalty, Tensor value, Tensor kl) {
    }

    /** The loss above on rows {@code order[start .. start+m-1]} of the rollout. */
    Losses loss(Tape t, int start, int m, float clip) {
        int actionDim = rows.actionDim();
        for (int j = 0; j < m; j++) {
            int row = order[start + j];
            mbObservations[j] = rows.observations()[row];
            mbAdvantages[j] = rows.advantages()[row];
            mbReturns[j] = rows.returns()[row];
            mbOldLogProb[j] = rows.oldLogProb()[row];
            System.arraycopy(rows.actions(), row * actionDim, mbActions, j * actionDim, actionDim);
        }
        t.reset();
        DifferentiableDistribution pd = onTape.distribution();
        ActorCriticOnTape.Outputs out = onTape.forward(t, onTape.input(t, mbObservations, m));
        Tensor logProb = pd.logProb(t, out.params(), out.logStd(), t.constant(mbActions, m, actionDim));
        Tensor oldLog = t.column(mbOldLogProb, m);
        Tensor ratio = t.exp(t.subtract(logProb, oldLog));
        Tensor a = t.column(mbAdvantages, m);
        Tensor surrogate = t.scale(t.mean(t.minimum(t.multiply(ratio, a), t.multiply(t.clip(ratio, 1 - clip, 1 + clip), a))), -1f);
        Tensor entropyPenalty = t.scale(t.mean(pd.entropy(t, out.params(), out.logStd())), (float) -config.entcoeff());
        Tensor value = t.mean(t.squaredError(out.values(), t.column(mbReturns, m)));
        Tensor kl = t.mean(t.subtract(oldLog, logProb));
        return new Losses(t.add(t.add(surrogate, entropyPenalty), value), surrogate, entropyPenalty, value, kl);
    }

    /** The rollout ({@link RolloutOnTape}) and minibatch rows of its size. */
    private void take(RolloutBuffer rollout) {
        rows.take(rollout, onTape, tape);
        int m = config.optimBatchsize();
        if (order.length != rows.size() || mbActions.length != m * rows.actionDim()) {
            order = new int[rows.size()];
            mbObservations = new float[m][];
            mbActions = new float[m * rows.actionDim()];
            mbAdvantages = new float[m];
            mbReturns = new float[m];
            mbOldLogProb = new float[m];
        }
    }

    /** Minibatch averages of one iteration, logged under SB3's names. */
    private static final class Stats {
        private double surrogate;
        private double entropyPenalty;
        private double value;
        private double kl;
        private double total;
        private int count;

        void add(Losses l) {
            surrogate += l.surrogate().item();
            entropyPenalty += l.entropyPenalty().item();
            value += l.value().item();
            kl += l.kl().item();
            total += l.total().item();
            count++;
        }

        void record(org.sparkbaselines.logging.Logger logger) {
            logger.record("train/policy_gradient_loss", surrogate / count);
            logger.record("train/entropy_loss", entropyPenalty / count);
            logger.record("train/value_loss", value / count);
            logger.record("train/approx_kl", kl / count);
            logger.record("train/loss", total / count);
        }
    }
}
