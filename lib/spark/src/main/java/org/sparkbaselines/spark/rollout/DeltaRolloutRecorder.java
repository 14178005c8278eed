package org.sparkbaselines.spark.rollout;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.rollout.RolloutFragment;
import org.sparkbaselines.rollout.RolloutRecorder;
import org.sparkbaselines.spark.delta.Episode;
import org.sparkbaselines.spark.delta.TrajectoryStore;

/**
 * Records training rollouts into Delta trajectory tables ({@link TrajectoryStore}'s {@code steps}
 * and {@code episodes}) as whole episodes, every step with the policy version that acted, its
 * log-probability and value estimate. Finished episodes are written once at least
 * {@code flushSteps} of their steps are pending (one commit per table per write, so a small
 * threshold costs training time), and at {@link #close()}, which also closes unfinished episodes
 * as truncated. Writes are MERGEs on (dataset, run, episode id): a repeated write adds nothing.
 * What is pending when the driver dies is lost; what was written is whole.
 *
 * <p>Attach with {@code OnPolicyAlgorithm.recordRollouts(recorder)}; works with every rollout source.
 */
public final class DeltaRolloutRecorder implements RolloutRecorder {
    /** Default steps pending before a write. */
    public static final int DEFAULT_FLUSH_STEPS = 50_000;
    private final SparkSession spark;
    private final TrajectoryStore store;
    private final String dataset;
    private final String runId;
    private final int flushSteps;
    private final EpisodeAssembler assembler;
    private long episodesWritten;
    private long stepsWritten;

    /**
     * @param store where to write (tables are created when missing)
     * @param dataset the {@code dataset} column, e.g. {@code "training"}
     * @param runId the {@code run_id} column: one per training run
     * @param source the episodes' {@code source}, e.g. {@code "ppo2:CartPole-v1"}
     * @param flushSteps steps pending before a write ({@link #DEFAULT_FLUSH_STEPS} by default), at least 1
     */
    public DeltaRolloutRecorder(SparkSession spark, TrajectoryStore store, String dataset, String runId, String source, int flushSteps) {
        if (flushSteps < 1) {
            throw new IllegalArgumentException("flushSteps must be at least 1, got " + flushSteps);
        }
        this.spark = spark;
        this.store = store;
        this.dataset = dataset;
        this.runId = runId;
        this.flushSteps = flushSteps;
        this.assembler = new EpisodeAssembler(source);
        store.createIfMissing();
    }

    @Override
    public void record(List<RolloutFragment> fragments) {
        for (RolloutFragment f : fragments) {
            assembler.add(f);
        }
        if (assembler.finishedSteps() >= flushSteps) {
            flush();
        }
    }

    /** Writes the finished episodes now. */
    public void flush() {
        List<Episode> episodes = assembler.takeFinished();
        if (episodes.isEmpty()) {
            return;
        }
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = Math.max(1, Math.min(episodes.size(), context.defaultParallelism()));
        store.appendEpisodes(dataset, runId, context.parallelize(episodes, slices));
        episodesWritten += episodes.size();
        stepsWritten += episodes.stream().mapToLong(Episode::length).sum();
    }

    /** The {@code run_id} rows are written under. */
    public String runId() {
        return runId;
    }

    /** Episodes written so far. */
    public long episodesWritten() {
        return episodesWritten;
    }

    /** Steps written so far. */
    public long stepsWritten() {
        return stepsWritten;
    }

    /** Episodes closed as truncated because their worker was rebuilt on a fresh executor. */
    public long cutEpisodes() {
        return assembler.cutEpisodes();
    }

    /** Closes unfinished episodes as truncated and writes everything pending. */
    @Override
    public void close() {
        assembler.closeUnfinished();
        flush();
    }
}
