package org.sparkbaselines.buffers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.io.DType;
import org.sparkbaselines.io.NdArray;

/**
 * The off-policy experience replay of DQN, SAC, TD3 and DDPG (the reference's {@code ReplayBuffer}): a
 * FIFO ring of at most {@code capacity} transitions in flat preallocated arrays, sampled uniformly with
 * replacement. A discrete action is stored as one float holding its index.
 *
 * <p>A transition keeps {@code terminated} and {@code truncated} apart. A sampled {@code done} is
 * {@code terminated} alone (modern gym semantics: a time limit is no end of the MDP, so the target still
 * bootstraps), or {@code terminated || truncated} for a buffer made with {@code truncationIsTerminal},
 * as the reference's single {@code done} flag behaves.
 *
 * <p>Adding and sampling allocate nothing. Subclasses keep their own per-transition state in step
 * through {@link #onStored(int)} and {@link #onCleared()}.
 */
public class ReplayBuffer {
    /** The largest Java array. */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final String OBSERVATIONS = "observations";
    private static final String ACTIONS = "actions";
    private static final String REWARDS = "rewards";
    private static final String NEXT_OBSERVATIONS = "next_observations";
    private static final String TERMINATED = "terminated";
    private static final String TRUNCATED = "truncated";

    private final int capacity;
    private final int obsDim;
    private final int actionDim;
    private final boolean truncationIsTerminal;
    private final float[] observations;
    private final float[] actions;
    private final float[] rewards;
    private final float[] nextObservations;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private int size;
    /** The position the next transition goes to: the oldest one once the buffer is full. */
    private int next;

    /**
     * @param truncationIsTerminal true makes a time-limit truncation end bootstrapping like a terminal
     *     state (the reference's behaviour); our algorithms default to false
     * @throws IllegalArgumentException unless capacity, obsDim and actionDim are at least 1 and
     *     {@code capacity * max(obsDim, actionDim)} floats fit in one Java array
     */
    public ReplayBuffer(int capacity, int obsDim, int actionDim, boolean truncationIsTerminal) {
        if (capacity < 1 || obsDim < 1 || actionDim < 1) {
            throw new IllegalArgumentException("a replay buffer needs capacity, obsDim and actionDim >= 1, got "
                    + capacity + ", " + obsDim + " and " + actionDim);
        }
        int widest = Math.max(obsDim, actionDim);
        if ((long) capacity * widest > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("a replay buffer of " + capacity + " x " + widest + " floats does not fit in a Java array");
        }
        this.capacity = capacity;
        this.obsDim = obsDim;
        this.actionDim = actionDim;
        this.truncationIsTerminal = truncationIsTerminal;
        observations = new float[capacity * obsDim];
        actions = new float[capacity * actionDim];
        rewards = new float[capacity];
        nextObservations = new float[capacity * obsDim];
        terminated = new boolean[capacity];
        truncated = new boolean[capacity];
    }

    /**
     * Stores one transition, overwriting the oldest when the buffer is full.
     *
     * @throws IllegalArgumentException when an array has the wrong length or a value is NaN or infinite
     */
    public void add(float[] observation, float[] action, float reward, float[] nextObservation, boolean terminated, boolean truncated) {
        checkTransition(-1, observation, action, reward, nextObservation);
        store(observation, nextObservation, 0, action, 0, reward, terminated, truncated);
    }

    /**
     * Stores rows {@code 0 .. count - 1} in order, as {@code count} calls of {@link #add} would (the
     * reference's {@code extend}), except that every row is checked before any is stored.
     *
     * @throws IllegalArgumentException when {@code count} is negative or exceeds an array's rows, or a row
     *     has the wrong length or a NaN or infinite value
     */
    public void extend(float[][] observations, float[][] actions, float[] rewards, float[][] nextObservations,
            boolean[] terminated, boolean[] truncated, int count) {
        int rows = Math.min(Math.min(Math.min(observations.length, actions.length), Math.min(rewards.length, nextObservations.length)),
                Math.min(terminated.length, truncated.length));
        if (count < 0 || count > rows) {
            throw new IllegalArgumentException("extend count " + count + " must be in [0, " + rows + "], the rows of its shortest array");
        }
        for (int row = 0; row < count; row++) {
            checkTransition(row, observations[row], actions[row], rewards[row], nextObservations[row]);
        }
        for (int row = 0; row < count; row++) {
            store(observations[row], nextObservations[row], 0, actions[row], 0, rewards[row], terminated[row], truncated[row]);
        }
    }

    /**
     * Fills {@code into} with {@code into.size()} transitions drawn uniformly with replacement, their
     * positions in {@code into.indices} and weights of 1.
     *
     * @throws IllegalArgumentException when {@code into}'s obsDim or actionDim differs from the buffer's
     * @throws IllegalStateException when the buffer holds fewer than {@code into.size()} transitions
     */
    public void sample(SplittableRandom random, ReplayBatch into) {
        checkSampleable(into);
        for (int row = 0; row < into.size(); row++) {
            copyTransition(random.nextInt(size), row, into);
            into.weights[row] = 1;
        }
    }

    /** The number of stored transitions. */
    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public boolean isFull() {
        return size == capacity;
    }

    /** Whether the buffer holds at least {@code batchSize} transitions. */
    public boolean canSample(int batchSize) {
        return size >= batchSize;
    }

    public int obsDim() {
        return obsDim;
    }

    public int actionDim() {
        return actionDim;
    }

    /** Whether a sampled {@code done} is {@code terminated || truncated} rather than {@code terminated} alone. */
    public boolean truncationIsTerminal() {
        return truncationIsTerminal;
    }

    /**
     * The stored transitions, oldest first, for saving with a model: {@code "observations"} float32
     * {@code [size, obsDim]}, {@code "actions"} float32 {@code [size, actionDim]}, {@code "rewards"} float32
     * {@code [size]}, {@code "next_observations"} float32 {@code [size, obsDim]}, {@code "terminated"} and
     * {@code "truncated"} bool {@code [size]}.
     */
    public LinkedHashMap<String, NdArray> state() {
        LinkedHashMap<String, NdArray> state = new LinkedHashMap<>();
        state.put(OBSERVATIONS, NdArray.ofFloats(chronological(observations, new float[size * obsDim], obsDim), size, obsDim));
        state.put(ACTIONS, NdArray.ofFloats(chronological(actions, new float[size * actionDim], actionDim), size, actionDim));
        state.put(REWARDS, NdArray.ofFloats(chronological(rewards, new float[size], 1), size));
        state.put(NEXT_OBSERVATIONS, NdArray.ofFloats(chronological(nextObservations, new float[size * obsDim], obsDim), size, obsDim));
        state.put(TERMINATED, NdArray.ofBooleans(chronological(terminated, new boolean[size], 1), size));
        state.put(TRUNCATED, NdArray.ofBooleans(chronological(truncated, new boolean[size], 1), size));
        return state;
    }

    /**
     * Replaces the contents with the transitions of a {@link #state()} (other keys are ignored), as adding
     * its rows in order to an empty buffer would: more rows than the capacity keep the newest, and row
     * {@code r} lands at position {@code r % capacity}. A buffer that never wrapped therefore samples the
     * same after a round trip; one that wrapped holds the same transitions at rotated positions.
     *
     * @throws IllegalArgumentException when a key is missing, an array has another dtype or a shape that does
     *     not match obsDim, actionDim and the rows of {@code "rewards"}, or a value is NaN or infinite; the
     *     buffer is then unchanged
     */
    public void loadState(Map<String, NdArray> state) {
        NdArray rewardArray = state.get(REWARDS);
        int rows = rewardArray != null && rewardArray.ndim() > 0 ? rewardArray.shape()[0] : 0;
        float[] loadedObservations = entry(state, OBSERVATIONS, DType.FLOAT32, rows, obsDim).toFloatArray();
        float[] loadedActions = entry(state, ACTIONS, DType.FLOAT32, rows, actionDim).toFloatArray();
        float[] loadedRewards = entry(state, REWARDS, DType.FLOAT32, rows).toFloatArray();
        float[] loadedNextObservations = entry(state, NEXT_OBSERVATIONS, DType.FLOAT32, rows, obsDim).toFloatArray();
        boolean[] loadedTerminated = entry(state, TERMINATED, DType.BOOL, rows).toBooleanArray();
        boolean[] loadedTruncated = entry(state, TRUNCATED, DType.BOOL, rows).toBooleanArray();
        requireFiniteVector(-1, "state \"" + OBSERVATIONS + "\"", loadedObservations, loadedObservations.length);
        requireFiniteVector(-1, "state \"" + ACTIONS + "\"", loadedActions, loadedActions.length);
        requireFiniteVector(-1, "state \"" + REWARDS + "\"", loadedRewards, loadedRewards.length);
        requireFiniteVector(-1, "state \"" + NEXT_OBSERVATIONS + "\"", loadedNextObservations, loadedNextObservations.length);

        int first = Math.max(0, rows - capacity);
        size = 0;
        next = first % capacity;
        onCleared();
        for (int row = first; row < rows; row++) {
            store(loadedObservations, loadedNextObservations, row * obsDim, loadedActions, row * actionDim, loadedRewards[row],
                    loadedTerminated[row], loadedTruncated[row]);
        }
    }

    /**
     * Called after a transition was written at {@code index} by {@link #add}, {@link #extend} or
     * {@link #loadState}; does nothing here.
     */
    protected void onStored(int index) {
    }

    /** Called when {@link #loadState} has emptied the buffer, before it stores the loaded transitions; does nothing here. */
    protected void onCleared() {
    }

    /**
     * @throws IllegalArgumentException when {@code into}'s obsDim or actionDim differs from the buffer's
     * @throws IllegalStateException when the buffer holds fewer than {@code into.size()} transitions
     */
    final void checkSampleable(ReplayBatch into) {
        if (into.obsDim() != obsDim || into.actionDim() != actionDim) {
            throw new IllegalArgumentException("batch of obsDim " + into.obsDim() + " and actionDim " + into.actionDim()
                    + " does not match the buffer's " + obsDim + " and " + actionDim);
        }
        if (size < into.size()) {
            throw new IllegalStateException("replay buffer holds " + size + " transitions, fewer than the batch size " + into.size());
        }
    }

    /** Copies the transition at position {@code index} into row {@code row} of {@code into}, with its done flag and index. */
    final void copyTransition(int index, int row, ReplayBatch into) {
        System.arraycopy(observations, index * obsDim, into.observations, row * obsDim, obsDim);
        System.arraycopy(actions, index * actionDim, into.actions, row * actionDim, actionDim);
        into.rewards[row] = rewards[index];
        System.arraycopy(nextObservations, index * obsDim, into.nextObservations, row * obsDim, obsDim);
        into.dones[row] = terminated[index] || (truncationIsTerminal && truncated[index]) ? 1 : 0;
        into.indices[row] = index;
    }

    private void checkTransition(int row, float[] observation, float[] action, float reward, float[] nextObservation) {
        requireFiniteVector(row, "observation", observation, obsDim);
        requireFiniteVector(row, "action", action, actionDim);
        if (!Float.isFinite(reward)) {
            throw new IllegalArgumentException(rowPrefix(row) + "reward " + reward + " is not finite");
        }
        requireFiniteVector(row, "next observation", nextObservation, obsDim);
    }

    /** Observations start at {@code observationFrom} of their arrays, the action at {@code actionFrom}. */
    private void store(float[] observation, float[] nextObservation, int observationFrom, float[] action, int actionFrom,
            float reward, boolean isTerminated, boolean isTruncated) {
        System.arraycopy(observation, observationFrom, observations, next * obsDim, obsDim);
        System.arraycopy(action, actionFrom, actions, next * actionDim, actionDim);
        rewards[next] = reward;
        System.arraycopy(nextObservation, observationFrom, nextObservations, next * obsDim, obsDim);
        terminated[next] = isTerminated;
        truncated[next] = isTruncated;
        onStored(next);
        next = next + 1 == capacity ? 0 : next + 1;
        size = Math.min(size + 1, capacity);
    }

    /** Copies the rows of a ring array ({@code width} values per row) into {@code out}, oldest first; returns {@code out}. */
    private <A> A chronological(A ring, A out, int width) {
        int oldest = size == capacity ? next : 0;
        int oldestToEnd = (size - oldest) * width;
        System.arraycopy(ring, oldest * width, out, 0, oldestToEnd);
        System.arraycopy(ring, 0, out, oldestToEnd, oldest * width);
        return out;
    }

    private static NdArray entry(Map<String, NdArray> state, String key, DType dtype, int... shape) {
        NdArray array = state.get(key);
        if (array == null) {
            throw new IllegalArgumentException("replay buffer state has no \"" + key + "\"");
        }
        if (array.dtype() != dtype || !Arrays.equals(array.shape(), shape)) {
            throw new IllegalArgumentException("replay buffer state \"" + key + "\" is " + array.dtype() + " " + NdArray.formatShape(array.shape())
                    + ", expected " + dtype + " " + NdArray.formatShape(shape));
        }
        return array;
    }

    /** Throws when {@code values} is not {@code length} long or holds a NaN or infinity; {@code row < 0} for no row. */
    private static void requireFiniteVector(int row, String what, float[] values, int length) {
        if (values.length != length) {
            throw new IllegalArgumentException(rowPrefix(row) + what + " has length " + values.length + ", expected " + length);
        }
        for (int i = 0; i < length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(rowPrefix(row) + what + " element " + i + " is " + values[i]);
            }
        }
    }

    private static String rowPrefix(int row) {
        return row < 0 ? "" : "row " + row + ": ";
    }
}
