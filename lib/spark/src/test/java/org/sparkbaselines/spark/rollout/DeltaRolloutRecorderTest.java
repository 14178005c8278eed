package org.sparkbaselines.spark.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.delta.TrajectoryStore;

/** PPO2 trains through executor rollouts while a recorder writes them to real Delta tables; one worker set is lost mid-run. */
class DeltaRolloutRecorderTest {
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSessions.forTests();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void trainingRolloutsLandInDeltaAsWholeEpisodesWithPolicyVersions(@TempDir Path dir) throws Exception {
        TrajectoryStore store = TrajectoryStore.at(spark, dir.resolve("training").toString());
        long steps;
        long cut;
        long recordedOnExecutors;
        try (SparkRolloutSource source = new SparkRolloutSource(spark, "CartPole-v1", Map.of(), 2, 2, 3L);
             DeltaRolloutRecorder recorder = new DeltaRolloutRecorder(spark, store, "training", "run-1", "ppo2:CartPole-v1", 200)) {
            PPO2 model = new PPO2("MlpPolicy", source, PPO2.Config.DEFAULT.with(Map.of("n_steps", 16, "nminibatches", 1)),
                    AlgorithmOptions.DEFAULT.withSeed(3L).withPolicyKwargs(Map.of("backend", "jvm")));
            model.recordRollouts(recorder);
            model.learn(16 * 4 * 6);
            // The executors lose their workers (as when tasks land on fresh executors): they are rebuilt.
            String run = source.runId();
            JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(0, 1, 2, 3), 4)
                    .foreachPartition(ignored -> ExecutorWorkers.release(run));
            model.learn(16 * 4 * 6, null, 0, "PPO2", false);
            recorder.close();
            steps = model.numTimesteps();
            cut = recorder.cutEpisodes();
            recordedOnExecutors = recorder.episodesRecordedByWorkers();
        }
        assertTrue(recordedOnExecutors > 0, "executors staged the episodes that ended in their fragments");
        RecordedEpisodes.assertNoUncommittedFiles(store, "run-1");
        RecordedEpisodes.assertContiguousCartPoleEpisodes(store, "run-1");
        assertTrue(cut > 0, "the rebuilt workers' running episodes were cut");
        List<Row> episodes = store.episodes("training", "run-1").collectAsList();
        long stepRows = store.steps("training", "run-1").count();
        assertEquals(steps, stepRows, "every collected step recorded once");
        assertEquals(stepRows, episodes.stream().mapToLong(r -> r.getInt(r.fieldIndex("length"))).sum());
        Row lastRows = store.steps("training", "run-1").selectExpr("count(*) AS n", "sum(CAST(terminated OR truncated AS INT)) AS ends",
                "min(policy_version) AS lo", "max(policy_version) AS hi", "count(DISTINCT episode_id) AS episodes").first();
        assertEquals(episodes.size(), lastRows.getLong(1), "exactly one ending row per episode");
        assertEquals(1L, lastRows.getLong(2));
        assertEquals(12L, lastRows.getLong(3), "one policy version per iteration");
        long cutRows = store.steps("training", "run-1").where("truncated AND NOT terminated AND next_obs IS NULL").count();
        assertTrue(cutRows >= cut, "cut episodes end truncated with an unknown next_obs");
        long spanning = store.steps("training", "run-1").groupBy("episode_id").agg(functions.countDistinct("policy_version")
                .as("versions")).where("versions > 1").count();
        assertTrue(spanning > 0, "episodes continue across policy updates, each step keeping its version");
    }
}
