package org.sparkbaselines.sb2;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.callbacks.BaseCallback;
import org.sparkbaselines.imitation.BehaviorCloning;
import org.sparkbaselines.imitation.ExpertDataset;
import org.sparkbaselines.logging.Logger;
import org.sparkbaselines.nn.OptimizerState;
import org.sparkbaselines.policies.ActorCriticPolicies;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.Policy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.spaces.Space;

/**
 * An agent of an algorithm this library has not ported yet (ACER, ACKTR, TRPO), imported from Stable
 * Baselines 2 into our {@link ActorCriticPolicy}: it predicts, evaluates, generates expert data, saves in
 * our format and reloads ({@code Algorithms.get("trpo").load(...)}), but {@code learn} refuses with a
 * message until the algorithm is ported. The file's hyperparameters are kept as they were read.
 */
public final class PredictionOnlyModel extends BaseAlgorithm<PredictionOnlyModel.Config> {

    /** @param hyperparameters the imported file's hyperparameters by the reference's names */
    public record Config(Map<String, Object> hyperparameters) {
        public Config {
            hyperparameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        }
    }

    /** Optimizer state a model that never trains has: none. */
    private static final OptimizerState NO_OPTIMIZER = new OptimizerState() {
        @Override
        public Map<String, float[]> state() {
            return Map.of();
        }

        @Override
        public void loadState(Map<String, float[]> state) {
            if (!state.isEmpty()) {
                throw new IllegalArgumentException("a prediction-only model keeps no optimizer state, got " + state.keySet());
            }
        }
    };

    private final String algorithm;
    private final ActorCriticPolicy policy;

    /**
     * @param algorithm the name model files record, e.g. {@code "TRPO"}
     * @param env an env for evaluation (or null: spaces given)
     */
    PredictionOnlyModel(String algorithm, Object env, Space observationSpace, Space actionSpace, Map<String, Object> hyperparameters,
            AlgorithmOptions options) {
        super(ActorCriticPolicies.MLP, env, observationSpace, actionSpace, new Config(hyperparameters), options);
        this.algorithm = algorithm;
        this.policy = ActorCriticPolicies.create(ActorCriticPolicies.MLP, this.observationSpace, this.actionSpace,
                PolicyKwargs.fromMap(this.options.policyKwargs()), seed());
    }

    /** Loads a prediction-only model saved by {@link #save}; {@code algorithm} is the name it was saved under, e.g. {@code "TRPO"}. */
    public static PredictionOnlyModel load(String algorithm, Path path, Object env, Map<String, ?> overrides) throws IOException {
        return load(path, env, overrides, algorithm,
                (policy, obs, act, kwargs) -> ActorCriticPolicies.parameterShapes(policy, obs, act, PolicyKwargs.fromMap(kwargs)),
                (policy, venv, obs, act, hyper, options) -> new PredictionOnlyModel(algorithm, venv, obs, act, hyper, options));
    }

    @Override
    public String algorithmName() {
        return algorithm;
    }

    @Override
    public Policy policy() {
        return policy;
    }

    @Override
    protected OptimizerState optimizer() {
        return NO_OPTIMIZER;
    }

    @Override
    protected Map<String, Object> hyperparameterMap() {
        return config.hyperparameters();
    }

    @Override
    protected void train(long totalTimesteps, BaseCallback callback, int logInterval) {
        throw cannotLearn();
    }

    @Override
    protected void pretrain(ExpertDataset dataset, BehaviorCloning.Config config, Logger logger) {
        throw cannotLearn();
    }

    private UnsupportedOperationException cannotLearn() {
        return new UnsupportedOperationException(algorithm + " is not ported yet: an imported " + algorithm
                + " agent predicts, evaluates and generates expert data, but cannot learn");
    }

    @Override
    public float[][] predict(float[][] observations, boolean deterministic) {
        return predictWith(policy, observations, deterministic);
    }
}
