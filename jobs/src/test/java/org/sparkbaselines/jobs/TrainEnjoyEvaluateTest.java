package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zoo-style command line: train, then evaluate and enjoy what it saved. */
class TrainEnjoyEvaluateTest {

    /** Runs a command line and returns its exit code and what it printed. */
    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        try {
            System.setOut(capture);
            System.setErr(capture);
            int code = Main.run(args);
            return new String[] {String.valueOf(code), captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void trainSavesAModelThatEvaluateAndEnjoyLoad(@TempDir Path dir) throws Exception {
        String[] train = run("train", "--algo", "ppo2", "--env", "CartPole-v1", "--timesteps", "2048", "-f", dir.toString(), "--verbose",
                "0", "--eval-episodes", "2");
        assertEquals("0", train[0], train[1]);
        Path model = dir.resolve("ppo2/CartPole-v1_1/CartPole-v1.zip");
        assertTrue(Files.isRegularFile(model), train[1]);
        assertTrue(train[1].contains("Evaluation over 2 episodes: mean reward"), train[1]);

        String[] again = run("train", "--algo", "ppo2", "--env", "CartPole-v1", "--timesteps", "512", "-f", dir.toString(), "--verbose",
                "0", "--eval-episodes", "1", "-i", model.toString());
        assertEquals("0", again[0], again[1]);
        assertTrue(Files.isRegularFile(dir.resolve("ppo2/CartPole-v1_2/CartPole-v1.zip")), "continued training gets the next run folder");

        String[] evaluate = run("evaluate", "--env", "CartPole-v1", "--model", model.toString(), "--episodes", "3");
        assertEquals("0", evaluate[0], evaluate[1]);
        assertTrue(evaluate[1].contains("PPO2 model") && evaluate[1].contains("mean reward"), evaluate[1]);

        String[] enjoy = run("enjoy", "--algo", "ppo2", "--env", "CartPole-v1", "-f", dir.toString(), "-n", "600");
        assertEquals("0", enjoy[0], enjoy[1]);
        assertTrue(enjoy[1].contains("CartPole-v1_2") && enjoy[1].contains("episode 1: reward"), enjoy[1]);
    }

    @Test
    void badArgumentsAreNamed(@TempDir Path dir) throws Exception {
        String[] algo = run("train", "--algo", "dqnx", "--env", "CartPole-v1", "-f", dir.toString());
        assertEquals("1", algo[0]);
        assertTrue(algo[1].contains("unknown algorithm 'dqnx'"), algo[1]);

        String[] env = run("train", "--algo", "ppo2", "--env", "Pong-v9", "-f", dir.toString());
        assertEquals("1", env[0]);
        assertTrue(env[1].contains("no entry for Pong-v9"), env[1]);

        Path conf = dir.resolve("bad.yml");
        Files.writeString(conf, "CartPole-v1:\n  n_envs: 2\n  n_stepz: 16\n");
        String[] key = run("train", "--algo", "ppo2", "--env", "CartPole-v1", "--conf", conf.toString(), "-f", dir.toString());
        assertEquals("1", key[0]);
        assertTrue(key[1].contains("unknown hyperparameter 'n_stepz'"), key[1]);

        String[] noModel = run("enjoy", "--algo", "a2c", "--env", "CartPole-v1", "-f", dir.toString());
        assertEquals("1", noModel[0]);
        assertTrue(noModel[1].contains("no trained a2c model for CartPole-v1"), noModel[1]);

        Path notAModel = dir.resolve("junk.zip");
        Files.writeString(notAModel, "junk");
        String[] corrupt = run("evaluate", "--env", "CartPole-v1", "--model", notAModel.toString());
        assertEquals("1", corrupt[0]);
        assertTrue(corrupt[1].contains("junk.zip"), corrupt[1]);
    }
}
