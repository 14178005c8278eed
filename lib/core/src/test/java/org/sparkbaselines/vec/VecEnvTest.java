package org.sparkbaselines.vec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.env.TimeLimit;

class VecEnvTest {

    private static List<Supplier<Env>> counting(int n, int terminateAfter) {
        List<Supplier<Env>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = terminateAfter + i;
            fs.add(() -> new CountingEnv(k));
        }
        return fs;
    }

    private static float[][] actions(int n, float a) {
        float[][] out = new float[n][1];
        for (float[] row : out) {
            row[0] = a;
        }
        return out;
    }

    @Test
    void autoResetPutsRealLastObservationInInfo() {
        try (DummyVecEnv venv = new DummyVecEnv(counting(1, 3))) {
            CountingEnv env = (CountingEnv) venv.envs().get(0);
            venv.seed(100L);
            assertArrayEquals(new float[] {100, 1000}, venv.reset()[0]);
            venv.step(actions(1, 0));
            VecStepResult r = venv.step(actions(1, 0));
            assertFalse(r.dones()[0]);
            assertArrayEquals(new float[] {102, 1020}, r.obs()[0]);
            r = venv.step(actions(1, 2));
            assertTrue(r.dones()[0]);
            assertTrue(r.terminated()[0]);
            assertFalse(r.truncated()[0]);
            assertEquals(3.0, r.rewards()[0]);
            assertArrayEquals(new float[] {103, 1030}, (float[]) r.infos()[0].get(Infos.TERMINAL_OBSERVATION));
            assertEquals(Boolean.FALSE, r.infos()[0].get(Infos.TIME_LIMIT_TRUNCATED));
            // the row already holds the next episode's first observation (unseeded reset: start + 100)
            assertEquals(0, env.stepsTaken());
            assertEquals(2, env.resets);
            assertArrayEquals(new float[] {200, 2000}, r.obs()[0]);
        }
    }

    @Test
    void timeLimitTruncationIsNotTermination() {
        List<Supplier<Env>> fs = List.of(() -> new TimeLimit(new CountingEnv(100), 2), () -> new CountingEnv(2));
        try (DummyVecEnv venv = new DummyVecEnv(fs)) {
            venv.reset();
            venv.step(actions(2, 0));
            VecStepResult r = venv.step(actions(2, 0));
            assertTrue(r.dones()[0]);
            assertTrue(r.truncated()[0]);
            assertFalse(r.terminated()[0]);
            assertEquals(Boolean.TRUE, r.infos()[0].get(Infos.TIME_LIMIT_TRUNCATED));
            assertTrue(r.dones()[1]);
            assertTrue(r.terminated()[1]);
            assertEquals(Boolean.FALSE, r.infos()[1].get(Infos.TIME_LIMIT_TRUNCATED));
        }
    }

    @Test
    void seedsAreAppliedAtTheNextResetAsSeedPlusIndex() {
        try (DummyVecEnv a = new DummyVecEnv(counting(3, 5)); DummyVecEnv b = new DummyVecEnv(counting(3, 5))) {
            assertEquals(List.of(7L, 8L, 9L), a.seed(7L));
            b.seed(7L);
            assertArrayEquals(new float[][] {{7, 70}, {8, 80}, {9, 90}}, a.reset());
            assertArrayEquals(a.reset(), new float[][] {{107, 1070}, {108, 1080}, {109, 1090}}, "seeds apply to one reset only");
            assertArrayEquals(new float[][] {{7, 70}, {8, 80}, {9, 90}}, b.reset());
        }
    }

    @Test
    void protocolErrorsAreClear() {
        try (DummyVecEnv venv = new DummyVecEnv(counting(2, 5))) {
            venv.reset();
            IllegalStateException e = assertThrows(IllegalStateException.class, venv::stepWait);
            assertTrue(e.getMessage().contains("without a pending stepAsync"));
            venv.stepAsync(actions(2, 0));
            assertThrows(IllegalStateException.class, () -> venv.stepAsync(actions(2, 0)));
            venv.stepWait();
            IllegalArgumentException wrongCount = assertThrows(IllegalArgumentException.class, () -> venv.step(actions(3, 0)));
            assertTrue(wrongCount.getMessage().contains("expected 2 action rows"));
            IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class,
                    () -> venv.step(new float[][] {{0, 1}, {0}}));
            assertTrue(wrongLength.getMessage().contains("action for env 0"), wrongLength.getMessage());
        }
    }

    @Test
    void attributesAndMethodsReachThroughWrappers() {
        List<Supplier<Env>> fs = List.of(() -> new TimeLimit(new CountingEnv(4), 50), () -> new TimeLimit(new CountingEnv(6), 60));
        try (DummyVecEnv venv = new DummyVecEnv(fs)) {
            assertEquals(List.of(50, 60), venv.getAttr("maxEpisodeSteps"));
            venv.reset();
            venv.step(actions(2, 0));
            assertEquals(List.of(1), venv.getAttr("stepsTaken", 1));
            venv.setAttr("resets", 42, 0);
            assertEquals(List.of(42, 1), venv.getAttr("resets"));
            venv.setAttr("resets", 7);
            assertEquals(List.of(7, 7), venv.getAttr("resets"));
            List<Object> obs = venv.envMethod("reset", new Object[] {5L}, 1);
            assertArrayEquals(new float[] {5, 50}, (float[]) obs.get(0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> venv.getAttr("noSuchThing"));
            assertTrue(e.getMessage().contains("noSuchThing"));
            assertThrows(IndexOutOfBoundsException.class, () -> venv.getAttr("resets", 2));
        }
    }

    @Test
    void parallelGivesTheSameResultsAsDummy() {
        int n = 5;
        try (DummyVecEnv dummy = new DummyVecEnv(counting(n, 4)); ParallelVecEnv parallel = new ParallelVecEnv(counting(n, 4), 2)) {
            dummy.seed(3L);
            parallel.seed(3L);
            assertArrayEquals(dummy.reset(), parallel.reset());
            for (int step = 0; step < 50; step++) {
                float[][] a = actions(n, step % 3);
                VecStepResult rd = dummy.step(a);
                VecStepResult rp = parallel.step(a);
                assertArrayEquals(rd.obs(), rp.obs(), "step " + step);
                assertArrayEquals(rd.rewards(), rp.rewards());
                assertArrayEquals(rd.dones(), rp.dones());
                for (int i = 0; i < n; i++) {
                    assertArrayEquals((float[]) rd.infos()[i].get(Infos.TERMINAL_OBSERVATION),
                            (float[]) rp.infos()[i].get(Infos.TERMINAL_OBSERVATION));
                }
            }
        }
    }

    @Test
    void parallelReportsWhichEnvFailed() {
        List<Supplier<Env>> fs = new ArrayList<>(counting(2, 10));
        fs.add(() -> new CountingEnv(10) {
            @Override
            public org.sparkbaselines.env.StepResult step(float[] action) {
                throw new IllegalStateException("simulator crashed");
            }
        });
        try (ParallelVecEnv venv = new ParallelVecEnv(fs, 2)) {
            venv.reset();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> venv.step(actions(3, 0)));
            assertTrue(e.getMessage().contains("env 2") && e.getMessage().contains("simulator crashed"), e.getMessage());
        }
    }

    @Test
    void mismatchedSpacesAreRefused() {
        List<Supplier<Env>> fs = List.of(() -> new CountingEnv(3), () -> new org.sparkbaselines.env.EnvWrapper(new CountingEnv(3)) {
            @Override
            public org.sparkbaselines.spaces.Space actionSpace() {
                return new org.sparkbaselines.spaces.Discrete(5);
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DummyVecEnv(fs));
        assertTrue(e.getMessage().contains("must share their spaces"));
    }
}
