package org.sparkbaselines.algos.td3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.OffPolicyChecks;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnvs;

/** TD3 with the RL zoo's Pendulum settings (Gaussian action noise 0.1, learning_starts 1000) reaches -200 in 20k steps. */
@Tag("slow")
class TD3LearningTest {
    static final Map<String, Object> ZOO_PENDULUM = Map.of("noise_type", "normal", "noise_std", 0.1, "learning_starts", 1000);

    @Test
    void zooPendulumReachesMinus200In20kSteps() {
        TD3 model = new TD3("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, 0L), TD3.Config.DEFAULT.with(ZOO_PENDULUM),
                AlgorithmOptions.DEFAULT.withSeed(0L));
        EvaluationResult eval = OffPolicyChecks.learnAndEvaluate(model, 20_000, "Pendulum-v1");
        assertTrue(eval.meanReward() >= -200, eval.toString());
    }
}
