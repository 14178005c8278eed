package org.sparkbaselines.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.vec.CountingEnv;

class MonitorTest {

    /** Reports success on the last step of each episode, so info keywords have something to record. */
    private static Env withSuccessInfo(Env env) {
        return new EnvWrapper(env) {
            @Override
            public StepResult step(float[] action) {
                StepResult r = env.step(action);
                r.info().put(Infos.IS_SUCCESS, r.terminated());
                return r;
            }
        };
    }

    @Test
    void writesTheReferenceFileFormat(@TempDir Path dir) throws Exception {
        Env env = Envs.make("CartPole-v1");
        Monitor monitor = new Monitor(withSuccessInfo(new TimeLimit(new CountingEnv(3), 2)), dir, true, List.of("is_success"));
        assertEquals(dir.resolve("monitor.csv"), monitor.filePath());
        monitor.reset(0L);
        monitor.step(new float[] {0});
        StepResult end = monitor.step(new float[] {1});
        EpisodeInfo info = assertInstanceOf(EpisodeInfo.class, end.info().get(Infos.EPISODE));
        assertEquals(3.0, info.reward());
        assertEquals(2, info.length());
        assertEquals(Boolean.FALSE, info.extra().get("is_success"));
        monitor.reset();
        monitor.step(new float[] {2});
        monitor.step(new float[] {2});
        monitor.close();
        env.close();

        List<String> lines = Files.readAllLines(dir.resolve("monitor.csv"));
        assertTrue(Pattern.matches("#\\{\"t_start\": \\d+\\.\\d+, \"env_id\": null}", lines.get(0)), lines.get(0));
        assertEquals("r,l,t,is_success", lines.get(1));
        assertTrue(Pattern.matches("3\\.0,2,\\d+\\.\\d+,False", lines.get(2)), lines.get(2));
        assertTrue(Pattern.matches("6\\.0,2,\\d+\\.\\d+,False", lines.get(3)), lines.get(3));
        assertEquals(4, lines.size());
        assertEquals(List.of(3.0, 6.0), monitor.getEpisodeRewards());
        assertEquals(List.of(2, 2), monitor.getEpisodeLengths());
        assertEquals(4, monitor.getTotalSteps());
        assertEquals(2, monitor.getEpisodeTimes().size());
    }

    @Test
    void fileNamesFollowTheReference(@TempDir Path dir) {
        assertEquals(dir.resolve("monitor.csv"), MonitorFile.resolve(dir));
        assertEquals(dir.resolve("run.monitor.csv"), MonitorFile.resolve(dir.resolve("run")));
        assertEquals(dir.resolve("x.monitor.csv"), MonitorFile.resolve(dir.resolve("x.monitor.csv")));
    }

    @Test
    void headerCarriesTheRegisteredId(@TempDir Path dir) throws Exception {
        Monitor monitor = new Monitor(Envs.make("CartPole-v1"), dir.resolve("cp"), true, List.of());
        monitor.close();
        assertTrue(Files.readAllLines(dir.resolve("cp.monitor.csv")).get(0).endsWith("\"env_id\": \"CartPole-v1\"}"));
    }

    @Test
    void resetAndStepOrderIsEnforced() {
        Monitor strict = new Monitor(new CountingEnv(2), null, false, List.of());
        assertThrows(IllegalStateException.class, () -> strict.step(new float[] {0}));
        strict.reset();
        strict.step(new float[] {0});
        IllegalStateException early = assertThrows(IllegalStateException.class, strict::reset);
        assertTrue(early.getMessage().contains("before done"));
        strict.step(new float[] {0});
        IllegalStateException needsReset = assertThrows(IllegalStateException.class, () -> strict.step(new float[] {0}));
        assertTrue(needsReset.getMessage().contains("needs reset"));
        strict.reset();
        assertNull(strict.filePath());
    }

    @Test
    void roundsLikeTheReference() {
        assertEquals(0.123457, MonitorFile.round6(0.1234567));
        assertEquals(22.0, MonitorFile.round6(22.0));
    }
}
