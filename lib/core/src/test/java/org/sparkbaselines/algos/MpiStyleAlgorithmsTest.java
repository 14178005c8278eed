package org.sparkbaselines.algos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.vec.VecEnvs;

/**
 * TRPO and PPO1, the reference's MPI algorithms: one env in process, {@code num_timesteps} advanced per rollout with
 * {@code learn(total)} running rollouts until the total is reached, and save, load, predict identically, learn on.
 */
class MpiStyleAlgorithmsTest {
    private static final Map<String, Map<String, Object>> SMALL = Map.of("trpo", Map.of("timesteps_per_batch", 256), "ppo1",
            Map.of("timesteps_per_actorbatch", 256));

    private static BaseAlgorithm<?> create(String algo, String envId) {
        return Algorithms.get(algo).create("MlpPolicy", VecEnvs.makeVecEnv(envId, 1, 0L), SMALL.get(algo), AlgorithmOptions.DEFAULT.withSeed(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"trpo", "ppo1"})
    void timestepsAdvancePerRolloutAndLearnRunsUntilTheTotalIsReached(String algo) {
        BaseAlgorithm<?> model = create(algo, "CartPole-v1");
        model.learn(600);
        assertEquals(768, model.numTimesteps(), "three rollouts of 256 reach 600");
    }

    @ParameterizedTest
    @ValueSource(strings = {"trpo", "ppo1"})
    void aVecEnvOfSeveralEnvsIsRefusedInProcess(String algo) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Algorithms.get(algo).create("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 2, 0L), Map.of(), AlgorithmOptions.DEFAULT));
        assertTrue(e.getMessage().contains(algo.toUpperCase() + " trains on a single env in process; got a VecEnv of 2"), e.getMessage());
    }

    @Test
    void ppo1RefusesAMinibatchLargerThanTheRolloutAndAnUnknownSchedule() {
        IllegalArgumentException large = assertThrows(IllegalArgumentException.class, () -> Algorithms.get("ppo1").create("MlpPolicy",
                VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), Map.of("timesteps_per_actorbatch", 32), AlgorithmOptions.DEFAULT));
        assertTrue(large.getMessage().contains("optim_batchsize (64) exceeds the rollout's timesteps_per_actorbatch * n_envs (32)"),
                large.getMessage());
        IllegalArgumentException schedule = assertThrows(IllegalArgumentException.class, () -> Algorithms.get("ppo1").create("MlpPolicy",
                VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), Map.of("schedule", "middle_drop"), AlgorithmOptions.DEFAULT));
        assertTrue(schedule.getMessage().contains("'linear' or 'constant'"), schedule.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"trpo", "ppo1"})
    void aSavedModelPredictsIdenticallyAndLearnsOn(String algo, @TempDir Path dir) throws Exception {
        for (String envId : List.of("CartPole-v1", "Pendulum-v1")) {
            BaseAlgorithm<?> model = create(algo, envId);
            model.learn(512);
            BaseAlgorithm<?> loaded = Algorithms.loadAny(model.save(dir.resolve(envId)), VecEnvs.makeVecEnv(envId, 1, 1L));
            assertEquals(algo.toUpperCase(), loaded.algorithmName());
            float[][] obs = new float[8][];
            for (int i = 0; i < obs.length; i++) {
                obs[i] = envId.startsWith("Cart") ? new float[] {0.01f * i, -0.1f, 0.02f * i, 0.3f} : new float[] {1f, 0.1f * i, -0.5f};
            }
            float[][] expected = model.predict(obs, true);
            float[][] actual = loaded.predict(obs, true);
            for (int i = 0; i < obs.length; i++) {
                assertArrayEquals(expected[i], actual[i], envId + " observation " + i);
            }
            float[] before = loaded.getParameters().get("model/pi/w:0");
            loaded.learn(256, null, 1, algo.toUpperCase(), false);
            assertEquals(768, loaded.numTimesteps(), "the count goes on from the saved one");
            assertFalse(Arrays.equals(before, loaded.getParameters().get("model/pi/w:0")), "the policy learned on");
        }
    }
}
