package org.sparkbaselines.spark.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.policies.ActorCriticPolicies;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.rollout.PolicyActor;
import org.sparkbaselines.rollout.PolicySnapshot;
import org.sparkbaselines.rollout.RolloutFragment;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;

/**
 * The resume rule of executor-side workers, exercised directly in one JVM: only the worker that produced
 * the fragment the driver accepted last continues; every other copy is replaced by a fresh worker.
 */
class ExecutorWorkersTest {
    private static final int STEPS = 16;

    private static WorkerSpec spec(ActorCriticPolicies.Registration policy) {
        return WorkerSpec.of(UUID.randomUUID().toString(), "CartPole-v1", Map.of(), 2, 3L, PolicyActor.Spec.of(policy, 3L));
    }

    private static WorkerSpec spec() {
        ActorCriticPolicy driver = ActorCriticPolicies.create(ActorCriticPolicies.MLP, new Box(-5f, 5f, 4), new Discrete(2),
                PolicyKwargs.fromMap(Map.of("backend", "jvm")), 3L);
        return spec(driver.registration());
    }

    private static PolicySnapshot snapshot(WorkerSpec spec, long version) {
        PolicyActor.Spec actor = (PolicyActor.Spec) spec.actor();
        ActorCriticPolicy policy = ActorCriticPolicies.create(actor.policyName(), actor.policyFactory(), new Box(-5f, 5f, 4), new Discrete(2),
                PolicyKwargs.fromMap(actor.policyKwargs()), 3L);
        return new PolicySnapshot(version, policy.getParameters());
    }

    @Test
    void theWorkerThatProducedTheAcceptedFragmentContinuesItsEpisodes() {
        WorkerSpec spec = spec();
        RolloutFragment first = ExecutorWorkers.collect(spec, WorkerTask.first(0), snapshot(spec, 1), STEPS);
        RolloutFragment second = ExecutorWorkers.collect(spec, WorkerTask.after(first), snapshot(spec, 2), STEPS);

        assertTrue(first.startedFresh);
        assertFalse(second.startedFresh);
        assertEquals(first.incarnation, second.incarnation);
        for (int env = 0; env < 2; env++) {
            int lastRow = (STEPS - 1) * 2 + env;
            if (!first.terminated[lastRow] && !first.truncated[lastRow]) {
                // CartPole's x' = x + tau * x_dot: the next fragment starts where the last step led.
                float expectedX = first.observations[lastRow][0] + 0.02f * first.observations[lastRow][1];
                assertEquals(expectedX, second.observations[env][0], 1e-6f, "env " + env + " continued");
            }
        }
        ExecutorWorkers.release(spec.runId());
    }

    @Test
    void aCopyTheDriverDidNotAcceptStartsFresh() {
        WorkerSpec spec = spec();
        RolloutFragment here = ExecutorWorkers.collect(spec, WorkerTask.first(0), snapshot(spec, 1), STEPS);
        // Iteration 2 ran on another executor; its worker produced the accepted fragment.
        WorkerTask acceptedElsewhere = new WorkerTask(0, true, here.incarnation + 1, 1, null, 0);

        RolloutFragment third = ExecutorWorkers.collect(spec, acceptedElsewhere, snapshot(spec, 3), STEPS);

        assertTrue(third.startedFresh, "the copy left behind here must not resume its old episodes");
        assertNotEquals(here.incarnation, third.incarnation);
        assertEquals(1, ExecutorWorkers.residents(spec.runId()));
        ExecutorWorkers.release(spec.runId());
        assertEquals(0, ExecutorWorkers.residents(spec.runId()));
    }

    @Test
    void aRetriedAttemptDoesNotResumeAWorkerTheFailedAttemptAdvanced() {
        WorkerSpec spec = spec();
        RolloutFragment first = ExecutorWorkers.collect(spec, WorkerTask.first(0), snapshot(spec, 1), STEPS);
        WorkerTask second = WorkerTask.after(first);
        ExecutorWorkers.collect(spec, second, snapshot(spec, 2), STEPS); // an attempt whose result the driver never got

        RolloutFragment retry = ExecutorWorkers.collect(spec, second, snapshot(spec, 2), STEPS);

        assertTrue(retry.startedFresh);
        ExecutorWorkers.release(spec.runId());
    }

    @Test
    void residentsThatMissedAnIterationAreReleased() {
        WorkerSpec spec = spec();
        ExecutorWorkers.collect(spec, WorkerTask.first(0), snapshot(spec, 1), STEPS);
        ExecutorWorkers.collect(spec, WorkerTask.first(1), snapshot(spec, 1), STEPS);
        // Worker 0 moved to another executor at iteration 2; iteration 3 brings worker 1 back here.
        RolloutFragment w1 = ExecutorWorkers.collect(spec, WorkerTask.first(1), snapshot(spec, 2), STEPS);
        ExecutorWorkers.collect(spec, WorkerTask.after(w1), snapshot(spec, 3), STEPS);

        assertEquals(1, ExecutorWorkers.residents(spec.runId()), "worker 0's copy from iteration 1 can never resume");
        ExecutorWorkers.release(spec.runId());
    }

    @Test
    void executorsBuildTheRegisteredPolicyTheDriverUses() {
        // Whatever activation the kwargs ask for, this policy's hidden layers are ReLU: a replica built from the
        // kwargs alone (tanh here) would act differently from the driver's.
        ActorCriticPolicies.Factory relu = (obs, act, kwargs, seed) -> new ActorCriticPolicy(obs, act,
                new PolicyKwargs(kwargs.netArch(), Activation.RELU, kwargs.backend()), seed);
        ActorCriticPolicy driver = ActorCriticPolicies.create("AlwaysRelu", relu, new Box(-5f, 5f, 4), new Discrete(2),
                PolicyKwargs.fromMap(Map.of("backend", "jvm", "net_arch", List.of(Map.of("pi", List.of(7), "vf", List.of(5))))), 3L);
        WorkerSpec spec = spec(driver.registration());

        RolloutFragment f = ExecutorWorkers.collect(spec, WorkerTask.first(0), new PolicySnapshot(1, driver.getParameters()), STEPS);

        // The replica is the driver's ReLU policy: it acted as the driver's policy does.
        float[] logProbs = new float[f.rows()];
        float[] values = new float[f.rows()];
        driver.evaluateActions(f.observations, f.actions, f.rows(), logProbs, null, values);
        assertArrayEquals(logProbs, f.logProbs, 1e-6f);
        assertArrayEquals(values, f.values, 1e-6f);
        ExecutorWorkers.release(spec.runId());
    }
}
