package org.sparkbaselines.algos.ddpg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.OffPolicyChecks;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnvs;

/**
 * DDPG with the RL zoo's Pendulum settings (Ornstein-Uhlenbeck noise 0.1, the reference's defaults otherwise) reaches -300, also
 * with Pop-Art ({@code normalize_returns}, {@code enable_popart}); seed 0, chosen before the first run.
 */
@Tag("slow")
class DDPGLearningTest {
    static final Map<String, Object> ZOO_PENDULUM = Map.of("noise_type", "ornstein-uhlenbeck", "noise_std", 0.1);

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void zooPendulumReachesMinus300(boolean popArt) {
        DDPG model = new DDPG("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, 0L), DDPG.Config.DEFAULT.with(ZOO_PENDULUM)
                .with(popArt ? Map.of("normalize_returns", true, "enable_popart", true) : Map.of()),
                AlgorithmOptions.DEFAULT.withSeed(0L));
        EvaluationResult eval = OffPolicyChecks.learnAndEvaluate(model, 100_000, "Pendulum-v1");
        System.out.println("DDPG Pendulum popart=" + popArt + ": " + eval);
        assertTrue(eval.meanReward() >= -300, (popArt ? "Pop-Art: " : "") + eval);
    }
}
