package org.sparkbaselines.spark.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
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
    void refusesADeltaTableWithOtherColumns() {
        String path = dir.resolve("steps").toString();
        spark.range(3).write().format("delta").save(path);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store().createIfMissing());
        assertTrue(e.getMessage().contains(path) && e.getMessage().contains("not a trajectory table"), e.getMessage());
    }

    @Test
    void refusesEpisodesWhoseArraysDisagree() {
        assertThrows(IllegalArgumentException.class, () -> new Episode(0, 0, 0, 0, "x", new float[2][1], new float[1][1],
                new double[2], new float[2][1], true, false, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Episode(0, 0, 0, 0, "x", new float[0][], new float[0][],
                new double[0], new float[0][], true, false, null, null, null, null));
    }
}
