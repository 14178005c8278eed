package org.sparkbaselines.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.buffers.RolloutBuffer;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.TimeLimit;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.vec.DummyVecEnv;

class RolloutWorkerTest {
    private static final double GAMMA = 0.9;

    @Test
    void aTimeOutIsBootstrappedFromTheCutOffStateWhileTheRecordedRewardStaysTheEnvs() {
        // A 3-step limit is far shorter than any CartPole episode, so every episode here is cut by it.
        Supplier<Env> shortCartPole = () -> new TimeLimit(Envs.make("CartPole-v1"), 3);
        RolloutWorker worker = new RolloutWorker(0, new DummyVecEnv(List.of(shortCartPole, shortCartPole)), new SplittableRandom(1));
        ActorCriticPolicy policy = new ActorCriticPolicy(worker.env().observationSpace(), worker.env().actionSpace(),
                PolicyKwargs.fromMap(Map.of("backend", "jvm")), 1L);
        RolloutFragment first = worker.collect(policy, 1, 7, null);
        RolloutFragment second = worker.collect(policy, 2, 7, null);
        assertTrue(first.startedFresh);
        assertFalse(second.startedFresh, "the worker's envs continue");

        RolloutBuffer buffer = new RolloutBuffer(7, 2, 4, 1);
        buffer.addFragment(first, 0, GAMMA);
        float[] value = new float[1];
        int timeOuts = 0;
        for (int row = 0; row < first.rows(); row++) {
            assertEquals(1.0, first.rewards[row], "CartPole's own reward");
            if (first.truncated[row] && !first.terminated[row]) {
                timeOuts++;
                float[] terminal = first.terminalObservations[row];
                assertNotNull(terminal);
                policy.predictValues(new float[][] {terminal}, 1, value);
                assertEquals(value[0], first.bootstrapValues[row]);
                assertEquals(1.0 + GAMMA * value[0], buffer.rewards()[row], 1e-12);
            } else {
                assertEquals(0f, first.bootstrapValues[row]);
                assertEquals(1.0, buffer.rewards()[row]);
            }
        }
        assertEquals(4, timeOuts, "two envs, time-outs at steps 3 and 6");
        worker.close();
    }
}
