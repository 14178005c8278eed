package org.sparkbaselines.spark.rollout;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.sparkbaselines.policies.ActorCriticPolicies;

/**
 * Everything an executor needs to build rollout worker {@code w} and its policy replica: shipped
 * with each task, so a worker rebuilt on a fresh executor comes out the same.
 *
 * @param runId identifies the training run (workers are kept per run and worker id)
 * @param envKwargs keyword arguments of the registered env (JSON-like values)
 * @param policyName the name the driver's policy was registered under
 * @param policyFactory that name's factory on the driver, so a policy registered only there acts the same here
 * @param policyKwargs the {@code policy_kwargs} map the driver's policy was built from
 */
record WorkerSpec(String runId, String envId, HashMap<String, Object> envKwargs, int envsPerWorker, long seed, String policyName,
        ActorCriticPolicies.Factory policyFactory, HashMap<String, Object> policyKwargs) implements Serializable {

    static WorkerSpec of(String runId, String envId, Map<String, Object> envKwargs, int envsPerWorker, long seed,
            ActorCriticPolicies.Registration policy) {
        return new WorkerSpec(runId, envId, new HashMap<>(envKwargs), envsPerWorker, seed, policy.name(), policy.factory(),
                new HashMap<>(policy.kwargs().toMap()));
    }
}
