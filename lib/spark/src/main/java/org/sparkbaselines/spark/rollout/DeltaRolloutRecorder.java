package org.sparkbaselines.spark.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.rollout.RolloutFragment;
import org.sparkbaselines.rollout.RolloutRecorder;
import org.sparkbaselines.spark.delta.Episode;
import org.sparkbaselines.spark.delta.StagedEpisodes;
import org.sparkbaselines.spark.delta.TrajectoryStore;

/**
 * Records training rollouts into Delta trajectory tables ({@link TrajectoryStore}'s {@code steps}
 * and {@code episodes}) as whole episodes, every step with the policy version that acted, its
 * log-probability and value estimate. Finished episodes are written once at least
 * {@code flushSteps} of their steps are pending (one commit per table per write, so a small
 * threshold costs training time), and at {@link #close()}, which also closes unfinished episodes
 * as truncated. Every write is one append per table of episodes staged as files
 * ({@link org.sparkbaselines.spark.delta.StagedEpisodes}), steps first, and each staged batch is
 * committed once. What is pending when the driver dies is lost; what was written is whole.
 *
 * <p>With a {@link SparkRolloutSource}, the executors' workers assemble and stage the episodes that end
 * in their fragments themselves ({@link ExecutorRecording}) and report the data files they wrote inside
 * the fragment; a write commits the files of the fragments the driver accepted: those rows never travel
 * through the driver, and files of attempts whose result was discarded are deleted at {@link #close()}. The driver still
 * assembles every fragment it receives, to number episodes alike and to close the episodes only it can
 * see whole: those cut by a worker's rebuild and those still running at {@link #close()}, which it
 * stages itself and commits with the executors' batches.
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
    private final ExecutorRecording executorRecording;
    /** What workers staged in the fragments accepted since the last write. */
    private final List<StagedEpisodes> acceptedStaged = new ArrayList<>();
    /** Every batch committed, so that {@link #close()} can delete the files of discarded attempts. */
    private final List<StagedEpisodes> committed = new ArrayList<>();
    private long stagedEpisodesCommitted;
    private long stagedStepsCommitted;
    private long episodesWritten;
    private long stepsWritten;

    /**
     * @param store where to write (tables are created by the first write when missing)
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
        this.executorRecording = new ExecutorRecording(store.stepsPath(), store.episodesPath(), UUID.randomUUID().toString(), dataset, runId,
                source);
        store.checkExistingTables();
    }

    @Override
    public void record(List<RolloutFragment> fragments) {
        for (RolloutFragment f : fragments) {
            assembler.add(f);
            if (f.recordedByWorker instanceof StagedEpisodes staged) {
                acceptedStaged.add(staged);
            }
        }
        if (assembler.finishedSteps() + stagedStepsPending() >= flushSteps) {
            flush();
        }
    }

    /** Where executor-side workers stage this run's episodes. */
    ExecutorRecording executorRecording() {
        return executorRecording;
    }

    /** Episodes of worker {@code workerId} started so far, as this recorder numbered them. */
    long episodesStarted(int workerId) {
        return assembler.episodesStarted(workerId);
    }

    private long stagedStepsPending() {
        return assembler.stepsRecordedByWorkers() - stagedStepsCommitted;
    }

    /**
     * Writes the finished episodes now, in one commit per table: those the executors staged and those
     * assembled here, which are staged the same way first (so no rows travel inside tasks).
     */
    public void flush() {
        List<StagedEpisodes> batches = new ArrayList<>(acceptedStaged);
        acceptedStaged.clear();
        List<Episode> here = assembler.takeFinished();
        batches.add(StagedEpisodes.write(spark.sparkContext().hadoopConfiguration(), store.stepsPath(), store.episodesPath(),
                executorRecording.recordingId(), dataset, runId, here));
        store.commitStaged(dataset, runId, batches);
        batches.stream().filter(batch -> !batch.isEmpty()).forEach(committed::add);
        long staged = assembler.episodesRecordedByWorkers() - stagedEpisodesCommitted;
        long stagedSteps = stagedStepsPending();
        stagedEpisodesCommitted += staged;
        stagedStepsCommitted += stagedSteps;
        episodesWritten += staged + here.size();
        stepsWritten += stagedSteps + here.stream().mapToLong(Episode::length).sum();
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

    /** Episodes that executor-side workers staged themselves (part of {@link #episodesWritten()} once committed). */
    public long episodesRecordedByWorkers() {
        return assembler.episodesRecordedByWorkers();
    }

    /** Episodes closed as truncated because their worker was rebuilt on a fresh executor. */
    public long cutEpisodes() {
        return assembler.cutEpisodes();
    }

    /** Closes unfinished episodes as truncated, writes everything pending, and deletes the files never committed. */
    @Override
    public void close() {
        assembler.closeUnfinished();
        flush();
        StagedEpisodes.deleteUncommitted(spark.sparkContext().hadoopConfiguration(), store.stepsPath(), store.episodesPath(),
                executorRecording.recordingId(), dataset, runId, committed);
    }
}
