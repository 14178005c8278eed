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
 * DQN with the reference's RL-zoo CartPole-v1 settings ({@code conf/hyperparams/dqn.yml}: LnMlpPolicy [64], dueling and
 * double Q, prioritized replay, 100k steps) reaches 475. Seeds 0-4 reached 500, 154, 500, 500, 500. The peer figures'
 * SB3 settings ([256, 256], train_freq 256 with 128 gradient steps) are too unstable for a one-seed test: SB3 itself
 * reached 500 on 2 of 5 seeds, this DQN on 1 to 3 of 5 depending on float rounding; {@code bin/bench offpolicy} reports them.
 */
@Tag("slow")
class DQNLearningTest {
    /** The zoo's row, by the reference's names (the rest are DQN's defaults). */
    static final Map<String, Object> ZOO_CARTPOLE = Map.of("learning_rate", 1e-3, "buffer_size", 50_000, "exploration_fraction", 0.1,
            "exploration_final_eps", 0.02, "prioritized_replay", true);

    @Test
    void zooCartPoleReaches475() {
        DQN model = new DQN("LnMlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), DQN.Config.DEFAULT.with(ZOO_CARTPOLE),
                AlgorithmOptions.DEFAULT.withSeed(0L).withPolicyKwargs(Map.of("layers", List.of(64))));
        EvaluationResult eval = OffPolicyChecks.learnAndEvaluate(model, 100_000, "CartPole-v1");
        assertTrue(eval.meanReward() >= 475, eval.toString());
    }
}
