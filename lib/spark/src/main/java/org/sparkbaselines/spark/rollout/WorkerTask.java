package org.sparkbaselines.spark.rollout;

import java.io.Serializable;
import org.sparkbaselines.rollout.RolloutFragment;

/**
 * One worker's share of an iteration: its id and the fragment of it the driver accepted last (its
 * {@code incarnation} and {@code sequence}). Only the worker object that produced that fragment, with
 * nothing collected since, may resume; any other copy (left behind on another executor, or advanced
 * by a task attempt whose result was discarded) is replaced by a fresh worker.
 */
record WorkerTask(int workerId, boolean hasPrevious, long incarnation, long sequence) implements Serializable {

    static WorkerTask first(int workerId) {
        return new WorkerTask(workerId, false, 0, 0);
    }

    static WorkerTask after(RolloutFragment accepted) {
        return new WorkerTask(accepted.workerId, true, accepted.incarnation, accepted.sequence);
    }
}
