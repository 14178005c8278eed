package org.sparkbaselines.buffers;

import java.util.Arrays;
import java.util.Objects;

/**
 * A fixed-size array of doubles that also keeps an associative reduction (sum, min) of every aligned
 * block, so a value changes and a range reduces in O(log capacity), iteratively. Node 1 is the root,
 * node {@code n} has children {@code 2n} and {@code 2n + 1}, and element {@code i} is leaf
 * {@code capacity + i}; every element starts at the reduction's neutral value.
 */
abstract sealed class SegmentTree permits SumSegmentTree, MinSegmentTree {
    /** Beyond this, the {@code 2 * capacity} nodes overflow an int. */
    private static final int MAX_CAPACITY = 1 << 29;

    final int capacity;
    final double[] nodes;
    private final double neutral;

    SegmentTree(int capacity, double neutral) {
        if (capacity < 1 || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("segment tree capacity must be a power of two in [1, 2^29], got " + capacity);
        }
        this.capacity = capacity;
        this.neutral = neutral;
        nodes = new double[2 * capacity];
        Arrays.fill(nodes, neutral);
    }

    abstract double combine(double a, double b);

    /** The number of elements. */
    public final int capacity() {
        return capacity;
    }

    /**
     * Sets element {@code index} and the reductions above it.
     *
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code [0, capacity)}
     * @throws IllegalArgumentException when {@code value} is NaN
     */
    public final void set(int index, double value) {
        Objects.checkIndex(index, capacity);
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("segment tree element " + index + " cannot be NaN");
        }
        int node = index + capacity;
        nodes[node] = value;
        for (node >>= 1; node >= 1; node >>= 1) {
            nodes[node] = combine(nodes[2 * node], nodes[2 * node + 1]);
        }
    }

    /**
     * Element {@code index}.
     *
     * @throws IndexOutOfBoundsException when {@code index} is outside {@code [0, capacity)}
     */
    public final double get(int index) {
        return nodes[capacity + Objects.checkIndex(index, capacity)];
    }

    /** Sets every element back to the neutral value. */
    final void clear() {
        Arrays.fill(nodes, neutral);
    }

    /**
     * The reduction of elements {@code start .. end - 1}; the neutral value for an empty range.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= start <= end <= capacity}
     */
    final double reduce(int start, int end) {
        Objects.checkFromToIndex(start, end, capacity);
        double result = neutral;
        // Climb from both ends of the half-open leaf range: a left end that is a right child, or a last node
        // that is a left child, has a parent reaching outside the range, so that node is taken on its own.
        for (int lo = start + capacity, hi = end + capacity; lo < hi; lo >>= 1, hi >>= 1) {
            if ((lo & 1) == 1) {
                result = combine(result, nodes[lo++]);
            }
            if ((hi & 1) == 1) {
                result = combine(result, nodes[--hi]);
            }
        }
        return result;
    }
}
