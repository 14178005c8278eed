package org.sparkbaselines.env;

/**
 * An env whose internal physical state can be read and set directly, as the recorded reference
 * trajectories need (the original's reset generator is not portable, its state is).
 */
public interface HasState {
    /** A copy of the internal state, in the order the env documents. */
    double[] getState();

    /** Replaces the internal state; returns the observation for it. */
    float[] setState(double[] state);
}
