package org.sparkbaselines.algos.ppo1;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnvs;

/** PPO1 with the reference's defaults reaches CartPole-v1's 475 in 100k steps (about 1 s each here), fixed seeds. */
@Tag("slow")
class PPO1LearningTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2})
    void cartPoleReaches475(long seed) {
        PPO1 model = new PPO1("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, seed), PPO1.Config.DEFAULT, AlgorithmOptions.DEFAULT.withSeed(seed));
        model.learn(100_000);
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 100 + seed), 10, true,
                false, null, null);
        assertTrue(eval.meanReward() >= 475, "seed " + seed + ": " + eval);
    }
}
