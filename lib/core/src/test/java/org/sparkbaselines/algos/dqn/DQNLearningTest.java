package org.sparkbaselines.algos.dqn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.OffPolicyChecks;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.vec.VecEnvs;

/**
 * DQN with the RL zoo's CartPole-v1 settings as {@code shared/reference/peer-figures.md} measures SB3 with them (50k
 * steps, [256, 256], train_freq 256 with 128 gradient steps, target copy every 10 steps) reaches 475.
 */
@Tag("slow")
class DQNLearningTest {
    /** The peer figures' row, by the reference's names. */
    static final Map<String, Object> ZOO_CARTPOLE = Map.ofEntries(Map.entry("learning_rate", 2.3e-3), Map.entry("batch_size", 64),
            Map.entry("buffer_size", 100_000), Map.entry("learning_starts", 1000), Map.entry("gamma", 0.99),
            Map.entry("target_network_update_freq", 10), Map.entry("train_freq", 256), Map.entry("gradient_steps", 128),
            Map.entry("exploration_fraction", 0.16), Map.entry("exploration_final_eps", 0.04));
    static final Map<String, Object> ZOO_POLICY = Map.of("layers", List.of(256, 256));

    @Test
    void zooCartPoleReaches475() {
        DQN model = new DQN("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), DQN.Config.DEFAULT.with(ZOO_CARTPOLE),
                AlgorithmOptions.DEFAULT.withSeed(0L).withPolicyKwargs(ZOO_POLICY));
        EvaluationResult eval = OffPolicyChecks.learnAndEvaluate(model, 50_000, "CartPole-v1");
        assertTrue(eval.meanReward() >= 475, eval.toString());
    }
}
