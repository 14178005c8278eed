package org.sparkbaselines.algos;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.callbacks.BaseCallback;
import org.sparkbaselines.imitation.BehaviorCloning;
import org.sparkbaselines.imitation.ExpertDataset;
import org.sparkbaselines.logging.Logger;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.OptimizerState;
import org.sparkbaselines.policies.ActorCriticPolicies;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.rollout.RolloutSource;
import org.sparkbaselines.rollout.VecEnvRolloutSource;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecStepResult;

/**
 * The loop PPO2, A2C and the other on-policy algorithms share: collect {@code nSteps} from every env
 * into a {@link RolloutBuffer} with the current policy (from a {@link RolloutSource}: the env in
 * process by default, or workers on Spark executors), compute returns and advantages, let the
 * subclass {@link #update} the policy, log. Subclasses supply the optimizer and the update, and
 * read like their papers' pseudocode.
 *
 * <p>As the reference, {@code learn(total)} runs {@code total / (nSteps * nEnvs)} updates (rounded
 * down: a total below one rollout trains nothing; {@link #mpiStyle() TRPO and PPO1} round up) and logs the first update and every
 * {@code log_interval}-th. The in-process source samples each iteration from a stream that depends
 * only on the seed and the timesteps so far, so a saved model that is loaded and trained on continues
 * exactly as the uninterrupted one would (the env's state aside).
 */
public abstract class OnPolicyAlgorithm<C extends Record> extends BaseAlgorithm<C> {
    protected final ActorCriticPolicy policy;
    protected final Optimizer optimizer;
    private RolloutBuffer buffer;
    private VecEnvRolloutSource defaultSource;
    private final Map<String, Object> trainingLocals = new HashMap<>();
    private int iteration;
    private long startNanos;
    private long startTimesteps;

    protected OnPolicyAlgorithm(String policyName, Object env, Space observationSpace, Space actionSpace, C config, AlgorithmOptions options) {
        super(policyName, env, observationSpace, actionSpace, config, options);
        this.policy = ActorCriticPolicies.create(policyName, this.observationSpace, this.actionSpace,
                PolicyKwargs.fromMap(this.options.policyKwargs()), seed());
        this.optimizer = makeOptimizer();
        policy.setThreads(this.options.threads());
        optimizer.setThreads(this.options.threads());
        if (source != null && !(source instanceof RolloutSource)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " learns from rollout workers (a RolloutSource); actors"
                    + " (an ActorSource) feed off-policy algorithms");
        }
        if (source != null) {
            checkBatchSize(nSteps() * ((RolloutSource) source).numEnvs());
        } else if (this.env != null) {
            checkEnvCount(this.env);
        }
    }

    /** For {@link #load}: the parameter shapes of a registered actor-critic policy, without building it. */
    protected static Map<String, int[]> policyParameterShapes(String policyName, Space observationSpace, Space actionSpace,
            Map<String, Object> policyKwargs) {
        return ActorCriticPolicies.parameterShapes(policyName, observationSpace, actionSpace, PolicyKwargs.fromMap(policyKwargs));
    }

    /** Env steps per env per rollout ({@code n_steps}). */
    protected abstract int nSteps();

    /** Discount factor. */
    protected abstract double gamma();

    /** GAE lambda (1 gives plain bootstrapped n-step returns, as A2C uses). */
    protected abstract double gaeLambda();

    /**
     * Whether a time-limit truncation ends the return like a terminal state (the reference's
     * behaviour) instead of bootstrapping from the value of the cut-off observation (SB3's).
     */
    protected abstract boolean truncationIsTerminal();

    /** The optimizer over {@code policy.trainables()}. */
    protected abstract Optimizer makeOptimizer();

    /**
     * Rejects a rollout size ({@code n_steps * n_envs}) the algorithm cannot train on, naming both;
     * checked at construction, {@code setEnv} and {@code learn}.
     */
    protected void checkBatchSize(int batchSize) {
    }

    /**
     * Whether the algorithm is one of the reference's MPI algorithms (TRPO, PPO1): it takes one env in process
     * (rollout workers on executors, each with its envs, are its MPI workers), its {@code learn(total)} runs
     * rollouts until {@code total} steps are reached (the last may pass it), and {@code num_timesteps} advances
     * once per rollout rather than per step. False: the vectorized algorithms' rules.
     */
    protected boolean mpiStyle() {
        return false;
    }

    @Override
    protected final void checkEnvCount(VecEnv venv) {
        if (mpiStyle() && venv.numEnvs() != 1) {
            throw new IllegalArgumentException(algorithmName() + " trains on a single env in process; got a VecEnv of " + venv.numEnvs()
                    + " (the reference's rule; rollout workers on executors give it more)");
        }
        checkBatchSize(nSteps() * venv.numEnvs());
    }

    /** The limit for {@link Optimizer#step}: a {@code max_grad_norm} of null disables clipping. */
    protected static double maxGradNorm(Double configured) {
        return configured == null ? Double.NaN : configured;
    }

    /** Hook between collecting a rollout and its advantages: GAIL replaces the env's rewards with its discriminator's. */
    protected void rewardRollout(RolloutBuffer rollout) {
    }

    /** One training phase on the filled buffer; records its {@code train/...} metrics in the logger. */
    protected abstract void update(RolloutBuffer rollout, UpdateProgress progress);

    /**
     * Where an update stands in its {@code learn} call, what schedules take.
     *
     * @param update this update's number, from 1
     * @param updates the call's number of updates, {@code totalTimesteps / batchSize}
     * @param totalTimesteps the call's {@code total_timesteps}
     * @param batchSize env steps per update, {@code n_steps * n_envs}
     */
    protected record UpdateProgress(int update, long updates, long totalTimesteps, int batchSize) {
        /** The reference's PPO2 {@code frac = 1 - (update - 1) / n_updates}: 1 at the first update, {@code 1 / updates} at the last. */
        public double remaining() {
            return 1.0 - (update - 1.0) / updates;
        }

        /** The reference's PPO1 {@code max(1 - timesteps_so_far / total_timesteps, 0)}, the steps before this update's rollout. */
        public double remainingTimesteps() {
            return Math.max(1.0 - (update - 1.0) * batchSize / totalTimesteps, 0);
        }
    }

    @Override
    public ActorCriticPolicy policy() {
        return policy;
    }

    @Override
    protected OptimizerState optimizer() {
        return optimizer;
    }

    /** Where experience comes from: the source given at construction, else one in-process worker on the env. */
    private RolloutSource rollouts() {
        if (source instanceof RolloutSource workers) {
            return workers;
        }
        if (defaultSource == null || defaultSource.env() != env) {
            defaultSource = new VecEnvRolloutSource(env, random);
        }
        return defaultSource;
    }

    @Override
    protected void train(long totalTimesteps, BaseCallback callback, int logInterval) {
        RolloutSource rollouts = rollouts();
        rollouts.recordTo(recorder);
        if (buffer == null || buffer.nEnvs() != rollouts.numEnvs()) {
            buffer = new RolloutBuffer(nSteps(), rollouts.numEnvs(), observationSpace.flatDim(), actionSpace.flatDim(), !truncationIsTerminal());
        }
        int batchSize = buffer.size();
        checkBatchSize(batchSize);
        long updates = mpiStyle() ? (totalTimesteps + batchSize - 1) / batchSize : totalTimesteps / batchSize;
        startNanos = System.nanoTime();
        startTimesteps = numTimesteps;
        trainingLocals.put("self", this);
        trainingLocals.put("total_timesteps", numTimesteps + totalTimesteps);
        callback.onTrainingStart(trainingLocals);
        for (int update = 1; update <= updates; update++) {
            random = new SplittableRandom(iterationSeed(seed(), numTimesteps));
            if (rollouts == defaultSource) {
                defaultSource.useRandom(random);
            }
            callback.onRolloutStart();
            if (!rollouts.collect(policy, buffer, gamma(), step -> afterStep(step, callback))) {
                break;
            }
            if (mpiStyle()) {
                numTimesteps += batchSize;
            }
            rewardRollout(buffer);
            buffer.computeReturnsAndAdvantage(gamma(), gaeLambda());
            callback.onRolloutEnd();
            iteration++;
            update(buffer, new UpdateProgress(update, updates, totalTimesteps, batchSize));
            if (logInterval > 0 && (update % logInterval == 0 || update == 1)) {
                dumpLogs();
            }
        }
        callback.onTrainingEnd();
    }

    private boolean afterStep(VecStepResult step, BaseCallback callback) {
        if (!mpiStyle()) {
            numTimesteps += step.numEnvs();
        }
        trainingLocals.put("infos", step.infos());
        trainingLocals.put("dones", step.dones());
        trainingLocals.put("rewards", step.rewards());
        callback.updateLocals(trainingLocals);
        if (!callback.onStep()) {
            return false;
        }
        recordEpisodes(step.infos());
        return true;
    }

    private void dumpLogs() {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        logger.record("time/iterations", iteration);
        recordEpisodeStatistics();
        logger.record("time/fps", (long) ((numTimesteps - startTimesteps) / seconds));
        logger.record("time/time_elapsed", (long) seconds);
        logger.record("time/total_timesteps", numTimesteps);
        if (options.fullTensorboardLog()) {
            policy.getParameters().forEach(logger::recordHistogram);
        }
        logger.dump(numTimesteps);
    }

    @Override
    public float[][] predict(float[][] observations, boolean deterministic) {
        return predictWith(policy, observations, deterministic);
    }

    /**
     * The reference's {@code action_probability(observation)}: per observation, the action
     * distribution's probabilities (Discrete, MultiDiscrete: softmax probabilities concatenated;
     * MultiBinary: probabilities of 1) or, for Box actions, the mean followed by the standard deviation.
     */
    public float[][] actionProbability(float[][] observations) {
        return policy.actionProbability(observations, observations.length);
    }

    /** Probability (or log-probability with {@code logp}) of the given actions under the current policy. */
    public float[] actionProbability(float[][] observations, float[][] actions, boolean logp) {
        float[] out = new float[observations.length];
        policy.evaluateActions(observations, actions, observations.length, out, null, null);
        if (!logp) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) Math.exp(out[i]);
            }
        }
        return out;
    }

    /** Behavior cloning of the policy: the mean negative log-likelihood of the expert's actions (see {@link BehaviorCloning}). */
    @Override
    protected void pretrain(ExpertDataset dataset, BehaviorCloning.Config config, Logger logger) {
        new BehaviorCloning(policy).train(dataset, config, logger);
    }

    /** A uniformly random order of {@code 0 .. n-1} into {@code order}, drawn from the algorithm's stream (Fisher-Yates). */
    protected final void shuffle(int[] order, int n) {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[k];
            order[k] = t;
        }
    }

    /** {@code (x - mean) / (std + 1e-8)} over the first m entries, as the reference standardizes advantages. */
    public static void standardize(float[] x, int m) {
        double mean = 0;
        for (int i = 0; i < m; i++) {
            mean += x[i];
        }
        mean /= m;
        double var = 0;
        for (int i = 0; i < m; i++) {
            var += (x[i] - mean) * (x[i] - mean);
        }
        double std = Math.sqrt(var / m);
        for (int i = 0; i < m; i++) {
            x[i] = (float) ((x[i] - mean) / (std + 1e-8));
        }
    }

    /** Fraction of the returns' variance explained by the value estimates: {@code 1 - Var(returns - values) / Var(returns)}. */
    protected static double explainedVariance(float[] values, float[] returns) {
        double meanR = 0;
        double meanD = 0;
        for (int i = 0; i < returns.length; i++) {
            meanR += returns[i];
            meanD += returns[i] - values[i];
        }
        meanR /= returns.length;
        meanD /= returns.length;
        double varR = 0;
        double varD = 0;
        for (int i = 0; i < returns.length; i++) {
            varR += (returns[i] - meanR) * (returns[i] - meanR);
            double d = returns[i] - values[i] - meanD;
            varD += d * d;
        }
        return varR == 0 ? Double.NaN : 1 - varD / varR;
    }
}
