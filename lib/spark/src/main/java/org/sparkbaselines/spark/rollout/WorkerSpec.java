package org.sparkbaselines.spark.rollout;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.sparkbaselines.rollout.ActorSpec;

/**
 * Everything an executor needs to build worker {@code w} and its actor: shipped with each task, so a worker rebuilt
 * on a fresh executor comes out the same.
 *
 * @param runId identifies the training run (workers are kept per run and worker id)
 * @param envKwargs keyword arguments of the registered env (JSON-like values)
 * @param actor builds the worker's actor: a replica of the driver's on-policy policy, or an exploring off-policy algorithm
 */
record WorkerSpec(String runId, String envId, HashMap<String, Object> envKwargs, int envsPerWorker, long seed, ActorSpec actor)
        implements Serializable {

    static WorkerSpec of(String runId, String envId, Map<String, Object> envKwargs, int envsPerWorker, long seed, ActorSpec actor) {
        return new WorkerSpec(runId, envId, new HashMap<>(envKwargs), envsPerWorker, seed, actor);
    }
}
