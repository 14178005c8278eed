package org.sparkbaselines.spark.expert;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.spark.expert.WholeEpisodes.assertWholeEpisodes;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.io.DType;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.Npz;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.delta.Episode;
import org.sparkbaselines.spark.delta.TrajectoryStore;

/** Over 60 s on our 2-core machine: seven generation jobs, each a few Delta commits and queries. */
@Tag("slow")
class ExpertGenerationTest {
    private static final int CARTPOLE_EPISODES = 4;
    private static final String STEP_CONTENT = "episode_id, t, obs, action, reward, terminated, truncated, next_obs";

    private static SparkSession spark;
    /** One CartPole run shared by the tests that only read it: generating it is the expensive part. */
    private static TrajectoryStore cartPole;
    private static GenerationResult cartPoleRun;
    private static Path cartPoleNpz;

    @TempDir
    static Path sharedDir;

    @TempDir
    Path dir;

    @BeforeAll
    static void generateCartPole() throws IOException {
        spark = SparkSessions.forTests();
        cartPoleNpz = sharedDir.resolve("expert_cartpole.npz");
        ExpertSpec spec = ExpertSpec.of(ExpertSource.named(Experts.CARTPOLE_BALANCE), "CartPole-v1", CARTPOLE_EPISODES,
                sharedDir.resolve("tables").toString()).withSeed(10).withTasks(2).withNpz(cartPoleNpz);
        cartPoleRun = ExpertGeneration.run(spark, spec);
        cartPole = TrajectoryStore.at(spark, spec.table());
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void writesExactlyTheEpisodesAskedForEachWhole() {
        assertEquals(new GenerationResult("CartPole-v1", cartPoleRun.runId(), CARTPOLE_EPISODES, 500L * CARTPOLE_EPISODES,
                500, 0, 500, CARTPOLE_EPISODES), cartPoleRun);
        assertWholeEpisodes(cartPole, "CartPole-v1", cartPoleRun.runId(), CARTPOLE_EPISODES);
        List<Row> episodes = cartPole.episodes().orderBy("episode_id").collectAsList();
        for (int i = 0; i < CARTPOLE_EPISODES; i++) {
            Row episode = episodes.get(i);
            assertEquals(10L + i, episode.getLong(episode.fieldIndex("seed")), "episode i is reset with seed + i");
            assertEquals("expert:cartpole-balance", episode.getString(episode.fieldIndex("source")));
        }
        // Both tasks ran episodes.
        assertEquals(2, cartPole.steps().select("worker_id").distinct().count());
    }

    @Test
    void theTimeLimitTruncatesWithoutTerminating() {
        assertEquals(0, cartPole.steps().where(col("terminated")).count());
        List<Row> ends = cartPole.steps().where(col("truncated")).select("t").collectAsList();
        assertEquals(CARTPOLE_EPISODES, ends.size());
        ends.forEach(end -> assertEquals(499, end.getInt(0)));
    }

    @Test
    void reachingTheGoalTerminatesWithoutTruncating() throws IOException {
        ExpertSpec spec = ExpertSpec.of(ExpertSource.named(Experts.MOUNTAINCAR_ENERGY), "MountainCar-v0", 2, dir.toString());
        GenerationResult result = ExpertGeneration.run(spark, spec);
        TrajectoryStore store = TrajectoryStore.at(spark, spec.table());
        assertWholeEpisodes(store, "MountainCar-v0", result.runId(), 2);
        assertEquals(0, store.steps().where(col("truncated")).count());
        assertEquals(2, store.steps().where(col("terminated")).count());
        // -1 per step until the flag: the energy-pumping controller gets there well before the limit of 200.
        assertEquals(-result.meanLength(), result.meanReturn());
        assertTrue(result.meanLength() < 200, "mean length " + result.meanLength());
    }

    @Test
    void rerunningLeavesTheTablesUnchangedAndResumesWhatIsMissing() throws IOException {
        ExpertSpec spec = ExpertSpec.of(ExpertSource.named(Experts.MOUNTAINCAR_ENERGY), "MountainCar-v0", 3, dir.toString())
                .withDataset("mc");
        GenerationResult first = ExpertGeneration.run(spark, spec);
        TrajectoryStore store = TrajectoryStore.at(spark, spec.table());
        long stepsVersion = version(store.stepsPath());
        long episodesVersion = version(store.episodesPath());

        GenerationResult again = ExpertGeneration.run(spark, spec);
        assertEquals(0, again.newEpisodes());
        assertEquals(new GenerationResult(first.dataset(), first.runId(), first.episodes(), first.steps(), first.meanReturn(),
                first.stdReturn(), first.meanLength(), 0), again);
        assertEquals(stepsVersion, version(store.stepsPath()), "a rerun commits nothing to the steps table");
        assertEquals(episodesVersion, version(store.episodesPath()), "a rerun commits nothing to the episodes table");

        // A job that died between its two commits: episode 1's steps are in, its episodes row is not.
        // The rerun asks for two more episodes too: it writes episode 1 again and the new 3 and 4, nothing else.
        DeltaTable.forPath(spark, store.episodesPath()).delete("episode_id = 1");
        GenerationResult resumed = ExpertGeneration.run(spark, spec.withEpisodes(5).withTasks(1));
        assertEquals(first.runId(), resumed.runId(), "the episode count and parallelism are not part of the run's key");
        assertEquals(3, resumed.newEpisodes());
        assertWholeEpisodes(store, "mc", first.runId(), 5);
        Dataset<Row> before = spark.sql("SELECT * FROM delta.`" + store.stepsPath() + "` VERSION AS OF " + stepsVersion);
        assertSameRows(before, store.steps().where(col("episode_id").lt(3)));
    }

    @Test
    void aSavedModelActsOnEveryExecutorAndItsEpisodesDependOnlyOnTheirSeeds() throws IOException {
        Path model = new PPO2("MlpPolicy", "CartPole-v1", PPO2.Config.DEFAULT, AlgorithmOptions.DEFAULT.withSeed(3L))
                .save(dir.resolve("untrained.zip"));
        // Sampled actions: the model is reseeded per episode, so how episodes spread over tasks does not matter.
        ExpertSpec spec = ExpertSpec.of(ExpertSource.model(model), "CartPole-v1", 3, dir.resolve("tables").toString())
                .withDeterministic(false);
        GenerationResult oneTask = ExpertGeneration.run(spark, spec.withDataset("one").withTasks(1));
        GenerationResult threeTasks = ExpertGeneration.run(spark, spec.withDataset("three").withTasks(3));
        TrajectoryStore store = TrajectoryStore.at(spark, spec.table());
        assertWholeEpisodes(store, "three", threeTasks.runId(), 3);
        assertNotEquals(oneTask.runId(), threeTasks.runId(), "runs of different datasets");
        assertSameRows(store.steps("one", oneTask.runId()).selectExpr(STEP_CONTENT.split(", ")),
                store.steps("three", threeTasks.runId()).selectExpr(STEP_CONTENT.split(", ")));
        String source = store.episodes().select("source").first().getString(0);
        assertTrue(source.matches("model:sha256:[0-9a-f]{16}"), source);
    }

    @Test
    void theNpzExportHasTheReferenceLayout() throws IOException {
        Map<String, NdArray> reference = Npz.read(referenceFile("expert_cartpole_reference_layout.npz"));
        Map<String, NdArray> exported = Npz.read(cartPoleNpz);
        assertEquals(List.copyOf(reference.keySet()), List.copyOf(exported.keySet()));
        for (String key : exported.keySet()) {
            NdArray ours = exported.get(key);
            NdArray theirs = reference.get(key);
            assertEquals(theirs.dtype(), ours.dtype(), key);
            assertEquals(theirs.ndim(), ours.ndim(), key);
            assertArrayEquals(Arrays.copyOfRange(theirs.shape(), 1, theirs.ndim()), Arrays.copyOfRange(ours.shape(), 1, ours.ndim()),
                    key + ": shape after the first axis");
        }
        int steps = 500 * CARTPOLE_EPISODES;
        assertArrayEquals(new int[] {steps, 4}, exported.get("obs").shape());
        assertArrayEquals(new int[] {steps, 1}, exported.get("actions").shape());
        assertArrayEquals(new double[] {500, 500, 500, 500}, exported.get("episode_returns").toDoubleArray());
        assertEquals(DType.FLOAT64, exported.get("rewards").dtype());

        boolean[] starts = exported.get("episode_starts").toBooleanArray();
        List<Integer> startIndices = new ArrayList<>();
        for (int i = 0; i < starts.length; i++) {
            if (starts[i]) {
                startIndices.add(i);
            }
        }
        assertEquals(List.of(0, 500, 1000, 1500), startIndices);
        // Same values as the table, episode after episode.
        Episode second = cartPole.readEpisode("CartPole-v1", cartPoleRun.runId(), 1);
        assertArrayEquals(second.observations()[0], exported.get("obs").row(500).toFloatArray());
        assertArrayEquals(second.observations()[499], exported.get("obs").row(999).toFloatArray());
        long[] actions = exported.get("actions").toLongArray();
        for (int t = 0; t < 500; t++) {
            assertEquals((long) second.actions()[t][0], actions[500 + t]);
        }
    }

    @Test
    void anUnknownOrUnfitExpertFailsBeforeAnyWrite() {
        ExpertSpec unknown = ExpertSpec.of(ExpertSource.named("nobody"), "CartPole-v1", 1, dir.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExpertGeneration.run(spark, unknown));
        assertTrue(e.getMessage().contains("unknown expert 'nobody'") && e.getMessage().contains(Experts.CARTPOLE_BALANCE), e.getMessage());

        ExpertSpec wrongEnv = ExpertSpec.of(ExpertSource.named(Experts.CARTPOLE_BALANCE), "Pendulum-v1", 1, dir.toString());
        e = assertThrows(IllegalArgumentException.class, () -> ExpertGeneration.run(spark, wrongEnv));
        assertTrue(e.getMessage().contains("Pendulum-v1"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("steps")), "no table was created");
    }

    private static long version(String path) {
        return DeltaTable.forPath(spark, path).history(1).select("version").first().getLong(0);
    }

    /** Same rows (small tables: compared on the driver, in key order). */
    private static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
        assertEquals(inKeyOrder(expected), inKeyOrder(actual));
    }

    private static List<Row> inKeyOrder(Dataset<Row> steps) {
        return steps.orderBy("episode_id", "t").collectAsList();
    }

    /** A file of the repository's shared/reference folder, found from the working directory upwards. */
    private static Path referenceFile(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/reference").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/reference/" + name + " above " + Path.of("").toAbsolutePath());
    }
}
