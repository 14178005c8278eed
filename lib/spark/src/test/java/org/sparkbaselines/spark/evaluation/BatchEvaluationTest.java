package org.sparkbaselines.spark.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.a2c.A2C;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.vec.VecEnvs;

/**
 * The batch evaluation against real Delta tables in local[2]. One evaluation of two briefly trained
 * models (PPO2 and A2C, sampled actions) runs once for the class; tests that need other inputs run
 * their own, small ones.
 */
@Tag("slow")
class BatchEvaluationTest {
    private static final String ENV = "CartPole-v1";
    private static final int EPISODES = 5;
    private static final long SEED = 100L;

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static Path models;
    private static Map<String, Long> trainedTimesteps;
    private static BatchEvaluationSpec baseline;
    private static List<ModelSummary> baselineSummaries;

    @BeforeAll
    static void trainModelsAndEvaluateThem() throws IOException {
        spark = SparkSessions.forTests();
        models = dir.resolve("models");
        BaseAlgorithm<?> ppo2 = new PPO2("MlpPolicy", VecEnvs.makeVecEnv(ENV, 2, 0L), PPO2.Config.DEFAULT.with(Map.of("n_steps", 16)),
                AlgorithmOptions.DEFAULT.withSeed(0L)).learn(256);
        ppo2.save(models.resolve("ppo2/cartpole.zip"));
        BaseAlgorithm<?> a2c = new A2C("MlpPolicy", VecEnvs.makeVecEnv(ENV, 2, 0L), A2C.Config.DEFAULT, AlgorithmOptions.DEFAULT.withSeed(0L))
                .learn(256);
        a2c.save(models.resolve("a2c/cartpole.zip"));
        trainedTimesteps = Map.of("ppo2/cartpole", ppo2.numTimesteps(), "a2c/cartpole", a2c.numTimesteps());
        baseline = BatchEvaluationSpec.of(models.toString(), ENV, EPISODES, dir.resolve("results").toString()).withSeed(SEED)
                .withDeterministic(false);
        baselineSummaries = BatchEvaluation.run(spark, baseline);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static List<Row> table(String path) {
        return spark.read().format("delta").load(path).collectAsList();
    }

    @Test
    void writesOneRowPerModelAndEpisodeAndSummariesThatMatchTheRows() {
        List<Row> episodes = table(BatchEvaluation.episodesPath(baseline.table()));
        assertEquals(2 * EPISODES, episodes.size());
        Map<String, List<Row>> byModel = episodes.stream().collect(Collectors.groupingBy(r -> r.<String>getAs("model_name")));
        assertEquals(trainedTimesteps.keySet(), byModel.keySet());
        for (List<Row> rows : byModel.values()) {
            assertEquals(Set.of(0, 1, 2, 3, 4), rows.stream().map(r -> r.<Integer>getAs("episode")).collect(Collectors.toSet()));
            for (Row row : rows) {
                assertEquals(SEED + row.<Integer>getAs("episode"), row.<Long>getAs("seed"));
                assertEquals(trainedTimesteps.get(row.<String>getAs("model_name")), row.<Long>getAs("num_timesteps"));
                assertEquals(ENV, row.getAs("env_id"));
                assertFalse(row.<Boolean>getAs("deterministic"));
            }
        }
        assertEquals(Set.of("A2C", "PPO2"), episodes.stream().map(r -> r.<String>getAs("algorithm")).collect(Collectors.toSet()));

        List<ModelSummary> summaries = table(BatchEvaluation.summaryPath(baseline.table())).stream().map(ModelSummary::fromRow).toList();
        assertEquals(2, summaries.size());
        assertEquals(List.of("a2c/cartpole", "ppo2/cartpole"), baselineSummaries.stream().map(ModelSummary::modelName).toList());
        for (ModelSummary summary : summaries) {
            double[] rewards = byModel.get(summary.modelName()).stream().mapToDouble(r -> r.<Double>getAs("reward")).toArray();
            double[] lengths = byModel.get(summary.modelName()).stream().mapToDouble(r -> r.<Integer>getAs("length")).toArray();
            double mean = Arrays.stream(rewards).average().orElseThrow();
            assertTrue(summary.ok());
            assertNull(summary.error());
            assertEquals(EPISODES, summary.episodes());
            assertEquals(SEED, summary.baseSeed());
            assertEquals(mean, summary.meanReward(), 1e-9);
            assertEquals(Math.sqrt(Arrays.stream(rewards).map(r -> (r - mean) * (r - mean)).average().orElseThrow()), summary.stdReward(), 1e-9);
            assertEquals(Arrays.stream(rewards).min().orElseThrow(), summary.minReward());
            assertEquals(Arrays.stream(rewards).max().orElseThrow(), summary.maxReward());
            assertEquals(Arrays.stream(lengths).average().orElseThrow(), summary.meanLength(), 1e-9);
        }
    }

    @Test
    void returnsTheSummaryRowsItWrote() {
        Map<String, ModelSummary> written = table(BatchEvaluation.summaryPath(baseline.table())).stream().map(ModelSummary::fromRow)
                .collect(Collectors.toMap(ModelSummary::modelPath, s -> s));
        for (ModelSummary returned : baselineSummaries) {
            // Another test reruns this evaluation in other chunks: same rewards, summed in another order, later evaluated_at.
            ModelSummary row = written.get(returned.modelPath());
            assertEquals(returned.meanReward(), row.meanReward(), 1e-9);
            assertEquals(returned.stdReward(), row.stdReward(), 1e-9);
            assertEquals(returned.meanLength(), row.meanLength(), 1e-9);
            assertEquals(returned.algorithm(), row.algorithm());
            assertEquals(returned.numTimesteps(), row.numTimesteps());
        }
    }

    @Test
    void aRerunInOtherChunksUpdatesTheRowsInPlaceWithTheSameRewards() throws IOException {
        String episodesTable = BatchEvaluation.episodesPath(baseline.table());
        String summaryTable = BatchEvaluation.summaryPath(baseline.table());
        Map<String, Double> firstRewards = rewardsByKey(episodesTable);
        Timestamp firstEpisodesAt = latestEvaluatedAt(episodesTable);
        Timestamp firstSummaryAt = latestEvaluatedAt(summaryTable);

        BatchEvaluation.run(spark, baseline.withEpisodesPerTask(1));

        assertEquals(2 * EPISODES, table(episodesTable).size());
        assertEquals(2, table(summaryTable).size());
        // Env and sampled actions are seeded per episode, so neither the rerun nor the chunking changes a reward.
        assertEquals(firstRewards, rewardsByKey(episodesTable));
        assertTrue(earliestEvaluatedAt(episodesTable).after(firstEpisodesAt));
        assertTrue(earliestEvaluatedAt(summaryTable).after(firstSummaryAt));
    }

    private static Map<String, Double> rewardsByKey(String episodesTable) {
        Map<String, Double> rewards = new HashMap<>();
        for (Row row : table(episodesTable)) {
            rewards.put(row.getAs("model_path") + "/" + row.getAs("seed") + "/" + row.getAs("episode"), row.getAs("reward"));
        }
        return rewards;
    }

    private static Timestamp latestEvaluatedAt(String path) {
        return table(path).stream().map(r -> r.<Timestamp>getAs("evaluated_at")).max(Timestamp::compareTo).orElseThrow();
    }

    private static Timestamp earliestEvaluatedAt(String path) {
        return table(path).stream().map(r -> r.<Timestamp>getAs("evaluated_at")).min(Timestamp::compareTo).orElseThrow();
    }

    @Test
    void aDeltaTableCanListTheModelsAndEpisodeIUsesSeedBasePlusI() throws IOException {
        String list = dir.resolve("model-list").toString();
        Path ppo2 = models.resolve("ppo2/cartpole.zip");
        // The same model twice, once as a plain path and once qualified: it is evaluated once.
        spark.createDataFrame(List.of(RowFactory.create(ppo2.toString()), RowFactory.create("file:" + ppo2)), SavedModels.MODEL_LIST_SCHEMA)
                .write().format("delta").save(list);
        String table = dir.resolve("results-listed").toString();

        List<ModelSummary> summaries = BatchEvaluation.run(spark, BatchEvaluationSpec.of(list, ENV, 2, table).withSeed(SEED));

        assertEquals(1, summaries.size());
        assertEquals("cartpole", summaries.get(0).modelName());
        assertEquals("file:" + ppo2, summaries.get(0).modelPath());
        assertTrue(summaries.get(0).deterministic());
        Map<String, Double> rewards = rewardsByKey(BatchEvaluation.episodesPath(table));
        assertEquals(2, rewards.size());
        // Episode 1, run in process from a reset with seed SEED + 1, with the model's most likely actions.
        BaseAlgorithm<?> loaded = Algorithms.loadAny(ppo2, VecEnvs.makeVecEnv(ENV, 1, 0L));
        EvaluationResult expected = Evaluation.evaluatePolicy(loaded, loaded.getEnv(), 1, true, false, null, null, SEED + 1);
        assertEquals(expected.episodeRewards()[0], rewards.get("file:" + ppo2 + "/" + (SEED + 1) + "/1"));
    }

    @Test
    void aModelThatFailsToLoadIsRecordedAsFailedNamingTheFile() throws IOException {
        Path mixed = dir.resolve("mixed-models");
        Files.createDirectories(mixed);
        Files.copy(models.resolve("ppo2/cartpole.zip"), mixed.resolve("good.zip"));
        Path corrupt = Files.write(mixed.resolve("corrupt.zip"), "not a zip archive".getBytes(StandardCharsets.UTF_8));
        String table = dir.resolve("results-corrupt").toString();

        List<ModelSummary> summaries = BatchEvaluation.run(spark, BatchEvaluationSpec.of(mixed.toString(), ENV, 3, table));

        ModelSummary failed = summaries.get(0);
        assertEquals("corrupt", failed.modelName());
        assertEquals(BatchEvaluation.STATUS_FAILED, failed.status());
        assertTrue(failed.error().contains(corrupt.toString()), failed.error());
        assertEquals(0, failed.episodes());
        assertNull(failed.meanReward());
        assertNull(failed.algorithm());
        assertTrue(summaries.get(1).ok());
        assertEquals(3, summaries.get(1).episodes());
        List<Row> episodes = table(BatchEvaluation.episodesPath(table));
        assertEquals(3, episodes.size());
        assertTrue(episodes.stream().allMatch(r -> "good".equals(r.getAs("model_name"))));
        assertEquals(2, table(BatchEvaluation.summaryPath(table)).size());
    }

    @Test
    void unknownEnvsAndEmptyModelFoldersAreErrorsNamingThem() throws IOException {
        String table = dir.resolve("results-errors").toString();
        IllegalArgumentException env = assertThrows(IllegalArgumentException.class,
                () -> BatchEvaluation.run(spark, BatchEvaluationSpec.of(models.toString(), "NoSuchEnv-v0", 1, table)));
        assertTrue(env.getMessage().contains("NoSuchEnv-v0"), env.getMessage());
        Path empty = Files.createDirectories(dir.resolve("no-models"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> BatchEvaluation.run(spark, BatchEvaluationSpec.of(empty.toString(), ENV, 1, table)));
        assertTrue(none.getMessage().contains(empty.toString()), none.getMessage());
    }

    @Test
    void automaticChunkingGivesEveryCoreAboutTwoTasks() {
        BatchEvaluationSpec spec = BatchEvaluationSpec.of("m", ENV, 10, "t");
        assertEquals(8, BatchEvaluation.episodesPerTask(spec, 3, 2));
        assertEquals(3, BatchEvaluation.episodesPerTask(spec, 1, 2));
        // Many models: one task per model, never more episodes than a model has.
        assertEquals(10, BatchEvaluation.episodesPerTask(spec, 100, 2));
        assertEquals(4, BatchEvaluation.episodesPerTask(spec.withEpisodesPerTask(4), 3, 2));
    }
}
