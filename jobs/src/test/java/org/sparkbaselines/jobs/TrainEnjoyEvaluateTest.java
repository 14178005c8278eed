package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The zoo-style command line: train, then evaluate and enjoy what it saved. */
class TrainEnjoyEvaluateTest {

    @Test
    void trainSavesAModelThatEvaluateAndEnjoyLoad(@TempDir Path dir) throws Exception {
        CommandRun train = CommandRun.of("train", "--algo", "ppo2", "--env", "CartPole-v1", "--timesteps", "2048", "-f", dir.toString(), "--verbose",
                "0", "--eval-episodes", "2");
        assertEquals(0, train.exitCode(), train.output());
        Path model = dir.resolve("ppo2/CartPole-v1_1/CartPole-v1.zip");
        assertTrue(Files.isRegularFile(model), train.output());
        assertTrue(train.output().contains("Evaluation over 2 episodes: mean reward"), train.output());

        CommandRun again = CommandRun.of("train", "--algo", "ppo2", "--env", "CartPole-v1", "--timesteps", "512", "-f", dir.toString(), "--verbose",
                "0", "--eval-episodes", "1", "-i", model.toString());
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(Files.isRegularFile(dir.resolve("ppo2/CartPole-v1_2/CartPole-v1.zip")), "continued training gets the next run folder");

        CommandRun evaluate = CommandRun.of("evaluate", "--env", "CartPole-v1", "--model", model.toString(), "--episodes", "3");
        assertEquals(0, evaluate.exitCode(), evaluate.output());
        assertTrue(evaluate.output().contains("PPO2 model") && evaluate.output().contains("mean reward"), evaluate.output());

        CommandRun enjoy = CommandRun.of("enjoy", "--algo", "ppo2", "--env", "CartPole-v1", "-f", dir.toString(), "-n", "600");
        assertEquals(0, enjoy.exitCode(), enjoy.output());
        assertTrue(enjoy.output().contains("CartPole-v1_2") && enjoy.output().contains("episode 1: reward"), enjoy.output());
    }

    @Test
    void dqnTrainsFromTheBundledHyperparametersAndItsModelEvaluates(@TempDir Path dir) throws Exception {
        CommandRun train = CommandRun.of("train", "--algo", "dqn", "--env", "CartPole-v1", "--timesteps", "3000", "-f", dir.toString(),
                "--verbose", "0", "--eval-episodes", "2");
        assertEquals(0, train.exitCode(), train.output());
        Path model = dir.resolve("dqn/CartPole-v1_1/CartPole-v1.zip");
        assertTrue(Files.isRegularFile(model), train.output());

        CommandRun evaluate = CommandRun.of("evaluate", "--env", "CartPole-v1", "--model", model.toString(), "--episodes", "2");
        assertEquals(0, evaluate.exitCode(), evaluate.output());
        assertTrue(evaluate.output().contains("DQN model") && evaluate.output().contains("mean reward"), evaluate.output());

        CommandRun enjoy = CommandRun.of("enjoy", "--algo", "dqn", "--env", "CartPole-v1", "-f", dir.toString(), "-n", "50");
        assertEquals(0, enjoy.exitCode(), enjoy.output());

        CommandRun envs = CommandRun.of("train", "--algo", "dqn", "--env", "CartPole-v1", "--timesteps", "1000", "-f", dir.toString(),
                "--rollout-workers", "2", "--envs-per-worker", "2");
        assertEquals(1, envs.exitCode(), envs.output());
        assertTrue(envs.output().contains("--envs-per-worker must be 1"), envs.output());
        CommandRun inProcess = CommandRun.of("train", "--algo", "dqn", "--env", "CartPole-v1", "--timesteps", "1000", "-f", dir.toString(),
                "--record-table", dir.resolve("t").toString());
        assertEquals(1, inProcess.exitCode(), inProcess.output());
        assertTrue(inProcess.output().contains("add --rollout-workers N"), inProcess.output());
        CommandRun onPolicy = CommandRun.of("train", "--algo", "ppo2", "--env", "CartPole-v1", "-f", dir.toString(), "--actor-steps", "10");
        assertEquals(1, onPolicy.exitCode(), onPolicy.output());
        assertTrue(onPolicy.output().contains("--actor-steps is for off-policy algorithms"), onPolicy.output());
    }

    @Test
    void sacTrainsWithExecutorActorsRecordsThemAndAnotherRunWarmStartsFromTheTable(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("actors");
        CommandRun train = CommandRun.of("train", "--algo", "sac", "--env", "Pendulum-v1", "--timesteps", "2000", "-f", dir.toString(),
                "--verbose", "0", "--eval-episodes", "1", "--rollout-workers", "2", "--record-table", table.toString());
        assertEquals(0, train.exitCode(), train.output());
        assertTrue(train.output().contains("Actors on Spark executors: 2 actors, rounds of 50 steps each"), train.output());
        // Two actors of 1,000 steps: five whole Pendulum episodes each.
        assertTrue(train.output().contains("Recorded 10 episodes (2,000 steps) into " + table), train.output());

        CommandRun warm = CommandRun.of("train", "--algo", "td3", "--env", "Pendulum-v1", "--timesteps", "500", "-f", dir.toString(),
                "--verbose", "0", "--eval-episodes", "1", "--warm-start-table", table.toString());
        assertEquals(0, warm.exitCode(), warm.output());
        assertTrue(warm.output().contains("Warm start: 2,000 transitions from " + table), warm.output());

        CommandRun missing = CommandRun.of("train", "--algo", "td3", "--env", "Pendulum-v1", "--timesteps", "500", "-f", dir.toString(),
                "--warm-start-table", dir.resolve("nothing").toString());
        assertEquals(1, missing.exitCode(), missing.output());
        assertTrue(missing.output().contains("nothing"), missing.output());
    }

    /** TRPO and PPO1 train from their bundled hyperparameters in process and with executor rollout workers (their MPI workers). */
    @ParameterizedTest
    @ValueSource(strings = {"trpo", "ppo1"})
    void mpiAlgorithmsTrainInProcessAndThroughExecutorRollouts(String algo, @TempDir Path dir) throws Exception {
        CommandRun train = CommandRun.of("train", "--algo", algo, "--env", "CartPole-v1", "--timesteps", "3000", "-f", dir.toString(),
                "--verbose", "0", "--eval-episodes", "1");
        assertEquals(0, train.exitCode(), train.output());
        Path model = dir.resolve(algo + "/CartPole-v1_1/CartPole-v1.zip");
        CommandRun evaluate = CommandRun.of("evaluate", "--env", "CartPole-v1", "--model", model.toString(), "--episodes", "1");
        assertEquals(0, evaluate.exitCode(), evaluate.output());
        assertTrue(evaluate.output().contains(algo.toUpperCase(java.util.Locale.ROOT) + " model"), evaluate.output());

        CommandRun workers = CommandRun.of("train", "--algo", algo, "--env", "CartPole-v1", "--timesteps", "3000", "-f", dir.toString(),
                "--verbose", "0", "--eval-episodes", "1", "--rollout-workers", "2", "--envs-per-worker", "1");
        assertEquals(0, workers.exitCode(), workers.output());
        assertTrue(Files.isRegularFile(dir.resolve(algo + "/CartPole-v1_2/CartPole-v1.zip")), workers.output());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ddpg", "td3", "sac"})
    void continuousOffPolicyAlgorithmsTrainFromTheBundledHyperparameters(String algo, @TempDir Path dir) throws Exception {
        CommandRun train = CommandRun.of("train", "--algo", algo, "--env", "Pendulum-v1", "--timesteps", "1200", "-f", dir.toString(),
                "--verbose", "0", "--eval-episodes", "1");
        assertEquals(0, train.exitCode(), train.output());
        Path model = dir.resolve(algo + "/Pendulum-v1_1/Pendulum-v1.zip");
        CommandRun evaluate = CommandRun.of("evaluate", "--env", "Pendulum-v1", "--model", model.toString(), "--episodes", "1");
        assertEquals(0, evaluate.exitCode(), evaluate.output());
        assertTrue(evaluate.output().contains(algo.toUpperCase(java.util.Locale.ROOT) + " model"), evaluate.output());
    }

    @Test
    void trainsThroughExecutorRolloutsAndRecordsThemIntoDelta(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("recorded");
        CommandRun train = CommandRun.of("train", "--algo", "a2c", "--env", "CartPole-v1", "--timesteps", "3000", "-f", dir.toString(),
                "--verbose", "0", "--eval-episodes", "1", "--rollout-workers", "2", "--envs-per-worker", "2", "--record-table", table.toString());
        assertEquals(0, train.exitCode(), train.output());
        assertTrue(train.output().contains("Rollouts on Spark executors: 2 workers x 2 envs"), train.output());
        // a2c's n_steps 5 x 4 envs: 3000 steps take 150 iterations of 20 steps; every step is recorded once.
        assertTrue(train.output().contains("(3,000 steps) into " + table), train.output());

        CommandRun describe = CommandRun.of("dataset", "describe", "--table", table.toString());
        assertEquals(0, describe.exitCode(), describe.output());
        assertTrue(describe.output().matches("(?s).*steps\\s+3000\\b.*"), describe.output());
        assertTrue(describe.output().contains("a2c:CartPole-v1"), describe.output());
    }

    @Test
    void badArgumentsAreNamed(@TempDir Path dir) throws Exception {
        CommandRun algo = CommandRun.of("train", "--algo", "dqnx", "--env", "CartPole-v1", "-f", dir.toString());
        assertEquals(1, algo.exitCode());
        assertTrue(algo.output().contains("unknown algorithm 'dqnx'"), algo.output());

        CommandRun env = CommandRun.of("train", "--algo", "ppo2", "--env", "Pong-v9", "-f", dir.toString());
        assertEquals(1, env.exitCode());
        assertTrue(env.output().contains("unknown env id 'Pong-v9'"), env.output());

        Path conf = dir.resolve("bad.yml");
        Files.writeString(conf, "CartPole-v1:\n  n_envs: 2\n  n_stepz: 16\n");
        CommandRun key = CommandRun.of("train", "--algo", "ppo2", "--env", "CartPole-v1", "--conf", conf.toString(), "-f", dir.toString());
        assertEquals(1, key.exitCode());
        assertTrue(key.output().contains("unknown hyperparameter 'n_stepz'"), key.output());

        CommandRun noModel = CommandRun.of("enjoy", "--algo", "a2c", "--env", "CartPole-v1", "-f", dir.toString());
        assertEquals(1, noModel.exitCode());
        assertTrue(noModel.output().contains("no trained a2c model for CartPole-v1"), noModel.output());

        Path notAModel = dir.resolve("junk.zip");
        Files.writeString(notAModel, "junk");
        CommandRun corrupt = CommandRun.of("evaluate", "--env", "CartPole-v1", "--model", notAModel.toString());
        assertEquals(1, corrupt.exitCode());
        assertTrue(corrupt.output().contains("junk.zip"), corrupt.output());
    }
}
