package org.sparkbaselines.spark.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.env.EpisodeInfo;
import org.sparkbaselines.rollout.LocalWorkersRolloutSource;
import org.sparkbaselines.rollout.RolloutSource;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.vec.VecEnvs;

class SparkRolloutSourceTest {
    private static final Map<String, Object> ZOO = Map.of("n_steps", 32, "nminibatches", 1, "lam", 0.8, "gamma", 0.98, "noptepochs", 20,
            "ent_coef", 0.0, "learning_rate", "lin_0.001", "cliprange", "lin_0.2");
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSessions.forTests();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static PPO2 ppo2(RolloutSource source, long seed) {
        return new PPO2("MlpPolicy", source, PPO2.Config.DEFAULT.with(ZOO),
                AlgorithmOptions.DEFAULT.withSeed(seed).withPolicyKwargs(Map.of("backend", "jvm")));
    }

    @Test
    void executorRolloutsGiveTheSameTrainingAsInProcessWorkers() {
        PPO2 local;
        PPO2 remote;
        try (RolloutSource localSource = new LocalWorkersRolloutSource("CartPole-v1", Map.of(), 2, 4, 7L);
             RolloutSource sparkSource = new SparkRolloutSource(spark, "CartPole-v1", Map.of(), 2, 4, 7L)) {
            local = ppo2(localSource, 7L);
            remote = ppo2(sparkSource, 7L);
            local.learn(1024);
            remote.learn(1024);
        }
        assertEquals(local.numTimesteps(), remote.numTimesteps());
        LinkedHashMap<String, float[]> a = local.getParameters();
        LinkedHashMap<String, float[]> b = remote.getParameters();
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name);
        }
        assertTrue(!local.episodeInfoBuffer().isEmpty());
        assertEquals(local.episodeInfoBuffer().stream().map(EpisodeInfo::length).toList(),
                remote.episodeInfoBuffer().stream().map(EpisodeInfo::length).toList());
    }

    @Test
    void workersKeepTheirEpisodesAcrossIterations() {
        try (RolloutSource source = new SparkRolloutSource(spark, "CartPole-v1", Map.of(), 2, 2, 11L)) {
            PPO2 model = new PPO2("MlpPolicy", source, PPO2.Config.DEFAULT.with(Map.of("n_steps", 8, "nminibatches", 1)),
                    AlgorithmOptions.DEFAULT.withSeed(11L).withPolicyKwargs(Map.of("backend", "jvm")));
            model.learn(8 * 4 * 30);
            assertTrue(model.episodeInfoBuffer().stream().anyMatch(e -> e.length() > 8),
                    "episodes longer than one 8-step fragment continued across iterations");
        }
    }

    @Test
    @Tag("slow")
    void ppo2TrainedThroughExecutorRolloutsSolvesCartPole() {
        try (RolloutSource source = new SparkRolloutSource(spark, "CartPole-v1", Map.of(), 2, 4, 0L)) {
            PPO2 model = ppo2(source, 0L);
            model.learn(100_000);
            EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 100L), 10, true, false,
                    null, null);
            assertTrue(eval.meanReward() >= 475, eval.toString());
        }
    }

    /** TRPO and PPO1 take executor workers as the reference's MPI workers: the same training as in-process workers. */
    @Test
    void trpoAndPpo1TrainThroughExecutorRolloutsAsThroughInProcessWorkers() {
        for (String algo : java.util.List.of("trpo", "ppo1")) {
            Map<String, Object> hyper = algo.equals("trpo") ? Map.of("timesteps_per_batch", 128) : Map.of("timesteps_per_actorbatch", 128);
            BaseAlgorithm<?> local;
            BaseAlgorithm<?> remote;
            try (RolloutSource localSource = new LocalWorkersRolloutSource("CartPole-v1", Map.of(), 2, 1, 5L);
                 RolloutSource sparkSource = new SparkRolloutSource(spark, "CartPole-v1", Map.of(), 2, 1, 5L)) {
                AlgorithmOptions options = AlgorithmOptions.DEFAULT.withSeed(5L);
                local = Algorithms.get(algo).create("MlpPolicy", localSource, hyper, options);
                remote = Algorithms.get(algo).create("MlpPolicy", sparkSource, hyper, options);
                local.learn(1000);
                remote.learn(1000);
            }
            assertEquals(1024, remote.numTimesteps(), algo + ": four rounds of 2 x 128 steps reach 1000");
            LinkedHashMap<String, float[]> a = local.getParameters();
            LinkedHashMap<String, float[]> b = remote.getParameters();
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name), b.get(name), algo + " " + name);
            }
        }
    }

    /** The RL zoo's CartPole settings with two executor workers (each iteration 2 x 512 steps), 500k steps
     * (about 20 s here), seed fixed before the first run. */
    @Test
    @Tag("slow")
    void trpoTrainedThroughExecutorRolloutsSolvesCartPole() {
        Map<String, Object> zoo = Map.of("timesteps_per_batch", 512, "max_kl", 0.001, "cg_damping", 1e-3, "lam", 1.0, "vf_stepsize", 1e-4);
        try (RolloutSource source = new SparkRolloutSource(spark, "CartPole-v1", Map.of(), 2, 1, 0L)) {
            BaseAlgorithm<?> model = Algorithms.get("trpo").create("MlpPolicy", source, zoo, AlgorithmOptions.DEFAULT.withSeed(0L));
            model.learn(500_000);
            EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 100L), 10, true, false,
                    null, null);
            assertTrue(eval.meanReward() >= 475, eval.toString());
        }
    }
}
