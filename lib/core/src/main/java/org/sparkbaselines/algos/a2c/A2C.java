package org.sparkbaselines.algos.a2c;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.OnPolicyAlgorithm;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.common.Hyperparameters;
import org.sparkbaselines.common.Scheduler;
import org.sparkbaselines.common.Schedules;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.RmsPropConfig;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.sb2.Sb2Models;
import org.sparkbaselines.spaces.Space;

/**
 * Advantage Actor Critic, the synchronous deterministic A3C (Mnih et al. 2016), the reference's
 * {@code A2C}. Each update takes one gradient step on the whole rollout of {@code nSteps} x envs:
 * <pre>
 *   R      = bootstrapped discounted n-step return;   A = R - V_old
 *   L      = mean(-logp(a|s) * A) - ent_coef * mean(entropy) + vf_coef * mean((V - R)^2)
 * </pre>
 * with TensorFlow-style RMSProp and gradient clipping by global norm (the loss: {@link ActorCriticLoss}). The learning rate follows
 * {@code lr_schedule} as the reference's {@link Scheduler} over the {@code total_timesteps} of the {@code learn} call, advanced
 * once per sample: update {@code k} uses {@code learning_rate * f((k * n_batch - 1) / total_timesteps)}.
 */
public final class A2C extends OnPolicyAlgorithm<A2C.Config> {

    /**
     * A2C's hyperparameters with the reference's defaults ({@link #DEFAULT}).
     *
     * @param gamma discount factor (0.99)
     * @param nSteps steps per env per update (5)
     * @param vfCoef value-loss coefficient (0.25)
     * @param entCoef entropy coefficient (0.01)
     * @param maxGradNorm gradient clipping by global norm; null: no clipping (0.5)
     * @param learningRate initial learning rate (7e-4)
     * @param alpha RMSProp decay (0.99)
     * @param momentum RMSProp momentum (0.0)
     * @param epsilon RMSProp epsilon, inside the square root (1e-5)
     * @param lrSchedule one of constant, linear, middle_drop, double_linear_con, double_middle_drop ("constant")
     * @param truncationIsTerminal treat a time-limit truncation as a terminal state, as the reference
     *        did, instead of bootstrapping from the value of the cut-off observation (false: SB3's correction)
     */
    public record Config(double gamma, int nSteps, double vfCoef, double entCoef, Double maxGradNorm, double learningRate,
            double alpha, double momentum, double epsilon, String lrSchedule, boolean truncationIsTerminal) {
        public static final Config DEFAULT = new Config(0.99, 5, 0.25, 0.01, 0.5, 7e-4, 0.99, 0.0, 1e-5, "constant", false);

        public Config {
            if (nSteps < 1) {
                throw new IllegalArgumentException("A2C needs n_steps >= 1, got " + nSteps);
            }
            if (!Schedules.PROGRESS_FUNCTIONS.containsKey(lrSchedule)) {
                throw new IllegalArgumentException("unknown lr_schedule '" + lrSchedule + "'; known: "
                        + new java.util.TreeSet<>(Schedules.PROGRESS_FUNCTIONS.keySet()));
            }
        }

        /** This config with the given snake_case hyperparameters replaced. */
        public Config with(Map<String, ?> overrides) {
            return Hyperparameters.with(this, overrides);
        }
    }

    private final ActorCriticLoss loss = new ActorCriticLoss();
    /** The learning rate's schedule over the current {@code learn} call. */
    private Scheduler learningRateSchedule;
    private long nUpdates;

    /** A2C with the reference's defaults. */
    public A2C(String policy, Object env) {
        this(policy, env, Config.DEFAULT, AlgorithmOptions.DEFAULT);
    }

    public A2C(String policy, Object env, Config config) {
        this(policy, env, config, AlgorithmOptions.DEFAULT);
    }

    public A2C(String policy, Object env, Config config, AlgorithmOptions options) {
        this(policy, env, null, null, config, options);
    }

    private A2C(String policy, Object env, Space obs, Space act, Config config, AlgorithmOptions options) {
        super(policy, env, obs, act, config, options);
    }

    /** Loads an A2C model file; {@code env} may be null (prediction only). */
    public static A2C load(Path path, Object env) throws IOException {
        return load(path, env, Map.of());
    }

    /**
     * Loads an A2C model file with some hyperparameters, or options such as {@code verbose} and
     * {@code tensorboard_log}, replaced.
     */
    public static A2C load(Path path, Object env, Map<String, ?> overrides) throws IOException {
        return load(path, env, overrides, "A2C", OnPolicyAlgorithm::policyParameterShapes,
                (policy, venv, obs, act, hyper, options) -> new A2C(policy, venv, obs, act, Config.DEFAULT.with(hyper), options));
    }

    /**
     * Loads a Stable Baselines 2 A2C agent ({@code .pkl} or {@code .zip}) for {@code env} without running the
     * file's code; see {@link Sb2Models#load} for what is kept and {@link Sb2Models.Imported#notes()} for what is not.
     */
    public static A2C loadSb2(Path path, Object env) throws IOException {
        return (A2C) Sb2Models.load("a2c", path, env).model();
    }

    @Override
    public String algorithmName() {
        return "A2C";
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
        return 1.0;
    }

    @Override
    protected boolean truncationIsTerminal() {
        return config.truncationIsTerminal();
    }

    @Override
    protected Optimizer makeOptimizer() {
        return policy.backend().rmsProp(policy.trainables(), new RmsPropConfig(config.alpha(), config.momentum(), config.epsilon()));
    }

    @Override
    protected void update(RolloutBuffer rollout, UpdateProgress progress) {
        int n = rollout.size();
        if (progress.update() == 1) {
            learningRateSchedule = new Scheduler(config.learningRate(), progress.totalTimesteps(), config.lrSchedule());
        }
        // The reference calls the Scheduler's value() once per sample and trains with the last value.
        double learningRate = learningRateSchedule.valueSteps((double) progress.update() * progress.batchSize() - 1);
        policy.zeroGrad();
        policy.trainingPass(rollout.observations(), rollout.actions(), n, loss.bind(rollout.advantages(), rollout.returns(), config.entCoef(),
                config.vfCoef()));
        optimizer.step(learningRate, maxGradNorm(config.maxGradNorm()));
        nUpdates++;
        logger.record("train/n_updates", nUpdates);
        logger.record("train/learning_rate", learningRate);
        logger.record("train/policy_loss", loss.policyLoss);
        logger.record("train/value_loss", loss.valueLoss);
        logger.record("train/entropy_loss", -loss.entropy);
        logger.record("train/loss", loss.total());
        logger.record("train/explained_variance", explainedVariance(rollout.values(), rollout.returns()));
    }

    /**
     * The loss above as a forward expression on the engine's tape, which differentiates it. The update still
     * back-propagates the hand-derived {@link ActorCriticLoss}, whose gradients this equals (checked to 1e-6),
     * until the engine matches its speed ({@code bin/bench nn}).
     */
    public static Tensor loss(Tape t, Tensor logProb, Tensor entropy, Tensor values, Tensor advantages, Tensor returns, float entCoef,
            float vfCoef) {
        Tensor pgLoss = t.mean(t.multiply(t.scale(advantages, -1f), logProb));
        return t.add(t.subtract(pgLoss, t.scale(t.mean(entropy), entCoef)), t.scale(t.mean(t.squaredError(values, returns)), vfCoef));
    }
}
