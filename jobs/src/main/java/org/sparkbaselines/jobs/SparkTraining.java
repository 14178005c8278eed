package org.sparkbaselines.jobs;

import java.io.IOException;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.rollout.RolloutRecorder;
import org.sparkbaselines.rollout.RolloutSource;
import org.sparkbaselines.spark.SparkSessions;
import org.sparkbaselines.spark.delta.TrajectoryStore;
import org.sparkbaselines.spark.rollout.DeltaRolloutRecorder;
import org.sparkbaselines.spark.rollout.SparkRolloutSource;

/**
 * The Spark side of {@code sb train}: executor rollouts ({@code --rollout-workers}) and recording
 * into Delta ({@code --record-table}). A class of its own so that {@link TrainCommand} names no Spark
 * type: the shaded jar, which leaves Spark out, trains in process under {@code java -jar}.
 */
final class SparkTraining {

    /** Trains on {@code env} (a VecEnv or a rollout source), recording into {@code recorder} when it is not null. */
    interface Trainer {
        BaseAlgorithm<?> train(Object env, RolloutRecorder recorder) throws IOException;
    }

    private SparkTraining() {
    }

    static BaseAlgorithm<?> run(TrainCommand command, String algoName, ZooConfig zoo, Trainer trainer) throws IOException {
        String envId = command.envId;
        try (SparkSession spark = SparkSessions.getOrCreate("sb train " + algoName + " " + envId);
             RolloutSource source = command.rolloutWorkers == null ? null : executorRollouts(spark, command, zoo);
             DeltaRolloutRecorder recorder = command.recordTable == null ? null : new DeltaRolloutRecorder(spark,
                     TrajectoryStore.at(spark, command.recordTable), command.recordDataset,
                     algoName + "-" + envId + "-seed" + command.seed + "-" + System.currentTimeMillis(), algoName + ":" + envId,
                     DeltaRolloutRecorder.DEFAULT_FLUSH_STEPS)) {
            BaseAlgorithm<?> model = trainer.train(source != null ? source : command.makeEnv(zoo), recorder);
            if (recorder != null) {
                recorder.close();
                System.out.printf("Recorded %,d episodes (%,d steps) into %s (dataset '%s', run_id '%s')%n", recorder.episodesWritten(),
                        recorder.stepsWritten(), command.recordTable, command.recordDataset, recorder.runId());
            }
            return model;
        }
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
}
