package org.sparkbaselines.algos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.callbacks.BaseCallback;
import org.sparkbaselines.callbacks.Callbacks;
import org.sparkbaselines.common.Hyperparameters;
import org.sparkbaselines.common.Seeding;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.EnvWrapper;
import org.sparkbaselines.env.EpisodeInfo;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.env.Monitor;
import org.sparkbaselines.io.ModelArchive;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Version;
import org.sparkbaselines.logging.Logger;
import org.sparkbaselines.nn.OptimizerState;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.Policy;
import org.sparkbaselines.imitation.BehaviorCloning;
import org.sparkbaselines.imitation.ExpertDataset;
import org.sparkbaselines.rollout.ExperienceSource;
import org.sparkbaselines.rollout.RolloutRecorder;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.spaces.SpaceCodec;
import org.sparkbaselines.vec.DummyVecEnv;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvWrapper;
import org.sparkbaselines.vec.VecEnvs;
import org.sparkbaselines.vec.VecNormalize;

/**
 * What every algorithm shares, the reference's {@code BaseRLModel}: construction from a policy name
 * and an env (an {@link Env}, a {@link VecEnv} or a registered id, wrapped as needed), {@code learn},
 * {@code predict}, parameters by name, {@code save}/{@code load}, {@code setEnv}, seeding.
 *
 * @param <C> the algorithm's hyperparameter record (snake_case names of the reference, see {@link Hyperparameters})
 */
public abstract class BaseAlgorithm<C extends Record> implements org.sparkbaselines.common.Predictor {
    private static final ObjectMapper JSON = new ObjectMapper();

    protected final String policyName;
    protected final C config;
    protected final AlgorithmOptions options;
    protected final Space observationSpace;
    protected final Space actionSpace;
    protected VecEnv env;
    /** Where experience comes from when the algorithm was given a source (workers or actors) instead of an env, else null. */
    protected ExperienceSource source;
    /** Where the experience trained on is recorded (e.g. into Delta), or null. */
    protected RolloutRecorder recorder;
    protected long numTimesteps;
    /** What a wrapper of this model (HER) keeps in its model files, by name ({@link #annotate}). */
    private final Map<String, Object> annotations = new LinkedHashMap<>();
    protected SplittableRandom random;
    protected Logger logger;
    /** The last 100 finished episodes, for {@code rollout/ep_rew_mean} and {@code rollout/ep_len_mean}. */
    protected final Deque<EpisodeInfo> episodeInfos = new ArrayDeque<>();
    private long seed;

    /**
     * @param env an {@link Env}, a {@link VecEnv}, a registered env id, an {@link ExperienceSource} (on-policy rollout
     *        workers or off-policy actors, e.g. on Spark executors), or null (a model loaded for prediction only; then the spaces are needed)
     */
    protected BaseAlgorithm(String policyName, Object env, Space observationSpace, Space actionSpace, C config, AlgorithmOptions options) {
        this.policyName = policyName;
        this.config = config;
        this.options = options == null ? AlgorithmOptions.DEFAULT : options;
        this.seed = this.options.seed() != null ? this.options.seed() : Seeding.newSeed();
        this.random = new SplittableRandom(seed);
        if (env instanceof ExperienceSource given) {
            this.source = given;
            this.env = null;
            observationSpace = given.observationSpace();
            actionSpace = given.actionSpace();
        } else {
            this.env = env == null ? null : toVecEnv(env, seed);
            if (env instanceof VecEnv given && this.options.seed() != null) {
                given.seed(seed); // as the reference's set_random_seed seeds the env it was given
            }
        }
        this.observationSpace = this.env != null ? this.env.observationSpace() : observationSpace;
        this.actionSpace = this.env != null ? this.env.actionSpace() : actionSpace;
        if (this.observationSpace == null || this.actionSpace == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs an env (or, when loading, its spaces)");
        }
        this.logger = new Logger(null, List.of());
    }

    /** The registry name written to model files, e.g. {@code "PPO2"}. */
    public abstract String algorithmName();

    /** The policy being trained. */
    public abstract Policy policy();

    /** The optimizers' state model files keep. */
    protected abstract OptimizerState optimizer();

    /** Whether {@code predict} is deterministic by default (true only for DQN, DDPG, SAC, TD3, HER). */
    protected boolean deterministicByDefault() {
        return false;
    }

    /** Trains for {@code totalTimesteps} env steps with the reference's defaults for the other arguments. */
    public final BaseAlgorithm<C> learn(long totalTimesteps) {
        return learn(totalTimesteps, null, defaultLogInterval(), algorithmName(), true);
    }

    /**
     * Trains for {@code totalTimesteps} env steps.
     *
     * @param callback null, a {@link BaseCallback} or a list of them
     * @param logInterval updates between log dumps (the first update is always logged, as in the reference; 0: none)
     * @param tbLogName TensorBoard run name
     * @param resetNumTimesteps false to continue the timestep count (and the TensorBoard curve) of a loaded model
     */
    public final BaseAlgorithm<C> learn(long totalTimesteps, Object callback, int logInterval, String tbLogName, boolean resetNumTimesteps) {
        if (env == null && source == null) {
            throw new IllegalStateException("no env to learn from: pass one to load(...) or call setEnv(...)");
        }
        if (totalTimesteps <= 0) {
            throw new IllegalArgumentException("totalTimesteps must be positive, got " + totalTimesteps);
        }
        if (resetNumTimesteps) {
            numTimesteps = 0;
            episodeInfos.clear();
        }
        logger = Logger.forTraining(options.verbose(), options.tensorboardLog(), tbLogName, resetNumTimesteps);
        BaseCallback cb = Callbacks.of(callback);
        cb.initCallback(this);
        try {
            train(totalTimesteps, cb, logInterval);
        } finally {
            logger.close();
        }
        return this;
    }

    /**
     * Records the experience of every later rollout (e.g. into Delta with lib/spark's {@code DeltaRolloutRecorder}) as the
     * workers or actors hand it over; null stops recording. The caller closes the recorder.
     */
    public void recordRollouts(RolloutRecorder recorder) {
        this.recorder = recorder;
    }

    /** Behavior cloning with the reference's defaults: {@code pretrain(dataset, 10, 1e-4, 1e-8, null)}. */
    public BaseAlgorithm<C> pretrain(ExpertDataset dataset) {
        BehaviorCloning.Config defaults = BehaviorCloning.Config.DEFAULT;
        return pretrain(dataset, defaults.nEpochs(), defaults.learningRate(), defaults.adamEpsilon(), defaults.valInterval());
    }

    /**
     * The reference's {@code pretrain(dataset, n_epochs=10, learning_rate=1e-4, adam_epsilon=1e-8, val_interval=None)}:
     * behavior cloning of the policy on the expert data with an Adam of its own (the algorithm's optimizer state is
     * untouched), with train and validation losses logged every {@code valInterval} epochs (null: every tenth of
     * {@code nEpochs}) as at {@code learn} (console with {@code verbose >= 1}, TensorBoard run
     * {@code <algorithm>_pretrain_N} with a {@code tensorboardLog}). What is minimized is the algorithm's (see its
     * {@code pretrain(dataset, config, logger)}).
     *
     * @return this model
     * @throws IllegalArgumentException when the dataset does not fit the model's spaces
     */
    public BaseAlgorithm<C> pretrain(ExpertDataset dataset, int nEpochs, double learningRate, double adamEpsilon, Integer valInterval) {
        BehaviorCloning.Config config = new BehaviorCloning.Config(nEpochs, learningRate, adamEpsilon, valInterval);
        dataset.checkSpaces(observationSpace, actionSpace);
        logger = Logger.forTraining(options.verbose(), options.tensorboardLog(), algorithmName() + "_pretrain", true);
        try {
            pretrain(dataset, config, logger);
        } finally {
            logger.close();
        }
        return this;
    }

    /** Behavior cloning of this algorithm's policy (the dataset's spaces checked). */
    protected abstract void pretrain(ExpertDataset dataset, BehaviorCloning.Config config, Logger logger);

    /** The reference's default {@code log_interval} for this algorithm. */
    public int defaultLogInterval() {
        return 100;
    }

    /** The training loop of one {@code learn(totalTimesteps)} call; a callback may stop it early. */
    protected abstract void train(long totalTimesteps, BaseCallback callback, int logInterval);

    /** Actions for a batch of observations, sampled unless {@code deterministic}; Box actions are clipped to the space. */
    public abstract float[][] predict(float[][] observations, boolean deterministic);

    /** The action for one observation with the algorithm's default determinism. */
    public float[] predict(float[] observation) {
        return predict(observation, deterministicByDefault());
    }

    /**
     * The reference's {@code predict(observation, state, mask, deterministic)}: for feed-forward policies
     * the state and mask are unused and the returned state is null.
     */
    public Prediction predict(float[][] observations, float[][] state, boolean[] mask, boolean deterministic) {
        return new Prediction(predict(observations, deterministic), null);
    }

    /** Actions and the recurrent state to pass to the next call (null for feed-forward policies). */
    public record Prediction(float[][] actions, float[][] state) {
    }

    /** The actions of an actor-critic {@code policy} for {@code observations}, Box actions clipped to the space. */
    protected final float[][] predictWith(ActorCriticPolicy policy, float[][] observations, boolean deterministic) {
        float[][] out = new float[observations.length][actionSpace.flatDim()];
        policy.act(observations, observations.length, deterministic, random, out, null, null);
        clipActions(out, out.length);
        return out;
    }

    /** Clips Box actions into the action space in place, as the reference does before stepping. */
    protected final void clipActions(float[][] actions, int batch) {
        if (actionSpace instanceof Box box) {
            for (int i = 0; i < batch; i++) {
                box.clip(actions[i]);
            }
        }
    }

    public long numTimesteps() {
        return numTimesteps;
    }

    public C config() {
        return config;
    }

    public AlgorithmOptions options() {
        return options;
    }

    public String policyName() {
        return policyName;
    }

    public Space observationSpace() {
        return observationSpace;
    }

    public Space actionSpace() {
        return actionSpace;
    }

    public VecEnv getEnv() {
        return env;
    }

    public Logger logger() {
        return logger;
    }

    public long seed() {
        return seed;
    }

    /** Finished episodes recorded during training (the most recent 100). */
    public List<EpisodeInfo> episodeInfoBuffer() {
        return List.copyOf(episodeInfos);
    }

    /**
     * Switches to another env with the same spaces (the reference's {@code set_env}); a plain env or id
     * is wrapped as at construction. Different spaces are an error naming both.
     */
    public void setEnv(Object newEnv) {
        VecEnv venv = toVecEnv(newEnv, seed);
        if (!venv.observationSpace().equals(observationSpace) || !venv.actionSpace().equals(actionSpace)) {
            throw new IllegalArgumentException("setEnv: the env's spaces " + venv.observationSpace() + " / " + venv.actionSpace()
                    + " differ from the model's " + observationSpace + " / " + actionSpace);
        }
        checkEnvCount(venv);
        this.env = venv;
    }

    /** Hook for algorithms tied to a number of envs (PPO2's batch size depends on it). */
    protected void checkEnvCount(VecEnv venv) {
    }

    /** Reseeds the algorithm's sampling and, when there is one, the env. */
    public void setRandomSeed(long newSeed) {
        this.seed = newSeed;
        this.random = new SplittableRandom(newSeed);
        if (env != null) {
            env.seed(newSeed);
        }
    }

    /**
     * Keeps {@code value} (numbers, strings, lists and maps of them) under {@code key} in the model files this model saves,
     * in {@code data.json}'s {@code annotations}: what a wrapper of the model (HER's settings) needs to be rebuilt on load.
     */
    public void annotate(String key, Object value) {
        annotations.put(key, value);
    }

    /** The {@code annotations} of a model file ({@link #annotate}), empty when it has none. */
    public static Map<String, Object> annotations(Path path) throws IOException {
        try (ModelArchive.Reader file = ModelArchive.open(path)) {
            JsonNode saved = file.data().path("annotations");
            if (saved.isMissingNode() || saved.isNull()) {
                return Map.of();
            }
            if (!saved.isObject()) {
                throw new IllegalArgumentException(path + ": data.json's annotations are not an object");
            }
            return JSON.convertValue(saved, new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
        }
    }

    /** The {@link VecNormalize} wrapper of the training env, or null. */
    public VecNormalize getVecNormalizeEnv() {
        return env == null ? null : VecEnvWrapper.find(env, VecNormalize.class);
    }

    /** Copies of all parameters by name, in order. */
    public LinkedHashMap<String, float[]> getParameters() {
        return policy().getParameters();
    }

    /** Shapes of all parameters by name, in the order of {@link #getParameters()}. */
    public Map<String, int[]> parameterShapes() {
        return policy().parameterShapes();
    }

    /** Parameter names in order. */
    public List<String> getParameterList() {
        return List.copyOf(parameterShapes().keySet());
    }

    /** Loads parameters by name; see {@link Policy#setParameters(Map, boolean)} for {@code exactMatch}. */
    public void loadParameters(Map<String, float[]> values, boolean exactMatch) {
        policy().setParameters(values, exactMatch);
    }

    /** Loads parameters from a {@code parameters.npz} file or a model zip. */
    public void loadParameters(Path file, boolean exactMatch) throws IOException {
        loadParameters(floats(ModelArchive.loadParameters(file)), exactMatch);
    }

    /**
     * The seed of the stream an iteration starting at {@code timesteps} samples from (murmur3's 64-bit
     * finalizer over both), so that streams of different iterations do not overlap.
     */
    protected static long iterationSeed(long seed, long timesteps) {
        long z = seed + timesteps * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** Records finished episodes' {@code info["episode"]} for the rollout statistics. */
    protected final void recordEpisodes(Map<String, Object>[] infos) {
        for (Map<String, Object> info : infos) {
            if (info.get(Infos.EPISODE) instanceof EpisodeInfo e) {
                if (episodeInfos.size() == 100) {
                    episodeInfos.removeFirst();
                }
                episodeInfos.addLast(e);
            }
        }
    }

    /** Writes {@code rollout/ep_rew_mean} and {@code rollout/ep_len_mean} when episodes have finished. */
    protected final void recordEpisodeStatistics() {
        if (!episodeInfos.isEmpty()) {
            logger.record("rollout/ep_rew_mean", episodeInfos.stream().mapToDouble(EpisodeInfo::reward).average().orElse(Double.NaN));
            logger.record("rollout/ep_len_mean", episodeInfos.stream().mapToDouble(EpisodeInfo::length).average().orElse(Double.NaN));
        }
    }

    /**
     * Saves the model as a zip: {@code data.json} (algorithm, policy, hyperparameters, spaces, timesteps,
     * seed, library version), {@code parameters.npz}, {@code parameter_list.json}, the optimizer state
     * and the VecNormalize statistics when the env has them. ".zip" is added when the path has no extension.
     */
    public Path save(Path path) throws IOException {
        ObjectNode data = JSON.createObjectNode();
        data.put("algorithm", algorithmName());
        data.put("library_version", Version.LIBRARY);
        data.put("policy", policyName);
        data.set("policy_kwargs", JSON.valueToTree(options.policyKwargs()));
        data.set("hyperparameters", JSON.valueToTree(hyperparameterMap()));
        data.set("observation_space", JSON.valueToTree(SpaceCodec.encode(observationSpace)));
        data.set("action_space", JSON.valueToTree(SpaceCodec.encode(actionSpace)));
        data.put("num_timesteps", numTimesteps);
        data.put("seed", seed);
        if (!annotations.isEmpty()) {
            data.set("annotations", JSON.valueToTree(annotations));
        }
        data.put("verbose", options.verbose());
        if (options.nCpuTfSess() != null) {
            data.put("n_cpu_tf_sess", options.nCpuTfSess());
        }
        if (env != null) {
            data.put("n_envs", env.numEnvs());
        }
        LinkedHashMap<String, NdArray> parameters = new LinkedHashMap<>();
        Map<String, int[]> shapes = parameterShapes();
        getParameters().forEach((name, values) -> parameters.put(name, NdArray.ofFloats(values, shapes.get(name))));
        Map<String, NdArray> optimizerState = new LinkedHashMap<>();
        optimizer().state().forEach((name, values) -> optimizerState.put(name, NdArray.ofFloats(values, values.length)));
        VecNormalize normalize = getVecNormalizeEnv();
        return new ModelArchive(data, parameters, optimizerState, normalize == null ? null : normalize.toJson()).save(path);
    }

    /** The hyperparameters as model files write them: the config's components by snake_case name. */
    protected Map<String, Object> hyperparameterMap() {
        return Hyperparameters.toMap(config);
    }

    /** How a subclass builds itself from a model file: policy name, env (may be null), spaces, merged hyperparameters, options. */
    @FunctionalInterface
    protected interface Factory<A> {
        A create(String policyName, VecEnv env, Space observationSpace, Space actionSpace, Map<String, Object> hyperparameters,
                AlgorithmOptions options);
    }

    /**
     * The parameter names and shapes of a subclass's policy, worked out from a model file's policy name,
     * spaces and policy kwargs without building the policy.
     */
    @FunctionalInterface
    protected interface PolicyShapes {
        /** @throws IllegalArgumentException naming what is wrong (an unknown policy, bad kwargs, spaces no network can take) */
        Map<String, int[]> of(String policyName, Space observationSpace, Space actionSpace, Map<String, Object> policyKwargs);
    }

    /**
     * Loads a model saved by {@link #save}: checks the file is for {@code algorithmName} and names any
     * missing key of {@code data.json}, that a given env has the saved spaces, and that the parameters
     * have the shapes {@code policyShapes} gives (and are finite) before anything is built; then restores
     * hyperparameters and options, parameters, optimizer state, timestep count and
     * VecNormalize statistics (wrapping the env when it has none). Entries are read only as needed, each
     * within what it can be ({@link ModelArchive.Reader}). {@code overrides} replace hyperparameters and the
     * options {@link AlgorithmOptions#with(Map)} takes ({@code verbose}, {@code tensorboard_log}, which model
     * files do not keep, ...), as the reference's {@code load(path, env, **kwargs)}.
     */
    @SuppressWarnings("unchecked")
    protected static <A extends BaseAlgorithm<?>> A load(Path path, Object env, Map<String, ?> overrides, String algorithmName,
            PolicyShapes policyShapes, Factory<A> factory) throws IOException {
        try (ModelArchive.Reader file = ModelArchive.open(path)) {
            ObjectNode data = file.data();
            String algorithm = data.path("algorithm").asText();
            if (!algorithmName.equals(algorithm)) {
                throw new IllegalArgumentException(path + " holds a " + (algorithm.isEmpty() ? "model of unknown algorithm" : algorithm + " model")
                        + ", not " + algorithmName);
            }
            Saved saved = Saved.of(data, path);
            Map<String, int[]> shapes;
            try {
                shapes = policyShapes.of(saved.policy(), saved.observationSpace(), saved.actionSpace(), saved.policyKwargs());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": data.json: " + e.getMessage(), e);
            }
            // Read and checked against the shapes before the policy's networks are allocated and initialised.
            Map<String, float[]> parameters = floats(file.parameters(shapes));
            Map<String, float[]> optimizerState = floats(file.optimizerState(shapes));
            Space obs = saved.observationSpace();
            Space act = saved.actionSpace();
            Map<String, Object> hyper = new LinkedHashMap<>(saved.hyperparameters());
            Map<String, ?> given = overrides == null ? Map.of() : overrides;
            hyper.putAll(AlgorithmOptions.withoutOptions(given));
            AlgorithmOptions options = new AlgorithmOptions(data.path("verbose").asInt(0), null, saved.policyKwargs(),
                    data.hasNonNull("seed") ? data.get("seed").asLong() : null, false,
                    data.hasNonNull("n_cpu_tf_sess") ? data.get("n_cpu_tf_sess").asInt() : null).withOptionsFrom(given);
            VecEnv venv = null;
            if (env != null) {
                venv = toVecEnv(env, options.seed());
                if (!venv.observationSpace().equals(obs) || !venv.actionSpace().equals(act)) {
                    throw new IllegalArgumentException("the env's spaces " + venv.observationSpace() + " / " + venv.actionSpace()
                            + " differ from the model's " + obs + " / " + act + " (" + path + ")");
                }
            }
            if (venv != null) {
                venv = withSavedNormalization(venv, file.vecNormalize(obs.flatDim()));
            }
            A model = factory.create(saved.policy(), venv, obs, act, hyper, options);
            model.loadParameters(parameters, true);
            if (!optimizerState.isEmpty()) {
                model.optimizer().loadState(optimizerState);
            }
            ((BaseAlgorithm<?>) model).numTimesteps = data.path("num_timesteps").asLong(0);
            return model;
        }
    }

    /** {@code venv} with saved VecNormalize statistics (or null: none): copied into its VecNormalize, or wrapping it when it has none. */
    private static VecEnv withSavedNormalization(VecEnv venv, ObjectNode statistics) {
        if (statistics == null) {
            return venv;
        }
        VecNormalize existing = VecEnvWrapper.find(venv, VecNormalize.class);
        VecNormalize restored = VecNormalize.fromJson(statistics, existing != null ? existing.inner() : venv);
        if (existing == null) {
            return restored;
        }
        VecNormalize.syncNormalization(restored, existing);
        return venv;
    }

    /**
     * What a model file's {@code data.json} says a model is, each key checked and any missing one named
     * (the reference's files always have them).
     */
    private record Saved(String policy, Space observationSpace, Space actionSpace, Map<String, Object> hyperparameters,
            Map<String, Object> policyKwargs) {
        static Saved of(ObjectNode data, Path path) {
            JsonNode policy = required(data, "policy", path);
            if (!policy.isTextual()) {
                throw malformed(path, "policy", "must be a policy name such as \"MlpPolicy\", got " + policy);
            }
            return new Saved(policy.asText(), space(data, "observation_space", path), space(data, "action_space", path),
                    object(data, "hyperparameters", path), data.hasNonNull("policy_kwargs") ? object(data, "policy_kwargs", path) : Map.of());
        }

        private static JsonNode required(ObjectNode data, String key, Path path) {
            JsonNode value = data.get(key);
            if (value == null || value.isNull()) {
                throw new IllegalArgumentException(path + ": data.json has no '" + key + "' key");
            }
            return value;
        }

        /** The JSON object under {@code key}, as plain values. */
        @SuppressWarnings("unchecked")
        private static Map<String, Object> object(ObjectNode data, String key, Path path) {
            JsonNode value = required(data, key, path);
            if (!value.isObject()) {
                throw malformed(path, key, "must be a JSON object, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            return JSON.convertValue(value, Map.class);
        }

        private static Space space(ObjectNode data, String key, Path path) {
            Map<String, Object> description = object(data, key, path);
            try {
                return SpaceCodec.decode(description);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw malformed(path, key, "is not a space (" + e.getMessage() + ")");
            }
        }

        private static IllegalArgumentException malformed(Path path, String key, String problem) {
            return new IllegalArgumentException(path + ": data.json's '" + key + "' " + problem);
        }
    }

    private static Map<String, float[]> floats(Map<String, NdArray> arrays) {
        Map<String, float[]> values = new LinkedHashMap<>();
        arrays.forEach((name, array) -> values.put(name, array.toFloatArray()));
        return values;
    }

    /**
     * Wraps what users pass as an env into a monitored VecEnv: a VecEnv as is, an {@link Env} in a one-env
     * DummyVecEnv, a registered id as one env; {@code seed} (or null) seeds what is built here.
     */
    public static VecEnv toVecEnv(Object env, Long seed) {
        if (env instanceof VecEnv v) {
            return v;
        }
        if (env instanceof String id) {
            return VecEnvs.makeVecEnv(id, 1, seed);
        }
        if (env instanceof Env e) {
            Env monitored = EnvWrapper.find(e, Monitor.class) != null ? e : new Monitor(e);
            DummyVecEnv venv = DummyVecEnv.of(monitored);
            if (seed != null) {
                venv.seed(seed);
            }
            return venv;
        }
        throw new IllegalArgumentException("env must be an Env, a VecEnv or a registered env id, got "
                + (env == null ? "null" : env.getClass().getName()));
    }
}
