package org.sparkbaselines.buffers;

/**
 * A segment tree of sums (the reference's {@code SumSegmentTree}): prioritized replay keeps each
 * transition's {@code priority^alpha} here and samples proportionally with {@link #findPrefixSumIndex}.
 * Elements start at 0.
 */
public final class SumSegmentTree extends SegmentTree {
    /** @throws IllegalArgumentException unless {@code capacity} is a power of two in [1, 2^29] */
    public SumSegmentTree(int capacity) {
        super(capacity, 0.0);
    }

    @Override
    double combine(double a, double b) {
        return a + b;
    }

    /** The sum of all elements, in O(1). */
    public double sum() {
        return nodes[1];
    }

    /**
     * The sum of elements {@code start .. end - 1}; 0 for an empty range.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= start <= end <= capacity}
     */
    public double sum(int start, int end) {
        return reduce(start, end);
    }

    /**
     * The highest index {@code i} such that {@code arr[0] + ... + arr[i - 1] <= prefixSum}, by one descent
     * from the root; with non-negative elements and {@code prefixSum} uniform in {@code [0, sum())} this draws
     * {@code i} with probability {@code arr[i] / sum()}. A {@code prefixSum} at or past {@link #sum()} gives
     * the last index whose prefix fits, {@code capacity - 1}.
     *
     * @throws IllegalArgumentException when {@code prefixSum} is negative or NaN
     */
    public int findPrefixSumIndex(double prefixSum) {
        if (!(prefixSum >= 0)) {
            throw new IllegalArgumentException("prefix sum must be >= 0, got " + prefixSum);
        }
        int node = 1;
        while (node < capacity) {
            int left = 2 * node;
            if (nodes[left] <= prefixSum) {
                prefixSum -= nodes[left];
                node = left + 1;
            } else {
                node = left;
            }
        }
        return node - capacity;
    }
}
