package org.sparkbaselines.buffers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.buffers.Transitions.add;
import static org.sparkbaselines.buffers.Transitions.assertWhole;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sparkbaselines.io.NdArray;

class ReplayBufferTest {
    @Test
    void theRingOverwritesTheOldestOnceFull() {
        ReplayBuffer buffer = new ReplayBuffer(3, 2, 1, false);
        add(buffer, 0);
        add(buffer, 1);
        assertFalse(buffer.isFull());
        assertTrue(buffer.canSample(2));
        assertFalse(buffer.canSample(3));
        for (int t = 2; t < 5; t++) {
            add(buffer, t);
        }
        assertTrue(buffer.isFull());
        assertEquals(3, buffer.size());
        // oldest first: 0 and 1 were overwritten by 3 and 4
        assertArrayEquals(new float[] {2, 3, 4}, buffer.state().get("rewards").toFloatArray());
        assertArrayEquals(new float[] {2, 3, 3, 4, 4, 5}, buffer.state().get("observations").toFloatArray());

        ReplayBatch batch = new ReplayBatch(3, 2, 1);
        SplittableRandom random = new SplittableRandom(1);
        float[] labelAtPosition = {3, 4, 2};
        for (int round = 0; round < 20; round++) {
            buffer.sample(random, batch);
            for (int row = 0; row < batch.size(); row++) {
                assertEquals(labelAtPosition[batch.indices[row]], assertWhole(batch, row));
            }
        }
    }

    @Test
    void extendAcrossTheWrapAroundEqualsTheSameAdds() {
        ReplayBuffer added = new ReplayBuffer(4, 2, 3, false);
        ReplayBuffer extended = new ReplayBuffer(4, 2, 3, false);
        for (int t = 0; t < 3; t++) {
            add(added, t);
            add(extended, t);
        }
        int count = 3;
        float[][] observations = new float[count + 1][];
        float[][] actions = new float[count + 1][];
        float[][] nextObservations = new float[count + 1][];
        float[] rewards = new float[count + 1];
        boolean[] terminated = {true, false, false, true};
        boolean[] truncated = {false, true, false, false};
        for (int row = 0; row <= count; row++) {
            float t = 3 + row;
            observations[row] = Transitions.observation(2, t, 0);
            actions[row] = Transitions.action(3, t);
            nextObservations[row] = Transitions.observation(2, t, 0.5f);
            rewards[row] = t;
            if (row < count) {
                added.add(observations[row], actions[row], t, nextObservations[row], terminated[row], truncated[row]);
            }
        }
        // the fourth row is there but not counted
        extended.extend(observations, actions, rewards, nextObservations, terminated, truncated, count);

        assertEquals(added.state(), extended.state());
        assertArrayEquals(new float[] {2, 3, 4, 5}, extended.state().get("rewards").toFloatArray());
        assertSameSamples(added, extended, 9);
    }

    @Test
    void donesAreTerminatedOrAlsoTruncatedWhenThatIsTerminal() {
        float[][] expectedDones = {{0, 1, 0, 1}, {0, 1, 1, 1}};
        for (boolean truncationIsTerminal : new boolean[] {false, true}) {
            ReplayBuffer buffer = new ReplayBuffer(4, 1, 1, truncationIsTerminal);
            add(buffer, 0, false, false);
            add(buffer, 1, true, false);
            add(buffer, 2, false, true);
            add(buffer, 3, true, true);
            ReplayBatch batch = new ReplayBatch(4, 1, 1);
            SplittableRandom random = new SplittableRandom(2);
            float[] expected = expectedDones[truncationIsTerminal ? 1 : 0];
            for (int round = 0; round < 20; round++) {
                buffer.sample(random, batch);
                for (int row = 0; row < batch.size(); row++) {
                    assertEquals(expected[(int) batch.rewards[row]], batch.dones[row], "truncationIsTerminal " + truncationIsTerminal);
                }
            }
        }
    }

    @Test
    void samplingIsUniformOverTheStoredTransitions() {
        ReplayBuffer buffer = new ReplayBuffer(6, 1, 1, false);
        for (int t = 0; t < 4; t++) {
            add(buffer, t);
        }
        ReplayBatch batch = new ReplayBatch(4, 1, 1);
        SplittableRandom random = new SplittableRandom(3);
        int[] counts = new int[4];
        int draws = 0;
        for (int round = 0; round < 10_000; round++) {
            buffer.sample(random, batch);
            for (int row = 0; row < batch.size(); row++) {
                counts[batch.indices[row]]++;
                assertEquals(batch.indices[row], assertWhole(batch, row));
                assertEquals(1f, batch.weights[row]);
                draws++;
            }
        }
        for (int index = 0; index < 4; index++) {
            double frequency = counts[index] / (double) draws;
            assertEquals(0.25, frequency, 0.05 * 0.25, "frequency of index " + index);
        }
    }

    @Test
    void aStateRoundTripSamplesIdentically() {
        ReplayBuffer original = new ReplayBuffer(8, 3, 2, true);
        SplittableRandom random = new SplittableRandom(4);
        for (int t = 0; t < 6; t++) {
            add(original, (float) random.nextDouble(-5, 5), random.nextBoolean(), random.nextBoolean());
        }
        ReplayBuffer loaded = new ReplayBuffer(8, 3, 2, true);
        add(loaded, 99);
        loaded.loadState(original.state());

        assertEquals(6, loaded.size());
        assertEquals(original.state(), loaded.state());
        assertSameSamples(original, loaded, 5);
    }

    @Test
    void aWrappedBufferKeepsItsTransitionsOldestFirst() {
        ReplayBuffer original = new ReplayBuffer(4, 1, 1, false);
        for (int t = 0; t < 6; t++) {
            add(original, t);
        }
        ReplayBuffer loaded = new ReplayBuffer(4, 1, 1, false);
        loaded.loadState(original.state());
        assertEquals(original.state(), loaded.state());
        add(original, 6);
        add(loaded, 6);
        assertArrayEquals(new float[] {3, 4, 5, 6}, loaded.state().get("rewards").toFloatArray());
        assertEquals(original.state(), loaded.state());
    }

    @Test
    void loadingMoreRowsThanTheCapacityKeepsTheNewestAsAddingThemWould() {
        ReplayBuffer source = new ReplayBuffer(6, 2, 1, false);
        ReplayBuffer addedInOrder = new ReplayBuffer(4, 2, 1, false);
        for (int t = 0; t < 6; t++) {
            add(source, t, t % 2 == 0, t % 3 == 0);
            add(addedInOrder, t, t % 2 == 0, t % 3 == 0);
        }
        ReplayBuffer loaded = new ReplayBuffer(4, 2, 1, false);
        loaded.loadState(source.state());

        assertArrayEquals(new float[] {2, 3, 4, 5}, loaded.state().get("rewards").toFloatArray());
        assertEquals(addedInOrder.state(), loaded.state());
        assertSameSamples(addedInOrder, loaded, 6);
    }

    @Test
    void badTransitionsAreRejected() {
        ReplayBuffer buffer = new ReplayBuffer(4, 2, 1, false);
        float[] observation = {0, 1};
        float[] action = {0};
        assertRejected("observation element 1 is NaN",
                () -> buffer.add(new float[] {0, Float.NaN}, action, 0, observation, false, false));
        assertRejected("next observation element 0 is -Infinity",
                () -> buffer.add(observation, action, 0, new float[] {Float.NEGATIVE_INFINITY, 0}, false, false));
        assertRejected("action element 0 is Infinity",
                () -> buffer.add(observation, new float[] {Float.POSITIVE_INFINITY}, 0, observation, false, false));
        assertRejected("reward NaN is not finite", () -> buffer.add(observation, action, Float.NaN, observation, false, false));
        assertRejected("observation has length 3, expected 2", () -> buffer.add(new float[3], action, 0, observation, false, false));
        assertRejected("action has length 2, expected 1", () -> buffer.add(observation, new float[2], 0, observation, false, false));
        assertRejected("next observation has length 1, expected 2", () -> buffer.add(observation, action, 0, new float[1], false, false));

        float[][] observations = {observation, observation};
        float[][] actions = {action, action};
        boolean[] flags = {false, false};
        assertRejected("row 1: reward Infinity is not finite", () -> buffer.extend(observations, actions,
                new float[] {0, Float.POSITIVE_INFINITY}, observations, flags, flags, 2));
        assertRejected("extend count 3 must be in [0, 2]", () -> buffer.extend(observations, actions, new float[2], observations,
                flags, flags, 3));
        assertEquals(0, buffer.size(), "a rejected extend stores no row");
        assertRejected("capacity, obsDim and actionDim >= 1, got 0, 2 and 1", () -> new ReplayBuffer(0, 2, 1, false));
    }

    @Test
    void samplingNeedsEnoughTransitionsAndAMatchingBatch() {
        ReplayBuffer buffer = new ReplayBuffer(8, 2, 1, false);
        for (int t = 0; t < 3; t++) {
            add(buffer, t);
        }
        SplittableRandom random = new SplittableRandom(7);
        IllegalStateException tooFew = assertThrows(IllegalStateException.class, () -> buffer.sample(random, new ReplayBatch(4, 2, 1)));
        assertTrue(tooFew.getMessage().contains("holds 3 transitions, fewer than the batch size 4"), tooFew.getMessage());
        assertRejected("batch of obsDim 3 and actionDim 1 does not match the buffer's 2 and 1",
                () -> buffer.sample(random, new ReplayBatch(2, 3, 1)));
    }

    @Test
    void malformedStatesAreRejectedAndLeaveTheBufferAsItWas() {
        ReplayBuffer source = new ReplayBuffer(4, 2, 1, false);
        for (int t = 0; t < 3; t++) {
            add(source, t);
        }
        ReplayBuffer buffer = new ReplayBuffer(4, 2, 1, false);
        add(buffer, 7);
        Map<String, NdArray> before = buffer.state();

        LinkedHashMap<String, NdArray> missing = source.state();
        missing.remove("truncated");
        assertRejected("replay buffer state has no \"truncated\"", () -> buffer.loadState(missing));

        LinkedHashMap<String, NdArray> wideObservations = source.state();
        wideObservations.put("observations", NdArray.ofFloats(new float[9], 3, 3));
        assertRejected("\"observations\" is float32 (3, 3), expected float32 (3, 2)", () -> buffer.loadState(wideObservations));

        LinkedHashMap<String, NdArray> shortFlags = source.state();
        shortFlags.put("terminated", NdArray.ofBooleans(new boolean[2], 2));
        assertRejected("\"terminated\" is bool (2,), expected bool (3,)", () -> buffer.loadState(shortFlags));

        LinkedHashMap<String, NdArray> doubleRewards = source.state();
        doubleRewards.put("rewards", NdArray.ofDoubles(new double[3], 3));
        assertRejected("\"rewards\" is float64 (3,), expected float32 (3,)", () -> buffer.loadState(doubleRewards));

        LinkedHashMap<String, NdArray> nanAction = source.state();
        nanAction.put("actions", NdArray.ofFloats(new float[] {0, Float.NaN, 0}, 3, 1));
        assertRejected("state \"actions\" element 1 is NaN", () -> buffer.loadState(nanAction));

        assertEquals(before, buffer.state());
    }

    /** Ten batches of {@code size()} transitions from each buffer, with random generators of the same seed. */
    private static void assertSameSamples(ReplayBuffer expected, ReplayBuffer actual, long seed) {
        ReplayBatch expectedBatch = new ReplayBatch(expected.size(), expected.obsDim(), expected.actionDim());
        ReplayBatch actualBatch = new ReplayBatch(expected.size(), actual.obsDim(), actual.actionDim());
        SplittableRandom expectedRandom = new SplittableRandom(seed);
        SplittableRandom actualRandom = new SplittableRandom(seed);
        for (int round = 0; round < 10; round++) {
            expected.sample(expectedRandom, expectedBatch);
            actual.sample(actualRandom, actualBatch);
            assertArrayEquals(expectedBatch.indices, actualBatch.indices);
            assertArrayEquals(expectedBatch.observations, actualBatch.observations);
            assertArrayEquals(expectedBatch.actions, actualBatch.actions);
            assertArrayEquals(expectedBatch.rewards, actualBatch.rewards);
            assertArrayEquals(expectedBatch.nextObservations, actualBatch.nextObservations);
            assertArrayEquals(expectedBatch.dones, actualBatch.dones);
            assertArrayEquals(expectedBatch.weights, actualBatch.weights);
        }
    }

    private static void assertRejected(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
