package org.sparkbaselines.spark.rollout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.sparkbaselines.rollout.Actor;
import org.sparkbaselines.rollout.PolicySnapshot;
import org.sparkbaselines.rollout.RolloutFragment;
import org.sparkbaselines.rollout.RolloutWorker;
import org.sparkbaselines.rollout.RolloutWorkers;

/**
 * The rollout workers and off-policy actors living in this executor JVM, kept between iterations under (run, worker id) so
 * their envs and episodes continue across policy updates. A task resumes the resident only when it is
 * the very worker that produced the fragment the driver accepted last ({@link WorkerTask}); otherwise
 * (first iteration, a task that landed on another executor, a copy left behind there, a retried
 * attempt) a fresh worker is built from its {@link WorkerSpec} and resets its envs. Its fragment says
 * so ({@link RolloutFragment#startedFresh}), so the episodes its predecessor was in the middle of
 * count as truncated: learning bootstrapped them from the value of their last observation, and a
 * rollout recorder closes them with {@code truncated = true}. A recorded episode is therefore always
 * one env's own contiguous trajectory, wherever Spark runs the tasks.
 */
final class ExecutorWorkers {
    /** A resident nobody has used for this long belongs to a run whose driver is gone. */
    private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final Map<String, Resident> WORKERS = new ConcurrentHashMap<>();

    /** A worker, the actor that chooses its actions, and the policy version it acted with last. */
    private static final class Resident {
        final String runId;
        final RolloutWorker worker;
        final Actor actor;
        long version = -1;
        long lastUsedNanos = System.nanoTime();
        /** This worker's episodes while a recorded run stages them here; null before. */
        EpisodeAssembler assembler;

        Resident(WorkerSpec spec, int workerId, long firstVersion) {
            runId = spec.runId();
            worker = RolloutWorkers.create(spec.envId(), spec.envKwargs(), workerId, spec.envsPerWorker(), envSeed(spec.seed(), firstVersion));
            actor = spec.actor().build(worker.env(), workerId);
        }

        /** The run's seed for its first workers; a worker rebuilt later gets fresh episodes, not a replay of the first ones. */
        private static long envSeed(long seed, long firstVersion) {
            return firstVersion <= 1 ? seed : seed + firstVersion * 0x9E3779B97F4A7C15L;
        }
    }

    private ExecutorWorkers() {
    }

    /** Runs the task's worker of the spec's run for {@code nSteps} with the snapshot's parameters. */
    static RolloutFragment collect(WorkerSpec spec, WorkerTask task, PolicySnapshot snapshot, int nSteps) {
        releaseStale(spec.runId(), snapshot.version());
        String key = spec.runId() + "/" + task.workerId();
        // Taken out while it runs: an attempt that fails half-way leaves nothing behind that could resume.
        Resident resident = WORKERS.remove(key);
        if (resident != null && !(task.hasPrevious() && resident.worker.continues(task.incarnation(), task.sequence()))) {
            resident.worker.close();
            resident = null;
        }
        if (resident == null) {
            resident = new Resident(spec, task.workerId(), snapshot.version());
        }
        if (resident.version != snapshot.version()) {
            resident.actor.update(snapshot);
            resident.version = snapshot.version();
        }
        RolloutFragment fragment = resident.worker.collect(resident.actor, snapshot.version(), nSteps, null);
        if (task.recording() != null) {
            if (resident.assembler == null) {
                resident.assembler = new EpisodeAssembler(task.recording().source());
            }
            task.recording().stage(resident.assembler, fragment, task.episodesStarted());
        }
        resident.lastUsedNanos = System.nanoTime();
        Resident displaced = WORKERS.put(key, resident);
        if (displaced != null) {
            displaced.worker.close();
        }
        return fragment;
    }

    /**
     * Closes residents that can never resume: those of this run that missed the last iteration (the
     * driver accepted another copy's fragment), and those of any run idle for {@link #IDLE_NANOS}.
     */
    private static void releaseStale(String runId, long version) {
        long now = System.nanoTime();
        WORKERS.entrySet().removeIf(e -> {
            Resident r = e.getValue();
            boolean stale = (r.runId.equals(runId) && r.version < version - 1) || now - r.lastUsedNanos > IDLE_NANOS;
            if (stale) {
                r.worker.close();
            }
            return stale;
        });
    }

    /** Drops (and closes) this executor's workers of a finished run. */
    static void release(String runId) {
        WORKERS.entrySet().removeIf(e -> {
            if (e.getValue().runId.equals(runId)) {
                e.getValue().worker.close();
                return true;
            }
            return false;
        });
    }

    /** How many workers of the run live in this JVM (for tests). */
    static long residents(String runId) {
        return WORKERS.values().stream().filter(r -> r.runId.equals(runId)).count();
    }
}
