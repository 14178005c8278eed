package org.sparkbaselines.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

/**
 * Transitions labelled by one number {@code t}: observation element {@code k} is {@code t + k}, the next
 * observation's is {@code t + k + 0.5}, every action element and the reward are {@code t}. A sampled row is
 * thus identified by its reward, and its other fields can be checked against it.
 */
final class Transitions {
    private Transitions() {
    }

    static void add(ReplayBuffer buffer, float t) {
        add(buffer, t, false, false);
    }

    static void add(ReplayBuffer buffer, float t, boolean terminated, boolean truncated) {
        buffer.add(observation(buffer.obsDim(), t, 0), action(buffer.actionDim(), t), t, observation(buffer.obsDim(), t, 0.5f),
                terminated, truncated);
    }

    static float[] observation(int obsDim, float t, float offset) {
        float[] observation = new float[obsDim];
        for (int k = 0; k < obsDim; k++) {
            observation[k] = t + k + offset;
        }
        return observation;
    }

    static float[] action(int actionDim, float t) {
        float[] action = new float[actionDim];
        Arrays.fill(action, t);
        return action;
    }

    /** Asserts row {@code row} of {@code batch} is one whole labelled transition; returns its label. */
    static float assertWhole(ReplayBatch batch, int row) {
        float t = batch.rewards[row];
        for (int k = 0; k < batch.obsDim(); k++) {
            assertEquals(t + k, batch.observations[row * batch.obsDim() + k], "observation of row " + row);
            assertEquals(t + k + 0.5f, batch.nextObservations[row * batch.obsDim() + k], "next observation of row " + row);
        }
        for (int k = 0; k < batch.actionDim(); k++) {
            assertEquals(t, batch.actions[row * batch.actionDim() + k], "action of row " + row);
        }
        return t;
    }
}
