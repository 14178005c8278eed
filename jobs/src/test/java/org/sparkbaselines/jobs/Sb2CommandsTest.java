package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.SharedReference;
import org.sparkbaselines.spark.SparkSessions;

/** The Stable Baselines 2 agents of the RL zoo on the command line: evaluate, import-sb2, enjoy, generate-expert. */
class Sb2CommandsTest {
    @TempDir
    Path tmp;

    static Path zoo(String relative) {
        return SharedReference.path("sb2-zoo/" + relative);
    }

    @Test
    void evaluatesAZooAgentFromSeedsSPlusI() {
        CommandRun run = CommandRun.of("evaluate", "--algo", "ppo2", "--model", zoo("ppo2/Pendulum-v0.pkl").toString(), "--env",
                "Pendulum-v1", "--episodes", "3", "--seed", "0", "--per-episode");
        assertEquals(0, run.exitCode(), run.toString());
        // eval_results.json: episodes 0-2 of ppo2/Pendulum-v0 returned -126.228, -0.456, -120.585.
        assertTrue(run.stdout().contains("mean reward        -82.42 +/- 58.01"), run.stdout());
        assertTrue(run.stdout().contains("note: learning_rate was saved as a function"), run.stdout());
        assertTrue(run.stdout().contains("episode 1 (seed 1): return -0.456"), run.stdout());
    }

    @Test
    void importsSavesAndTheSavedModelEvaluatesAlike() {
        Path out = tmp.resolve("trpo-cartpole.zip");
        CommandRun imported = CommandRun.of("import-sb2", "--algo", "trpo", "--file", zoo("trpo/CartPole-v1.pkl").toString(), "--env",
                "CartPole-v1", "--out", out.toString());
        assertEquals(0, imported.exitCode(), imported.toString());
        assertTrue(imported.stdout().contains("TRPO agent") && imported.stdout().contains("oldpi"), imported.stdout());
        CommandRun evaluated = CommandRun.of("evaluate", "--model", out.toString(), "--env", "CartPole-v1", "--episodes", "2");
        assertEquals(0, evaluated.exitCode(), evaluated.toString());
        assertTrue(evaluated.stdout().contains("mean reward        500.00 +/- 0.00"), evaluated.stdout());
    }

    @Test
    void enjoyRunsAZooAgent() {
        CommandRun run = CommandRun.of("enjoy", "--algo", "acktr", "--env", "CartPole-v1", "--model", zoo("acktr/CartPole-v1.pkl").toString(),
                "-n", "600");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("episode 1: reward 500.00, length 500"), run.stdout());
    }

    @Test
    void aZooAgentFillsAnExpertDatasetInDelta() {
        Path table = tmp.resolve("expert");
        CommandRun run = CommandRun.of("generate-expert", "--algo", "ppo2", "--model", zoo("ppo2/CartPole-v1.pkl").toString(), "--env",
                "CartPole-v1", "--episodes", "10", "--table", table.toString());
        assertEquals(0, run.exitCode(), run.toString());
        SparkSession spark = SparkSessions.forTests();
        List<Row> returns = spark.read().format("delta").load(table.resolve("episodes").toString()).select("return").collectAsList();
        assertEquals(10, returns.size());
        for (Row row : returns) {
            assertEquals(500.0, row.getDouble(0), 0.0, returns.toString());
        }
    }

    @Test
    void aHostilePickleRunsNothingAndFailsWithItsName() throws IOException {
        Path marker = tmp.resolve("pwned");
        // protocol 0: os.system("touch <marker>") applied by REDUCE, then returned as the whole pickle.
        String pickle = "cos\nsystem\n(S'touch " + marker + "'\ntR.";
        Path file = Files.write(tmp.resolve("evil.pkl"), pickle.getBytes(StandardCharsets.ISO_8859_1));
        for (String command : List.of("evaluate", "enjoy", "import-sb2")) {
            CommandRun run = switch (command) {
                case "evaluate" -> CommandRun.of("evaluate", "--algo", "ppo2", "--model", file.toString(), "--env", "CartPole-v1");
                case "enjoy" -> CommandRun.of("enjoy", "--algo", "ppo2", "--model", file.toString(), "--env", "CartPole-v1");
                default -> CommandRun.of("import-sb2", "--algo", "ppo2", "--file", file.toString(), "--env", "CartPole-v1", "--out",
                        tmp.resolve("out.zip").toString());
            };
            run.assertFailed(1, "evil.pkl is not a Stable Baselines 2 model");
        }
        assertFalse(Files.exists(marker), "the pickle's command ran");
        assertFalse(Files.exists(tmp.resolve("out.zip")), "nothing written");
    }

    @Test
    void anotherAlgorithmsAgentIsRefusedByNameAndNothingIsWritten() {
        Path out = tmp.resolve("trpo-as-ppo2.zip");
        CommandRun run = CommandRun.of("import-sb2", "--algo", "ppo2", "--file", zoo("trpo/CartPole-v1.pkl").toString(), "--env",
                "CartPole-v1", "--out", out.toString());
        run.assertFailed(1, "trpo/CartPole-v1.pkl was saved by TRPO (its data has max_kl, cg_iters, cg_damping, timesteps_per_batch), not"
                + " PPO2: it imports as trpo (--algo trpo)");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aFailedImportLeavesTheExistingOutputAsItWas() throws IOException {
        Path out = Files.write(tmp.resolve("model.zip"), "an earlier model".getBytes(StandardCharsets.UTF_8));
        CommandRun run = CommandRun.of("import-sb2", "--algo", "ppo2", "--file", zoo("ppo2/CartPole-v1.pkl").toString(), "--env",
                "MountainCar-v0", "--out", out.toString());
        run.assertFailed(1, "holds an agent for observations Box(4,) and actions Discrete(2); the env has Box(2,) and Discrete(3)");
        assertEquals("an earlier model", Files.readString(out));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(out), files.toList(), "no temporary file left beside it");
        }
    }

    @Test
    void anOutputThatIsADirectoryOrTheAgentItselfIsRefusedBeforeAnyWork() throws IOException {
        CommandRun intoDirectory = CommandRun.of("import-sb2", "--algo", "ppo2", "--file", zoo("ppo2/CartPole-v1.pkl").toString(), "--env",
                "CartPole-v1", "--out", tmp.toString());
        intoDirectory.assertFailed(2, "--out " + tmp + " is a directory; name the model file to write, e.g. "
                + tmp.resolve("CartPole-v1.zip"));
        assertFalse(Files.exists(Path.of(tmp + ".zip")), "no model beside the directory");

        byte[] agent = Files.readAllBytes(zoo("acktr/Pendulum-v0.zip"));
        Path file = Files.write(tmp.resolve("agent.zip"), agent);
        CommandRun overItself = CommandRun.of("import-sb2", "--algo", "acktr", "--file", file.toString(), "--env", "Pendulum-v1", "--out",
                tmp.resolve("agent").toString()); // ".zip" is added: the same file
        overItself.assertFailed(2, "--out " + file + " is the --file being imported");
        assertTrue(java.util.Arrays.equals(agent, Files.readAllBytes(file)), "the agent is untouched");
    }

    @Test
    void aDirectoryGivenAsTheModelIsNamedAsSuch() {
        CommandRun run = CommandRun.of("evaluate", "--algo", "ppo2", "--model", tmp.toString(), "--env", "CartPole-v1");
        run.assertFailed(1, tmp + " is a directory, not a model file");
    }

    @Test
    void algoDoesNotGoWithModels() {
        CommandRun run = CommandRun.of("evaluate", "--models", tmp.toString(), "--table", tmp.resolve("t").toString(), "--algo", "ppo2",
                "--env", "CartPole-v1");
        run.assertFailed(2, "--algo names the algorithm of one Stable Baselines 2 --model");
    }

    @Test
    void aStableBaselines2FileNeedsItsAlgorithm() {
        CommandRun run = CommandRun.of("evaluate", "--model", zoo("ppo2/CartPole-v1.pkl").toString(), "--env", "CartPole-v1");
        run.assertFailed(1, "is a Stable Baselines 2 file, which does not say its algorithm: add --algo");
    }
}
