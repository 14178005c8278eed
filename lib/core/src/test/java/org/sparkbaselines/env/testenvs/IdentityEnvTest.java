package org.sparkbaselines.env.testenvs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;

class IdentityEnvTest {

    @Test
    void defaultsFollowTheReference() {
        IdentityEnv env = new IdentityEnv();
        assertEquals(new Discrete(1), env.observationSpace());
        assertSame(env.observationSpace(), env.actionSpace());
        assertEquals(100, env.epLength());

        IdentityEnvBox box = new IdentityEnvBox();
        assertEquals(new Box(-1f, 1f, 1), box.observationSpace());
        assertEquals(0.05f, box.eps());
        assertEquals(new MultiDiscrete(1, 1), new IdentityEnvMultiDiscrete().observationSpace());
        assertEquals(new MultiBinary(1), new IdentityEnvMultiBinary().observationSpace());
    }

    @Test
    void rewardsOneExactlyWhenTheActionRepeatsTheObservation() {
        IdentityEnv env = new IdentityEnv(5, 100);
        float[] obs = env.reset(1L).clone();
        for (int i = 0; i < 40; i++) {
            boolean repeat = i % 2 == 0;
            float[] action = {repeat ? obs[0] : (obs[0] + 1) % 5};
            StepResult r = env.step(action);
            assertEquals(repeat ? 1.0 : 0.0, r.reward(), "step " + i + " obs " + obs[0] + " action " + action[0]);
            assertTrue(env.observationSpace().contains(r.obs()));
            obs = r.obs().clone();
        }
    }

    @Test
    void truncatesExactlyAtEpLengthInEveryEpisode() {
        IdentityEnv env = new IdentityEnv(3, 7);
        for (int episode = 0; episode < 2; episode++) {
            env.reset(episode == 0 ? 5L : null);
            for (int step = 1; step < 7; step++) {
                assertFalse(env.step(new float[] {0}).done(), "step " + step);
            }
            StepResult last = env.step(new float[] {0});
            assertTrue(last.truncated());
            assertFalse(last.terminated(), "a time-out is not a terminal state");
        }
    }

    @Test
    void sameSeedGivesTheSameStatesAndAnotherSeedDiffers() {
        assertEquals(states(new IdentityEnv(10, 100), 42), states(new IdentityEnv(10, 100), 42));
        assertNotEquals(states(new IdentityEnv(10, 100), 42), states(new IdentityEnv(10, 100), 43));

        IdentityEnv env = new IdentityEnv(10, 100);
        List<Float> first = states(env, 42);
        env.reset(null);
        assertEquals(first, states(env, 42), "reset(seed) restarts the sequence on a used env");
    }

    /** The reset state and the next 20 states, after reset(seed). */
    private static List<Float> states(IdentityEnv env, long seed) {
        List<Float> states = new ArrayList<>();
        states.add(env.reset(seed)[0]);
        for (int i = 0; i < 20; i++) {
            states.add(env.step(new float[] {0}).obs()[0]);
        }
        return states;
    }

    @Test
    void boxRewardsActionsWithinEpsOfTheStateInclusive() {
        IdentityEnvBox env = new IdentityEnvBox(-1f, 1f, 0.05f, 100);
        float[] state = env.reset(3L);
        StepResult r = env.step(new float[] {state[0] + 0.04f});
        assertEquals(1.0, r.reward());
        r = env.step(new float[] {r.obs()[0] - 0.05f});
        assertEquals(1.0, r.reward(), "the bound is inclusive");
        r = env.step(new float[] {r.obs()[0] + 0.06f});
        assertEquals(0.0, r.reward());
        r = env.step(new float[] {r.obs()[0] - 0.5f});
        assertEquals(0.0, r.reward());
    }

    @Test
    void multiDiscreteRewardsOnlyWhenBothEntriesMatch() {
        IdentityEnvMultiDiscrete env = new IdentityEnvMultiDiscrete(3, 100);
        assertArrayEquals(new int[] {3, 3}, ((MultiDiscrete) env.actionSpace()).nvec());
        StepResult r = env.step(env.reset(4L).clone());
        assertEquals(1.0, r.reward());
        float[] state = r.obs();
        r = env.step(new float[] {state[0], (state[1] + 1) % 3});
        assertEquals(0.0, r.reward());
        state = r.obs();
        r = env.step(new float[] {(state[0] + 1) % 3, state[1]});
        assertEquals(0.0, r.reward());
    }

    @Test
    void multiBinaryRewardsOnlyWhenEveryBitMatches() {
        IdentityEnvMultiBinary env = new IdentityEnvMultiBinary(4, 100);
        StepResult r = env.step(env.reset(6L).clone());
        assertEquals(1.0, r.reward());
        float[] oneBitOff = r.obs().clone();
        oneBitOff[2] = 1f - oneBitOff[2];
        assertEquals(0.0, env.step(oneBitOff).reward());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new IdentityEnv(0, 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IdentityEnvBox(-1f, 1f, 0.05f, 0));
        assertTrue(e.getMessage().contains("epLength must be positive"), e.getMessage());
        IdentityEnv env = new IdentityEnv(3, 10);
        env.reset(0L);
        assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {0, 1}));
    }
}
