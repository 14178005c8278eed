package org.sparkbaselines.algos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.buffers.ReplayBatch;
import org.sparkbaselines.buffers.ReplayBuffer;
import org.sparkbaselines.callbacks.BaseCallback;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.imitation.Batch;
import org.sparkbaselines.imitation.BehaviorCloning;
import org.sparkbaselines.imitation.ExpertDataset;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Npz;
import org.sparkbaselines.io.ReadLimits;
import org.sparkbaselines.logging.Logger;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.TapeAdam;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.rollout.Actor;
import org.sparkbaselines.rollout.ActorSource;
import org.sparkbaselines.rollout.ActorSpec;
import org.sparkbaselines.rollout.PolicySnapshot;
import org.sparkbaselines.rollout.RolloutFragment;
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
    /** Rounds sent to actors so far, across {@code learn} calls: each round is one policy version, counted from 1. */
    private long actorPolicyVersion;

    protected OffPolicyAlgorithm(String policyName, Object env, Space observationSpace, Space actionSpace, C config, AlgorithmOptions options) {
        super(policyName, env, observationSpace, actionSpace, config, options);
        if (source != null && !(source instanceof ActorSource)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " learns from actors (an ActorSource) or an env, not from"
                    + " on-policy rollout workers");
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

    /**
     * The action the buffer keeps for an action the env got, the inverse of {@link #toEnvAction}: itself by default;
     * continuous algorithms scale Box actions back to [-1, 1] ({@link Box#scale}), into {@code out} when they do.
     */
    protected float[] fromEnvAction(float[] envAction, float[] out) {
        return envAction;
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
    protected final Box boundedBox() {
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
     * The reference's {@code replay_wrapper}: what stands between the algorithm's transitions and its replay buffer during a
     * {@link #learn(long, Object, int, String, boolean, ReplayWrapper) learn} call (HER's hindsight relabelling). The arrays
     * it is given are reused by the caller: it copies what it keeps.
     */
    public interface ReplayWrapper {
        /** Stores the transition, and whatever the wrapper derives from it, in {@code buffer}. */
        void add(ReplayBuffer buffer, float[] observation, float[] action, float reward, float[] nextObservation, boolean terminated,
                boolean truncated);
    }

    /** The wrapper of the current {@code learn} call, or null. */
    private ReplayWrapper replayWrapper;

    /**
     * {@link #learn(long, Object, int, String, boolean)} with the reference's {@code replay_wrapper}: every transition of this call
     * reaches the replay buffer through {@code wrapper} (null: directly).
     */
    public final OffPolicyAlgorithm<C> learn(long totalTimesteps, Object callback, int logInterval, String tbLogName, boolean resetNumTimesteps,
            ReplayWrapper wrapper) {
        replayWrapper = wrapper;
        try {
            learn(totalTimesteps, callback, logInterval, tbLogName, resetNumTimesteps);
        } finally {
            replayWrapper = null;
        }
        return this;
    }

    /**
     * The reference's {@code replay_buffer_add(obs_t, action, reward, obs_tp1, done, info)}: stores one transition
     * (original, unnormalized values) in the buffer, which is created on first use, through the current replay wrapper if any.
     */
    public void replayBufferAdd(float[] observation, float[] action, float reward, float[] nextObservation, boolean terminated,
            boolean truncated) {
        if (replayBuffer == null) {
            replayBuffer = makeReplayBuffer();
        }
        if (replayWrapper != null) {
            replayWrapper.add(replayBuffer, observation, action, reward, nextObservation, terminated, truncated);
        } else {
            replayBuffer.add(observation, action, reward, nextObservation, terminated, truncated);
        }
    }

    /**
     * Stores a transition logged with the action the env got (a trajectory table's row, e.g. for a warm start from
     * logged data) as {@link #replayBufferAdd} does, the action brought to the buffer's scale ({@link #fromEnvAction}).
     *
     * @throws IllegalArgumentException when a length does not fit the model's spaces, a value is NaN or infinite, or a
     *     discrete action is not one of the space's (a Box action outside the bounds is clipped to them)
     */
    public void addLoggedTransition(float[] observation, float[] envAction, float reward, float[] nextObservation, boolean terminated,
            boolean truncated) {
        requireValues("observation", observation, observationSpace.flatDim());
        requireValues("next observation", nextObservation, observationSpace.flatDim());
        requireValues("action", envAction, actionSpace.flatDim());
        if (!Float.isFinite(reward)) {
            throw new IllegalArgumentException("the reward is " + reward);
        }
        if (!(actionSpace instanceof Box) && !actionSpace.contains(envAction)) {
            throw new IllegalArgumentException("the action " + Arrays.toString(envAction) + " is not in " + actionSpace);
        }
        replayBufferAdd(observation, fromEnvAction(envAction, new float[envAction.length]), reward, nextObservation, terminated, truncated);
    }

    private static void requireValues(String what, float[] values, int dim) {
        if (values.length != dim) {
            throw new IllegalArgumentException("the " + what + " has " + values.length + " values; the model's space has " + dim);
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("the " + what + " holds " + v);
            }
        }
    }

    @Override
    protected final void train(long totalTimesteps, BaseCallback callback, int logInterval) {
        ReplaySettings settings = replaySettings();
        if (replayBuffer == null) {
            replayBuffer = makeReplayBuffer();
        }
        if (recorder != null && !(source instanceof ActorSource)) {
            throw new IllegalStateException(algorithmName() + " records the transitions of actors (an ActorSource, e.g. executor actors);"
                    + " this one steps its env in process");
        }
        // A stream that depends only on the seed and the timesteps so far: a saved and reloaded model (with its replay
        // buffer) trains on exactly as the uninterrupted one would, given the same env.
        random = new SplittableRandom(iterationSeed(seed(), numTimesteps));
        startLearning(totalTimesteps);
        startNanos = System.nanoTime();
        startTimesteps = numTimesteps;
        trainingLocals.put("self", this);
        trainingLocals.put("total_timesteps", numTimesteps + totalTimesteps);
        callback.onTrainingStart(trainingLocals);
        callback.onRolloutStart();
        Feed feed = source instanceof ActorSource actors ? new ActorFeed(actors, totalTimesteps) : new EnvFeed();
        try {
            for (long step = 0; step < totalTimesteps; step++) {
                Transition t = feed.next();
                numTimesteps++;
                trainingLocals.put("infos", t.step.infos());
                trainingLocals.put("dones", t.step.dones());
                trainingLocals.put("rewards", t.step.rewards());
                callback.updateLocals(trainingLocals);
                if (!callback.onStep()) {
                    break;
                }
                replayBufferAdd(t.observation, t.action, t.reward, t.nextObservation, t.terminated, t.truncated);
                recordEpisodes(t.step.infos());
                boolean learning = replayBuffer.canSample(settings.batchSize()) && learningStarted();
                if (learning && numTimesteps % settings.trainFreq() == 0) {
                    callback.onRolloutEnd();
                    train(settings.gradientSteps());
                    callback.onRolloutStart();
                }
                if (learning) {
                    afterTrainingStep();
                }
                if ((t.terminated || t.truncated) && ++episodes % Math.max(1, logInterval) == 0 && logInterval > 0) {
                    dumpLogs();
                }
            }
        } finally {
            feed.finish();
        }
        callback.onRolloutEnd();
        callback.onTrainingEnd();
    }

    /** One transition as the learner stores it (original, unnormalized values), and the step as callbacks see it. */
    private static final class Transition {
        float[] observation;
        float[] action;
        float reward;
        float[] nextObservation;
        boolean terminated;
        boolean truncated;
        VecStepResult step;
    }

    /** Where the training loop's transitions come from, one per env step. */
    private interface Feed {
        Transition next();

        /** Ends the {@code learn} call (a round still running is waited for and its transitions dropped). */
        void finish();
    }

    /** The algorithm's own env, stepped here with exploration. */
    private final class EnvFeed implements Feed {
        private final VecNormalize normalize = getVecNormalizeEnv();
        private final Transition transition = new Transition();
        private final float[][] actions = new float[1][];
        private final float[] obs;
        private float[] originalObs;

        EnvFeed() {
            obs = env.reset()[0].clone();
            originalObs = normalize == null ? obs : normalize.getOriginalObs()[0].clone();
            onEpisodeStart();
        }

        @Override
        public Transition next() {
            Transition t = transition;
            if (t.step != null) {
                System.arraycopy(t.step.obs()[0], 0, obs, 0, obs.length);
                if (normalize != null) {
                    System.arraycopy(normalize.getOriginalObs()[0], 0, originalObs, 0, originalObs.length);
                }
                if (t.step.dones()[0]) {
                    onEpisodeStart();
                }
            }
            float[] action = explorationAction(obs);
            actions[0] = toEnvAction(action);
            VecStepResult result = env.step(actions);
            boolean done = result.dones()[0];
            float[] next = done ? terminalObservation(result) : result.obs()[0];
            t.observation = originalObs;
            t.action = action;
            t.reward = (float) (normalize == null ? result.rewards()[0] : normalize.getOriginalReward()[0]);
            t.nextObservation = normalize == null ? next : done ? normalize.unnormalizeObs(next) : normalize.getOriginalObs()[0];
            t.terminated = result.terminated()[0];
            t.truncated = result.truncated()[0];
            t.step = result;
            return t;
        }

        @Override
        public void finish() {
        }
    }

    /**
     * Transitions from actors, in rounds: each round every actor takes {@code stepsPerRound} steps with the policy of the
     * moment it started, and the learner takes the transitions step by step (actor 0's, actor 1's, ... of each step), as
     * if it stepped them itself. The next round starts once at most one round's transitions are left to take, so it runs
     * while the learner trains on those: the learner waits only when it has taken everything (before learning starts,
     * when training is cheap), and the actors' policy is at most about two rounds behind the learner's.
     */
    private final class ActorFeed implements Feed {
        private final ActorSource actors;
        private final ActorSpec spec = actorSpec();
        private final long clockStart = numTimesteps;
        private final long clockTotal;
        private final int roundSize;
        private final Deque<List<RolloutFragment>> received = new ArrayDeque<>();
        private final Transition transition = new Transition();
        private final float[] action = new float[actionSpace.flatDim()];
        private final VecStepResult step;
        private long requested;
        private long queued;
        private int row;

        ActorFeed(ActorSource actors, long totalTimesteps) {
            if (getVecNormalizeEnv() != null) {
                throw new IllegalStateException("actors do not support VecNormalize (it runs in process)");
            }
            this.actors = actors;
            this.clockTotal = totalTimesteps;
            this.roundSize = actors.numActors() * actors.stepsPerRound();
            this.step = new VecStepResult(1, observationSpace.flatDim());
            actors.recordTo(recorder);
        }

        @Override
        public Transition next() {
            if (!actors.running() && queued <= roundSize && requested < clockTotal) {
                int steps = (int) Math.min(actors.stepsPerRound(), ceilDiv(clockTotal - requested, actors.numActors()));
                PolicySnapshot.ExplorationClock clock = new PolicySnapshot.ExplorationClock(numTimesteps + queued, actors.numActors(),
                        clockStart, clockTotal, new HashMap<>(explorationState()));
                actors.start(spec, new PolicySnapshot(++actorPolicyVersion, actingParameters(), clock), steps);
                requested += (long) steps * actors.numActors();
            }
            if (actors.running()) {
                List<RolloutFragment> round = actors.poll(queued == 0);
                if (round != null) {
                    received.add(round);
                    queued += (long) round.size() * round.get(0).nSteps;
                }
            }
            List<RolloutFragment> round = received.peek();
            int nActors = round.size();
            RolloutFragment f = round.get(row % nActors);
            int t = row / nActors;
            fill(f, t);
            queued--;
            if (++row == nActors * f.nSteps) {
                received.poll();
                row = 0;
            }
            return transition;
        }

        private void fill(RolloutFragment f, int t) {
            boolean done = f.terminated[t] || f.truncated[t];
            float[] after = t + 1 < f.nSteps ? f.observations[t + 1] : f.lastObservations[0];
            transition.observation = f.observations[t];
            transition.action = fromEnvAction(f.actions[t], action);
            transition.reward = (float) f.rewards[t];
            transition.nextObservation = done ? f.terminalObservations[t] : after;
            transition.terminated = f.terminated[t];
            transition.truncated = f.truncated[t];
            System.arraycopy(after, 0, step.obs()[0], 0, after.length);
            step.set(0, f.rewards[t], f.terminated[t], f.truncated[t], f.info(t));
            transition.step = step;
        }

        @Override
        public void finish() {
            if (actors.running()) {
                actors.poll(true);
            }
        }
    }

    private static float[] terminalObservation(VecStepResult result) {
        Object terminal = result.infos()[0].get(Infos.TERMINAL_OBSERVATION);
        if (!(terminal instanceof float[] observation)) {
            throw new IllegalStateException("the env finished an episode without info['" + Infos.TERMINAL_OBSERVATION + "']");
        }
        return observation;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** What of the exploration the learner adapts, for its actors to follow ({@link #followExplorationState}): none by default. */
    protected Map<String, Double> explorationState() {
        return Map.of();
    }

    /** An actor takes its learner's {@link #explorationState}. */
    protected void followExplorationState(Map<String, Double> state) {
    }

    /**
     * The parameters actors act with, sent once per round: the whole policy by default; algorithms with critics send
     * only what acting needs.
     */
    protected LinkedHashMap<String, float[]> actingParameters() {
        return getParameters();
    }

    /**
     * How actors of this algorithm are built wherever they run: the same algorithm, hyperparameters, policy and
     * {@code policy_kwargs}, each actor seeded apart (its random actions, sampling and exploration noise), acting with
     * the parameters of each round's snapshot and exploring as this algorithm does at the learner's timestep.
     */
    public ActorSpec actorSpec() {
        return new ExploringActorSpec(algorithmName(), policyName, new HashMap<>(hyperparameterMap()), new HashMap<>(options.policyKwargs()),
                seed());
    }

    /** See {@link #actorSpec()}. */
    private record ExploringActorSpec(String algorithm, String policy, HashMap<String, Object> hyperparameters,
            HashMap<String, Object> policyKwargs, long seed) implements ActorSpec {
        @Override
        public Actor build(VecEnv env, int workerId) {
            long actorSeed = seed ^ (0x9E3779B97F4A7C15L * (workerId + 1L));
            BaseAlgorithm<?> model = Algorithms.get(algorithm).create(policy, env, hyperparameters,
                    new AlgorithmOptions(0, null, policyKwargs, actorSeed));
            return ((OffPolicyAlgorithm<?>) model).new ExploringActor(workerId);
        }
    }

    /** This algorithm acting for a worker: exploring as the learner would at the timestep its transition will get. */
    private final class ExploringActor implements Actor {
        private final int actorId;
        private long learnStart = -1;
        private long learnTotal = -1;
        private int stride = 1;

        ExploringActor(int actorId) {
            this.actorId = actorId;
        }

        @Override
        public void update(PolicySnapshot snapshot) {
            loadParameters(snapshot.parameters(), false);
            PolicySnapshot.ExplorationClock clock = snapshot.clock();
            if (clock.learnStart() != learnStart || clock.learnTotal() != learnTotal) {
                numTimesteps = clock.learnStart();
                startLearning(clock.learnTotal());
                learnStart = clock.learnStart();
                learnTotal = clock.learnTotal();
            }
            numTimesteps = clock.timesteps() + actorId;
            stride = clock.stride();
            followExplorationState(clock.state());
        }

        @Override
        public void act(float[][] obs, int n, SplittableRandom workerRandom, float[][] actions, float[][] envActions, float[] values,
                float[] logProbs) {
            float[] envAction = toEnvAction(explorationAction(obs[0]));
            // Fragments keep the env's actions, as every trajectory table does; the learner scales them back.
            System.arraycopy(envAction, 0, actions[0], 0, envAction.length);
            System.arraycopy(envAction, 0, envActions[0], 0, envAction.length);
            numTimesteps += stride;
        }

        /** Off-policy learners bootstrap from their critics, not from values the actors send. */
        @Override
        public void predictValues(float[][] obs, int n, float[] out) {
            Arrays.fill(out, 0, n, 0f);
        }

        @Override
        public void episodeStarted(int env) {
            onEpisodeStart();
        }
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

    /**
     * The reference's {@code pretrain} for these algorithms: the loss of {@link #cloningLoss} on each batch, minimized
     * over {@link #cloningVariables()} with an Adam of its own.
     */
    @Override
    protected final void pretrain(ExpertDataset dataset, BehaviorCloning.Config config, Logger logger) {
        List<Variable> variables = cloningVariables();
        TapeAdam adam = new TapeAdam(variables, AdamConfig.DEFAULT.withEpsilon(config.adamEpsilon()));
        Tape tape = new Tape();
        BehaviorCloning.train(dataset, config, logger, new BehaviorCloning.Objective() {
            @Override
            public double loss(Batch batch) {
                tape.reset();
                return cloningLoss(tape, batch).item();
            }

            @Override
            public double step(Batch batch, double learningRate) {
                Variables.zeroGrad(variables);
                tape.reset();
                Tensor loss = cloningLoss(tape, batch);
                tape.backward(loss);
                adam.step(learningRate, Double.NaN);
                return loss.item();
            }
        });
    }

    /**
     * The reference's pretraining loss on a batch of expert observations and actions: the mean squared error between the
     * expert's actions and the policy's deterministic ones in the env's units (continuous), or the cross-entropy of the
     * expert's actions under the softmax of the Q-values (DQN).
     */
    protected abstract Tensor cloningLoss(Tape tape, Batch batch);

    /** What pretraining trains: the acting network's variables. */
    protected abstract List<Variable> cloningVariables();

    /** The policy's actions for the observations (each policy knows its action space and precision). */
    @Override
    public final float[][] predict(float[][] observations, boolean deterministic) {
        return policy().predict(observations, deterministic);
    }

    @Override
    protected boolean deterministicByDefault() {
        return true;
    }
}
