package org.sparkbaselines.algos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.io.HeapBudget;
import org.sparkbaselines.io.HostileModelFile;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.vec.VecEnvs;

/** Loading hostile model files: one clear line naming the problem, within {@link HeapBudget}, before any network is built. */
class HostileModelFilesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(HostileModelFile.class)
    void isRefusedWithOneLineNamingTheProblem(HostileModelFile hostile) throws Throwable {
        Path file = hostile.write(HostileModelFile.goodModel(dir), dir);
        Exception e = HeapBudget.assertWithin("PPO2.load of " + hostile, () -> assertThrows(Exception.class,
                () -> PPO2.load(file, VecEnvs.makeVecEnv("CartPole-v1", 1, 0L))));
        assertTrue(e instanceof MalformedFileException || e instanceof IllegalArgumentException, e.toString());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().length() < 1000, "a short line: " + e.getMessage());
        for (String part : hostile.expectedMessageParts(file)) {
            assertTrue(e.getMessage().contains(part), "expected \"" + part + "\" in: " + e.getMessage());
        }
    }

    @Test
    void anUnusedHugeEntryCostsNothing() throws Throwable {
        Path good = HostileModelFile.goodModel(dir);
        Path file = HostileModelFile.withUnusedHugeEntry(good, dir);
        PPO2 loaded = HeapBudget.assertWithin("PPO2.load with an unused 1 GiB entry",
                () -> PPO2.load(file, VecEnvs.makeVecEnv("CartPole-v1", 1, 0L)));
        float[][] observations = {{0.01f, -0.02f, 0.03f, 0.04f}, {-0.1f, 0.2f, -0.05f, 0.3f}};
        assertArrayEquals(PPO2.load(good, null).predict(observations, true), loaded.predict(observations, true));
    }
}
