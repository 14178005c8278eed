package org.sparkbaselines.rollout;

import java.io.Serializable;
import org.sparkbaselines.vec.VecEnv;

/** What a worker needs to build its {@link Actor} wherever it runs: shipped to Spark executors with each task. */
public interface ActorSpec extends Serializable {

    /** The actor of worker {@code workerId}, acting in {@code env} (the worker's envs). */
    Actor build(VecEnv env, int workerId);
}
