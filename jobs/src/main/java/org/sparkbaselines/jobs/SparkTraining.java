package org.sparkbaselines.jobs;

import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.OffPolicyAlgorithm;
import org.sparkbaselines.imitation.ExpertBatches;
import org.sparkbaselines.rollout.ActorSource;
import org.sparkbaselines.rollout.ExperienceSource;
import org.sparkbaselines.rollout.RolloutRecorder;
import org.sparkbaselines.rollout.RolloutSource;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.dataset.DeltaExpertBatches;
import org.sparkbaselines.spark.dataset.DeltaExpertData;
import org.sparkbaselines.spark.dataset.ExpertQuery;
import org.sparkbaselines.spark.delta.TrajectoryStore;
import org.sparkbaselines.spark.rollout.DeltaRolloutRecorder;
import org.sparkbaselines.spark.rollout.ReplayWarmStart;
import org.sparkbaselines.spark.rollout.SparkActorSource;
import org.sparkbaselines.spark.rollout.SparkRolloutSource;

/**
 * The Spark side of {@code sb train}: executor rollouts or actors ({@code --rollout-workers}), recording into Delta
 * ({@code --record-table}) and warm starts from it ({@code --warm-start-table}). A class of its own so that
 * {@link TrainCommand} names no Spark type: the shaded jar, which leaves Spark out, trains in process under
 * {@code java -jar}.
 */
final class SparkTraining {

    /**
     * Trains on {@code env} (a VecEnv, a rollout source or actors), recording into {@code recorder} when it is not null,
     * after {@code prepare} has seen the model.
     */
    interface Trainer {
        BaseAlgorithm<?> train(Object env, RolloutRecorder recorder, Consumer<BaseAlgorithm<?>> prepare) throws IOException;
    }

    private SparkTraining() {
    }

    static BaseAlgorithm<?> run(TrainCommand command, String algoName, Algorithms.Entry entry, ZooConfig zoo, Trainer trainer)
            throws IOException {
        String envId = command.envId;
        try (SparkSession spark = SparkSessions.getOrCreate("sb train " + algoName + " " + envId);
             ExperienceSource source = command.rolloutWorkers == null ? null
                     : entry.learnsFromActors() ? executorActors(spark, command, zoo) : executorRollouts(spark, command, zoo);
             DeltaRolloutRecorder recorder = command.recordTable == null ? null : new DeltaRolloutRecorder(spark,
                     TrajectoryStore.at(spark, command.recordTable), command.recordDataset,
                     algoName + "-" + envId + "-seed" + command.seed + "-" + System.currentTimeMillis(), algoName + ":" + envId,
                     DeltaRolloutRecorder.DEFAULT_FLUSH_STEPS)) {
            BaseAlgorithm<?> model = trainer.train(source != null ? source : command.makeEnv(zoo), recorder, m -> {
                if (command.warmStartTable != null) {
                    warmStart(spark, command, (OffPolicyAlgorithm<?>) m);
                }
                command.modelSetup.accept(spark, m);
            });
            if (recorder != null) {
                recorder.close();
                System.out.printf("Recorded %,d episodes (%,d steps) into %s (dataset '%s', run_id '%s')%n", recorder.episodesWritten(),
                        recorder.stepsWritten(), command.recordTable, command.recordDataset, recorder.runId());
            }
            return model;
        }
    }

    private static ActorSource executorActors(SparkSession spark, TrainCommand command, ZooConfig zoo) {
        if (zoo.normalize() != null) {
            throw new IllegalArgumentException("--rollout-workers does not support the config's 'normalize' (VecNormalize runs in process)");
        }
        if (command.envsPerWorker != null && command.envsPerWorker != 1) {
            throw new IllegalArgumentException("off-policy actors step one env each (the reference's rule); --envs-per-worker must be 1, got "
                    + command.envsPerWorker);
        }
        int steps = command.actorSteps != null ? command.actorSteps : SparkActorSource.DEFAULT_STEPS_PER_ROUND;
        if (command.rolloutWorkers < 1 || steps < 1) {
            throw new IllegalArgumentException("--rollout-workers and --actor-steps must be at least 1");
        }
        System.out.printf("Actors on Spark executors: %d actors, rounds of %d steps each%n", command.rolloutWorkers, steps);
        return new SparkActorSource(spark, command.envId, Map.of(), command.rolloutWorkers, steps, command.seed);
    }

    private static void warmStart(SparkSession spark, TrainCommand command, OffPolicyAlgorithm<?> model) {
        TrajectoryStore store = TrajectoryStore.at(spark, command.warmStartTable);
        store.requireTables();
        Dataset<Row> steps = command.warmStartDataset == null ? store.steps() : store.steps().where(functions.col("dataset")
                .equalTo(command.warmStartDataset));
        ReplayWarmStart.Result filled = ReplayWarmStart.fill(model, steps);
        System.out.printf("Warm start: %,d transitions from %s into the replay buffer (%,d without a next observation skipped)%n",
                filled.added(), command.warmStartTable, filled.skipped());
    }

    private static RolloutSource executorRollouts(SparkSession spark, TrainCommand command, ZooConfig zoo) {
        if (zoo.normalize() != null) {
            throw new IllegalArgumentException("--rollout-workers does not support the config's 'normalize' (VecNormalize runs in process)");
        }
        Integer perWorkerOption = command.envsPerWorker;
        if (command.rolloutWorkers < 1 || (perWorkerOption != null && perWorkerOption < 1)) {
            throw new IllegalArgumentException("--rollout-workers and --envs-per-worker must be at least 1");
        }
        int perWorker = perWorkerOption != null ? perWorkerOption : Math.max(1, zoo.nEnvs() / command.rolloutWorkers);
        System.out.printf("Rollouts on Spark executors: %d workers x %d envs%n", command.rolloutWorkers, perWorker);
        return new SparkRolloutSource(spark, command.envId, Map.of(), command.rolloutWorkers, perWorker, command.seed);
    }

    /** GAIL's expert batches streamed from the Delta tables at {@code table} ({@link DeltaExpertBatches}). */
    static ExpertBatches expertBatches(Object spark, String table, String dataset, int trajLimitation, BaseAlgorithm<?> model, long seed) {
        DeltaExpertData tables = DeltaExpertData.at((SparkSession) spark, table);
        ExpertQuery query = ExpertQuery.of(dataset != null ? dataset : tables.soleDataset()).withTrajLimitation(trajLimitation);
        DeltaExpertBatches batches = DeltaExpertBatches.open(tables, query, model.observationSpace(), model.actionSpace(), seed);
        System.out.printf("Expert batches streamed from %s (%s)%n", table, query.describe());
        return batches;
    }
}
