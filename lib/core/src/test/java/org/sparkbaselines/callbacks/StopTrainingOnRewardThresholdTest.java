package org.sparkbaselines.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.callbacks.SmallPpo2.ROLLOUT;

import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.vec.VecEnvs;

class StopTrainingOnRewardThresholdTest {
    private static final int EVAL_FREQ = 8;

    private static EvalCallback evalWith(StopTrainingOnRewardThreshold stop) {
        return EvalCallback.builder(VecEnvs.makeVecEnv("CartPole-v1", 1, 42L))
                .callbackOnNewBest(stop)
                .nEvalEpisodes(2)
                .evalFreq(EVAL_FREQ)
                .verbose(0)
                .build();
    }

    @Test
    void stopsAtTheFirstEvaluationReachingTheThreshold() {
        PPO2 model = SmallPpo2.onCartPole();
        // every CartPole episode earns at least 1
        SmallPpo2.learn(model, 100 * ROLLOUT, evalWith(new StopTrainingOnRewardThreshold(0)));
        assertEquals((long) EVAL_FREQ * SmallPpo2.N_ENVS, model.numTimesteps());
    }

    @Test
    void anUnreachedThresholdLetsTrainingFinish() {
        PPO2 model = SmallPpo2.onCartPole();
        EvalCallback eval = evalWith(new StopTrainingOnRewardThreshold(1e9));
        SmallPpo2.learn(model, 2 * ROLLOUT, eval);
        assertEquals(2 * ROLLOUT, model.numTimesteps());
        assertEquals(4, eval.evaluationsTimesteps().size());
    }

    @Test
    void isAnErrorOutsideAnEvalCallback() {
        IllegalStateException alone = assertThrows(IllegalStateException.class,
                () -> SmallPpo2.learn(SmallPpo2.onCartPole(), ROLLOUT, new StopTrainingOnRewardThreshold(0)));
        assertTrue(alone.getMessage().contains("EvalCallback"), alone.getMessage());
        assertThrows(IllegalStateException.class,
                () -> SmallPpo2.learn(SmallPpo2.onCartPole(), ROLLOUT, new EveryNTimesteps(10, new StopTrainingOnRewardThreshold(0))));
    }
}
