package org.sparkbaselines.spark.rollout;

import java.io.Serializable;
import org.sparkbaselines.rollout.RolloutFragment;

/**
 * One worker's share of an iteration: its id and the fragment of it the driver accepted last (its
 * {@code incarnation} and {@code sequence}). Only the worker object that produced that fragment, with
 * nothing collected since, may resume; any other copy (left behind on another executor, or advanced by a
 * task attempt whose result was discarded) is replaced by a fresh worker. While a run is recorded, the
 * task also says where to stage finished episodes and how many episodes the worker has started so far
 * (as the driver counted them), so both number them alike.
 *
 * @param recording where to stage, or null when the run is not recorded
 */
record WorkerTask(int workerId, boolean hasPrevious, long incarnation, long sequence, ExecutorRecording recording,
        long episodesStarted) implements Serializable {

    static WorkerTask first(int workerId) {
        return new WorkerTask(workerId, false, 0, 0, null, 0);
    }

    static WorkerTask after(RolloutFragment accepted) {
        return new WorkerTask(accepted.workerId, true, accepted.incarnation, accepted.sequence, null, 0);
    }

    /** This task, staging its finished episodes as {@code recording} says. */
    WorkerTask recordingInto(ExecutorRecording recording, long episodesStarted) {
        return new WorkerTask(workerId, hasPrevious, incarnation, sequence, recording, episodesStarted);
    }
}
