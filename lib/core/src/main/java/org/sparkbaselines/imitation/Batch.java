package org.sparkbaselines.imitation;

/**
 * One minibatch of expert data, the reference's {@code (inputs, labels)}: observation rows and the
 * expert's action rows, in the same order. The rows are copies the receiver owns.
 */
public record Batch(float[][] observations, float[][] actions) {

    /** Number of rows. */
    public int size() {
        return observations.length;
    }
}
