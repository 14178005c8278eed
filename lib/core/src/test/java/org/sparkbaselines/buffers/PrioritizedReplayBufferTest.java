package org.sparkbaselines.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.buffers.Transitions.add;
import static org.sparkbaselines.buffers.Transitions.assertWhole;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PrioritizedReplayBufferTest {
    @Test
    void weightsByHand() {
        PrioritizedReplayBuffer buffer = filled(4, 3, 0.5);
        buffer.updatePriorities(new int[] {0, 1, 2}, new double[] {1, 4, 9}, 3);
        // p^alpha = 1, 2, 3 of total 6: P = 1/6, 2/6, 3/6 over size 3, so P_min = 1/6.
        // w_i = (3 P_i)^-0.4 / (3 P_min)^-0.4: w_0 = 0.5^-0.4 / 0.5^-0.4 = 1, w_1 = 1^-0.4 / 0.5^-0.4 = 2^-0.4, w_2 = 1.5^-0.4 / 0.5^-0.4 = 3^-0.4
        float[] expected = {1, (float) Math.pow(2, -0.4), (float) Math.pow(3, -0.4)};
        ReplayBatch batch = new ReplayBatch(3, 1, 1);
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[3];
        for (int round = 0; round < 50; round++) {
            buffer.sample(0.4, random, batch);
            for (int row = 0; row < batch.size(); row++) {
                int index = batch.indices[row];
                assertEquals(index, assertWhole(batch, row));
                assertEquals(expected[index], batch.weights[row], 1e-6, "weight of index " + index);
                counts[index]++;
            }
        }
        for (int count : counts) {
            assertTrue(count > 0, "every transition is drawn");
        }
    }

    @Test
    void drawsInProportionToPriorityToTheAlpha() {
        double alpha = 0.7;
        PrioritizedReplayBuffer buffer = filled(5, 7, alpha);
        double[] priorities = {0.5, 1, 2, 3, 8};
        buffer.updatePriorities(new int[] {0, 1, 2, 3, 4}, priorities, 5);
        double total = 0;
        for (double priority : priorities) {
            total += Math.pow(priority, alpha);
        }
        int[] counts = drawCounts(buffer, 40_000, 2);
        for (int index = 0; index < priorities.length; index++) {
            double expected = Math.pow(priorities[index], alpha) / total;
            assertEquals(expected, counts[index] / (5 * 40_000.0), 0.05 * expected, "frequency of index " + index);
        }
    }

    /** The reference sums the mass over positions 0 .. size - 2, so it never drew the newest transition. */
    @Test
    void theNewestTransitionIsDrawnAsOftenAsTheOthers() {
        PrioritizedReplayBuffer buffer = filled(8, 3, 0.6);
        int[] counts = drawCounts(buffer, 10_000, 3);
        for (int index = 0; index < 3; index++) {
            assertEquals(1 / 3.0, counts[index] / (3 * 10_000.0), 0.05 / 3, "frequency of index " + index);
        }
    }

    @Test
    void newTransitionsGetTheLargestPriorityUntilAStateIsLoaded() {
        PrioritizedReplayBuffer buffer = filled(4, 2, 1);
        buffer.updatePriorities(new int[] {0, 1}, new double[] {1, 3}, 2);
        add(buffer, 2);
        buffer.updatePriorities(new int[] {0}, new double[] {2}, 1);
        // priorities 2, 3, 3 (the newest took the largest, 3); with alpha = beta = 1, w_i = P_min / P_i = 2 / p_i
        assertWeights(buffer, new float[] {1, 2 / 3f, 2 / 3f});

        buffer.loadState(buffer.state());
        add(buffer, 3);
        // loaded transitions get priority 1, and so does the next one: the largest priority is back at 1
        assertWeights(buffer, new float[] {1, 1, 1, 1});
    }

    @Test
    void badArgumentsAreRejected() {
        assertRejected("alpha must be finite and >= 0, got -0.1", () -> new PrioritizedReplayBuffer(4, 1, 1, false, -0.1));
        assertRejected("got NaN", () -> new PrioritizedReplayBuffer(4, 1, 1, false, Double.NaN));

        PrioritizedReplayBuffer buffer = filled(4, 3, 0.5);
        ReplayBatch batch = new ReplayBatch(2, 1, 1);
        SplittableRandom random = new SplittableRandom(4);
        assertRejected("beta must be finite and > 0, got 0.0", () -> buffer.sample(0, random, batch));
        assertRejected("got NaN", () -> buffer.sample(Double.NaN, random, batch));
        assertThrows(UnsupportedOperationException.class, () -> buffer.sample(random, batch));
        assertThrows(IllegalStateException.class, () -> buffer.sample(0.4, random, new ReplayBatch(4, 1, 1)));

        int[] indices = {0, 1};
        assertRejected("priority update 1: priority 0.0", () -> buffer.updatePriorities(indices, new double[] {2, 0}, 2));
        assertRejected("priority update 1: priority -1.0", () -> buffer.updatePriorities(indices, new double[] {2, -1}, 2));
        assertRejected("priority update 0: priority NaN", () -> buffer.updatePriorities(indices, new double[] {Double.NaN, 1}, 2));
        assertRejected("priority update 0: priority Infinity", () -> buffer.updatePriorities(indices, new double[] {Double.POSITIVE_INFINITY}, 1));
        assertRejected("priority update count 3 must be in [0, 2]", () -> buffer.updatePriorities(indices, new double[] {1, 1}, 3));
        IndexOutOfBoundsException outside = assertThrows(IndexOutOfBoundsException.class,
                () -> buffer.updatePriorities(new int[] {1, 3}, new double[] {5, 1}, 2));
        assertTrue(outside.getMessage().contains("priority update 1: index 3 is outside the 3 stored transitions"), outside.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.updatePriorities(new int[] {-1}, new double[] {1}, 1));
        // none of the rejected updates set a priority: all are still 1
        assertWeights(buffer, new float[] {1, 1, 1});
    }

    @Test
    void addingSamplingAndUpdatingAllocateNothing() {
        PrioritizedReplayBuffer prioritized = filled(64, 40, 0.6);
        ReplayBuffer uniform = new ReplayBuffer(64, 1, 1, false);
        for (int t = 0; t < 40; t++) {
            add(uniform, t);
        }
        ReplayBatch batch = new ReplayBatch(32, 1, 1);
        double[] priorities = new double[32];
        float[] observation = {1};
        SplittableRandom random = new SplittableRandom(5);
        Runnable step = () -> {
            prioritized.add(observation, observation, 1, observation, false, true);
            prioritized.sample(0.4, random, batch);
            for (int row = 0; row < batch.size(); row++) {
                priorities[row] = 0.1 + batch.indices[row];
            }
            prioritized.updatePriorities(batch.indices, priorities, batch.size());
            uniform.add(observation, observation, 1, observation, true, false);
            uniform.sample(random, batch);
        };
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            step.run();
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 10_000; i++) {
            step.run();
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 10k rounds");
    }

    /** A buffer of the given capacity holding transitions labelled 0 .. count - 1 (the last ones, if it wrapped). */
    private static PrioritizedReplayBuffer filled(int capacity, int count, double alpha) {
        PrioritizedReplayBuffer buffer = new PrioritizedReplayBuffer(capacity, 1, 1, false, alpha);
        for (int t = 0; t < count; t++) {
            add(buffer, t);
        }
        return buffer;
    }

    /** How often each position was drawn in {@code rounds} batches of {@code size()} transitions with beta 0.4. */
    private static int[] drawCounts(PrioritizedReplayBuffer buffer, int rounds, long seed) {
        ReplayBatch batch = new ReplayBatch(buffer.size(), 1, 1);
        SplittableRandom random = new SplittableRandom(seed);
        int[] counts = new int[buffer.size()];
        for (int round = 0; round < rounds; round++) {
            buffer.sample(0.4, random, batch);
            for (int index : batch.indices) {
                counts[index]++;
            }
        }
        return counts;
    }

    /** Asserts that beta = 1 sampling weights every drawn position as {@code expected} says, and draws them all. */
    private static void assertWeights(PrioritizedReplayBuffer buffer, float[] expected) {
        ReplayBatch batch = new ReplayBatch(buffer.size(), 1, 1);
        SplittableRandom random = new SplittableRandom(6);
        boolean[] drawn = new boolean[expected.length];
        for (int round = 0; round < 50; round++) {
            buffer.sample(1, random, batch);
            for (int row = 0; row < batch.size(); row++) {
                int index = batch.indices[row];
                assertEquals(expected[index], batch.weights[row], 1e-6, "weight of index " + index);
                drawn[index] = true;
            }
        }
        for (int index = 0; index < expected.length; index++) {
            assertTrue(drawn[index], "index " + index + " is drawn");
        }
    }

    private static void assertRejected(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
