package org.sparkbaselines.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.jobs.JarProcesses.Run;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.cluster.StandaloneCluster;
import org.sparkbaselines.spark.delta.TrajectoryStore;
import org.sparkbaselines.spark.expert.WholeEpisodes;
import org.sparkbaselines.spark.rollout.RecordedEpisodes;

/**
 * The Spark commands on a real standalone cluster ({@link StandaloneCluster}: a master, a worker, two
 * one-core executor JVMs), submitted as the shaded jar: what {@code local[*]} cannot show (tasks moving
 * between executors, per-JVM statics, serialized closures, the jar really shipping, an executor dying).
 * The tables the jobs write are read back here in {@code local[2]} and checked row by row.
 */
@Tag("slow")
@Tag("cluster")
class StandaloneClusterIT {
    private static final String ENV = "CartPole-v1";
    private static final long TIMEOUT_MINUTES = 6;
    private static final Pattern RUN_ID = Pattern.compile("run_id '([^']+)'");

    @TempDir
    static Path work;
    private static Path jar;
    private static StandaloneCluster cluster;
    private static SparkSession reader;

    @BeforeAll
    static void startTheCluster() throws IOException, InterruptedException {
        jar = JarProcesses.shadedJar();
        cluster = StandaloneCluster.start(work, JarProcesses.sparkJars(), JarProcesses.jvmOptions());
        reader = SparkSessions.forTests();
    }

    @AfterAll
    static void stopTheCluster() {
        if (reader != null) {
            reader.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void trainingRecordsEveryEpisodeAsOneEnvsContiguousTrajectoryThoughAnExecutorDies() throws Exception {
        Path table = work.resolve("rollouts");
        List<String> command = submit("train", "--algo", "ppo2", "--env", ENV, "--timesteps", "30000",
                "--rollout-workers", "2", "--envs-per-worker", "4", "--record-table", table.toString(), "-f", work.resolve("logs").toString(),
                "--eval-episodes", "2", "--verbose", "0");

        Run train = runKillingAnExecutorAfter(command, 12);

        assertEquals(0, train.exitCode(), train.describe());
        Matcher runId = RUN_ID.matcher(train.stdout());
        assertTrue(runId.find(), train.describe());
        TrajectoryStore store = TrajectoryStore.at(reader, table.toString());
        RecordedEpisodes.assertContiguousCartPoleEpisodes(store, runId.group(1));
        RecordedEpisodes.assertNoUncommittedFiles(store, runId.group(1));
    }

    @Test
    void sacLearnsFromExecutorActorsAndRecordsWholeEpisodesThoughAnExecutorDies() throws Exception {
        Path table = work.resolve("actors");
        List<String> command = submit("train", "--algo", "sac", "--env", "Pendulum-v1", "--timesteps", "20000", "--rollout-workers", "2",
                "--record-table", table.toString(), "-f", work.resolve("logs").toString(), "--eval-episodes", "5", "--verbose", "0");

        // Rounds of 2 x 50 steps are two tasks each: the executor dies about a quarter into the run.
        Run train = runKillingAnExecutorAfter(command, 100);

        assertEquals(0, train.exitCode(), train.describe());
        Matcher runId = RUN_ID.matcher(train.stdout());
        assertTrue(runId.find(), train.describe());
        TrajectoryStore store = TrajectoryStore.at(reader, table.toString());
        RecordedEpisodes.assertContiguousPendulumEpisodes(store, runId.group(1));
        RecordedEpisodes.assertNoUncommittedFiles(store, runId.group(1));
        assertEquals(20_000, store.steps().where("run_id = '" + runId.group(1) + "'").count(), "every step the learner took, recorded once");
        Matcher reward = Pattern.compile("mean reward (-?[0-9.]+)").matcher(train.stdout());
        assertTrue(reward.find() && Double.parseDouble(reward.group(1)) >= -250, train.describe());
    }

    /** TRPO with two executor workers as its MPI workers, the reference's defaults (2 x 1024 steps an iteration). */
    @Test
    void trpoTrainsThroughExecutorRollouts() throws Exception {
        Path conf = work.resolve("trpo.yml");
        Files.writeString(conf, ENV + ":\n  n_timesteps: 40000\n  policy: 'MlpPolicy'\n");
        Run train = JarProcesses.run(submit("train", "--algo", "trpo", "--env", ENV, "--conf", conf.toString(), "--rollout-workers", "2",
                "--envs-per-worker", "1", "-f", work.resolve("logs").toString(), "--eval-episodes", "5", "--verbose", "0"), work, TIMEOUT_MINUTES);

        assertEquals(0, train.exitCode(), train.describe());
        Matcher reward = Pattern.compile("mean reward ([0-9.]+)").matcher(train.stdout());
        assertTrue(reward.find(), train.describe());
        assertTrue(Double.parseDouble(reward.group(1)) >= 60, "an untrained CartPole policy scores 9-40; " + train.describe());
    }

    @Test
    void expertGenerationLosesAndDuplicatesNothingWhenAnExecutorDies() throws Exception {
        Path table = work.resolve("expert");
        int episodes = 400;
        List<String> command = submit("generate-expert", "--expert", "cartpole-balance", "--env", ENV, "--episodes",
                Integer.toString(episodes), "--tasks", "40", "--table", table.toString());

        Run generate = runKillingAnExecutorAfter(command, 4);

        assertEquals(0, generate.exitCode(), generate.describe());
        TrajectoryStore store = TrajectoryStore.at(reader, table.toString());
        List<Row> runs = store.episodes().select("dataset", "run_id").distinct().collectAsList();
        assertEquals(1, runs.size(), "one run: " + runs);
        WholeEpisodes.assertWholeEpisodes(store, runs.get(0).getString(0), runs.get(0).getString(1), episodes);
    }

    @Test
    void batchEvaluationLosesAndDuplicatesNothingWhenAnExecutorDies() throws Exception {
        Path models = TinyModels.twoPpo2(work.resolve("killed-models"), ENV);
        Path table = work.resolve("killed-evaluation");
        int episodes = 600;
        List<String> command = submit("evaluate", "--models", models.toString(), "--env", ENV, "--episodes", Integer.toString(episodes),
                "--episodes-per-task", "5", "--table", table.toString());

        Run evaluate = runKillingAnExecutorAfter(command, 20);

        assertEquals(0, evaluate.exitCode(), evaluate.describe());
        List<Row> perModel = reader.read().format("delta").load(table.resolve("episodes").toString()).groupBy("model_path")
                .agg(functions.count(functions.lit(1)), functions.countDistinct("episode"), functions.min("episode"), functions.max("episode"))
                .collectAsList();
        assertEquals(2, perModel.size(), perModel.toString());
        for (Row model : perModel) {
            assertEquals(List.of((long) episodes, (long) episodes, 0, episodes - 1),
                    List.of(model.getLong(1), model.getLong(2), model.getInt(3), model.getInt(4)), "rows, distinct episodes, first, last: " + model);
        }
    }

    @Test
    void batchEvaluationAndDataParallelPretrainingRunOnTheCluster() throws Exception {
        Path models = TinyModels.twoPpo2(work.resolve("models"), ENV);
        Run evaluate = JarProcesses.run(submit("evaluate", "--models", models.toString(), "--env", ENV, "--episodes", "4",
                "--table", work.resolve("evaluation").toString()), work, TIMEOUT_MINUTES);
        assertEquals(0, evaluate.exitCode(), evaluate.describe());
        assertTrue(evaluate.stdout().contains("2 models, 4 deterministic episodes each"), evaluate.describe());
        assertEquals(8, reader.read().format("delta").load(work.resolve("evaluation/episodes").toString()).count());

        Run pretrain = JarProcesses.run(submit("pretrain", "--algo", "ppo2", "--env", ENV, "--expert-table",
                CommandRun.shippedData("expert-cartpole").toString(), "--data-parallel", "--epochs", "1", "--lr", "1e-3", "--eval-episodes", "1", "--verbose", "0"),
                work, TIMEOUT_MINUTES);
        assertEquals(0, pretrain.exitCode(), pretrain.describe());
        assertTrue(pretrain.stdout().contains("data-parallel") && pretrain.stdout().contains("Evaluation over 1 episodes"), pretrain.describe());
    }

    @Test
    void aPolicyRegisteredOnTheDriverTrainsThroughExecutorRollouts() throws Exception {
        Path appJar = jarOf(CustomPolicyTrainingApp.class);
        List<String> options = new ArrayList<>(cluster.submitOptions());
        options.addAll(List.of("--jars", appJar.toString()));
        List<String> command = JarProcesses.sparkSubmit(jar, cluster.masterUrl(), options, false, "30000", "0");
        command.set(command.indexOf(Main.class.getName()), CustomPolicyTrainingApp.class.getName());

        Run train = JarProcesses.run(command, work, TIMEOUT_MINUTES);

        assertEquals(0, train.exitCode(), train.describe());
        assertTrue(train.stdout().contains("policy " + CustomPolicyTrainingApp.POLICY), train.describe());
        Matcher reward = Pattern.compile("mean reward ([0-9.]+)").matcher(train.stdout());
        assertTrue(reward.find(), train.describe());
        assertTrue(Double.parseDouble(reward.group(1)) >= 60, "an untrained CartPole policy scores 9-40; " + train.describe());
    }

    /**
     * Runs a submission and kills one executor JVM (by its pid) once the executors together have started
     * {@code tasksBeforeKill} tasks; asserts the driver was still running then and that Spark launched a
     * replacement executor.
     */
    private static Run runKillingAnExecutorAfter(List<String> command, int tasksBeforeKill) throws Exception {
        Path stdout = Files.createTempFile(work, "stdout", ".txt");
        Path stderr = Files.createTempFile(work, "stderr", ".txt");
        int applicationsBefore = cluster.applications();
        Process driver = JarProcesses.start(command, work, stdout, stderr);
        long deadline = System.nanoTime() + 240_000_000_000L;
        while (driver.isAlive() && System.nanoTime() < deadline
                && (cluster.applications() == applicationsBefore || cluster.tasksStarted() < tasksBeforeKill)) {
            Thread.sleep(100);
        }
        assertTrue(driver.isAlive(), "the job ended before an executor could be killed:\n" + Files.readString(stderr));
        List<Long> executors = cluster.executorPids();
        assertEquals(2, executors.size(), "executor JVMs: " + executors);
        int executorsBefore = cluster.executorsLaunched();
        ProcessHandle.of(executors.get(0)).ifPresent(ProcessHandle::destroyForcibly);
        Run run = JarProcesses.finish(command, driver, stdout, stderr, TIMEOUT_MINUTES);
        assertTrue(cluster.executorsLaunched() > executorsBefore, "no executor relaunched after the kill; " + run.describe());
        return run;
    }

    /** The command submitting the shaded jar's {@code Main} with {@code args} to the cluster. */
    private static List<String> submit(String... args) throws IOException {
        return JarProcesses.sparkSubmit(jar, cluster.masterUrl(), cluster.submitOptions(), false, args);
    }

    /** A jar of one test class and its nested and lambda classes, to ship with {@code --jars}. */
    private static Path jarOf(Class<?> app) throws IOException, java.net.URISyntaxException {
        Path classes = Path.of(app.getProtectionDomain().getCodeSource().getLocation().toURI());
        String folder = app.getPackageName().replace('.', '/');
        Path out = work.resolve(app.getSimpleName() + ".jar");
        try (JarOutputStream jarOut = new JarOutputStream(Files.newOutputStream(out));
             Stream<Path> files = Files.list(classes.resolve(folder))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(app.getSimpleName())).toList()) {
                jarOut.putNextEntry(new JarEntry(folder + "/" + file.getFileName()));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
        }
        return out;
    }
}
