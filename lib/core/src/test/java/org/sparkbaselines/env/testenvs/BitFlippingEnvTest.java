package org.sparkbaselines.env.testenvs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.env.GoalEnv;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.DictSpace;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;

class BitFlippingEnvTest {

    private static float[] key(BitFlippingEnv env, float[] obs, String key) {
        return env.observationSpace().get(obs, key);
    }

    private static List<Integer> zeroBits(float[] bits) {
        List<Integer> zeros = new ArrayList<>();
        for (int i = 0; i < bits.length; i++) {
            if (bits[i] == 0f) {
                zeros.add(i);
            }
        }
        return zeros;
    }

    @Test
    void defaultsFollowTheReference() {
        BitFlippingEnv env = new BitFlippingEnv();
        DictSpace space = env.observationSpace();
        assertEquals(List.of(GoalEnv.OBSERVATION, GoalEnv.ACHIEVED_GOAL, GoalEnv.DESIRED_GOAL), space.keys());
        for (String key : space.keys()) {
            assertEquals(new MultiBinary(10), space.space(key));
        }
        assertEquals(new Discrete(10), env.actionSpace());
        assertEquals(10, env.maxSteps());
        assertFalse(env.continuous());
        assertFalse(env.discreteObsSpace());
    }

    @Test
    void flippingTheZeroBitsReachesTheGoal() {
        BitFlippingEnv env = new BitFlippingEnv(6, false, 20, false);
        float[] obs = env.reset(11L);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, key(env, obs, GoalEnv.DESIRED_GOAL));
        List<Integer> zeros = zeroBits(key(env, obs, GoalEnv.OBSERVATION));
        assertTrue(zeros.size() >= 2, "seed 11 should start at least two flips from the goal: " + zeros);

        for (int i = 0; i < zeros.size(); i++) {
            StepResult r = env.step(new float[] {zeros.get(i)});
            boolean last = i == zeros.size() - 1;
            assertEquals(last ? 0.0 : -1.0, r.reward(), "flip " + i);
            assertEquals(last, r.terminated());
            assertFalse(r.truncated());
            assertEquals(last, r.info().get(Infos.IS_SUCCESS));
            assertArrayEquals(key(env, r.obs(), GoalEnv.OBSERVATION), key(env, r.obs(), GoalEnv.ACHIEVED_GOAL));
            assertEquals(zeros.size() - 1 - i, zeroBits(key(env, r.obs(), GoalEnv.ACHIEVED_GOAL)).size());
        }
    }

    @Test
    void flippingABitTwiceRestoresItAndTheEpisodeTruncatesAtMaxSteps() {
        BitFlippingEnv env = new BitFlippingEnv(4, false, 3, false);
        float[] start = key(env, env.reset(2L), GoalEnv.OBSERVATION);
        int oneBit = indexOf(start, 1f);
        assertTrue(oneBit >= 0 && indexOf(start, 0f) >= 0, "seed 2 should start with both bit values: " + Arrays.toString(start));

        StepResult r = env.step(new float[] {oneBit});
        float[] flipped = start.clone();
        flipped[oneBit] = 0f;
        assertArrayEquals(flipped, key(env, r.obs(), GoalEnv.OBSERVATION));
        assertFalse(r.done());
        r = env.step(new float[] {oneBit});
        assertArrayEquals(start, key(env, r.obs(), GoalEnv.OBSERVATION));
        assertFalse(r.done());
        r = env.step(new float[] {oneBit});
        assertTrue(r.truncated(), "third step with maxSteps = 3");
        assertFalse(r.terminated());
        assertEquals(-1.0, r.reward());
        assertEquals(false, r.info().get(Infos.IS_SUCCESS));
    }

    private static int indexOf(float[] values, float value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void discreteObservationsEncodeTheStateAsSumOfBitsTimesPowersOfTwo() {
        BitFlippingEnv discrete = new BitFlippingEnv(4, false, null, true);
        BitFlippingEnv binary = new BitFlippingEnv(4, false, null, false);
        for (String key : discrete.observationSpace().keys()) {
            assertEquals(new Discrete(16), discrete.observationSpace().space(key), "every state, the goal 15 included, must fit");
        }
        for (long seed = 0; seed < 10; seed++) {
            float[] obs = discrete.reset(seed);
            float[] bits = key(binary, binary.reset(seed), GoalEnv.OBSERVATION);
            float expected = bits[0] + 2 * bits[1] + 4 * bits[2] + 8 * bits[3];
            assertArrayEquals(new float[] {expected, expected, 15f}, obs, "seed " + seed + ", bits " + Arrays.toString(bits));
            assertTrue(discrete.observationSpace().contains(obs));
        }
    }

    @Test
    void discreteObservationsReachTheGoalValue() {
        BitFlippingEnv env = new BitFlippingEnv(4, false, 10, true);
        int value = (int) env.reset(5L)[0];
        assertNotEquals(15, value, "seed 5 should not start at the goal");
        StepResult r = null;
        for (int bit = 0; bit < 4; bit++) {
            if ((value >> bit & 1) == 0) {
                int before = (int) (r == null ? value : r.obs()[0]);
                r = env.step(new float[] {bit});
                assertEquals(before | 1 << bit, (int) r.obs()[0], "flipping bit " + bit + " adds 2^" + bit);
            }
        }
        assertArrayEquals(new float[] {15, 15, 15}, r.obs());
        assertEquals(0.0, r.reward());
        assertTrue(r.terminated());
    }

    @Test
    void continuousActionsFlipEveryBitWithAPositiveComponent() {
        BitFlippingEnv env = new BitFlippingEnv(4, true, null, false);
        assertEquals(new Box(-1f, 1f, 4), env.actionSpace());
        float[] start = key(env, env.reset(8L), GoalEnv.OBSERVATION);
        StepResult r = env.step(new float[] {0.5f, -0.5f, 0f, 1f});
        float[] expected = {1 - start[0], start[1], start[2], 1 - start[3]};
        assertArrayEquals(expected, key(env, r.obs(), GoalEnv.OBSERVATION), "0 is not > 0, so bit 2 stays");
    }

    @Test
    void computeRewardIsZeroOnlyForEqualGoalsInBothForms() {
        BitFlippingEnv env = new BitFlippingEnv(3, false, null, false);
        assertEquals(0.0, env.computeReward(new float[] {1, 1, 1}, new float[] {1, 1, 1}, null));
        assertEquals(-1.0, env.computeReward(new float[] {1, 0, 1}, new float[] {1, 1, 1}, null));
        float[][] achieved = {{1, 1, 1}, {0, 1, 1}, {0, 0, 0}};
        float[][] desired = {{1, 1, 1}, {1, 1, 1}, {0, 0, 0}};
        assertArrayEquals(new double[] {0, -1, 0}, env.computeReward(achieved, desired, null));
        assertThrows(IllegalArgumentException.class, () -> env.computeReward(new float[] {1}, new float[] {1, 1, 1}, null));
    }

    @Test
    void stepRewardAgreesWithComputeRewardOnItsOwnObservation() {
        BitFlippingEnv env = new BitFlippingEnv(5, false, 50, false);
        env.reset(9L);
        for (int i = 0; i < 30; i++) {
            StepResult r = env.step(new float[] {i % 5});
            assertEquals(env.computeReward(key(env, r.obs(), GoalEnv.ACHIEVED_GOAL), key(env, r.obs(), GoalEnv.DESIRED_GOAL), r.info()), r.reward());
            if (r.done()) {
                env.reset(null);
            }
        }
    }

    @Test
    void sameSeedGivesTheSameEpisodeAndAnotherSeedDiffers() {
        assertArrayEquals(new BitFlippingEnv().reset(7L), new BitFlippingEnv().reset(7L));
        assertFalse(Arrays.equals(new BitFlippingEnv().reset(7L), new BitFlippingEnv().reset(8L)));

        BitFlippingEnv env = new BitFlippingEnv();
        float[] first = env.reset(7L).clone();
        env.reset(null);
        assertArrayEquals(first, env.reset(7L));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new BitFlippingEnv(0, false, null, false));
        assertThrows(IllegalArgumentException.class, () -> new BitFlippingEnv(4, false, 0, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BitFlippingEnv(25, false, null, true));
        assertTrue(e.getMessage().contains("at most 24 bits"), e.getMessage());
        BitFlippingEnv env = new BitFlippingEnv(4, false, null, false);
        env.reset(0L);
        assertThrows(IllegalArgumentException.class, () -> env.step(new float[] {4}));
    }
}
