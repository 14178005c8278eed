package org.sparkbaselines.vec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.EpisodeInfo;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.spaces.Box;

class VecWrappersTest {

    private static DummyVecEnv counters(int n, int terminateAfter, long seed) {
        List<Supplier<Env>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(() -> new CountingEnv(terminateAfter));
        }
        DummyVecEnv venv = new DummyVecEnv(fs);
        venv.seed(seed);
        return venv;
    }

    @Test
    void frameStackOnResetAndDone() {
        VecFrameStack stack = new VecFrameStack(counters(1, 2, 5), 3);
        Box space = stack.observationSpace();
        assertArrayEquals(new int[] {6}, space.shape());
        assertArrayEquals(new float[] {0, 0, 0, 0, 5, 50}, stack.reset()[0]);
        VecStepResult r = stack.step(new float[][] {{0}});
        assertArrayEquals(new float[] {0, 0, 5, 50, 6, 60}, r.obs()[0]);
        r = stack.step(new float[][] {{0}});
        assertTrue(r.dones()[0]);
        assertArrayEquals(new float[] {5, 50, 6, 60, 7, 70}, (float[]) r.infos()[0].get(Infos.TERMINAL_OBSERVATION));
        // the stack restarts from zeros with the new episode's first frame (unseeded reset: start + 100)
        assertArrayEquals(new float[] {0, 0, 0, 0, 105, 1050}, r.obs()[0]);
        r = stack.step(new float[][] {{0}});
        assertArrayEquals(new float[] {0, 0, 105, 1050, 106, 1060}, r.obs()[0]);
    }

    @Test
    void frameStackStacksImagesAlongTheLastAxis() {
        Env image = new CountingEnv(10) {
            private final Box space = new Box(0f, 255f, 1, 1, 2);

            @Override
            public org.sparkbaselines.spaces.Space observationSpace() {
                return space;
            }
        };
        VecFrameStack stack = new VecFrameStack(DummyVecEnv.of(image), 2);
        assertArrayEquals(new int[] {1, 1, 4}, stack.observationSpace().shape());
        assertThrows(IllegalArgumentException.class, () -> new VecFrameStack(counters(1, 2, 0), 0));
    }

    @Test
    void checkNanRaisesOnNanActionNamingTheModel() {
        VecCheckNan check = new VecCheckNan(counters(2, 5, 0), true, true, true);
        check.reset();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> check.step(new float[][] {{0}, {Float.NaN}}));
        assertTrue(e.getMessage().contains("found NaN in action"), e.getMessage());
        assertTrue(e.getMessage().contains("RL model"), e.getMessage());
    }

    @Test
    void checkNanRaisesOnEnvValuesNamingTheEnvironmentAndLastAction() {
        Env nanEnv = new CountingEnv(10) {
            @Override
            protected float[] observe() {
                float[] obs = super.observe();
                if (stepsTaken() == 2) {
                    obs[1] = Float.POSITIVE_INFINITY;
                }
                return obs;
            }
        };
        VecCheckNan check = new VecCheckNan(DummyVecEnv.of(nanEnv), true, true, true);
        check.reset();
        check.step(new float[][] {{1}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> check.step(new float[][] {{2}}));
        assertTrue(e.getMessage().contains("found inf in observation"), e.getMessage());
        assertTrue(e.getMessage().contains("environment, last given value was: action=[[2.0]]"), e.getMessage());
        VecCheckNan lenient = new VecCheckNan(DummyVecEnv.of(new CountingEnv(10)), true, true, false);
        lenient.reset();
        lenient.step(new float[][] {{Float.POSITIVE_INFINITY}});
    }

    @Test
    void vecMonitorRecordsEpisodes(@TempDir Path dir) throws Exception {
        VecMonitor monitor = new VecMonitor(counters(2, 3, 0), dir.resolve("run"), List.of());
        monitor.reset();
        VecStepResult r = null;
        for (int i = 0; i < 3; i++) {
            r = monitor.step(new float[][] {{1}, {0}});
        }
        EpisodeInfo first = assertInstanceOf(EpisodeInfo.class, r.infos()[0].get(Infos.EPISODE));
        assertEquals(6.0, first.reward());
        assertEquals(3, first.length());
        assertEquals(3.0, ((EpisodeInfo) r.infos()[1].get(Infos.EPISODE)).reward());
        monitor.close();
        List<String> lines = Files.readAllLines(dir.resolve("run.monitor.csv"));
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith("#{\"t_start\": ") && lines.get(0).endsWith("\"env_id\": null}"), lines.get(0));
        assertEquals("r,l,t", lines.get(1));
        assertTrue(lines.get(2).startsWith("6.0,3,"), lines.get(2));
        assertTrue(lines.get(3).startsWith("3.0,3,"), lines.get(3));
    }

    @Test
    void wrapperLookupFindsTheRightLayer() {
        VecNormalize vn = new VecNormalize(counters(1, 5, 0));
        VecEnv outer = new VecCheckNan(vn);
        assertEquals(vn, VecEnvWrapper.find(outer, VecNormalize.class));
        assertEquals(null, VecEnvWrapper.find(outer, VecFrameStack.class));
    }
}
