package org.sparkbaselines.algos.a2c;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnvs;

/** A2C with the RL zoo's CartPole-v1 settings (8 envs, ent_coef 0) reaches 475. */
@Tag("slow")
class A2CLearningTest {

    @Test
    void zooCartPoleReaches475() {
        A2C model = new A2C("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 8, 0L), A2C.Config.DEFAULT.with(Map.of("ent_coef", 0.0)),
                AlgorithmOptions.DEFAULT.withSeed(0L));
        model.learn(500_000);
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 100L), 10, true, false, null,
                null);
        assertTrue(eval.meanReward() >= 475, eval.toString());
    }
}
