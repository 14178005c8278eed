package org.sparkbaselines.nn;

/**
 * A free parameter vector trained alongside networks, such as a Gaussian policy's state-independent
 * {@code logstd}: one parameter named {@link #name()}, with a gradient the caller adds to.
 */
public interface ParameterVector extends Trainable {

    String name();

    int size();

    /** Copies the current values into {@code out}. */
    void values(float[] out);

    /** Adds {@code grad} to the accumulated gradient. */
    void addGradient(float[] grad);
}
