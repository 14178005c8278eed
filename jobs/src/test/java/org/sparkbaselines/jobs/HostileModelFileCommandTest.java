package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkbaselines.io.HeapBudget;
import org.sparkbaselines.io.HostileModelFile;

/**
 * {@code sb evaluate --model} and {@code sb enjoy --model} on hostile model files: exit code 1 and one
 * line on stderr naming the problem (no stack trace), within {@link HeapBudget}.
 */
class HostileModelFileCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(HostileModelFile.class)
    void evaluateFailsWithOneLine(HostileModelFile hostile) throws Throwable {
        Path file = hostile.write(HostileModelFile.goodModel(dir), dir);
        CommandRun run = HeapBudget.assertWithin("sb evaluate of " + hostile,
                () -> CommandRun.of("evaluate", "--model", file.toString(), "--env", "CartPole-v1"));
        assertFailsWithOneLine(run, hostile.expectedMessageParts(file));
    }

    @ParameterizedTest
    @EnumSource(HostileModelFile.class)
    void enjoyFailsWithOneLine(HostileModelFile hostile) throws Throwable {
        Path file = hostile.write(HostileModelFile.goodModel(dir), dir);
        CommandRun run = HeapBudget.assertWithin("sb enjoy of " + hostile,
                () -> CommandRun.of("enjoy", "--algo", "ppo2", "--env", "CartPole-v1", "--model", file.toString(), "-n", "10"));
        assertFailsWithOneLine(run, hostile.expectedMessageParts(file));
    }

    @Test
    void anUnusedHugeEntryDoesNotStopEvaluation() throws Throwable {
        Path file = HostileModelFile.withUnusedHugeEntry(HostileModelFile.goodModel(dir), dir);
        CommandRun run = HeapBudget.assertWithin("sb evaluate with an unused 1 GiB entry",
                () -> CommandRun.of("evaluate", "--model", file.toString(), "--env", "CartPole-v1", "--episodes", "2"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("PPO2 model " + file), run.stdout());
    }

    private static void assertFailsWithOneLine(CommandRun run, List<String> expectedParts) {
        assertEquals(1, run.exitCode(), run.toString());
        String stderr = run.stderr().strip();
        assertEquals(1, stderr.lines().count(), "one line on stderr: " + stderr);
        assertTrue(stderr.startsWith("error: "), stderr);
        for (String part : expectedParts) {
            assertTrue(stderr.contains(part), "expected \"" + part + "\" in: " + stderr);
        }
    }
}
