package org.sparkbaselines.spark.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;
import org.sparkbaselines.vec.VecNormalize;

/**
 * One saved model loaded for evaluation, running seeded episodes: {@link #run(long, boolean)} reseeds
 * the env and the model's action sampling before every episode, so an episode's result depends only
 * on the model, the env and its seed — not on which episodes ran before it in the same task.
 *
 * <p>Plain Java (no Spark): the batch evaluation runs it inside executor tasks, and the command line
 * shares {@link #evaluationEnv} with it.
 */
public final class ModelEpisodes implements AutoCloseable {

    /** What one episode scored. */
    public record EpisodeScore(double reward, int length) {
    }

    private final BaseAlgorithm<?> model;
    private final VecEnv env;

    private ModelEpisodes(BaseAlgorithm<?> model) {
        this.model = model;
        this.env = evaluationEnv(model);
    }

    /**
     * Loads the model file {@code file} (any registered algorithm) onto one env {@code envId}.
     *
     * @throws IOException when the file cannot be read or is not a valid model archive
     * @throws IllegalArgumentException when the model does not fit the env (other spaces) or names an unknown algorithm
     */
    public static ModelEpisodes load(Path file, String envId) throws IOException {
        VecEnv env = VecEnvs.makeVecEnv(envId, 1, 0L);
        try {
            return new ModelEpisodes(Algorithms.loadAny(file, env));
        } catch (Throwable e) {
            env.close();
            throw e;
        }
    }

    /** The algorithm's name as saved in the model file, e.g. {@code "PPO2"}. */
    public String algorithm() {
        return model.algorithmName();
    }

    /** How many timesteps the model had been trained for when it was saved. */
    public long numTimesteps() {
        return model.numTimesteps();
    }

    /** Runs one whole episode from a reset with {@code seed}; {@code deterministic} takes the most likely actions. */
    public EpisodeScore run(long seed, boolean deterministic) {
        // Reseeds the env (applied at the reset evaluatePolicy does) and the sampling of stochastic actions.
        model.setRandomSeed(seed);
        EvaluationResult result = Evaluation.evaluatePolicy(model, env, 1, deterministic, false, null, null);
        return new EpisodeScore(result.episodeRewards()[0], result.episodeLengths()[0]);
    }

    /**
     * The loaded model's env for evaluation: wrapped in the model's saved VecNormalize statistics, if
     * any, frozen so that evaluating neither updates them nor normalizes the reported rewards.
     */
    public static VecEnv evaluationEnv(BaseAlgorithm<?> loaded) {
        VecNormalize normalize = loaded.getVecNormalizeEnv();
        if (normalize != null) {
            normalize.setTraining(false);
            normalize.setNormReward(false);
        }
        return loaded.getEnv();
    }

    @Override
    public void close() {
        env.close();
    }
}
