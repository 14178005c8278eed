package org.sparkbaselines.nn;

/**
 * Updates a fixed set of {@link Trainable}s from their accumulated gradients. Made by a
 * {@link Backend} for objects of that backend.
 */
public interface Optimizer extends OptimizerState {

    /**
     * Clips all gradients together to global norm {@code maxGradNorm} (when it is positive and
     * finite; pass {@code Double.NaN} for no clipping), applies one update with {@code learningRate},
     * and returns the global gradient norm before clipping.
     */
    double step(double learningRate, double maxGradNorm);

    /**
     * Threads one {@link #step} may use (the algorithm's {@code n_cpu_tf_sess}): 1 keeps it on the
     * caller's thread. Optimizers that never use a second thread ignore it.
     */
    default void setThreads(int threads) {
    }

    /** TensorFlow's {@code clip_by_global_norm} as a gradient scale: {@code maxNorm / max(norm, maxNorm)}, or 1 without a positive finite limit. */
    static double clipScale(double norm, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            return 1;
        }
        return maxNorm / Math.max(norm, maxNorm);
    }
}
