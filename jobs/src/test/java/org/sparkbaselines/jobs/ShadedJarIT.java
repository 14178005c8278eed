package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.jobs.JarProcesses.Run;

/**
 * The spark-submit jar as users run it, in separate JVMs: {@code java -jar} trains and evaluates with no
 * Spark on the classpath, and Spark's own submit entry point ({@code org.apache.spark.deploy.SparkSubmit},
 * in spark-core, so no Spark distribution is needed) runs the distributed jobs from the jar in
 * {@code local[2]} ({@link JarProcesses}).
 */
@Tag("slow")
class ShadedJarIT {
    private static final String ENV = "CartPole-v1";
    private static final long TIMEOUT_MINUTES = 4;

    @TempDir
    static Path work;
    private static Path jar;

    @BeforeAll
    static void findTheJar() {
        jar = JarProcesses.shadedJar();
    }

    @Test
    void holdsOurCodeAndDeltaButNotSpark() throws IOException {
        try (JarFile contents = new JarFile(jar.toFile())) {
            assertEquals(Main.class.getName(), contents.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(contents.getEntry("org/sparkbaselines/spark/evaluation/BatchEvaluation.class"));
            assertNotNull(contents.getEntry("io/delta/tables/DeltaTable.class"));
            assertNotNull(contents.getEntry("io/delta/kernel/Table.class"));
            assertNotNull(contents.getEntry("io/delta/kernel/defaults/engine/DefaultEngine.class"));
            assertNotNull(contents.getEntry("org/nd4j/linalg/factory/Nd4j.class"));
            assertNull(contents.getEntry("org/apache/spark/SparkContext.class"));
            assertNull(contents.getEntry("scala/Predef.class"));
            assertNull(contents.getEntry("org/apache/hadoop/fs/FileSystem.class"));
            assertTrue(contents.stream().noneMatch(e -> e.getName().matches("META-INF/[^/]+\\.(SF|RSA|DSA)")), "signature files left in the jar");
        }
    }

    @Test
    void javaJarTrainsAndEvaluatesWithoutSpark() throws Exception {
        Path logs = work.resolve("logs");
        Run train = run(javaJar("train", "--algo", "ppo2", "--env", ENV, "--timesteps", "2048", "-f", logs.toString(), "--eval-episodes", "2",
                "--verbose", "0"));
        assertEquals(0, train.exitCode(), train.describe());
        Path model = logs.resolve("ppo2").resolve(ENV + "_1").resolve(ENV + ".zip");
        assertTrue(Files.isRegularFile(model), train.describe());

        Run evaluate = run(javaJar("evaluate", "--model", model.toString(), "--env", ENV, "--episodes", "3"));
        assertEquals(0, evaluate.exitCode(), evaluate.describe());
        assertTrue(evaluate.stdout().contains("mean reward"), evaluate.describe());
    }

    @Test
    void sparkSubmitRunsTheBatchEvaluation() throws Exception {
        Path models = TinyModels.twoPpo2(work.resolve("models"), ENV);
        Path table = work.resolve("evaluation");

        Run evaluate = run(sparkSubmit("evaluate", "--models", models.toString(), "--env", ENV, "--episodes", "4", "--table", table.toString()));

        assertEquals(0, evaluate.exitCode(), evaluate.describe());
        assertTrue(evaluate.stdout().contains("2 models, 4 deterministic episodes each"), evaluate.describe());
        assertTrue(evaluate.stdout().contains("ppo2/seed-0") && evaluate.stdout().contains("ppo2/seed-1"), evaluate.describe());
        assertTrue(Files.isDirectory(table.resolve("episodes/_delta_log")) && Files.isDirectory(table.resolve("summary/_delta_log")));
    }

    @Test
    void sparkSubmitRunsExpertGeneration() throws Exception {
        Path table = work.resolve("expert");

        Run generate = run(sparkSubmit("generate-expert", "--expert", "cartpole-balance", "--env", ENV, "--episodes", "4", "--table",
                table.toString()));

        assertEquals(0, generate.exitCode(), generate.describe());
        assertTrue(Files.isDirectory(table.resolve("steps/_delta_log")) && Files.isDirectory(table.resolve("episodes/_delta_log")),
                generate.describe());
    }

    @Test
    void sparkSubmitDescribesATable() throws Exception {
        Path table = shippedTable();

        // Delta Kernel's Parquet reader cannot load in the application jar's class loader: Spark describes it.
        Run describe = run(sparkSubmit("dataset", "describe", "--table", table.toString()));

        assertEquals(0, describe.exitCode(), describe.describe());
        assertTrue(describe.stdout().contains("1 dataset(s): ppo2-cartpole") && describe.stdout().matches("(?s).*steps\\s+5000\n.*"),
                describe.describe());
    }

    @Test
    void sparkSubmitRunsDataParallelPretraining() throws Exception {
        Path table = shippedTable();

        Run pretrain = run(sparkSubmit("pretrain", "--algo", "ppo2", "--env", ENV, "--expert-table", table.toString(), "--data-parallel",
                "--epochs", "1", "--lr", "1e-3", "--eval-episodes", "1", "--verbose", "0"));

        assertEquals(0, pretrain.exitCode(), pretrain.describe());
        assertTrue(pretrain.stdout().contains("data-parallel") && pretrain.stdout().contains("Evaluation over 1 episodes"), pretrain.describe());
    }

    private static Path shippedTable() {
        Path table = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && table == null; dir = dir.getParent()) {
            table = Files.isDirectory(dir.resolve("data/expert-cartpole")) ? dir.resolve("data/expert-cartpole") : null;
        }
        assertNotNull(table, "no data/expert-cartpole above " + Path.of("").toAbsolutePath());
        return table;
    }

    private static List<String> javaJar(String... args) {
        List<String> command = new ArrayList<>(List.of(JarProcesses.java()));
        command.addAll(JarProcesses.jvmOptions());
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(Arrays.asList(args));
        return command;
    }

    private static List<String> sparkSubmit(String... args) throws IOException {
        return JarProcesses.sparkSubmit(jar, "local[2]", List.of(), true, args);
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        return JarProcesses.run(command, work, TIMEOUT_MINUTES);
    }
}
