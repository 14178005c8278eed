package org.sparkbaselines.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sum and min trees against plain arrays reduced by brute force, over random sets and ranges. */
class SegmentTreeTest {
    private static final int[] CAPACITIES = {1, 2, 8, 64};
    private static final int ROUNDS = 2000;

    @Test
    void rangeSumsAndMinimaMatchBruteForce() {
        SplittableRandom random = new SplittableRandom(11);
        for (int capacity : CAPACITIES) {
            SumSegmentTree sums = new SumSegmentTree(capacity);
            MinSegmentTree minima = new MinSegmentTree(capacity);
            double[] values = new double[capacity];
            double[] minValues = new double[capacity];
            Arrays.fill(minValues, Double.POSITIVE_INFINITY);
            for (int round = 0; round < ROUNDS; round++) {
                int index = random.nextInt(capacity);
                values[index] = random.nextDouble(0, 10);
                minValues[index] = random.nextDouble(-10, 10);
                sums.set(index, values[index]);
                minima.set(index, minValues[index]);
                assertEquals(values[index], sums.get(index));
                assertEquals(minValues[index], minima.get(index));

                int start = random.nextInt(capacity + 1);
                int end = start + random.nextInt(capacity - start + 1);
                assertEquals(Arrays.stream(values, start, end).sum(), sums.sum(start, end), 1e-9, "sum of [" + start + ", " + end + ")");
                assertEquals(Arrays.stream(minValues, start, end).min().orElse(Double.POSITIVE_INFINITY), minima.min(start, end),
                        "min of [" + start + ", " + end + ")");
                assertEquals(Arrays.stream(values).sum(), sums.sum(), 1e-9);
                assertEquals(Arrays.stream(minValues).min().orElseThrow(), minima.min());
            }
        }
    }

    /** Small integers and half-integer prefix sums keep every sum exact, so ties test the {@code <=} boundary too. */
    @Test
    void prefixSumIndexMatchesALinearScan() {
        SplittableRandom random = new SplittableRandom(12);
        for (int capacity : CAPACITIES) {
            SumSegmentTree tree = new SumSegmentTree(capacity);
            double[] values = new double[capacity];
            for (int round = 0; round < ROUNDS; round++) {
                int index = random.nextInt(capacity);
                values[index] = random.nextInt(4);
                tree.set(index, values[index]);
                double prefixSum = random.nextInt((int) (2 * tree.sum()) + 3) / 2.0;
                assertEquals(highestIndexWithin(values, prefixSum), tree.findPrefixSumIndex(prefixSum),
                        "prefix sum " + prefixSum + " over " + Arrays.toString(values));
            }
        }
    }

    @Test
    void prefixSumIndexSkipsZerosAndBreaksTiesUpward() {
        SumSegmentTree tree = new SumSegmentTree(4);
        tree.set(0, 1);
        tree.set(2, 2);
        // prefixes before each index: 0, 1, 1, 3
        assertEquals(0, tree.findPrefixSumIndex(0.5));
        assertEquals(2, tree.findPrefixSumIndex(1.0));
        assertEquals(2, tree.findPrefixSumIndex(2.9));
        assertEquals(3, tree.findPrefixSumIndex(3.0));
        assertEquals(3, tree.findPrefixSumIndex(100));
    }

    @Test
    void capacityMustBeAPowerOfTwo() {
        for (int capacity : new int[] {0, -4, 3, 6, 1 << 30}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SumSegmentTree(capacity));
            assertTrue(e.getMessage().contains("got " + capacity), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new MinSegmentTree(capacity));
        }
    }

    @Test
    void outOfRangeIndicesAndBadValuesAreErrors() {
        SumSegmentTree sums = new SumSegmentTree(4);
        MinSegmentTree minima = new MinSegmentTree(4);
        assertThrows(IndexOutOfBoundsException.class, () -> sums.set(4, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> sums.set(-1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> minima.get(4));
        assertThrows(IndexOutOfBoundsException.class, () -> sums.sum(3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> sums.sum(0, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> minima.min(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> minima.set(0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> sums.findPrefixSumIndex(-0.5));
        assertThrows(IllegalArgumentException.class, () -> sums.findPrefixSumIndex(Double.NaN));
    }

    /** The highest {@code i} with {@code values[0] + ... + values[i - 1] <= prefixSum}. */
    private static int highestIndexWithin(double[] values, double prefixSum) {
        int highest = 0;
        double prefix = 0;
        for (int i = 0; i < values.length; i++) {
            if (prefix <= prefixSum) {
                highest = i;
            }
            prefix += values[i];
        }
        return highest;
    }
}
