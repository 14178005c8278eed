package org.sparkbaselines.spark.expert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.common.Predictor;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.vec.VecNormalize;

/**
 * An expert made ready to act in one env: maps the env's raw observations to actions. A model saved
 * with VecNormalize statistics sees its observations normalized as in training; a model that
 * samples is reseeded at every episode so the episode depends on its seed only.
 */
final class ExpertPolicy {
    private final Predictor predictor;
    /** The loaded model, or null for a named expert. */
    private final BaseAlgorithm<?> model;
    /** The model's frozen observation normalization, or null. */
    private final VecNormalize normalization;

    private ExpertPolicy(Predictor predictor, BaseAlgorithm<?> model) {
        this.predictor = predictor;
        this.model = model;
        this.normalization = model == null ? null : model.getVecNormalizeEnv();
    }

    /** The registered expert {@code name} for {@code envId}. */
    static ExpertPolicy named(String name, String envId) {
        return new ExpertPolicy(Experts.create(name, envId), null);
    }

    /** The model in the zip file {@code bytes}, for {@code envId}; its spaces must be the env's. */
    static ExpertPolicy savedModel(byte[] bytes, String envId) throws IOException {
        Path file = Files.createTempFile("sb-expert-", ".zip");
        try {
            Files.write(file, bytes);
            // Loading with an env (not null) checks the model's spaces against it and restores the
            // VecNormalize statistics the model was trained with.
            BaseAlgorithm<?> model = Algorithms.loadAny(file, Envs.make(envId));
            return new ExpertPolicy(model, model);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Called before each episode with its env seed. */
    void startEpisode(long seed) {
        if (model != null) {
            model.setRandomSeed(seed);
        }
    }

    /** The action for one raw env observation. */
    float[] act(float[] observation, boolean deterministic) {
        float[] input = normalization == null ? observation : normalization.normalizeObs(observation);
        return predictor.predict(input, deterministic);
    }
}
