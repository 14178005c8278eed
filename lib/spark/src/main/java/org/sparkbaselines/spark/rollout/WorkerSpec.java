package org.sparkbaselines.spark.rollout;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything an executor needs to build rollout worker {@code w} and its policy replica: shipped
 * with each task, so a worker rebuilt on a fresh executor comes out the same.
 *
 * @param runId identifies the training run (workers are kept per run and worker id)
 * @param envKwargs keyword arguments of the registered env (JSON-like values)
 * @param policyKwargs the policy's {@code policy_kwargs} map
 */
record WorkerSpec(String runId, String envId, HashMap<String, Object> envKwargs, int envsPerWorker, long seed,
        HashMap<String, Object> policyKwargs) implements Serializable {

    static WorkerSpec of(String runId, String envId, Map<String, Object> envKwargs, int envsPerWorker, long seed,
            Map<String, Object> policyKwargs) {
        return new WorkerSpec(runId, envId, new HashMap<>(envKwargs), envsPerWorker, seed, new HashMap<>(policyKwargs));
    }
}
