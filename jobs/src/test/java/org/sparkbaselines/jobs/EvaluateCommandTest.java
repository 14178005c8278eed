package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.vec.VecEnvs;

/** {@code sb evaluate --models}: its options and its report. The job's tables are tested in lib/spark. */
class EvaluateCommandTest {

    @TempDir
    Path tmp;

    @Test
    void batchOptionsAreCheckedBeforeAnythingRuns() {
        String models = tmp.toString();
        assertEquals(2, CommandRun.of("evaluate", "--env", "CartPole-v1", "--models", models).exitCode());
        assertEquals(2, CommandRun.of("evaluate", "--env", "CartPole-v1", "--table", models).exitCode());
        assertEquals(2, CommandRun.of("evaluate", "--env", "CartPole-v1", "--models", models, "--table", models, "--model", "m.zip").exitCode());
        CommandRun withPolicy = CommandRun.of("evaluate", "--env", "CartPole-v1", "--models", models, "--table", models, "--policy", "random");
        assertEquals(2, withPolicy.exitCode());
        assertTrue(withPolicy.stderr().contains("--policy"), withPolicy.stderr());
    }

    @Test
    @Tag("slow")
    void printsOneLinePerModelAndFailsNamingAModelThatDoesNotLoad() throws IOException {
        Path models = tmp.resolve("models");
        new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 2, 0L), PPO2.Config.DEFAULT.with(Map.of("n_steps", 16)),
                AlgorithmOptions.DEFAULT.withSeed(0L)).learn(256).save(models.resolve("ppo2/good.zip"));
        Path truncated = models.resolve("ppo2/truncated.zip");
        byte[] good = Files.readAllBytes(models.resolve("ppo2/good.zip"));
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));

        CommandRun run = CommandRun.of("evaluate", "--models", models.toString(), "--env", "CartPole-v1", "--episodes", "3",
                "--table", tmp.resolve("evaluation").toString(), "--seed", "7");

        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("2 models, 3 deterministic episodes each (seeds 7..9)"), run.stdout());
        assertTrue(run.stdout().matches("(?s).*ppo2/good\\s+PPO2\\s+256\\s+3\\s.*ok\\n.*"), run.stdout());
        assertTrue(run.stdout().matches("(?s).*ppo2/truncated\\s+-\\s+-\\s+0\\s.*failed\\n.*"), run.stdout());
        assertTrue(run.stderr().contains("cannot evaluate model file:" + truncated), run.stderr());
        assertTrue(run.stderr().contains("1 of 2 models could not be evaluated"), run.stderr());
    }
}
