package org.sparkbaselines.algos;

import java.util.LinkedHashMap;
import org.sparkbaselines.common.noise.ActionNoise;
import org.sparkbaselines.imitation.Batch;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Space;

/**
 * What the reference's continuous off-policy algorithms (TD3, SAC) share on top of {@link OffPolicyAlgorithm}: actions
 * in the policy's [-1, 1] scale, kept so in the replay buffer and rescaled to the Box for the env; uniformly random
 * before {@code learning_starts} and with probability {@code random_exploration} after; otherwise the policy's plus the
 * optional action noise (reset at every episode), clipped to [-1, 1]; and the learning rate's progress through each
 * {@code learn} call, as the reference computes it ({@code 1 - step / total_timesteps}, {@code step} the env step
 * within the call).
 */
public abstract class BoxOffPolicyAlgorithm<C extends Record & BoxOffPolicyAlgorithm.ExplorationConfig> extends OffPolicyAlgorithm<C> {

    /** The exploration hyperparameters of a continuous off-policy config, by the reference's (and the zoo's) names. */
    public interface ExplorationConfig extends ReplayConfig {
        /** The action noise: null, {@code "normal"} or {@code "ornstein-uhlenbeck"}. */
        String noiseType();

        /** The action noise's standard deviation per action. */
        double noiseStd();

        /** The probability of a uniformly random action after learning starts. */
        double randomExploration();

        /** The action noise's type: {@link #noiseType} unless that names something else (DDPG's {@code "adaptive-param"}). */
        default String actionNoiseType() {
            return noiseType();
        }
    }

    private final ActionNoise actionNoise;
    private final float[] action;
    private final float[] envAction;
    private long learnStart;
    private long learnTotal;

    protected BoxOffPolicyAlgorithm(String policyName, Object env, Space observationSpace, Space actionSpace, C config,
            AlgorithmOptions options) {
        super(policyName, env, observationSpace, actionSpace, config, options);
        boundedBox();
        int actDim = this.actionSpace.flatDim();
        this.actionNoise = ActionNoise.of(config.actionNoiseType(), config.noiseStd(), actDim, seed() + 1);
        this.action = new float[actDim];
        this.envAction = new float[actDim];
    }

    /** The policy's own action for {@code observation} in [-1, 1] (sampled where the policy is stochastic), into {@code out}. */
    protected abstract void policyAction(float[] observation, float[] out);

    @Override
    protected void startLearning(long totalTimesteps) {
        learnStart = numTimesteps;
        learnTotal = totalTimesteps;
    }

    /** The reference's {@code step} of the current training phase: the env step's index within this {@code learn} call. */
    protected final long learnStep() {
        return numTimesteps - learnStart - 1;
    }

    /** The remaining progress a learning-rate schedule takes: {@code 1 - step / total_timesteps}. */
    protected final double remainingProgress() {
        return 1.0 - (double) learnStep() / learnTotal;
    }

    /** The policy's deterministic actions in [-1, 1] for {@code n} observations given row-major, on {@code tape}. */
    protected abstract Tensor deterministicAction(Tape tape, float[] observations, int n);

    /**
     * The reference's {@code mean((expert - unscale(pi(s)))^2)} in the env's units, written as
     * {@code mean(half^2 (pi(s) - scale(expert))^2)} with {@code half} the Box's half-width per dimension (the same
     * value: unscaling is affine), the expert's action scaled without clipping.
     */
    @Override
    protected final Tensor cloningLoss(Tape tape, Batch batch) {
        int n = batch.size();
        Box box = boundedBox();
        int dim = box.flatDim();
        float[] observations = new float[n * observationSpace.flatDim()];
        float[] targets = new float[n * dim];
        float[] weights = new float[n * dim];
        for (int i = 0; i < n; i++) {
            float[] obs = batch.observations()[i];
            System.arraycopy(obs, 0, observations, i * obs.length, obs.length);
            for (int j = 0; j < dim; j++) {
                float half = 0.5f * (box.high()[j] - box.low()[j]);
                targets[i * dim + j] = (batch.actions()[i][j] - 0.5f * (box.low()[j] + box.high()[j])) / half;
                weights[i * dim + j] = half * half;
            }
        }
        Tensor error = tape.squaredError(deterministicAction(tape, observations, n), tape.constant(targets, n, dim));
        return tape.mean(tape.multiply(error, tape.constant(weights, n, dim)));
    }

    /** The actor ({@code model/pi/...}) and, where kept, the observation statistics ({@code obs_rms/...}): no critics. */
    @Override
    protected final LinkedHashMap<String, float[]> actingParameters() {
        LinkedHashMap<String, float[]> parameters = getParameters();
        parameters.keySet().removeIf(name -> !name.startsWith("model/pi/") && !name.startsWith("obs_rms/"));
        return parameters;
    }

    @Override
    protected void onEpisodeStart() {
        if (actionNoise != null) {
            actionNoise.reset();
        }
    }

    @Override
    protected final float[] explorationAction(float[] observation) {
        if (numTimesteps < replaySettings().learningStarts() || random.nextDouble() < config.randomExploration()) {
            return randomScaledAction(action);
        }
        policyAction(observation, action);
        if (actionNoise != null) {
            float[] noise = actionNoise.sample();
            for (int i = 0; i < action.length; i++) {
                action[i] = Math.max(-1f, Math.min(1f, action[i] + noise[i]));
            }
        }
        return action;
    }

    @Override
    protected final float[] toEnvAction(float[] scaled) {
        return boundedBox().unscale(scaled, 0, envAction);
    }

    @Override
    protected final float[] fromEnvAction(float[] envAction, float[] out) {
        return boundedBox().scale(envAction, out);
    }
}
