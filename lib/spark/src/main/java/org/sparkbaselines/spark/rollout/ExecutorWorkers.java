package org.sparkbaselines.spark.rollout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.rollout.RolloutFragment;
import org.sparkbaselines.rollout.RolloutWorker;
import org.sparkbaselines.rollout.RolloutWorkers;

/**
 * The rollout workers living in this executor JVM, kept between iterations under (run, worker id) so
 * their envs and episodes continue across policy updates. A worker missing here (first iteration,
 * or a task that landed on a fresh executor) is built from its {@link WorkerSpec} and resets its envs;
 * its fragment says so ({@link RolloutFragment#startedFresh}), so the episodes its predecessor was in
 * the middle of count as truncated: learning bootstrapped them from the value of their last
 * observation, and a rollout recorder closes them with {@code truncated = true}.
 */
final class ExecutorWorkers {
    private static final Map<String, Resident> WORKERS = new ConcurrentHashMap<>();

    /** A worker and the policy replica it acts with. */
    private static final class Resident {
        final RolloutWorker worker;
        final ActorCriticPolicy policy;
        long version = -1;

        Resident(WorkerSpec spec, int workerId) {
            worker = RolloutWorkers.create(spec.envId(), spec.envKwargs(), workerId, spec.envsPerWorker(), spec.seed());
            policy = new ActorCriticPolicy(worker.env().observationSpace(), worker.env().actionSpace(),
                    PolicyKwargs.fromMap(spec.policyKwargs()), spec.seed());
        }
    }

    private ExecutorWorkers() {
    }

    /** Runs worker {@code workerId} of the spec's run for {@code nSteps} with the snapshot's parameters. */
    static RolloutFragment collect(WorkerSpec spec, int workerId, PolicySnapshot snapshot, int nSteps) {
        Resident resident = WORKERS.computeIfAbsent(spec.runId() + "/" + workerId, key -> new Resident(spec, workerId));
        synchronized (resident) {
            if (resident.version != snapshot.version()) {
                resident.policy.setParameters(snapshot.parameters(), true);
                resident.version = snapshot.version();
            }
            return resident.worker.collect(resident.policy, snapshot.version(), nSteps, null);
        }
    }

    /** Drops (and closes) this executor's workers of a finished run. */
    static void release(String runId) {
        WORKERS.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(runId + "/")) {
                e.getValue().worker.close();
                return true;
            }
            return false;
        });
    }
}
