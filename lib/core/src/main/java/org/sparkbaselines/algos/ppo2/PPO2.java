package org.sparkbaselines.algos.ppo2;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.OnPolicyAlgorithm;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.common.Hyperparameters;
import org.sparkbaselines.common.ScheduleValue;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.sb2.Sb2Models;
import org.sparkbaselines.spaces.Space;

/**
 * Proximal Policy Optimization with a clipped surrogate (Schulman et al. 2017), the reference's
 * {@code PPO2}. Each update runs {@code noptepochs} passes over the rollout in {@code nminibatches}
 * shuffled minibatches (which must divide {@code n_steps * n_envs}, as the reference asserts); per minibatch:
 * <pre>
 *   A      = standardize(advantages)                     (per minibatch)
 *   ratio  = exp(logp(a|s) - logp_old)
 *   L_clip = mean(max(-A * ratio, -A * clip(ratio, 1 - eps, 1 + eps)))
 *   L_vf   = 0.5 * mean(max((V - R)^2, (V_old + clip(V - V_old, -eps_vf, eps_vf) - R)^2))
 *   L      = L_clip - ent_coef * mean(entropy) + vf_coef * L_vf
 * </pre>
 * then Adam (epsilon 1e-5) after clipping the gradients' global norm to {@code max_grad_norm}
 * (the loss and its derivatives: {@link ClippedSurrogateLoss}). Schedules take the reference's
 * {@code frac = 1 - (update - 1) / n_updates}.
 */
public final class PPO2 extends OnPolicyAlgorithm<PPO2.Config> {

    /**
     * PPO2's hyperparameters with the reference's defaults ({@link #DEFAULT}).
     *
     * @param gamma discount factor (0.99)
     * @param nSteps steps per env per update (128)
     * @param entCoef entropy coefficient (0.01)
     * @param learningRate constant or schedule over remaining progress (2.5e-4)
     * @param vfCoef value-loss coefficient (0.5)
     * @param maxGradNorm gradient clipping by global norm; null: no clipping (0.5)
     * @param lam GAE lambda (0.95)
     * @param nminibatches minibatches per epoch (4)
     * @param noptepochs epochs per update (4)
     * @param cliprange surrogate clipping, constant or schedule (0.2)
     * @param cliprangeVf value clipping: null clips with {@code cliprange} (the reference's legacy
     *        behaviour), a negative value disables it, otherwise its own range (null)
     * @param truncationIsTerminal treat a time-limit truncation as a terminal state, as the reference
     *        did, instead of bootstrapping from the value of the cut-off observation (false: SB3's correction)
     */
    public record Config(double gamma, int nSteps, double entCoef, ScheduleValue learningRate, double vfCoef, Double maxGradNorm,
            double lam, int nminibatches, int noptepochs, ScheduleValue cliprange, ScheduleValue cliprangeVf, boolean truncationIsTerminal) {
        public static final Config DEFAULT = new Config(0.99, 128, 0.01, ScheduleValue.of(2.5e-4), 0.5, 0.5, 0.95, 4, 4,
                ScheduleValue.of(0.2), null, false);

        public Config {
            if (nSteps < 1 || nminibatches < 1 || noptepochs < 1) {
                throw new IllegalArgumentException("PPO2 needs n_steps, nminibatches and noptepochs >= 1");
            }
            if (learningRate == null || cliprange == null) {
                throw new IllegalArgumentException("PPO2 needs learning_rate and cliprange");
            }
        }

        /** This config with the given snake_case hyperparameters replaced. */
        public Config with(Map<String, ?> overrides) {
            return Hyperparameters.with(this, overrides);
        }
    }

    private float[][] mbObs = new float[0][];
    private float[][] mbActions = new float[0][];
    private float[] advantage = new float[0];
    private float[] oldLogProb = new float[0];
    private float[] oldValue = new float[0];
    private float[] returns = new float[0];
    private int[] order = new int[0];
    private final ClippedSurrogateLoss loss = new ClippedSurrogateLoss();
    private long nUpdates;

    /** PPO2 with the reference's defaults. */
    public PPO2(String policy, Object env) {
        this(policy, env, Config.DEFAULT, AlgorithmOptions.DEFAULT);
    }

    public PPO2(String policy, Object env, Config config) {
        this(policy, env, config, AlgorithmOptions.DEFAULT);
    }

    public PPO2(String policy, Object env, Config config, AlgorithmOptions options) {
        this(policy, env, null, null, config, options);
    }

    private PPO2(String policy, Object env, Space obs, Space act, Config config, AlgorithmOptions options) {
        super(policy, env, obs, act, config, options);
    }

    /** Loads a PPO2 model file; {@code env} may be null (prediction only). */
    public static PPO2 load(Path path, Object env) throws IOException {
        return load(path, env, Map.of());
    }

    /**
     * Loads a PPO2 model file with some hyperparameters, or options such as {@code verbose} and
     * {@code tensorboard_log}, replaced.
     */
    public static PPO2 load(Path path, Object env, Map<String, ?> overrides) throws IOException {
        return load(path, env, overrides, "PPO2", OnPolicyAlgorithm::policyParameterShapes,
                (policy, venv, obs, act, hyper, options) -> new PPO2(policy, venv, obs, act, Config.DEFAULT.with(hyper), options));
    }

    /**
     * Loads a Stable Baselines 2 PPO2 agent ({@code .pkl} or {@code .zip}) for {@code env} without running the
     * file's code; see {@link Sb2Models#load} for what is kept and {@link Sb2Models.Imported#notes()} for what is not.
     */
    public static PPO2 loadSb2(Path path, Object env) throws IOException {
        return (PPO2) Sb2Models.load("ppo2", path, env).model();
    }

    @Override
    public String algorithmName() {
        return "PPO2";
    }

    @Override
    public int defaultLogInterval() {
        return 1;
    }

    @Override
    protected int nSteps() {
        return config.nSteps();
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

    /** The reference's assertion: every sample of a rollout goes into exactly one minibatch. */
    @Override
    protected void checkBatchSize(int batchSize) {
        if (batchSize % config.nminibatches() != 0) {
            throw new IllegalArgumentException("nminibatches (" + config.nminibatches() + ") must divide the rollout's n_envs * n_steps ("
                    + batchSize + "), or some samples would not be used");
        }
    }

    @Override
    protected Optimizer makeOptimizer() {
        return policy.backend().adam(policy.trainables(), AdamConfig.DEFAULT.withEpsilon(1e-5));
    }

    @Override
    protected void update(RolloutBuffer rollout, UpdateProgress progress) {
        double frac = progress.remaining();
        double learningRate = config.learningRate().at(frac);
        double clip = config.cliprange().at(frac);
        double clipVf = valueClipRange(frac);
        int n = rollout.size();
        int batchSize = n / config.nminibatches();
        ensureCapacity(n, batchSize);
        Stats stats = new Stats();
        for (int epoch = 0; epoch < config.noptepochs(); epoch++) {
            shuffle(order, n);
            for (int start = 0; start < n; start += batchSize) {
                trainMinibatch(rollout, start, batchSize, clip, clipVf, learningRate, stats);
            }
        }
        nUpdates += (long) config.noptepochs() * config.nminibatches();
        logger.record("train/learning_rate", learningRate);
        logger.record("train/clip_range", clip);
        if (config.cliprangeVf() != null) {
            logger.record("train/clip_range_vf", clipVf);
        }
        logger.record("train/n_updates", nUpdates);
        logger.record("train/explained_variance", explainedVariance(rollout.values(), rollout.returns()));
        stats.record(logger);
    }

    private void trainMinibatch(RolloutBuffer rollout, int start, int m, double clip, double clipVf, double learningRate, Stats stats) {
        for (int j = 0; j < m; j++) {
            int row = order[start + j];
            mbObs[j] = rollout.observations()[row];
            mbActions[j] = rollout.actions()[row];
            advantage[j] = rollout.advantages()[row];
            oldLogProb[j] = rollout.logProbs()[row];
            oldValue[j] = rollout.values()[row];
            returns[j] = rollout.returns()[row];
        }
        standardize(advantage, m);
        policy.zeroGrad();
        policy.trainingPass(mbObs, mbActions, m, loss.bind(oldLogProb, advantage, oldValue, returns, clip, clipVf, config.entCoef(),
                config.vfCoef()));
        optimizer.step(learningRate, maxGradNorm(config.maxGradNorm()));
        stats.add(loss);
    }

    /**
     * The minibatch loss above as a forward expression on the engine's tape, which differentiates it; the
     * rows' log-probabilities, entropies and values come from the policy on the same tape, the rest are
     * constants. At ties the gradient goes where the reference's TensorFlow sends it ({@link Tape}). The update
     * still back-propagates the hand-derived {@link ClippedSurrogateLoss}, whose gradients this equals
     * (checked to 1e-6), until the engine matches its speed ({@code bin/bench nn}).
     *
     * @param clipVf the value clipping range; negative: none
     */
    public static Tensor loss(Tape t, Tensor logProb, Tensor entropy, Tensor values, Tensor oldLogProb, Tensor advantages, Tensor oldValues,
            Tensor returns, float clip, float clipVf, float entCoef, float vfCoef) {
        Tensor ratio = t.exp(t.subtract(logProb, oldLogProb));
        Tensor negativeAdvantages = t.scale(advantages, -1f);
        Tensor pgLoss = t.mean(t.maximum(t.multiply(negativeAdvantages, ratio), t.multiply(negativeAdvantages, t.clip(ratio, 1 - clip, 1 + clip))));
        Tensor vfLoss;
        if (clipVf < 0) {
            vfLoss = t.scale(t.mean(t.squaredError(values, returns)), 0.5f);
        } else {
            Tensor clipped = t.add(oldValues, t.clip(t.subtract(values, oldValues), -clipVf, clipVf));
            vfLoss = t.scale(t.mean(t.maximum(t.squaredError(values, returns), t.squaredError(clipped, returns))), 0.5f);
        }
        return t.add(t.subtract(pgLoss, t.scale(t.mean(entropy), entCoef)), t.scale(vfLoss, vfCoef));
    }

    /**
     * The value clipping range at {@code frac}: {@code cliprange}'s when {@code cliprange_vf} is null (the
     * reference's legacy behaviour); negative (no value clipping) when {@code cliprange_vf} is.
     */
    double valueClipRange(double frac) {
        return config.cliprangeVf() == null ? config.cliprange().at(frac) : config.cliprangeVf().at(frac);
    }

    private void ensureCapacity(int n, int batchSize) {
        if (order.length != n) {
            order = new int[n];
        }
        if (mbObs.length < batchSize) {
            mbObs = new float[batchSize][];
            mbActions = new float[batchSize][];
            advantage = new float[batchSize];
            oldLogProb = new float[batchSize];
            oldValue = new float[batchSize];
            returns = new float[batchSize];
        }
    }

    /** Minibatch averages of one update, logged under SB3's names. */
    private static final class Stats {
        private double pg;
        private double vf;
        private double entropy;
        private double kl;
        private double clipFraction;
        private double loss;
        private int count;

        void add(ClippedSurrogateLoss l) {
            pg += l.policyLoss;
            vf += l.valueLoss;
            entropy += l.entropy;
            kl += l.approxKl;
            clipFraction += l.clipFraction;
            loss += l.total();
            count++;
        }

        void record(org.sparkbaselines.logging.Logger logger) {
            logger.record("train/policy_gradient_loss", pg / count);
            logger.record("train/value_loss", vf / count);
            logger.record("train/entropy_loss", -entropy / count);
            logger.record("train/approx_kl", kl / count);
            logger.record("train/clip_fraction", clipFraction / count);
            logger.record("train/loss", loss / count);
        }
    }
}
