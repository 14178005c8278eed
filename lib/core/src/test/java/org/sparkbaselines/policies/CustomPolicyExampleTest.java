package org.sparkbaselines.policies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.vec.VecEnvs;

/**
 * The custom policy of {@code docs/policies.md}, as written there: a shared ReLU trunk registered by name, used by PPO2 in
 * process, saved and loaded by name (on executors, {@code StandaloneClusterIT} trains a driver-registered policy).
 */
@Tag("slow")
class CustomPolicyExampleTest {

    @Test
    void aRegisteredSharedTrunkReluPolicyTrainsSavesAndLoads(@TempDir Path dir) throws Exception {
        // --- docs/policies.md, "A policy of your own"
        ActorCriticPolicies.register("SharedReluPolicy", (observationSpace, actionSpace, kwargs, seed) ->
                new ActorCriticPolicy(observationSpace, actionSpace,
                        new PolicyKwargs(new NetArch(List.of(64), List.of(32), List.of(32)), Activation.RELU, kwargs.backend()), seed));
        PPO2 model = new PPO2("SharedReluPolicy", VecEnvs.makeVecEnv("CartPole-v1", 8, 0L), PPO2.Config.DEFAULT.with(Map.of("n_steps", 32,
                "nminibatches", 1, "lam", 0.8, "gamma", 0.98, "noptepochs", 20, "ent_coef", 0.0, "learning_rate", "lin_0.001",
                "cliprange", "lin_0.2")), AlgorithmOptions.DEFAULT.withSeed(0L));
        model.learn(100_000);
        Path saved = model.save(dir.resolve("shared_relu"));
        PPO2 loaded = PPO2.load(saved, null);      // the name resolves to the registered factory
        // ---

        assertEquals("SharedReluPolicy", loaded.policyName());
        assertTrue(model.getParameters().containsKey("model/shared_fc0/w:0"), model.getParameters().keySet().toString());
        assertEquals(Activation.RELU, loaded.policy().kwargs().actFun());
        float[][] obs = {{0.01f, 0.2f, -0.03f, -0.3f}};
        assertArrayEquals(model.predict(obs, true)[0], loaded.predict(obs, true)[0]);
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 100L), 10, true, false, null, null);
        assertTrue(eval.meanReward() >= 400, "an untrained policy scores 9-40; " + eval);
    }
}
