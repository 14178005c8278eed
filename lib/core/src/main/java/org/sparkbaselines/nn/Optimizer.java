package org.sparkbaselines.nn;

import java.util.Map;

/**
 * Updates a fixed set of {@link Trainable}s from their accumulated gradients. Made by a
 * {@link Backend} for objects of that backend.
 */
public interface Optimizer {

    /**
     * Clips all gradients together to global norm {@code maxGradNorm} (when it is positive and
     * finite; pass {@code Double.NaN} for no clipping), applies one update with {@code learningRate},
     * and returns the global gradient norm before clipping.
     */
    double step(double learningRate, double maxGradNorm);

    /** The optimizer's state (moments, step count) by name, for model files. */
    Map<String, float[]> state();

    /** Restores {@link #state()} output; missing or mis-sized entries are errors naming them. */
    void loadState(Map<String, float[]> state);
}
