package org.sparkbaselines.env.testenvs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.env.FlattenDictObservation;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.DictSpace;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;
import org.sparkbaselines.spaces.Space;

class FlattenDictObservationTest {

    @Test
    void bitFlippingBecomesAUnitBoxOfThreeTimesTheBits() {
        BitFlippingEnv inner = new BitFlippingEnv(5, false, null, false);
        FlattenDictObservation env = new FlattenDictObservation(inner);
        assertEquals(new Box(0f, 1f, 15), env.observationSpace());
        assertSame(inner.actionSpace(), env.actionSpace());
        assertSame(inner, env.unwrapped());

        float[] obs = env.reset(3L);
        assertTrue(env.observationSpace().contains(obs));
        assertArrayEquals(new BitFlippingEnv(5, false, null, false).reset(3L), obs, "observations pass through unchanged");
        assertSame(obs, inner.reset(null), "no copy: the wrapper only swaps the space");
        StepResult r = env.step(new float[] {0});
        assertTrue(env.observationSpace().contains(r.obs()));
    }

    @Test
    void discreteKeysBecomeZeroToNMinusOne() {
        FlattenDictObservation env = new FlattenDictObservation(new BitFlippingEnv(4, false, null, true));
        assertEquals(new Box(0f, 15f, 3), env.observationSpace());
        assertTrue(env.observationSpace().contains(env.reset(1L)));
    }

    @Test
    void boundsFollowEachSubSpaceInKeyOrder() {
        Map<String, Space> keys = new LinkedHashMap<>();
        keys.put("box", new Box(new float[] {-2f, -3f}, new float[] {2f, 4f}));
        keys.put("multi_discrete", new MultiDiscrete(3, 5));
        keys.put("bits", new MultiBinary(1));
        keys.put("choice", new Discrete(7));
        Box flat = FlattenDictObservation.flatten(new DictSpace(keys));
        assertEquals(Arrays.toString(new float[] {-2, -3, 0, 0, 0, 0}), Arrays.toString(flat.low()));
        assertEquals(Arrays.toString(new float[] {2, 4, 2, 4, 1, 6}), Arrays.toString(flat.high()));
        assertArrayEquals(new int[] {6}, flat.shape());
    }

    @Test
    void refusesAnEnvWithoutDictObservations() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FlattenDictObservation(new IdentityEnv(3, 10)));
        assertTrue(e.getMessage().contains("needs a Dict observation space, got Discrete(3)"), e.getMessage());
    }
}
