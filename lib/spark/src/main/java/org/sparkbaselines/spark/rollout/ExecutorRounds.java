package org.sparkbaselines.spark.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.rollout.ActorSpec;
import org.sparkbaselines.rollout.PolicySnapshot;
import org.sparkbaselines.rollout.RolloutFragment;
import org.sparkbaselines.rollout.RolloutRecorder;
import org.sparkbaselines.rollout.RolloutWorkers;
import org.sparkbaselines.rollout.RoundActorSource;
import org.sparkbaselines.spaces.Space;

/**
 * Rounds of a run's workers on Spark executors, what on-policy rollouts ({@link SparkRolloutSource}) and off-policy
 * actors ({@link SparkActorSource}) share: each round broadcasts one policy version, runs one task per worker
 * ({@code mapPartitions}, asynchronously), and gathers the fragments; the workers live on between rounds on their
 * executors ({@link ExecutorWorkers}), and the driver remembers which fragment of each it accepted last, so only that
 * very worker resumes. While a {@link DeltaRolloutRecorder} records the run, workers stage their finished episodes
 * themselves.
 */
final class ExecutorRounds implements AutoCloseable {
    private final JavaSparkContext context;
    private final String runId = UUID.randomUUID().toString();
    private final String envId;
    private final Map<String, Object> envKwargs;
    private final int envsPerWorker;
    private final long seed;
    private final int nWorkers;
    /** Per worker id, what its next task resumes from: the fragment accepted last. */
    private final List<WorkerTask> nextTasks = new ArrayList<>();
    private final Space observationSpace;
    private final Space actionSpace;

    /** One round on its way: its broadcast snapshot, released once the round is gathered. */
    final class Round implements RoundActorSource.Round {
        private final JavaFutureAction<List<RolloutFragment>> fragments;
        private final Broadcast<PolicySnapshot> snapshot;

        private Round(JavaFutureAction<List<RolloutFragment>> fragments, Broadcast<PolicySnapshot> snapshot) {
            this.fragments = fragments;
            this.snapshot = snapshot;
        }

        @Override
        public boolean isDone() {
            return fragments.isDone();
        }

        /**
         * Waits for the round's fragments (in worker order) and accepts them: each worker's next task resumes from its
         * fragment. A failed round is an error with Spark's cause.
         */
        @Override
        public List<RolloutFragment> gather() {
            try {
                List<RolloutFragment> out = new ArrayList<>(fragments.get());
                out.sort(Comparator.comparingInt(f -> f.workerId));
                for (RolloutFragment f : out) {
                    nextTasks.set(f.workerId, WorkerTask.after(f));
                }
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fragments.cancel(true);
                throw new IllegalStateException("interrupted while executors collected a round", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            } finally {
                snapshot.destroy();
            }
        }
    }

    /** Workers build their envs as {@link RolloutWorkers} does (ranks, seeds). */
    ExecutorRounds(SparkSession spark, String envId, Map<String, Object> envKwargs, int nWorkers, int envsPerWorker, long seed) {
        if (nWorkers < 1 || envsPerWorker < 1) {
            throw new IllegalArgumentException("need at least one worker and one env per worker, got " + nWorkers + " x " + envsPerWorker);
        }
        this.context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.envId = envId;
        this.envKwargs = Map.copyOf(envKwargs);
        this.envsPerWorker = envsPerWorker;
        this.seed = seed;
        this.nWorkers = nWorkers;
        for (int w = 0; w < nWorkers; w++) {
            nextTasks.add(WorkerTask.first(w));
        }
        try (var probe = RolloutWorkers.create(envId, envKwargs, 0, 1, seed)) {
            observationSpace = probe.env().observationSpace();
            actionSpace = probe.env().actionSpace();
        }
    }

    /**
     * Starts a round: every worker takes {@code nSteps} steps (of each of its envs) with an actor built from
     * {@code actor} and brought to {@code snapshot}; returns at once.
     */
    Round start(ActorSpec actor, PolicySnapshot policy, int nSteps, RolloutRecorder recorder) {
        WorkerSpec spec = WorkerSpec.of(runId, envId, envKwargs, envsPerWorker, seed, actor);
        List<WorkerTask> tasks = new ArrayList<>(nextTasks);
        if (recorder instanceof DeltaRolloutRecorder delta) {
            tasks.replaceAll(task -> task.recordingInto(delta.executorRecording(), delta.episodesStarted(task.workerId())));
        }
        Broadcast<PolicySnapshot> snapshot = context.broadcast(policy);
        try {
            return new Round(context.parallelize(tasks, nWorkers).mapPartitions(assigned -> collectAll(spec, assigned, snapshot.value(), nSteps))
                    .collectAsync(), snapshot);
        } catch (RuntimeException e) {
            snapshot.destroy();
            throw e;
        }
    }

    private static Iterator<RolloutFragment> collectAll(WorkerSpec spec, Iterator<WorkerTask> tasks, PolicySnapshot snapshot, int nSteps) {
        List<RolloutFragment> out = new ArrayList<>();
        while (tasks.hasNext()) {
            out.add(ExecutorWorkers.collect(spec, tasks.next(), snapshot, nSteps));
        }
        return out.iterator();
    }

    String runId() {
        return runId;
    }

    int nWorkers() {
        return nWorkers;
    }

    int envsPerWorker() {
        return envsPerWorker;
    }

    Space observationSpace() {
        return observationSpace;
    }

    Space actionSpace() {
        return actionSpace;
    }

    /** Releases the workers of this run on every executor that holds some. */
    @Override
    public void close() {
        String run = runId;
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < Math.max(nWorkers, context.defaultParallelism()); i++) {
            slots.add(i);
        }
        context.parallelize(slots, slots.size()).foreachPartition(ignored -> ExecutorWorkers.release(run));
    }
}
