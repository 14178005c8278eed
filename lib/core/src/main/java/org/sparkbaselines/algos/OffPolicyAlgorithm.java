package org.sparkbaselines.algos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.buffers.ReplayBatch;
import org.sparkbaselines.buffers.ReplayBuffer;
import org.sparkbaselines.callbacks.BaseCallback;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Npz;
import org.sparkbaselines.io.ReadLimits;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecNormalize;
import org.sparkbaselines.vec.VecStepResult;

/**
 * The loop DQN, DDPG, TD3 and SAC share: act in one env with exploration, store every transition in a
 * {@link ReplayBuffer}, and once {@code learning_starts} steps have passed and the buffer holds a batch, take
 * {@code gradient_steps} gradient steps on sampled minibatches every {@code train_freq} steps. Subclasses say how
 * to explore and how to train on a minibatch, and read like their papers.
 *
 * <p>As the reference, these algorithms take one env (a VecEnv of more is an error) and count timesteps one env
 * step at a time. Transitions keep {@code terminated} and {@code truncated} apart, so a time-limit truncation
 * bootstraps from the cut-off observation unless the config's {@code truncation_is_terminal} asks for the
 * reference's behaviour. With a {@link VecNormalize} env the buffer keeps the original observations and rewards and
 * minibatches are normalized with the statistics of the moment they are sampled, as the reference's
 * {@code sample(batch_size, env)}. The buffer lives across {@code learn} calls (and can be saved with the model),
 * so a second call continues where the first stopped.
 */
public abstract class OffPolicyAlgorithm<C extends Record & OffPolicyAlgorithm.ReplayConfig> extends BaseAlgorithm<C> {

    /**
     * The replay settings of an off-policy config.
     *
     * @param bufferSize transitions the buffer keeps
     * @param batchSize transitions per gradient step
     * @param learningStarts env steps before the first gradient step
     * @param trainFreq env steps between training phases
     * @param gradientSteps gradient steps per training phase
     * @param truncationIsTerminal a time-out ends the return (the reference) instead of bootstrapping (modern gym)
     */
    public record ReplaySettings(int bufferSize, int batchSize, int learningStarts, int trainFreq, int gradientSteps,
            boolean truncationIsTerminal) {
        public ReplaySettings {
            positive("buffer_size", bufferSize);
            positive("batch_size", batchSize);
            positive("train_freq", trainFreq);
            positive("gradient_steps", gradientSteps);
            if (learningStarts < 0) {
                throw new IllegalArgumentException("learning_starts must be >= 0, got " + learningStarts);
            }
        }

        private static void positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, got " + value);
            }
        }
    }

    /** The replay hyperparameters every off-policy config has, by the reference's names. */
    public interface ReplayConfig {
        int bufferSize();

        int batchSize();

        int learningStarts();

        int trainFreq();

        int gradientSteps();

        boolean truncationIsTerminal();
    }

    protected ReplayBuffer replayBuffer;
    /** One observation row while a sampled batch is normalized (reused). */
    private float[] normalizedRow = new float[0];
    private final Map<String, Object> trainingLocals = new HashMap<>();
    private long startNanos;
    private long startTimesteps;
    private long episodes;

    protected OffPolicyAlgorithm(String policyName, Object env, Space observationSpace, Space actionSpace, C config, AlgorithmOptions options) {
        super(policyName, env, observationSpace, actionSpace, config, options);
        if (rolloutSource != null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " trains on an env in process; executor actors for off-policy"
                    + " algorithms are not available yet");
        }
        if (this.env != null) {
            checkEnvCount(this.env);
        }
    }

    /** The config's replay settings. */
    protected final ReplaySettings replaySettings() {
        return new ReplaySettings(config.bufferSize(), config.batchSize(), config.learningStarts(), config.trainFreq(), config.gradientSteps(),
                config.truncationIsTerminal());
    }

    /** A new, empty buffer of the config's size (DQN's may be prioritized). */
    protected ReplayBuffer makeReplayBuffer() {
        ReplaySettings s = replaySettings();
        return new ReplayBuffer(s.bufferSize(), observationSpace.flatDim(), actionSpace.flatDim(), s.truncationIsTerminal());
    }

    /** Called once at the start of every {@code learn} call, before the first step (schedules over its length). */
    protected void startLearning(long totalTimesteps) {
    }

    /** The action to take in {@code observation} (as the policy sees it) at {@link #numTimesteps}, exploration included. */
    protected abstract float[] explorationAction(float[] observation);

    /** {@code gradientSteps} gradient steps, each on a fresh minibatch ({@link #sample}); records its {@code train/...} metrics. */
    protected abstract void train(int gradientSteps);

    /** Called after every env step once training has started (e.g. DQN's periodic target update). */
    protected void afterTrainingStep() {
    }

    /**
     * The action the env gets for the action {@link #explorationAction} chose (and the buffer keeps): itself by default;
     * continuous algorithms keep actions in [-1, 1] and rescale them to the Box ({@link Box#unscale}).
     */
    protected float[] toEnvAction(float[] action) {
        return action;
    }

    /** Called when an episode starts (at each {@code learn} and after each finished episode): resets exploration noise. */
    protected void onEpisodeStart() {
    }

    /**
     * Whether learning has started at {@link #numTimesteps}: from {@code learning_starts} on, as the reference's TD3 and
     * SAC count (its DQN starts one step later).
     */
    protected boolean learningStarted() {
        return numTimesteps >= replaySettings().learningStarts();
    }

    /** The Box action space with finite bounds continuous algorithms need; anything else is an error naming it. */
    final Box boundedBox() {
        if (!(actionSpace instanceof Box box)) {
            throw new IllegalArgumentException(algorithmName() + " needs a Box action space, got " + actionSpace);
        }
        if (!box.isBounded()) {
            throw new IllegalArgumentException(algorithmName() + " needs finite action bounds to rescale its [-1, 1] actions, got " + box);
        }
        return box;
    }

    /** A uniformly random action in the policy's [-1, 1] scale (the reference scales {@code action_space.sample()}). */
    final float[] randomScaledAction(float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (2 * random.nextDouble() - 1);
        }
        return out;
    }

    /** The reference's rule for these algorithms: one env. */
    @Override
    protected final void checkEnvCount(VecEnv venv) {
        if (venv.numEnvs() != 1) {
            throw new IllegalArgumentException(algorithmName() + " trains on a single env; got a VecEnv of " + venv.numEnvs()
                    + " (the reference's rule for off-policy algorithms)");
        }
    }

    /** The replay buffer (null before the first {@code learn} call or {@link #setReplayBuffer}). */
    public ReplayBuffer replayBuffer() {
        return replayBuffer;
    }

    /** Replaces the replay buffer, e.g. one filled from logged data (a warm start); its dimensions must be the model's. */
    public void setReplayBuffer(ReplayBuffer buffer) {
        if (buffer.obsDim() != observationSpace.flatDim() || buffer.actionDim() != actionSpace.flatDim()) {
            throw new IllegalArgumentException("a replay buffer of " + buffer.obsDim() + "-value observations and " + buffer.actionDim()
                    + "-value actions does not fit " + observationSpace + " / " + actionSpace);
        }
        this.replayBuffer = buffer;
    }

    /**
     * The reference's {@code replay_buffer_add(obs_t, action, reward, obs_tp1, done, info)}: stores one transition
     * (original, unnormalized values) in the buffer, which is created on first use.
     */
    public void replayBufferAdd(float[] observation, float[] action, float reward, float[] nextObservation, boolean terminated,
            boolean truncated) {
        if (replayBuffer == null) {
            replayBuffer = makeReplayBuffer();
        }
        replayBuffer.add(observation, action, reward, nextObservation, terminated, truncated);
    }

    @Override
    protected final void train(long totalTimesteps, BaseCallback callback, int logInterval) {
        ReplaySettings settings = replaySettings();
        if (replayBuffer == null) {
            replayBuffer = makeReplayBuffer();
        }
        // A stream that depends only on the seed and the timesteps so far: a saved and reloaded model (with its replay
        // buffer) trains on exactly as the uninterrupted one would, given the same env.
        random = new SplittableRandom(iterationSeed(seed(), numTimesteps));
        startLearning(totalTimesteps);
        VecNormalize normalize = getVecNormalizeEnv();
        startNanos = System.nanoTime();
        startTimesteps = numTimesteps;
        trainingLocals.put("self", this);
        trainingLocals.put("total_timesteps", numTimesteps + totalTimesteps);
        callback.onTrainingStart(trainingLocals);
        callback.onRolloutStart();
        float[] obs = env.reset()[0].clone();
        float[] originalObs = normalize == null ? obs : normalize.getOriginalObs()[0].clone();
        float[][] actions = new float[1][];
        onEpisodeStart();
        for (long step = 0; step < totalTimesteps; step++) {
            float[] action = explorationAction(obs);
            actions[0] = toEnvAction(action);
            VecStepResult result = env.step(actions);
            numTimesteps++;
            trainingLocals.put("infos", result.infos());
            trainingLocals.put("dones", result.dones());
            trainingLocals.put("rewards", result.rewards());
            callback.updateLocals(trainingLocals);
            if (!callback.onStep()) {
                break;
            }
            boolean done = result.dones()[0];
            float[] next = done ? terminalObservation(result) : result.obs()[0];
            float[] originalNext = normalize == null ? next : done ? normalize.unnormalizeObs(next) : normalize.getOriginalObs()[0];
            float reward = (float) (normalize == null ? result.rewards()[0] : normalize.getOriginalReward()[0]);
            replayBufferAdd(originalObs, action, reward, originalNext, result.terminated()[0], result.truncated()[0]);
            recordEpisodes(result.infos());
            System.arraycopy(result.obs()[0], 0, obs, 0, obs.length);
            if (normalize != null) {
                System.arraycopy(normalize.getOriginalObs()[0], 0, originalObs, 0, originalObs.length);
            }
            if (done) {
                onEpisodeStart();
            }
            boolean learning = replayBuffer.canSample(settings.batchSize()) && learningStarted();
            if (learning && numTimesteps % settings.trainFreq() == 0) {
                callback.onRolloutEnd();
                train(settings.gradientSteps());
                callback.onRolloutStart();
            }
            if (learning) {
                afterTrainingStep();
            }
            if (done && ++episodes % Math.max(1, logInterval) == 0 && logInterval > 0) {
                dumpLogs();
            }
        }
        callback.onRolloutEnd();
        callback.onTrainingEnd();
    }

    private static float[] terminalObservation(VecStepResult result) {
        Object terminal = result.infos()[0].get(Infos.TERMINAL_OBSERVATION);
        if (!(terminal instanceof float[] observation)) {
            throw new IllegalStateException("the env finished an episode without info['" + Infos.TERMINAL_OBSERVATION + "']");
        }
        return observation;
    }

    /** Draws the next minibatch into {@code batch} and normalizes it with a {@link VecNormalize} env's current statistics. */
    protected final void sample(ReplayBatch batch) {
        draw(batch);
        normalize(batch);
    }

    /** Draws {@code batch} from the buffer: uniformly (DQN's prioritized buffer overrides this). */
    protected void draw(ReplayBatch batch) {
        replayBuffer.sample(random, batch);
    }

    /** Normalizes a sampled batch's observations and rewards in place when the env is a {@link VecNormalize}. */
    private void normalize(ReplayBatch batch) {
        VecNormalize normalize = getVecNormalizeEnv();
        if (normalize == null) {
            return;
        }
        int dim = batch.obsDim();
        if (normalizedRow.length != dim) {
            normalizedRow = new float[dim];
        }
        for (int i = 0; i < batch.size(); i++) {
            normalizeRow(normalize, batch.observations, i * dim);
            normalizeRow(normalize, batch.nextObservations, i * dim);
            batch.rewards[i] = (float) normalize.normalizeReward(batch.rewards[i]);
        }
    }

    private void normalizeRow(VecNormalize normalize, float[] rows, int offset) {
        System.arraycopy(rows, offset, normalizedRow, 0, normalizedRow.length);
        normalize.normalizeObs(normalizedRow, normalizedRow);
        System.arraycopy(normalizedRow, 0, rows, offset, normalizedRow.length);
    }

    private void dumpLogs() {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        logger.record("time/episodes", episodes);
        recordEpisodeStatistics();
        logger.record("time/fps", (long) ((numTimesteps - startTimesteps) / seconds));
        logger.record("time/time_elapsed", (long) seconds);
        logger.record("time/total_timesteps", numTimesteps);
        logger.dump(numTimesteps);
    }

    /**
     * Saves the replay buffer's transitions, oldest first, as an {@code .npz} (SB3's {@code save_replay_buffer}; model
     * files do not hold the buffer). A prioritized buffer's priorities are not kept.
     *
     * @throws IllegalStateException before there is a buffer (nothing learned or added yet)
     */
    public void saveReplayBuffer(Path path) throws IOException {
        if (replayBuffer == null) {
            throw new IllegalStateException("no replay buffer to save: nothing has been learned or added yet");
        }
        Npz.writeCompressed(path, replayBuffer.state());
    }

    /**
     * Replaces the replay buffer by the transitions {@link #saveReplayBuffer} wrote (the newest {@code buffer_size} of
     * them), e.g. after {@code load} to train on where a run stopped. A file larger than a full buffer of this model's
     * spaces can be is refused before it is read.
     *
     * @throws MalformedFileException naming the file and what is wrong with it (not an .npz, missing arrays, shapes
     *     that do not fit the model's spaces, non-finite values)
     */
    public void loadReplayBuffer(Path path) throws IOException {
        ReplayBuffer loaded = makeReplayBuffer();
        long bytesPerTransition = 4L * (2L * observationSpace.flatDim() + actionSpace.flatDim() + 1) + 2;
        long limit = Math.min(Integer.MAX_VALUE - 8L, (long) replaySettings().bufferSize() * bytesPerTransition + (1 << 16));
        Map<String, NdArray> arrays = Npz.read(path, new ReadLimits(limit, 2 * limit));
        try {
            loaded.loadState(arrays);
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(path + ": not a replay buffer of this model (" + e.getMessage() + ")", e);
        }
        replayBuffer = loaded;
    }

    @Override
    protected boolean deterministicByDefault() {
        return true;
    }
}
