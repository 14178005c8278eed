package org.sparkbaselines.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.EnvWrapper;
import org.sparkbaselines.env.Monitor;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Npz;
import org.sparkbaselines.vec.DummyVecEnv;
import org.sparkbaselines.vec.EnvBatch;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvWrapper;
import org.sparkbaselines.vec.VecMonitor;
import org.sparkbaselines.vec.VecNormalize;

/**
 * Evaluates the model on a separate env every {@code evalFreq} calls, the reference's
 * {@code EvalCallback(eval_env, callback_on_new_best=None, n_eval_episodes=5, eval_freq=10000,
 * log_path=None, best_model_save_path=None, deterministic=True, render=False, verbose=1)}. Each
 * evaluation:
 * <ol>
 * <li>copies the training env's {@link VecNormalize} statistics into the eval env's, when both have one;</li>
 * <li>runs {@link Evaluation#evaluatePolicy} for {@code nEvalEpisodes} episodes and records
 *     {@code eval/mean_reward} and {@code eval/mean_ep_length} in the logger;</li>
 * <li>with a {@code logPath}, rewrites {@code <logPath>/evaluations.npz} with every evaluation so far:
 *     {@code timesteps} (int64, [evaluations]), {@code results} (float64, [evaluations, episodes]) and
 *     {@code ep_lengths} (int64, [evaluations, episodes]);</li>
 * <li>on a new best mean reward, saves {@code <bestModelSavePath>/best_model.zip} (with a
 *     {@code bestModelSavePath}) and then runs {@code callbackOnNewBest}, whose answer is this step's.</li>
 * </ol>
 * The results are kept ({@link #evaluationsTimesteps()} and the like) with or without a {@code logPath}.
 * At the start of {@code learn} it warns (SLF4J) when the eval env is not of the training env's type,
 * as the reference does, and when its episodes are not counted by a {@link Monitor} or a
 * {@link VecMonitor}, as Stable-Baselines3 does. Build one with {@link #builder(VecEnv)} to leave the
 * other parameters at their defaults.
 */
public final class EvalCallback extends EventCallback {
    private static final Logger LOG = LoggerFactory.getLogger(EvalCallback.class);
    private static final String EVALUATIONS_FILE = "evaluations.npz";
    private static final String BEST_MODEL_NAME = "best_model.zip";

    private final VecEnv evalEnv;
    private final int nEvalEpisodes;
    private final int evalFreq;
    private final Path logPath;
    private final Path bestModelSavePath;
    private final boolean deterministic;
    private final boolean render;
    private double bestMeanReward = Double.NEGATIVE_INFINITY;
    private double lastMeanReward = Double.NEGATIVE_INFINITY;
    private final List<Long> evaluationsTimesteps = new ArrayList<>();
    private final List<double[]> evaluationsResults = new ArrayList<>();
    private final List<int[]> evaluationsLength = new ArrayList<>();

    /**
     * @param evalEnv the env to evaluate on, with exactly one env
     * @param callbackOnNewBest run after each new best mean reward, e.g. a {@link StopTrainingOnRewardThreshold} (default null)
     * @param nEvalEpisodes episodes per evaluation (default 5)
     * @param evalFreq calls between two evaluations; 0 or less never evaluates (default 10000)
     * @param logPath folder of {@code evaluations.npz}, or null for none (default null)
     * @param bestModelSavePath folder of {@code best_model.zip}, or null for none (default null)
     * @param deterministic whether to evaluate with deterministic actions (default true)
     * @param render whether to render the eval env at every step (default false)
     * @param verbose 1 or more logs each evaluation's result (default 1)
     */
    public EvalCallback(VecEnv evalEnv, BaseCallback callbackOnNewBest, int nEvalEpisodes, int evalFreq, Path logPath,
            Path bestModelSavePath, boolean deterministic, boolean render, int verbose) {
        super(callbackOnNewBest, verbose);
        if (evalEnv == null) {
            throw new IllegalArgumentException("EvalCallback needs an eval env");
        }
        if (evalEnv.numEnvs() != 1) {
            throw new IllegalArgumentException("the eval env must have exactly one env (as evaluatePolicy needs), got " + evalEnv.numEnvs());
        }
        if (nEvalEpisodes < 1) {
            throw new IllegalArgumentException("nEvalEpisodes must be at least 1, got " + nEvalEpisodes);
        }
        this.evalEnv = evalEnv;
        this.nEvalEpisodes = nEvalEpisodes;
        this.evalFreq = evalFreq;
        this.logPath = logPath;
        this.bestModelSavePath = bestModelSavePath;
        this.deterministic = deterministic;
        this.render = render;
    }

    /** Options with the reference's defaults, for an eval env. */
    public static Builder builder(VecEnv evalEnv) {
        return new Builder(evalEnv);
    }

    /** Options with the reference's defaults, for a plain env (wrapped in a {@link DummyVecEnv}, as the reference does). */
    public static Builder builder(Env evalEnv) {
        return new Builder(DummyVecEnv.of(evalEnv));
    }

    @Override
    protected void atInit() {
        super.atInit();
        if (!trainingEnv.getClass().isInstance(evalEnv)) {
            LOG.warn("Training and eval env are not of the same type {} != {}", trainingEnv.getClass().getSimpleName(),
                    evalEnv.getClass().getSimpleName());
        }
        if (!isMonitored(evalEnv)) {
            LOG.warn("Evaluation environment is not wrapped with a Monitor wrapper. This may result in reporting modified "
                    + "episode lengths and rewards, if other wrappers happen to modify these. Consider wrapping the environment "
                    + "first with a Monitor wrapper.");
        }
        createDirectories(logPath);
        createDirectories(bestModelSavePath);
    }

    @Override
    protected boolean atStep() {
        if (evalFreq <= 0 || nCalls % evalFreq != 0) {
            return true;
        }
        syncNormalization();
        EvaluationResult result = Evaluation.evaluatePolicy(model, evalEnv, nEvalEpisodes, deterministic, render, null, null);
        evaluationsTimesteps.add(numTimesteps);
        evaluationsResults.add(result.episodeRewards());
        evaluationsLength.add(result.episodeLengths());
        if (logPath != null) {
            writeEvaluations(logPath.resolve(EVALUATIONS_FILE));
        }
        lastMeanReward = result.meanReward();
        logger.record("eval/mean_reward", result.meanReward());
        logger.record("eval/mean_ep_length", result.meanLength());
        if (verbose > 0) {
            LOG.info(String.format("Eval num_timesteps=%d, episode_reward=%.2f +/- %.2f", numTimesteps, result.meanReward(),
                    result.stdReward()));
            LOG.info(String.format("Episode length: %.2f +/- %.2f", result.meanLength(), result.stdLength()));
        }
        if (result.meanReward() > bestMeanReward) {
            if (verbose > 0) {
                LOG.info("New best mean reward!");
            }
            bestMeanReward = result.meanReward();
            if (bestModelSavePath != null) {
                saveBestModel(bestModelSavePath.resolve(BEST_MODEL_NAME));
            }
            return onEvent();
        }
        return true;
    }

    /** The best mean reward of all evaluations so far (-infinity before the first). */
    public double bestMeanReward() {
        return bestMeanReward;
    }

    /** The mean reward of the latest evaluation (-infinity before the first). */
    public double lastMeanReward() {
        return lastMeanReward;
    }

    /** The timestep count at each evaluation (read-only). */
    public List<Long> evaluationsTimesteps() {
        return Collections.unmodifiableList(evaluationsTimesteps);
    }

    /** Each evaluation's episode rewards (read-only). */
    public List<double[]> evaluationsResults() {
        return Collections.unmodifiableList(evaluationsResults);
    }

    /** Each evaluation's episode lengths (read-only). */
    public List<int[]> evaluationsLength() {
        return Collections.unmodifiableList(evaluationsLength);
    }

    /** Whether the eval env's episodes are counted by a {@link VecMonitor} or by a {@link Monitor} around every env; true when that cannot be seen. */
    static boolean isMonitored(VecEnv env) {
        if (VecEnvWrapper.find(env, VecMonitor.class) != null) {
            return true;
        }
        EnvBatch batch = VecEnvWrapper.find(env, EnvBatch.class);
        return batch == null || batch.envs().stream().allMatch(e -> EnvWrapper.find(e, Monitor.class) != null);
    }

    /** The reference's {@code sync_envs_normalization}: evaluation observations are normalized as in training. */
    private void syncNormalization() {
        VecNormalize trainingNormalize = model.getVecNormalizeEnv();
        VecNormalize evalNormalize = VecEnvWrapper.find(evalEnv, VecNormalize.class);
        if (trainingNormalize != null && evalNormalize != null) {
            VecNormalize.syncNormalization(trainingNormalize, evalNormalize);
        }
    }

    private void writeEvaluations(Path file) {
        int evaluations = evaluationsTimesteps.size();
        long[] timesteps = evaluationsTimesteps.stream().mapToLong(Long::longValue).toArray();
        double[] results = new double[evaluations * nEvalEpisodes];
        // int64, as numpy stores the reference's lists of Python ints
        long[] lengths = new long[evaluations * nEvalEpisodes];
        for (int i = 0; i < evaluations; i++) {
            System.arraycopy(evaluationsResults.get(i), 0, results, i * nEvalEpisodes, nEvalEpisodes);
            int[] episodeLengths = evaluationsLength.get(i);
            for (int j = 0; j < nEvalEpisodes; j++) {
                lengths[i * nEvalEpisodes + j] = episodeLengths[j];
            }
        }
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("timesteps", NdArray.ofLongs(timesteps, evaluations));
        arrays.put("results", NdArray.ofDoubles(results, evaluations, nEvalEpisodes));
        arrays.put("ep_lengths", NdArray.ofLongs(lengths, evaluations, nEvalEpisodes));
        try {
            Npz.write(file, arrays);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evaluations to " + file, e);
        }
    }

    private void saveBestModel(Path file) {
        try {
            model.save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the best model to " + file, e);
        }
    }

    private static void createDirectories(Path folder) {
        if (folder == null) {
            return;
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder " + folder, e);
        }
    }

    /** {@link EvalCallback}'s parameters, starting at the reference's defaults. */
    public static final class Builder {
        private final VecEnv evalEnv;
        private BaseCallback callbackOnNewBest;
        private int nEvalEpisodes = 5;
        private int evalFreq = 10000;
        private Path logPath;
        private Path bestModelSavePath;
        private boolean deterministic = true;
        private boolean render;
        private int verbose = 1;

        private Builder(VecEnv evalEnv) {
            this.evalEnv = evalEnv;
        }

        /** Run after each new best mean reward (default none). */
        public Builder callbackOnNewBest(BaseCallback callback) {
            this.callbackOnNewBest = callback;
            return this;
        }

        /** Episodes per evaluation (default 5). */
        public Builder nEvalEpisodes(int nEvalEpisodes) {
            this.nEvalEpisodes = nEvalEpisodes;
            return this;
        }

        /** Calls between two evaluations (default 10000). */
        public Builder evalFreq(int evalFreq) {
            this.evalFreq = evalFreq;
            return this;
        }

        /** Folder of {@code evaluations.npz} (default none). */
        public Builder logPath(Path logPath) {
            this.logPath = logPath;
            return this;
        }

        /** Folder of {@code best_model.zip} (default none). */
        public Builder bestModelSavePath(Path bestModelSavePath) {
            this.bestModelSavePath = bestModelSavePath;
            return this;
        }

        /** Whether to evaluate with deterministic actions (default true). */
        public Builder deterministic(boolean deterministic) {
            this.deterministic = deterministic;
            return this;
        }

        /** Whether to render the eval env at every step (default false). */
        public Builder render(boolean render) {
            this.render = render;
            return this;
        }

        /** 1 or more logs each evaluation's result (default 1). */
        public Builder verbose(int verbose) {
            this.verbose = verbose;
            return this;
        }

        public EvalCallback build() {
            return new EvalCallback(evalEnv, callbackOnNewBest, nEvalEpisodes, evalFreq, logPath, bestModelSavePath, deterministic,
                    render, verbose);
        }
    }
}
