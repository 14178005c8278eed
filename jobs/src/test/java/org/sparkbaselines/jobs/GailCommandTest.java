package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sb gail}: from the shipped .npz in process, from the shipped Delta tables with executor rollouts, and bad input named. */
class GailCommandTest {

    @Test
    void imitatesFromAnNpzAndFromStreamedTablesWithExecutorRollouts(@TempDir Path dir) throws Exception {
        CommandRun npz = CommandRun.of("gail", "--env", "CartPole-v1", "--expert-npz", CommandRun.shippedData("expert_cartpole.npz").toString(),
                "--timesteps", "4096", "-f", dir.toString(), "--verbose", "0", "--eval-episodes", "1");
        assertEquals(0, npz.exitCode(), npz.output());
        assertTrue(Files.isRegularFile(dir.resolve("gail/CartPole-v1_1/CartPole-v1.zip")), npz.output());
        assertTrue(npz.output().contains("Evaluation over 1 episodes: mean reward"), npz.output());

        CommandRun table = CommandRun.of("gail", "--env", "CartPole-v1", "--expert-table", CommandRun.shippedData("expert-cartpole").toString(),
                "--timesteps", "4096", "-f", dir.toString(), "--verbose", "0", "--eval-episodes", "1", "--rollout-workers", "2");
        assertEquals(0, table.exitCode(), table.output());
        assertTrue(table.output().contains("Expert batches streamed from"), table.output());
        Path model = dir.resolve("gail/CartPole-v1_2/CartPole-v1.zip");
        assertTrue(Files.isRegularFile(model), table.output());

        CommandRun evaluate = CommandRun.of("evaluate", "--env", "CartPole-v1", "--model", model.toString(), "--episodes", "1");
        assertEquals(0, evaluate.exitCode(), evaluate.output());
        assertTrue(evaluate.output().contains("GAIL model"), evaluate.output());
    }

    @Test
    void badExpertDataIsNamed(@TempDir Path dir) throws Exception {
        CommandRun none = CommandRun.of("gail", "--env", "CartPole-v1", "-f", dir.toString());
        assertEquals(2, none.exitCode(), none.output());
        assertTrue(none.output().contains("--expert-npz") && none.output().contains("--expert-table"), none.output());

        CommandRun missing = CommandRun.of("gail", "--env", "CartPole-v1", "--expert-npz", dir.resolve("nothing.npz").toString(), "-f",
                dir.toString());
        assertEquals(1, missing.exitCode(), missing.output());
        assertTrue(missing.output().contains("nothing.npz"), missing.output());

        CommandRun train = CommandRun.of("train", "--algo", "gail", "--env", "CartPole-v1", "-f", dir.toString());
        assertEquals(1, train.exitCode(), train.output());
        assertTrue(train.output().contains("use sb gail"), train.output());

        CommandRun otherEnv = CommandRun.of("gail", "--env", "Pendulum-v1", "--expert-npz",
                CommandRun.shippedData("expert_cartpole.npz").toString(), "--timesteps", "1024", "-f", dir.toString());
        assertEquals(1, otherEnv.exitCode(), otherEnv.output());
        assertTrue(otherEnv.output().contains("observations"), otherEnv.output());
    }
}
