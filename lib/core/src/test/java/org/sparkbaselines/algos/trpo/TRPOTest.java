package org.sparkbaselines.algos.trpo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.vec.VecEnvs;

/** TRPO's line search, its timestep counting, its one-env rule, and save, load and learn on. */
class TRPOTest {

    /** A one-parameter problem: gain {@code g(theta)}, KL {@code theta^2}; records the points tried. */
    private static double search(double fullStep, double maxKl, java.util.function.DoubleUnaryOperator gain, List<Double> tried) {
        return TRPO.lineSearch(new double[] {0}, new double[] {fullStep}, 0, maxKl, theta -> {
            tried.add(theta[0]);
            return new double[] {gain.applyAsDouble(theta[0]), theta[0] * theta[0]};
        });
    }

    @Test
    void theLineSearchHalvesUntilTheKlIsWithinOneAndAHalfTimesTheBound() {
        List<Double> tried = new ArrayList<>();
        // KL at 8, 4, 2, 1: 64, 16, 4, 1; the bound 1 admits up to 1.5.
        assertEquals(0.125, search(8, 1, theta -> theta, tried));
        assertEquals(List.of(8.0, 4.0, 2.0, 1.0), tried);
        tried.clear();
        // 1.2^2 = 1.44 <= 1.5: the full step stands.
        assertEquals(1.0, search(1.2, 1, theta -> theta, tried));
        assertEquals(List.of(1.2), tried);
    }

    @Test
    void theLineSearchRejectsWorseGainsAndNonFiniteValuesAndGivesUpAfterTenHalvings() {
        List<Double> tried = new ArrayList<>();
        assertEquals(0.0, search(1, 10, theta -> -theta, tried), "the gain never improves");
        assertEquals(10, tried.size());
        tried.clear();
        assertEquals(0.25, search(1, 10, theta -> theta > 0.3 ? Double.NaN : theta, tried), "NaN above 0.3");
        assertEquals(List.of(1.0, 0.5, 0.25), tried);
        tried.clear();
        assertEquals(0.5, search(1, 10, theta -> theta > 0.6 ? Double.POSITIVE_INFINITY : theta, tried), "infinite above 0.6");
    }

    @Test
    void timestepsAdvancePerRolloutAndLearnRunsUntilTheTotalIsReached() {
        TRPO model = new TRPO("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), TRPO.Config.DEFAULT.with(Map.of("timesteps_per_batch", 256)),
                AlgorithmOptions.DEFAULT.withSeed(0L));
        model.learn(600);
        assertEquals(768, model.numTimesteps(), "three rollouts of 256 reach 600");
    }

    @Test
    void aVecEnvOfSeveralEnvsIsRefusedInProcess() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TRPO("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 2, 0L)));
        assertTrue(e.getMessage().contains("TRPO trains on a single env in process; got a VecEnv of 2"), e.getMessage());
    }

    @Test
    void aSavedModelPredictsIdenticallyAndLearnsOn(@TempDir Path dir) throws Exception {
        for (String envId : List.of("CartPole-v1", "Pendulum-v1")) {
            TRPO model = new TRPO("MlpPolicy", VecEnvs.makeVecEnv(envId, 1, 0L), TRPO.Config.DEFAULT.with(Map.of("timesteps_per_batch", 256)),
                    AlgorithmOptions.DEFAULT.withSeed(0L));
            model.learn(512);
            BaseAlgorithm<?> loaded = Algorithms.loadAny(model.save(dir.resolve(envId)), VecEnvs.makeVecEnv(envId, 1, 1L));
            assertEquals("TRPO", loaded.algorithmName());
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
            loaded.learn(256, null, 1, "TRPO", false);
            assertEquals(768, loaded.numTimesteps(), "the count goes on from the saved one");
            assertNotEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(loaded.getParameters().get("model/pi/w:0")));
        }
    }
}
