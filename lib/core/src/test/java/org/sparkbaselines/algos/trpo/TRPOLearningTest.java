package org.sparkbaselines.algos.trpo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnvs;

/** TRPO reaches CartPole-v1's 475 with fixed seeds, in 500k steps (about 4 s each here). */
@Tag("slow")
class TRPOLearningTest {
    /** The RL zoo's CartPole-v1 settings (conf/hyperparams/trpo.yml). */
    static final Map<String, Object> ZOO_CARTPOLE = Map.of("timesteps_per_batch", 512, "max_kl", 0.001, "cg_iters", 10, "cg_damping", 1e-3,
            "entcoeff", 0.0, "gamma", 0.99, "lam", 1.0, "vf_iters", 3, "vf_stepsize", 1e-4);

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2})
    void zooCartPoleReaches475(long seed) {
        TRPO model = new TRPO("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, seed), TRPO.Config.DEFAULT.with(ZOO_CARTPOLE),
                AlgorithmOptions.DEFAULT.withSeed(seed));
        model.learn(500_000);
        EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 100 + seed), 10, true,
                false, null, null);
        assertTrue(eval.meanReward() >= 475, "seed " + seed + ": " + eval);
    }
}
