package org.sparkbaselines.spark.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.dqn.DQN;
import org.sparkbaselines.algos.sac.SAC;
import org.sparkbaselines.algos.td3.TD3;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.rollout.ActorSource;
import org.sparkbaselines.rollout.LocalActorSource;
import org.sparkbaselines.rollout.RolloutFragment;
import org.sparkbaselines.rollout.RolloutRecorder;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.delta.TrajectoryStore;
import org.sparkbaselines.vec.VecEnvs;

/** Off-policy actors on executors in {@code local[2]}: built as in process, they feed SAC to its bar and Delta with whole episodes. */
class SparkActorSourceTest {
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSessions.forTests();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** Keeps every round's fragments. */
    private static final class Rounds implements RolloutRecorder {
        final List<List<RolloutFragment>> rounds = new ArrayList<>();

        @Override
        public void record(List<RolloutFragment> fragments) {
            rounds.add(fragments);
        }

        @Override
        public void close() {
        }
    }

    private static List<List<RolloutFragment>> randomPhase(ActorSource actors) {
        TD3 model = new TD3("MlpPolicy", actors, TD3.Config.DEFAULT.with(Map.of("learning_starts", 1000)), AlgorithmOptions.DEFAULT.withSeed(5L));
        Rounds rounds = new Rounds();
        model.recordRollouts(rounds);
        model.learn(600);
        return rounds.rounds;
    }

    @Test
    void executorActorsActAsInProcessActorsDo() {
        List<List<RolloutFragment>> local;
        List<List<RolloutFragment>> remote;
        try (ActorSource actors = new LocalActorSource("Pendulum-v1", Map.of(), 2, 50, 5L)) {
            local = randomPhase(actors);
        }
        try (ActorSource actors = new SparkActorSource(spark, "Pendulum-v1", Map.of(), 2, 50, 5L)) {
            remote = randomPhase(actors);
        }
        // Before learning starts the actors' own streams choose the actions: the same actors, seeds and envs act alike.
        assertEquals(6, remote.size());
        for (int r = 0; r < local.size(); r++) {
            for (int a = 0; a < 2; a++) {
                RolloutFragment x = local.get(r).get(a);
                RolloutFragment y = remote.get(r).get(a);
                assertEquals(r + 1, y.policyVersion);
                for (int t = 0; t < x.nSteps; t++) {
                    assertArrayEquals(x.observations[t], y.observations[t], "round " + r + " actor " + a + " step " + t);
                    assertArrayEquals(x.actions[t], y.actions[t], "round " + r + " actor " + a + " step " + t);
                }
            }
        }
    }

    @Test
    void aReplayBufferWarmStartsFromTheRecordedTable(@TempDir Path dir) {
        TrajectoryStore store = TrajectoryStore.at(spark, dir.resolve("logged").toString());
        try (SparkActorSource actors = new SparkActorSource(spark, "Pendulum-v1", Map.of(), 2, 50, 5L);
             DeltaRolloutRecorder recorder = new DeltaRolloutRecorder(spark, store, "logged", "td3-run", "td3:Pendulum-v1", 1000)) {
            TD3 model = new TD3("MlpPolicy", actors, TD3.Config.DEFAULT.with(Map.of("learning_starts", 1000)), AlgorithmOptions.DEFAULT.withSeed(5L));
            model.recordRollouts(recorder);
            model.learn(600);
        }
        TD3 fresh = new TD3("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, 0L), TD3.Config.DEFAULT, AlgorithmOptions.DEFAULT.withSeed(1L));

        ReplayWarmStart.Result filled = ReplayWarmStart.fill(fresh, store.steps());

        // Each actor's second episode was still running when the run ended: its last step has no next observation.
        assertEquals(new ReplayWarmStart.Result(598, 2), filled);
        assertEquals(598, fresh.replayBuffer().size());
        List<Row> first = store.steps().orderBy("run_id", "episode_id", "t").limit(3).collectAsList();
        float[] actions = fresh.replayBuffer().state().get("actions").toFloatArray();
        float[] observations = fresh.replayBuffer().state().get("observations").toFloatArray();
        for (int i = 0; i < 3; i++) {
            // Pendulum's torque bounds are +-2: the table keeps the env's action, the buffer TD3's [-1, 1] scale.
            assertEquals(TrajectoryStore.floats(first.get(i), "action")[0] / 2f, actions[i], 1e-6f);
            assertArrayEquals(TrajectoryStore.floats(first.get(i), "obs"), java.util.Arrays.copyOfRange(observations, 3 * i, 3 * i + 3));
        }

        DQN cartPole = new DQN("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, 0L), DQN.Config.DEFAULT, AlgorithmOptions.DEFAULT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReplayWarmStart.fill(cartPole, store.steps()));
        assertTrue(e.getMessage().contains("step 0 of episode") && e.getMessage().contains("observation has 3 values"), e.getMessage());
    }

    /** The bar: SAC with two executor actors reaches -250 on Pendulum in 20k steps, and Delta holds every step. */
    @Test
    @Tag("slow")
    void sacWithTwoExecutorActorsLearnsPendulumAndRecordsWholeEpisodes(@TempDir Path dir) throws Exception {
        TrajectoryStore store = TrajectoryStore.at(spark, dir.resolve("actors").toString());
        SAC model;
        try (SparkActorSource actors = new SparkActorSource(spark, "Pendulum-v1", Map.of(), 2, 50, 0L);
             DeltaRolloutRecorder recorder = new DeltaRolloutRecorder(spark, store, "training", "sac-run", "sac:Pendulum-v1", 5000)) {
            model = new SAC("MlpPolicy", actors, SAC.Config.DEFAULT.with(Map.of("learning_starts", 1000)), AlgorithmOptions.DEFAULT.withSeed(0L));
            model.recordRollouts(recorder);
            long start = System.nanoTime();
            model.learn(20_000);
            System.out.printf("SAC Pendulum-v1 with 2 executor actors, 20,000 steps: %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
        EvaluationResult eval = Evaluation.evaluatePolicy(model, VecEnvs.makeVecEnv("Pendulum-v1", 1, 10_000L));
        System.out.println("SAC with executor actors: " + eval);
        assertTrue(eval.meanReward() >= -250, eval.toString());

        RecordedEpisodes.assertNoUncommittedFiles(store, "sac-run");
        Row summary = store.steps("training", "sac-run").selectExpr("count(*) AS n", "count(DISTINCT episode_id) AS episodes",
                "min(policy_version) AS lo", "max(policy_version) AS hi", "sum(CAST(truncated AS INT)) AS ends").first();
        assertEquals(20_000L, summary.getLong(0), "every step the learner took, recorded once");
        assertEquals(100L, summary.getLong(1), "two actors' 10,000 steps are 50 Pendulum episodes each");
        assertEquals(100L, summary.getLong(4), "each ends at its time limit");
        assertEquals(1L, summary.getLong(2));
        assertEquals(200L, summary.getLong(3), "one policy version per round of 2 x 50 steps");
    }
}
