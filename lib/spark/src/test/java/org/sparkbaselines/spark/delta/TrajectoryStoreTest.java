package org.sparkbaselines.spark.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.exceptions.ConcurrentAppendException;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.imitation.TrajectoryData;
import org.sparkbaselines.io.DType;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spark.SparkSessions;

class TrajectoryStoreTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = SparkSessions.forTests();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private TrajectoryStore store() {
        return TrajectoryStore.at(spark, dir.toString());
    }

    private JavaRDD<Episode> rdd(Episode... episodes) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(episodes), 2);
    }

    /** An episode of {@code length} steps with 2-float observations and one action float, ending as told. */
    private static Episode episode(long id, int length, boolean terminated, boolean truncated, boolean withEstimates) {
        float[][] obs = new float[length][];
        float[][] next = new float[length][];
        float[][] actions = new float[length][];
        double[] rewards = new double[length];
        float[] logps = new float[length];
        float[] values = new float[length];
        for (int t = 0; t < length; t++) {
            obs[t] = new float[] {id, t};
            next[t] = new float[] {id, t + 1};
            actions[t] = new float[] {t % 3};
            rewards[t] = 0.5 * t - id;
            logps[t] = -0.1f * t;
            values[t] = 2f * t;
        }
        return new Episode(id, 7, 3, 100 + id, "test", obs, actions, rewards, next, terminated, truncated,
                terminated ? Boolean.TRUE : null, withEstimates ? logps : null, withEstimates ? values : null, null);
    }

    @Test
    void stagedEpisodesAreCommittedByKernelAndBySparkWhereKernelCannot() throws Exception {
        TrajectoryStore store = store();
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        StagedEpisodes first = StagedEpisodes.write(hadoop, store.stepsPath(), store.episodesPath(), "r1", "ds", "staged",
                List.of(episode(0, 5, true, false, true), episode(1, 3, false, true, false)));
        assertEquals(2, store.commitStaged("ds", "staged", List.of(first)));
        // A writer feature of Delta 3.2 that Kernel 3.2 does not write: the next commit falls back to Spark.
        spark.sql("ALTER TABLE delta.`" + store.stepsPath() + "` SET TBLPROPERTIES ('delta.enableTypeWidening' = 'true')");
        StagedEpisodes second = StagedEpisodes.write(hadoop, store.stepsPath(), store.episodesPath(), "r1", "ds", "staged",
                List.of(episode(2, 4, true, false, true)));
        assertEquals(1, store.commitStaged("ds", "staged", List.of(second)));
        List<String> engines = io.delta.tables.DeltaTable.forPath(spark, store.stepsPath()).history().orderBy("version")
                .select("engineInfo").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertTrue(engines.get(0).contains("spark-baselines") && engines.get(engines.size() - 1).startsWith("Apache-Spark"),
                "Kernel made the first commit, Spark the last: " + engines);
        assertEquals(12, store.steps("ds", "staged").count(), "every step once");
        assertEquals(List.of(0L, 1L, 2L), store.episodes("ds", "staged").orderBy("episode_id").select("episode_id").as(
                org.apache.spark.sql.Encoders.LONG()).collectAsList());
        assertEquals(store.steps("ds", "staged").inputFiles().length, parquetFiles(store.stepsPath(), "ds", "staged"),
                "the files Spark rewrote were deleted: every data file of the run is in the table");
    }

    @Test
    void filesStagedButNeverCommittedAreDeletedAndCommittedOnesKept() throws Exception {
        TrajectoryStore store = store();
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        StagedEpisodes kept = StagedEpisodes.write(hadoop, store.stepsPath(), store.episodesPath(), "r2", "ds", "orphans",
                List.of(episode(0, 5, true, false, true)));
        store.commitStaged("ds", "orphans", List.of(kept));
        // An attempt whose result the driver discarded, and another recording's batch of the same run.
        StagedEpisodes.write(hadoop, store.stepsPath(), store.episodesPath(), "r2", "ds", "orphans", List.of(episode(1, 3, true, false, true)));
        StagedEpisodes other = StagedEpisodes.write(hadoop, store.stepsPath(), store.episodesPath(), "r3", "ds", "orphans",
                List.of(episode(2, 3, true, false, true)));
        assertEquals(3, parquetFiles(store.stepsPath(), "ds", "orphans"));
        StagedEpisodes.deleteUncommitted(hadoop, store.stepsPath(), store.episodesPath(), "r2", "ds", "orphans", List.of(kept));
        assertEquals(2, parquetFiles(store.stepsPath(), "ds", "orphans"), "only the discarded attempt's file went");
        assertEquals(2, parquetFiles(store.episodesPath(), "ds", "orphans"), "the same in the episodes table");
        assertEquals(5, store.steps("ds", "orphans").count(), "the committed episode is whole");
        StagedEpisodes.deleteUncommitted(hadoop, store.stepsPath(), store.episodesPath(), "r3", "ds", "orphans", List.of());
        assertEquals(1, parquetFiles(store.stepsPath(), "ds", "orphans"));
        assertTrue(!other.isEmpty() && !Files.exists(Path.of(store.stepsPath(), "dataset=ds", "run_id=orphans", StagedEpisodes.folder("r3"))),
                "an emptied recording folder goes too");
        assertTrue(StagedEpisodes.write(hadoop, store.stepsPath(), store.episodesPath(), "r2", "ds", "orphans", List.of()).isEmpty());
    }

    /** Parquet data files anywhere under the run's partition folder of the table. */
    private static long parquetFiles(String table, String dataset, String runId) throws java.io.IOException {
        try (var files = Files.walk(Path.of(table, "dataset=" + dataset, "run_id=" + runId))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".parquet")).count();
        }
    }

    @Test
    void writesWholeEpisodesAndReadsThemBack() {
        TrajectoryStore store = store();
        Episode terminated = episode(0, 5, true, false, true);
        Episode truncated = episode(1, 3, false, true, false);
        assertEquals(2, store.appendEpisodes("ds", "run", rdd(terminated, truncated)));

        assertEquals(TrajectoryStore.STEPS_SCHEMA.fieldNames().length, store.steps().schema().fieldNames().length);
        assertEquals(8, store.steps("ds", "run").count());
        List<Row> summaries = store.episodes("ds", "run").orderBy("episode_id").collectAsList();
        assertEquals(2, summaries.size());
        assertEquals(5, summaries.get(0).getInt(summaries.get(0).fieldIndex("length")));
        assertEquals(terminated.totalReward(), summaries.get(0).getDouble(summaries.get(0).fieldIndex("return")));
        assertTrue(summaries.get(0).getBoolean(summaries.get(0).fieldIndex("success")));
        assertTrue(summaries.get(1).isNullAt(summaries.get(1).fieldIndex("success")));

        Episode back = store.readEpisode("ds", "run", 0);
        assertEquals(terminated.length(), back.length());
        assertArrayEquals(terminated.observations(), back.observations());
        assertArrayEquals(terminated.actions(), back.actions());
        assertArrayEquals(terminated.nextObservations(), back.nextObservations());
        assertArrayEquals(terminated.rewards(), back.rewards());
        assertArrayEquals(terminated.actionLogProbabilities(), back.actionLogProbabilities());
        assertArrayEquals(terminated.values(), back.values());
        assertEquals(List.of(7, 3L, 100L, "test", true, false, true),
                List.of(back.workerId(), back.policyVersion(), back.seed(), back.source(), back.terminated(), back.truncated(), back.success()));

        Episode cut = store.readEpisode("ds", "run", 1);
        assertFalse(cut.terminated());
        assertTrue(cut.truncated());
        assertNull(cut.actionLogProbabilities());
        assertNull(cut.values());
        // Only the last step of an episode ends it.
        assertEquals(2, store.steps().where("terminated OR truncated").count());
    }

    @Test
    void writingTheSameEpisodesAgainAddsNothing() {
        TrajectoryStore store = store();
        store.appendEpisodes("ds", "run", rdd(episode(0, 4, true, false, false), episode(1, 2, true, false, false)));
        store.appendEpisodes("ds", "run", rdd(episode(1, 2, true, false, false), episode(2, 3, true, false, false)));

        assertEquals(3, store.episodes().count());
        assertEquals(9, store.steps().count());
        assertEquals(9, store.steps().select("episode_id", "t").distinct().count());
        // The same keys in another run or dataset are other episodes.
        store.appendEpisodes("other", "run", rdd(episode(0, 4, true, false, false)));
        store.appendEpisodes("ds", "run2", rdd(episode(0, 4, true, false, false)));
        assertEquals(5, store.episodes().count());
        assertEquals(1, store.episodes("other", "run").count());
    }

    @Test
    void tablesAnswerSparkSql() {
        TrajectoryStore store = store();
        store.appendEpisodes("ds", "run", rdd(episode(0, 4, true, false, false), episode(1, 6, false, true, false)));
        // Straight from the path, as docs/expert-data.md shows, and through views.
        Row stats = spark.sql("SELECT count(*), sum(length), max(return) FROM delta.`" + store.episodesPath() + "` WHERE dataset = 'ds'")
                .first();
        assertEquals(List.of(2L, 10L, 3.0), List.of(stats.getLong(0), stats.getLong(1), stats.getDouble(2)));
        store.episodes().createOrReplaceTempView("episodes");
        store.steps().createOrReplaceTempView("steps");
        Row joined = spark.sql("SELECT count(*) FROM steps s JOIN episodes e USING (dataset, run_id, episode_id) "
                + "WHERE s.t = e.length - 1 AND (s.terminated OR s.truncated)").first();
        assertEquals(2L, joined.getLong(0));
    }

    @Test
    void collectsWholeEpisodesInOrderAndRefusesPartOfOne() {
        TrajectoryStore store = store();
        store.appendEpisodes("ds", "run", rdd(episode(1, 3, true, false, false), episode(0, 2, false, true, false)));
        TrajectoryData data = TrajectoryStore.collect(store.steps(), new Box(-10, 10, 2), new Discrete(3));

        assertArrayEquals(new boolean[] {true, false, true, false, false}, data.episodeStarts());
        assertArrayEquals(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {1, 2}}, data.observations());
        assertArrayEquals(new double[] {episode(0, 2, false, true, false).totalReward(), episode(1, 3, true, false, false).totalReward()},
                data.episodeReturns());
        assertEquals(new TrajectoryData.Layout(DType.FLOAT32, new int[] {2}, DType.INT64, new int[] {1}), data.layout());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrajectoryStore.collect(store.steps().where("t > 0"), new Box(-10, 10, 2), new Discrete(3)));
        assertTrue(e.getMessage().contains("part of episode 0"), e.getMessage());
    }

    @Test
    void aMissingTableIsAnErrorNamingItsPath() {
        TrajectoryStore store = store();
        IllegalArgumentException steps = assertThrows(IllegalArgumentException.class, store::steps);
        assertTrue(steps.getMessage().contains(store.stepsPath()), steps.getMessage());
        IllegalArgumentException episodes = assertThrows(IllegalArgumentException.class, () -> store.episodes("ds", "run"));
        assertTrue(episodes.getMessage().contains(store.episodesPath()), episodes.getMessage());
    }

    @Test
    void aMissingEpisodeIsAnErrorNamingIt() {
        TrajectoryStore store = store();
        store.appendEpisodes("ds", "run", rdd(episode(0, 2, true, false, false)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.readEpisode("ds", "run", 5));
        assertTrue(e.getMessage().contains("no episode 5"), e.getMessage());
    }

    @Test
    void refusesADeltaTableWithOtherColumnsSayingWhatItIs() {
        String path = dir.resolve("steps").toString();
        spark.range(3).write().format("delta").save(path);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store().checkExistingTables());
        assertTrue(e.getMessage().startsWith("the Delta table at " + path + " has columns id BIGINT, "
                + "not those of the steps table of trajectory tables ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("): pass another folder than " + dir), e.getMessage());
    }

    @Test
    void aTableOrAFolderInsideOneIsNotARootAndTheMessageSaysWhichFolderToPass() {
        store().appendEpisodes("ds", "run", rdd(episode(0, 2, true, false, false)));
        String steps = dir.resolve("steps").toString();
        IllegalArgumentException table = assertThrows(IllegalArgumentException.class, () -> TrajectoryStore.at(spark, steps));
        assertEquals(steps + " is the steps table of the trajectory tables at " + dir + ": pass " + dir
                + ", the folder that holds steps/ and episodes/", table.getMessage());
        String partition = dir.resolve("episodes/dataset=ds").toString();
        IllegalArgumentException inside = assertThrows(IllegalArgumentException.class, () -> TrajectoryStore.at(spark, partition + "/"));
        assertEquals(partition + "/ is inside the episodes table of the trajectory tables at " + dir + ": pass " + dir
                + ", the folder that holds steps/ and episodes/", inside.getMessage());
    }

    /** Two jobs writing the same episodes into one new table at once: both succeed (creation and MERGE races are retried), no duplicate. */
    @Test
    void twoJobsWritingOneTableAtOnceBothSucceedAndWriteEachRowOnce() throws Exception {
        Episode[] episodes = {episode(0, 4, true, false, false), episode(1, 3, false, true, false)};
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService jobs = Executors.newFixedThreadPool(2);
        try {
            List<Future<Long>> written = new ArrayList<>();
            for (String run : List.of("run", "run")) {
                written.add(jobs.submit(() -> {
                    TrajectoryStore store = store();
                    start.await();
                    return store.appendEpisodes("ds", run, rdd(episodes));
                }));
            }
            for (Future<Long> job : written) {
                assertEquals(2L, job.get(2, TimeUnit.MINUTES));
            }
        } finally {
            jobs.shutdownNow();
        }
        assertEquals(2, store().episodes().count());
        assertEquals(7, store().steps().count());
    }

    /** A MERGE whose source is read while another job appends to the table is refused by Delta, and retried. */
    @Test
    void aCommitRefusedForAConcurrentAppendIsRetried() throws Exception {
        String path = dir.resolve("ids").toString();
        spark.range(3).write().format("delta").save(path);
        MergeSource.reset();
        Dataset<Row> source = spark.range(10, 14).map((MapFunction<Long, Long>) MergeSource::waitForTheOtherJobOnce, Encoders.LONG())
                .toDF("id");
        AtomicInteger attempts = new AtomicInteger();
        ExecutorService otherJob = Executors.newSingleThreadExecutor();
        try {
            Future<?> append = otherJob.submit(() -> {
                MergeSource.reading.await();
                spark.range(100, 102).write().format("delta").mode("append").save(path);
                MergeSource.otherCommitted.countDown();
                return null;
            });
            DeltaCommits.retryingConflicts(path, () -> {
                attempts.incrementAndGet();
                DeltaTable.forPath(spark, path).as("t").merge(source.as("s"), "t.id = s.id").whenNotMatched().insertAll().execute();
            });
            append.get(2, TimeUnit.MINUTES);
        } finally {
            otherJob.shutdownNow();
        }
        assertEquals(2, attempts.get());
        assertEquals(9, spark.read().format("delta").load(path).count());
    }

    @Test
    void aWriteThatKeepsConflictingIsReportedInOneLine() {
        AtomicInteger attempts = new AtomicInteger();
        DeltaCommits.ConcurrentTableWriteException e = assertThrows(DeltaCommits.ConcurrentTableWriteException.class,
                () -> DeltaCommits.retryingConflicts("/data/t", () -> {
                    attempts.incrementAndGet();
                    throw new ConcurrentAppendException("Files were added to the root of the table by a concurrent update.\nRefer to ...");
                }));
        assertEquals(DeltaCommits.MAX_ATTEMPTS, attempts.get());
        assertEquals("another job wrote the Delta table at /data/t at the same time, " + DeltaCommits.MAX_ATTEMPTS + " times in a row "
                + "(ConcurrentAppendException): nothing of this write was committed, run it again", e.getMessage());
    }

    /** Holds the first row of a MERGE's source until another job has committed: the MERGE's snapshot is then stale. */
    private static final class MergeSource {
        private static final AtomicBoolean HOLD = new AtomicBoolean();
        static CountDownLatch reading;
        static CountDownLatch otherCommitted;

        static void reset() {
            HOLD.set(true);
            reading = new CountDownLatch(1);
            otherCommitted = new CountDownLatch(1);
        }

        static Long waitForTheOtherJobOnce(Long id) throws InterruptedException {
            if (HOLD.compareAndSet(true, false)) {
                reading.countDown();
                otherCommitted.await(2, TimeUnit.MINUTES);
            }
            return id;
        }
    }

    @Test
    void refusesEpisodesWhoseArraysDisagree() {
        assertThrows(IllegalArgumentException.class, () -> new Episode(0, 0, 0, 0, "x", new float[2][1], new float[1][1],
                new double[2], new float[2][1], true, false, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Episode(0, 0, 0, 0, "x", new float[0][], new float[0][],
                new double[0], new float[0][], true, false, null, null, null, null));
    }
}
