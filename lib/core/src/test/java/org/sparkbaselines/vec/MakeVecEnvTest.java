package org.sparkbaselines.vec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.env.EpisodeInfo;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.spaces.Space;

class MakeVecEnvTest {

    /** Steps CartPole with seeded random actions and records every observation, reward and done. */
    private static float[][][] rollout(VecEnv venv, int steps) {
        Space actions = venv.actionSpace();
        actions.seed(99);
        float[][][] trace = new float[steps + 1][][];
        trace[0] = deepCopy(venv.reset());
        for (int t = 0; t < steps; t++) {
            float[][] a = new float[venv.numEnvs()][];
            for (int i = 0; i < a.length; i++) {
                a[i] = actions.sample();
            }
            VecStepResult r = venv.step(a);
            trace[t + 1] = deepCopy(r.obs());
            for (int i = 0; i < a.length; i++) {
                trace[t + 1][i] = java.util.Arrays.copyOf(trace[t + 1][i], trace[t + 1][i].length + 2);
                trace[t + 1][i][trace[t + 1][i].length - 2] = (float) r.rewards()[i];
                trace[t + 1][i][trace[t + 1][i].length - 1] = r.dones()[i] ? 1 : 0;
            }
        }
        return trace;
    }

    private static float[][] deepCopy(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
        }
        return out;
    }

    @Test
    void seededRunsAreIdenticalAcrossDummyAndParallel() {
        float[][][] dummy;
        float[][][] dummyAgain;
        float[][][] parallel;
        try (VecEnv d = VecEnvs.makeVecEnv("CartPole-v1", 4, 42L, null, VecEnvType.DUMMY);
             VecEnv d2 = VecEnvs.makeVecEnv("CartPole-v1", 4, 42L, null, VecEnvType.DUMMY);
             VecEnv p = VecEnvs.makeVecEnv("CartPole-v1", 4, 42L, null, VecEnvType.PARALLEL)) {
            assertInstanceOf(ParallelVecEnv.class, p);
            dummy = rollout(d, 600);
            dummyAgain = rollout(d2, 600);
            parallel = rollout(p, 600);
        }
        assertArrayEquals(dummy, dummyAgain);
        assertArrayEquals(dummy, parallel);
        try (VecEnv other = VecEnvs.makeVecEnv("CartPole-v1", 4, 43L, null, VecEnvType.DUMMY)) {
            float[][][] otherTrace = rollout(other, 10);
            assertTrue(!java.util.Arrays.deepEquals(otherTrace[0], dummy[0]), "a different seed gives different starts");
        }
    }

    @Test
    void monitorsEveryEnvAndWritesOneFilePerRank(@TempDir Path dir) throws Exception {
        try (VecEnv venv = VecEnvs.builder("CartPole-v1").nEnvs(2).seed(0L).startIndex(3).monitorDir(dir).build()) {
            venv.reset();
            // Steps until every env has ended an episode: which one ends first depends on the seeded starts.
            boolean[] sawEpisode = new boolean[2];
            for (int t = 0; t < 300 && !(sawEpisode[0] && sawEpisode[1]); t++) {
                VecStepResult r = venv.step(new float[][] {{0}, {0}});
                for (int i = 0; i < 2; i++) {
                    if (r.dones()[i]) {
                        EpisodeInfo info = assertInstanceOf(EpisodeInfo.class, r.infos()[i].get(Infos.EPISODE));
                        assertEquals(info.length(), (int) info.reward());
                        sawEpisode[i] = true;
                    }
                }
            }
            assertTrue(sawEpisode[0] && sawEpisode[1]);
        }
        for (String file : new String[] {"3.monitor.csv", "4.monitor.csv"}) {
            assertTrue(Files.exists(dir.resolve(file)), file);
            assertTrue(Files.readAllLines(dir.resolve(file)).size() >= 3, file + ": metadata, header and an episode");
        }
    }

    @Test
    void kwargsReachTheEnvAndBadOnesAreNamed() {
        try (VecEnv venv = VecEnvs.builder("Pendulum-v1").envKwargs(Map.of("g", 9.81)).build()) {
            assertEquals(9.81, venv.getAttr("gravity").get(0));
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> VecEnvs.builder("Pendulum-v1").envKwargs(Map.of("gravity", 9.81)).build());
        assertTrue(bad.getMessage().contains("gravity"), bad.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> VecEnvs.makeVecEnv("NoSuchEnv-v0", 1, 0L));
        assertTrue(unknown.getMessage().contains("CartPole-v1"), unknown.getMessage());
    }
}
