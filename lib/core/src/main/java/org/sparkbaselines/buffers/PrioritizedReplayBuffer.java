package org.sparkbaselines.buffers;

import java.util.SplittableRandom;

/**
 * Proportional prioritized experience replay (Schaul et al. 2015; the reference's
 * {@code PrioritizedReplayBuffer}): transition {@code i} is drawn with probability
 * {@code P(i) = p_i^alpha / sum_k p_k^alpha} and weighted by {@code (size * P(i))^-beta}, normalized by
 * the largest such weight. New transitions get the largest priority seen so far (initially 1), so each
 * is likely replayed before its TD error sets its priority.
 *
 * <p>The priorities live in a sum tree (for drawing) and a min tree (for the largest weight) of the next
 * power of two at or above the capacity; positions past the stored transitions hold 0 and infinity.
 * {@link #loadState} gives every loaded transition priority 1 and resets the largest priority to 1.
 */
public final class PrioritizedReplayBuffer extends ReplayBuffer {
    private final double alpha;
    private final SumSegmentTree sumTree;
    private final MinSegmentTree minTree;
    private double maxPriority = 1;

    /**
     * @param alpha how strongly priorities skew sampling: 0 samples uniformly, 1 fully proportionally
     * @throws IllegalArgumentException when alpha is negative, infinite or NaN, or for the reasons of
     *     {@link ReplayBuffer#ReplayBuffer}, or when the capacity exceeds 2^29
     */
    public PrioritizedReplayBuffer(int capacity, int obsDim, int actionDim, boolean truncationIsTerminal, double alpha) {
        super(capacity, obsDim, actionDim, truncationIsTerminal);
        if (!(alpha >= 0 && alpha < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("alpha must be finite and >= 0, got " + alpha);
        }
        this.alpha = alpha;
        int treeCapacity = 1 << (32 - Integer.numberOfLeadingZeros(capacity - 1));
        sumTree = new SumSegmentTree(treeCapacity);
        minTree = new MinSegmentTree(treeCapacity);
    }

    /**
     * Fills {@code into} with {@code into.size()} transitions drawn in proportion to {@code priority^alpha},
     * with replacement, their positions in {@code into.indices} and their importance weights
     * {@code (size * P(i))^-beta / max_k (size * P(k))^-beta} in {@code into.weights}.
     *
     * @param beta how fully the weights correct the bias of prioritized drawing: 1 fully
     * @throws IllegalArgumentException when beta is not finite and > 0, or {@code into}'s obsDim or actionDim
     *     differs from the buffer's
     * @throws IllegalStateException when the buffer holds fewer than {@code into.size()} transitions
     */
    public void sample(double beta, SplittableRandom random, ReplayBatch into) {
        if (!(beta > 0 && beta < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("beta must be finite and > 0, got " + beta);
        }
        checkSampleable(into);
        int size = size();
        // The reference (2.10) draws from _it_sum.sum(0, len - 1), which covers positions 0 .. len - 2 only, so the
        // transition at position size - 1 (the newest until the buffer wraps) is drawn only by rounding.
        // Here the mass deliberately spans every stored transition.
        double total = sumTree.sum(0, size);
        double maxWeight = Math.pow(minTree.min() / total * size, -beta);
        for (int row = 0; row < into.size(); row++) {
            // Rounding can carry the descent past the last stored transition into the empty leaves.
            int index = Math.min(sumTree.findPrefixSumIndex(random.nextDouble() * total), size - 1);
            copyTransition(index, row, into);
            into.weights[row] = (float) (Math.pow(sumTree.get(index) / total * size, -beta) / maxWeight);
        }
    }

    /**
     * Not supported: prioritized sampling needs the weights' exponent; use {@link #sample(double, SplittableRandom, ReplayBatch)}.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void sample(SplittableRandom random, ReplayBatch into) {
        throw new UnsupportedOperationException("a prioritized replay buffer samples with sample(beta, random, into)");
    }

    /**
     * Sets the priority of the transition at {@code indices[i]} to {@code priorities[i]} for
     * {@code i < count}, typically {@code |TD error| + epsilon} of a sampled batch; raises the priority
     * new transitions get to the largest one seen. Every entry is checked before any is set.
     *
     * @throws IllegalArgumentException when {@code count} is negative or exceeds an array's length, or a
     *     priority or its power {@code priority^alpha} is not finite and > 0
     * @throws IndexOutOfBoundsException when an index is outside {@code [0, size())}
     */
    public void updatePriorities(int[] indices, double[] priorities, int count) {
        if (count < 0 || count > Math.min(indices.length, priorities.length)) {
            throw new IllegalArgumentException("priority update count " + count + " must be in [0, "
                    + Math.min(indices.length, priorities.length) + "], the length of its shorter array");
        }
        for (int i = 0; i < count; i++) {
            if (indices[i] < 0 || indices[i] >= size()) {
                throw new IndexOutOfBoundsException("priority update " + i + ": index " + indices[i] + " is outside the "
                        + size() + " stored transitions");
            }
            double priority = priorities[i];
            double scaled = Math.pow(priority, alpha);
            if (!(priority > 0 && priority < Double.POSITIVE_INFINITY && scaled > 0 && scaled < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("priority update " + i + ": priority " + priority + " and its power " + scaled
                        + " must be finite and > 0");
            }
        }
        for (int i = 0; i < count; i++) {
            setScaledPriority(indices[i], Math.pow(priorities[i], alpha));
            maxPriority = Math.max(maxPriority, priorities[i]);
        }
    }

    /** How strongly priorities skew sampling. */
    public double alpha() {
        return alpha;
    }

    @Override
    protected void onStored(int index) {
        setScaledPriority(index, Math.pow(maxPriority, alpha));
    }

    @Override
    protected void onCleared() {
        maxPriority = 1;
        sumTree.clear();
        minTree.clear();
    }

    private void setScaledPriority(int index, double scaled) {
        sumTree.set(index, scaled);
        minTree.set(index, scaled);
    }
}
