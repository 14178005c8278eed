package org.sparkbaselines.algos.her;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.OffPolicyAlgorithm;
import org.sparkbaselines.env.FlattenDictObservation;
import org.sparkbaselines.env.GoalEnv;

/**
 * Hindsight Experience Replay, the reference's {@code HER(policy, env, model_class, n_sampled_goal=4,
 * goal_selection_strategy='future', **kwargs)}: an off-policy model (DQN, SAC, DDPG or TD3) trained on a {@link GoalEnv}
 * whose Dict observations it sees flat ({@link FlattenDictObservation}: {@code observation}, {@code achieved_goal} and
 * {@code desired_goal} end to end), its transitions reaching the replay buffer through {@link HindsightReplay}. The model
 * is an ordinary model of its algorithm: it predicts from flat Dict observations, saves and loads as such; HER's two
 * settings are given again to {@link #load} (the reference keeps them in its file).
 */
public final class HER {
    private final OffPolicyAlgorithm<?> model;
    private final HindsightReplay replay;

    /**
     * @param modelClass the wrapped algorithm: {@code dqn}, {@code sac}, {@code ddpg} or {@code td3}
     * @param hyperparameters the model's, plus {@code n_sampled_goal} (4) and {@code goal_selection_strategy} ("future")
     */
    public HER(String policy, GoalEnv env, String modelClass, Map<String, ?> hyperparameters, AlgorithmOptions options) {
        this(create(policy, env, modelClass, hyperparameters, options), env, hyperparameters);
    }

    private HER(OffPolicyAlgorithm<?> model, GoalEnv env, Map<String, ?> hyperparameters) {
        this.model = model;
        Object n = hyperparameters.containsKey("n_sampled_goal") ? hyperparameters.get("n_sampled_goal") : 4;
        Object strategy = hyperparameters.containsKey("goal_selection_strategy") ? hyperparameters.get("goal_selection_strategy") : "future";
        if (!(n instanceof Number count) || count.doubleValue() != count.intValue()) {
            throw new IllegalArgumentException("n_sampled_goal must be an integer, got " + n);
        }
        this.replay = new HindsightReplay(env, count.intValue(), HindsightReplay.GoalSelectionStrategy.of(String.valueOf(strategy)),
                model.seed() + 5000);
    }

    private static OffPolicyAlgorithm<?> create(String policy, GoalEnv env, String modelClass, Map<String, ?> hyperparameters,
            AlgorithmOptions options) {
        Algorithms.Entry entry = Algorithms.get(modelClass);
        if (!entry.learnsFromActors()) {
            throw new IllegalArgumentException("HER wraps an off-policy algorithm (dqn, sac, ddpg, td3), not " + modelClass);
        }
        Map<String, Object> own = new LinkedHashMap<>(hyperparameters);
        own.remove("n_sampled_goal");
        own.remove("goal_selection_strategy");
        return (OffPolicyAlgorithm<?>) entry.create(policy, new FlattenDictObservation(env), own, options);
    }

    /** Loads a model saved by {@link #save} for {@code env}, with HER's settings ({@code n_sampled_goal}, {@code goal_selection_strategy}). */
    public static HER load(Path path, GoalEnv env, Map<String, ?> herSettings) throws IOException {
        BaseAlgorithm<?> loaded = Algorithms.loadAny(path, new FlattenDictObservation(env));
        if (!(loaded instanceof OffPolicyAlgorithm<?> model)) {
            throw new IllegalArgumentException(path + " holds a " + loaded.algorithmName() + " model; HER wraps dqn, sac, ddpg or td3");
        }
        return new HER(model, env, herSettings);
    }

    /** Trains for {@code totalTimesteps} env steps, every transition through the hindsight replay. */
    public HER learn(long totalTimesteps) {
        model.learn(totalTimesteps, null, model.defaultLogInterval(), "HER", true, replay);
        return this;
    }

    /** Actions for flat Dict observations. */
    public float[][] predict(float[][] observations, boolean deterministic) {
        return model.predict(observations, deterministic);
    }

    /** The wrapped model. */
    public OffPolicyAlgorithm<?> model() {
        return model;
    }

    /** Saves the wrapped model. */
    public Path save(Path path) throws IOException {
        return model.save(path);
    }
}
