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
 * is an ordinary model of its algorithm: it predicts from flat Dict observations, saves and loads as such, and its model
 * file also keeps HER's two settings, which {@link #load} restores (as the reference's file does).
 */
public final class HER {
    /** Where model files keep HER's settings ({@link BaseAlgorithm#annotate}). */
    static final String ANNOTATION = "her";
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
        HindsightReplay.GoalSelectionStrategy selection = HindsightReplay.GoalSelectionStrategy.of(String.valueOf(strategy));
        this.replay = new HindsightReplay(env, count.intValue(), selection, model.seed() + 5000);
        model.annotate(ANNOTATION, Map.of("n_sampled_goal", count.intValue(), "goal_selection_strategy",
                selection.name().toLowerCase(java.util.Locale.ROOT)));
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

    /** Loads a model saved by {@link #save} for {@code env}, with the HER settings it was saved with. */
    public static HER load(Path path, GoalEnv env) throws IOException {
        if (!(BaseAlgorithm.annotations(path).get(ANNOTATION) instanceof Map<?, ?> settings)) {
            throw new IllegalArgumentException(path + " holds no HER settings (a model saved by HER.save has them)");
        }
        BaseAlgorithm<?> loaded = Algorithms.loadAny(path, new FlattenDictObservation(env));
        if (!(loaded instanceof OffPolicyAlgorithm<?> model)) {
            throw new IllegalArgumentException(path + " holds a " + loaded.algorithmName() + " model; HER wraps dqn, sac, ddpg or td3");
        }
        Map<String, Object> her = new LinkedHashMap<>();
        settings.forEach((k, v) -> her.put(String.valueOf(k), v));
        return new HER(model, env, her);
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
