package org.sparkbaselines.buffers;

/**
 * A segment tree of minima (the reference's {@code MinSegmentTree}): prioritized replay keeps each
 * transition's {@code priority^alpha} here for the largest importance weight. Elements start at
 * positive infinity, so unused ones never win.
 */
public final class MinSegmentTree extends SegmentTree {
    /** @throws IllegalArgumentException unless {@code capacity} is a power of two in [1, 2^29] */
    public MinSegmentTree(int capacity) {
        super(capacity, Double.POSITIVE_INFINITY);
    }

    @Override
    double combine(double a, double b) {
        return Math.min(a, b);
    }

    /** The minimum of all elements, in O(1). */
    public double min() {
        return nodes[1];
    }

    /**
     * The minimum of elements {@code start .. end - 1}; positive infinity for an empty range.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= start <= end <= capacity}
     */
    public double min(int start, int end) {
        return reduce(start, end);
    }
}
