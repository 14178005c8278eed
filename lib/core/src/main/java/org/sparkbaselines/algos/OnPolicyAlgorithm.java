package org.sparkbaselines.algos;

import java.util.HashMap;
import java.util.Map;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.callbacks.BaseCallback;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.policies.ActorCriticPolicies;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecStepResult;

/**
 * The loop PPO2, A2C and the other on-policy algorithms share: collect {@code nSteps} from every env
 * into a {@link RolloutBuffer} with the current policy, compute returns and advantages, let the
 * subclass {@link #update()} the policy, log. Subclasses supply the optimizer and the update, and
 * read like their papers' pseudocode.
 */
public abstract class OnPolicyAlgorithm<C extends Record> extends BaseAlgorithm<C> {
    protected final ActorCriticPolicy policy;
    protected final Optimizer optimizer;
    private RolloutBuffer buffer;
    private float[][] lastObs;
    private boolean[] lastEpisodeStarts;
    private float[][] actions;
    private float[][] envActions;
    private float[] values;
    private float[] logProbs;
    private double[] rewards;
    private float[] terminalValue = new float[1];
    private final Map<String, Object> trainingLocals = new HashMap<>();
    private int iteration;
    private long startNanos;
    private long startTimesteps;

    protected OnPolicyAlgorithm(String policyName, Object env, Space observationSpace, Space actionSpace, C config, AlgorithmOptions options) {
        super(policyName, env, observationSpace, actionSpace, config, options);
        this.policy = ActorCriticPolicies.create(policyName, this.observationSpace, this.actionSpace,
                PolicyKwargs.fromMap(this.options.policyKwargs()), seed());
        this.optimizer = makeOptimizer();
    }

    /** Env steps per env per rollout ({@code n_steps}). */
    protected abstract int nSteps();

    /** Discount factor. */
    protected abstract double gamma();

    /** GAE lambda (1 gives plain bootstrapped n-step returns, as A2C uses). */
    protected abstract double gaeLambda();

    /** The optimizer over {@code policy.trainables()}. */
    protected abstract Optimizer makeOptimizer();

    /**
     * One training phase on the filled buffer; records its {@code train/...} metrics in the logger.
     * {@code progressRemaining} is the training progress when the rollout began (1 at the start of
     * {@code learn}, towards 0 at its end), what schedules take.
     */
    protected abstract void update(RolloutBuffer rollout, double progressRemaining);

    @Override
    public ActorCriticPolicy policy() {
        return policy;
    }

    @Override
    protected Optimizer optimizer() {
        return optimizer;
    }

    @Override
    protected void train(long untilTimesteps, BaseCallback callback, int logInterval) {
        int nEnvs = env.numEnvs();
        if (buffer == null || buffer.nEnvs() != nEnvs) {
            buffer = new RolloutBuffer(nSteps(), nEnvs, observationSpace.flatDim(), actionSpace.flatDim());
            actions = new float[nEnvs][actionSpace.flatDim()];
            envActions = new float[nEnvs][actionSpace.flatDim()];
            values = new float[nEnvs];
            logProbs = new float[nEnvs];
            rewards = new double[nEnvs];
            lastObs = null;
        }
        if (lastObs == null) {
            lastObs = copyRows(env.reset(), null);
            lastEpisodeStarts = new boolean[nEnvs];
            java.util.Arrays.fill(lastEpisodeStarts, true);
        }
        startNanos = System.nanoTime();
        startTimesteps = numTimesteps;
        trainingLocals.put("total_timesteps", untilTimesteps);
        callback.onTrainingStart(trainingLocals);
        while (numTimesteps < untilTimesteps) {
            double progress = progressRemaining();
            if (!collectRollouts(callback)) {
                break;
            }
            iteration++;
            update(buffer, progress);
            if (logInterval > 0 && iteration % logInterval == 0) {
                dumpLogs();
            }
        }
        callback.onTrainingEnd();
    }

    /** Fills the buffer with {@code nSteps} steps of every env; false when a callback stopped training. */
    private boolean collectRollouts(BaseCallback callback) {
        int nEnvs = env.numEnvs();
        buffer.reset();
        callback.onRolloutStart();
        while (!buffer.isFull()) {
            policy.act(lastObs, nEnvs, false, random, actions, values, logProbs);
            for (int i = 0; i < nEnvs; i++) {
                System.arraycopy(actions[i], 0, envActions[i], 0, actions[i].length);
            }
            clipActions(envActions, nEnvs);
            VecStepResult r = env.step(envActions);
            numTimesteps += nEnvs;
            trainingLocals.put("infos", r.infos());
            trainingLocals.put("dones", r.dones());
            trainingLocals.put("rewards", r.rewards());
            callback.updateLocals(trainingLocals);
            if (!callback.onStep()) {
                return false;
            }
            recordEpisodes(r.infos());
            System.arraycopy(r.rewards(), 0, rewards, 0, nEnvs);
            bootstrapTruncatedEpisodes(r);
            buffer.add(lastObs, actions, rewards, lastEpisodeStarts, values, logProbs);
            copyRows(r.obs(), lastObs);
            System.arraycopy(r.dones(), 0, lastEpisodeStarts, 0, nEnvs);
        }
        policy.predictValues(lastObs, nEnvs, values);
        buffer.computeReturnsAndAdvantage(values, lastEpisodeStarts, gamma(), gaeLambda());
        callback.onRolloutEnd();
        return true;
    }

    /** A time-out is not a terminal state: fold the discounted value of the cut-off state into the last reward. */
    private void bootstrapTruncatedEpisodes(VecStepResult r) {
        for (int i = 0; i < rewards.length; i++) {
            if (r.truncated()[i] && !r.terminated()[i] && r.infos()[i].get(Infos.TERMINAL_OBSERVATION) instanceof float[] terminal) {
                policy.predictValues(new float[][] {terminal}, 1, terminalValue);
                rewards[i] += gamma() * terminalValue[0];
            }
        }
    }

    private void dumpLogs() {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        logger.record("time/iterations", iteration);
        recordEpisodeStatistics();
        logger.record("time/fps", (long) ((numTimesteps - startTimesteps) / seconds));
        logger.record("time/time_elapsed", (long) seconds);
        logger.record("time/total_timesteps", numTimesteps);
        logger.dump(numTimesteps);
    }

    @Override
    public float[][] predict(float[][] observations, boolean deterministic) {
        float[][] out = new float[observations.length][actionSpace.flatDim()];
        policy.act(observations, observations.length, deterministic, random, out, null, null);
        clipActions(out, out.length);
        return out;
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

    private static float[][] copyRows(float[][] from, float[][] to) {
        float[][] out = to != null ? to : new float[from.length][];
        for (int i = 0; i < from.length; i++) {
            if (out[i] == null) {
                out[i] = from[i].clone();
            } else {
                System.arraycopy(from[i], 0, out[i], 0, from[i].length);
            }
        }
        return out;
    }
}
