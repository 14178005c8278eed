package org.sparkbaselines.nn;

/**
 * A multilayer perceptron built from an {@link MlpSpec} by a {@link Backend}.
 *
 * <p>Buffers are owned by the network and reused: {@link #forward} returns rows that stay valid
 * until the next forward; {@link #backward} uses the activations of the last forward. Nothing is
 * allocated per call once a batch size has been seen (buffers grow to the largest batch).
 */
public interface Mlp extends Trainable {

    MlpSpec spec();

    /** Computes the outputs for rows {@code 0 .. batch-1} of {@code input}; returns the output rows. */
    float[][] forward(float[][] input, int batch);

    /**
     * Back-propagates {@code gradOutput} (dL/doutput for the rows of the last forward) and ADDS the
     * parameter gradients to this network's gradient buffers (call {@link #zeroGrad()} between updates).
     * Returns dL/dinput rows when {@code needInputGrad} (a shared trunk needs them), else null.
     */
    float[][] backward(float[][] gradOutput, int batch, boolean needInputGrad);
}
