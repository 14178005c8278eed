package org.sparkbaselines.algos.sac;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnvs;

/** SAC with the RL zoo's Pendulum settings (learning_starts 1000, the reference's defaults otherwise) reaches -200 in 20k steps. */
@Tag("slow")
class SACLearningTest {
    static final Map<String, Object> ZOO_PENDULUM = Map.of("learning_starts", 1000);

    @Test
    void zooPendulumReachesMinus200In20kSteps() {
        SAC model = new SAC("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, 0L), SAC.Config.DEFAULT.with(ZOO_PENDULUM),
                AlgorithmOptions.DEFAULT.withSeed(0L));
        long start = System.nanoTime();
        model.learn(20_000);
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("Pendulum-v1", 1, 100L), 10, true, false, null,
                null);
        System.out.printf("SAC Pendulum 20k: %.1f s, %s%n", (System.nanoTime() - start) / 1e9, eval);
        assertTrue(eval.meanReward() >= -200, eval.toString());
    }
}
