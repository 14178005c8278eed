package org.sparkbaselines.algos.ppo2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;

/** PPO2 reaches the reference's scores with fixed seeds. */
@Tag("slow")
class PPO2LearningTest {
    /** The RL zoo's CartPole-v1 settings (conf/hyperparams/ppo2.yml). */
    static final Map<String, Object> ZOO_CARTPOLE = Map.of("n_steps", 32, "nminibatches", 1, "lam", 0.8, "gamma", 0.98,
            "noptepochs", 20, "ent_coef", 0.0, "learning_rate", "lin_0.001", "cliprange", "lin_0.2");

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2})
    void zooCartPoleReaches475(long seed) {
        VecEnv env = VecEnvs.makeVecEnv("CartPole-v1", 8, seed);
        PPO2 model = new PPO2("MlpPolicy", env, PPO2.Config.DEFAULT.with(ZOO_CARTPOLE), AlgorithmOptions.DEFAULT.withSeed(seed));
        model.learn(100_000);
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 100 + seed), 10, true,
                false, null, null);
        assertTrue(eval.meanReward() >= 475, "seed " + seed + ": " + eval);
    }
}
