package org.sparkbaselines.callbacks;

import java.util.Map;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;

/** A seeded PPO2 small enough for callback tests: rollouts of {@value #N_STEPS} steps of {@value #N_ENVS} envs. */
final class SmallPpo2 {
    static final int N_ENVS = 2;
    static final int N_STEPS = 16;
    /** Timesteps of one rollout. */
    static final int ROLLOUT = N_ENVS * N_STEPS;

    private SmallPpo2() {
    }

    /** On {@value #N_ENVS} monitored CartPoles. */
    static PPO2 onCartPole() {
        return on(VecEnvs.makeVecEnv("CartPole-v1", N_ENVS, 0L));
    }

    /** On the given env of {@value #N_ENVS} envs. */
    static PPO2 on(VecEnv env) {
        return new PPO2("MlpPolicy", env, PPO2.Config.DEFAULT.with(Map.of("n_steps", N_STEPS)),
                AlgorithmOptions.DEFAULT.withSeed(0L));
    }

    /** {@code learn} with a callback and the other arguments at PPO2's defaults. */
    static void learn(PPO2 model, long totalTimesteps, Object callback) {
        model.learn(totalTimesteps, callback, 1, "PPO2", true);
    }
}
