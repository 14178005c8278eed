package org.sparkbaselines.buffers;

/**
 * One minibatch sampled from a {@link ReplayBuffer}, allocated once and refilled by every sample.
 * The arrays are exposed as they are, without copies; row {@code i} of a matrix is
 * {@code [i * dim, (i + 1) * dim)}.
 */
public final class ReplayBatch {
    /** Observations, {@code size x obsDim} row-major. */
    public final float[] observations;
    /** Actions, {@code size x actionDim} row-major; a discrete action is one float holding its index. */
    public final float[] actions;
    /** Rewards, one per transition. */
    public final float[] rewards;
    /** Observations after the actions, {@code size x obsDim} row-major. */
    public final float[] nextObservations;
    /** 1 where the transition ended its episode without a bootstrap (see {@link ReplayBuffer#truncationIsTerminal()}), else 0. */
    public final float[] dones;
    /** Importance-sampling weights; all 1 for uniform sampling. */
    public final float[] weights;
    /** The buffer position of each sampled transition, for {@link PrioritizedReplayBuffer#updatePriorities}. */
    public final int[] indices;
    private final int size;
    private final int obsDim;
    private final int actionDim;

    /** @throws IllegalArgumentException unless every argument is at least 1 */
    public ReplayBatch(int batchSize, int obsDim, int actionDim) {
        if (batchSize < 1 || obsDim < 1 || actionDim < 1) {
            throw new IllegalArgumentException("a replay batch needs batchSize, obsDim and actionDim >= 1, got "
                    + batchSize + ", " + obsDim + " and " + actionDim);
        }
        this.size = batchSize;
        this.obsDim = obsDim;
        this.actionDim = actionDim;
        observations = new float[batchSize * obsDim];
        actions = new float[batchSize * actionDim];
        rewards = new float[batchSize];
        nextObservations = new float[batchSize * obsDim];
        dones = new float[batchSize];
        weights = new float[batchSize];
        indices = new int[batchSize];
    }

    /** The number of transitions per batch. */
    public int size() {
        return size;
    }

    public int obsDim() {
        return obsDim;
    }

    public int actionDim() {
        return actionDim;
    }
}
