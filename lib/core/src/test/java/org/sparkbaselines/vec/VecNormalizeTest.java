package org.sparkbaselines.vec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Infos;

class VecNormalizeTest {
    private static final double EPS = 1e-8;

    private static VecEnv twoCounters(int terminateAfter) {
        List<Supplier<Env>> fs = List.of(() -> new CountingEnv(terminateAfter), () -> new CountingEnv(terminateAfter));
        DummyVecEnv venv = new DummyVecEnv(fs);
        venv.seed(0L);
        return venv;
    }

    @Test
    void statisticsMatchAHandComputation() {
        VecNormalize vn = new VecNormalize(twoCounters(100));
        // reset: observations (0, 0) and (1, 10); prior mean 0, var 1, count 1e-4
        vn.reset();
        double count0 = 1e-4;
        double total = count0 + 2;
        double[] batchMean = {0.5, 5.0};
        double[] batchVar = {0.25, 25.0};
        double[] mean = new double[2];
        double[] var = new double[2];
        for (int j = 0; j < 2; j++) {
            mean[j] = batchMean[j] * 2 / total;
            var[j] = (1.0 * count0 + batchVar[j] * 2 + batchMean[j] * batchMean[j] * count0 * 2 / total) / total;
        }
        assertArrayEquals(mean, vn.obsRms().mean(), 1e-12);
        assertArrayEquals(var, vn.obsRms().var(), 1e-12);
        assertEquals(total, vn.obsRms().count(), 1e-12);

        // step with actions 0 and 1: observations (1, 10) and (2, 20), rewards 1 and 2, returns 1 and 2
        VecStepResult r = vn.step(new float[][] {{0}, {1}});
        double total2 = total + 2;
        double[] batchMean2 = {1.5, 15.0};
        double[] batchVar2 = {0.25, 25.0};
        for (int j = 0; j < 2; j++) {
            double delta = batchMean2[j] - mean[j];
            double m2 = var[j] * total + batchVar2[j] * 2 + delta * delta * total * 2 / total2;
            mean[j] += delta * 2 / total2;
            var[j] = m2 / total2;
        }
        assertArrayEquals(mean, vn.obsRms().mean(), 1e-12);
        assertArrayEquals(var, vn.obsRms().var(), 1e-12);
        for (int j = 0; j < 2; j++) {
            float[] raw = {j == 0 ? 1f : 2f, j == 0 ? 10f : 20f};
            for (int k = 0; k < 2; k++) {
                double expected = Math.max(-10, Math.min(10, (raw[k] - mean[k]) / Math.sqrt(var[k] + EPS)));
                assertEquals(expected, r.obs()[j][k], 1e-6, "env " + j + " dim " + k);
            }
        }
        // returns (1, 2): mean 1.5, var 0.25 merged into (0, 1, 1e-4)
        double retMean = 1.5 * 2 / total;
        double retVar = (count0 + 0.25 * 2 + 1.5 * 1.5 * count0 * 2 / total) / total;
        assertEquals(retMean, vn.retRms().mean()[0], 1e-12);
        assertEquals(retVar, vn.retRms().var()[0], 1e-12);
        assertEquals(1 / Math.sqrt(retVar + EPS), r.rewards()[0], 1e-9);
        assertEquals(2 / Math.sqrt(retVar + EPS), r.rewards()[1], 1e-9);
        assertArrayEquals(new double[] {1, 2}, vn.getOriginalReward());
        assertArrayEquals(new float[] {2, 20}, vn.getOriginalObs()[1]);
    }

    @Test
    void clippingAndFrozenStatistics() {
        VecNormalize vn = new VecNormalize(twoCounters(100), true, true, true, 0.5, 0.1, 0.99, EPS);
        vn.reset();
        VecStepResult r = vn.step(new float[][] {{2}, {2}});
        for (float[] row : r.obs()) {
            for (float v : row) {
                assertTrue(Math.abs(v) <= 0.5f);
            }
        }
        assertEquals(0.1, Math.abs(r.rewards()[0]), 1e-12);
        vn.setTraining(false);
        double[] before = vn.obsRms().mean().clone();
        double countBefore = vn.retRms().count();
        vn.step(new float[][] {{0}, {0}});
        assertArrayEquals(before, vn.obsRms().mean());
        assertEquals(countBefore, vn.retRms().count());
        vn.setNormReward(false);
        assertEquals(1.0, vn.step(new float[][] {{0}, {0}}).rewards()[0]);
    }

    @Test
    void returnsResetAtEpisodeEndsAndTerminalObservationIsNormalized() {
        VecNormalize vn = new VecNormalize(twoCounters(2));
        vn.reset();
        vn.step(new float[][] {{0}, {0}});
        VecStepResult r = vn.step(new float[][] {{0}, {0}});
        assertTrue(r.dones()[0]);
        float[] terminal = (float[]) r.infos()[0].get(Infos.TERMINAL_OBSERVATION);
        assertArrayEquals(vn.normalizeObs(new float[] {2, 20}), terminal, 1e-6f);
        // after the reset of the return, the next reward is normalized from a return of just r
        vn.setTraining(false);
        VecStepResult next = vn.step(new float[][] {{0}, {0}});
        assertEquals(1 / Math.sqrt(vn.retRms().var()[0] + EPS), next.rewards()[0], 1e-9);
        assertArrayEquals(new float[] {3, 30}, vn.unnormalizeObs(vn.normalizeObs(new float[] {3, 30})), 1e-4f);
        assertEquals(0.3, vn.unnormalizeReward(vn.normalizeReward(0.3)), 1e-12);
    }

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) throws Exception {
        VecNormalize vn = new VecNormalize(twoCounters(5), true, true, true, 5.0, 7.0, 0.95, 1e-6);
        vn.reset();
        for (int i = 0; i < 7; i++) {
            vn.step(new float[][] {{i % 3}, {(i + 1) % 3}});
        }
        Path file = dir.resolve("stats/vec_normalize.json");
        vn.save(file);
        VecNormalize loaded = VecNormalize.load(file, twoCounters(5));
        assertArrayEquals(vn.obsRms().mean(), loaded.obsRms().mean());
        assertArrayEquals(vn.obsRms().var(), loaded.obsRms().var());
        assertEquals(vn.obsRms().count(), loaded.obsRms().count());
        assertArrayEquals(vn.retRms().var(), loaded.retRms().var());
        assertEquals(5.0, loaded.clipObs());
        assertEquals(7.0, loaded.clipReward());
        assertEquals(0.95, loaded.gamma());
        assertEquals(1e-6, loaded.epsilon());
        float[] probe = {4, 44};
        assertArrayEquals(vn.normalizeObs(probe), loaded.normalizeObs(probe));
        assertEquals(vn.normalizeReward(3.0), loaded.normalizeReward(3.0));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void badStatisticsFilesAreNamed(@TempDir Path dir) throws Exception {
        VecNormalize vn = new VecNormalize(twoCounters(5));
        vn.reset();
        Path good = dir.resolve("good.json");
        vn.save(good);
        String json = Files.readString(good);

        Path truncated = dir.resolve("truncated.json");
        Files.writeString(truncated, json.substring(0, json.length() / 2));
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class, () -> VecNormalize.load(truncated, twoCounters(5)));
        assertTrue(e1.getMessage().contains("not valid JSON"), e1.getMessage());

        Path missing = dir.resolve("nothing-here.json");
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> VecNormalize.load(missing, twoCounters(5)));
        assertTrue(e2.getMessage().contains("no VecNormalize statistics file"), e2.getMessage());

        Path wrongDim = dir.resolve("wrongdim.json");
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json);
        com.fasterxml.jackson.databind.node.ObjectNode obsRms = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("obs_rms");
        obsRms.set("mean", mapper.valueToTree(new double[] {0, 0, 0}));
        obsRms.set("var", mapper.valueToTree(new double[] {1, 1, 1}));
        Files.writeString(wrongDim, mapper.writeValueAsString(root));
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> VecNormalize.load(wrongDim, twoCounters(5)));
        assertTrue(e3.getMessage().contains("dimension"), e3.getMessage());

        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"format\": \"something-else\"}");
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class, () -> VecNormalize.load(other, twoCounters(5)));
        assertTrue(e4.getMessage().contains("not VecNormalize statistics"), e4.getMessage());
    }
}
