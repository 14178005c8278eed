package org.sparkbaselines.algos.gail;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.imitation.ExpertDataset;
import org.sparkbaselines.vec.VecEnvs;

/**
 * GAIL imitates the shipped experts without ever seeing the env's reward, fixed seeds chosen before the first run:
 * CartPole-v1 from the 10 trajectories of {@code data/expert_cartpole.npz} (TRPO's defaults, 400k steps, about 4 s each
 * here) to a mean of at least 400; Pendulum-v1 from the 10 of {@code data/expert_pendulum.npz} (our SAC) with the zoo's
 * TRPO Pendulum settings (500k steps, about 8 s) to at least 600 above the untrained, randomly acting policy.
 */
@Tag("slow")
class GAILLearningTest {
    /** The zoo's trained TRPO Pendulum agent's settings (conf/hyperparams/gail.yml). */
    static final Map<String, Object> ZOO_PENDULUM = Map.of("max_kl", 0.000193, "timesteps_per_batch", 1024, "gamma", 0.98, "lam", 0.9,
            "entcoeff", 0.01118, "cg_damping", 2.35e-05, "vf_iters", 10, "vf_stepsize", 0.00428);

    private static GAIL trained(String envId, String npz, Map<String, Object> hyper, long seed, long steps) throws Exception {
        try (ExpertDataset dataset = ExpertDataset.fromNpz(Path.of("../../data", npz), ExpertDataset.Options.DEFAULT.withVerbose(0))) {
            GAIL model = new GAIL("MlpPolicy", VecEnvs.makeVecEnv(envId, 1, seed), null, hyper, AlgorithmOptions.DEFAULT.withSeed(seed));
            model.setExpertData(dataset);
            if (steps > 0) {
                model.learn(steps);
            }
            return model;
        }
    }

    private static EvaluationResult evaluate(GAIL model, String envId, long seed, boolean deterministic) {
        return Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv(envId, 1, 100 + seed), 10, deterministic, false, null, null);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2})
    void cartPoleFromTenExpertTrajectoriesReaches400(long seed) throws Exception {
        GAIL model = trained("CartPole-v1", "expert_cartpole.npz", Map.of(), seed, 400_000);
        EvaluationResult eval = evaluate(model, "CartPole-v1", seed, true);
        assertTrue(eval.meanReward() >= 400, "seed " + seed + ": " + eval);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2})
    void pendulumImprovesOnARandomPolicyBy600(long seed) throws Exception {
        GAIL untrained = trained("Pendulum-v1", "expert_pendulum.npz", ZOO_PENDULUM, seed, 0);
        EvaluationResult random = evaluate(untrained, "Pendulum-v1", seed, false);
        GAIL model = trained("Pendulum-v1", "expert_pendulum.npz", ZOO_PENDULUM, seed, 500_000);
        EvaluationResult eval = evaluate(model, "Pendulum-v1", seed, true);
        assertTrue(eval.meanReward() >= random.meanReward() + 600, "seed " + seed + ": " + eval + "; random " + random);
    }
}
