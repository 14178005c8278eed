package org.sparkbaselines.algos.sac;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.OffPolicyChecks;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.rollout.LocalActorSource;
import org.sparkbaselines.vec.VecEnvs;

/** SAC with the RL zoo's Pendulum settings (learning_starts 1000, the reference's defaults otherwise) reaches -200 in 20k steps. */
@Tag("slow")
class SACLearningTest {
    static final Map<String, Object> ZOO_PENDULUM = Map.of("learning_starts", 1000);

    @Test
    void zooPendulumReachesMinus200In20kSteps() {
        SAC model = new SAC("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, 0L), SAC.Config.DEFAULT.with(ZOO_PENDULUM),
                AlgorithmOptions.DEFAULT.withSeed(0L));
        EvaluationResult eval = OffPolicyChecks.learnAndEvaluate(model, 20_000, "Pendulum-v1");
        assertTrue(eval.meanReward() >= -200, eval.toString());
    }

    /** Two actors on a background thread, acting with the policy of each round of 50 steps while the learner trains. */
    @Test
    void zooPendulumWithTwoLocalActorsReachesMinus250In20kSteps() {
        try (LocalActorSource actors = new LocalActorSource("Pendulum-v1", Map.of(), 2, 50, 0L)) {
            SAC model = new SAC("MlpPolicy", actors, SAC.Config.DEFAULT.with(ZOO_PENDULUM), AlgorithmOptions.DEFAULT.withSeed(0L));
            EvaluationResult eval = OffPolicyChecks.learnAndEvaluate(model, 20_000, "Pendulum-v1");
            assertTrue(eval.meanReward() >= -250, eval.toString());
        }
    }
}
