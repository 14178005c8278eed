package org.sparkbaselines.nn;

import java.util.Map;

/**
 * Adam's constants, TensorFlow's {@code AdamOptimizer(beta1=0.9, beta2=0.999, epsilon)} update:
 * {@code lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)}, {@code w -= lr_t * m / (sqrt(v) + epsilon)}.
 * PPO2 uses epsilon 1e-5.
 */
public record AdamConfig(double beta1, double beta2, double epsilon) {
    /** beta1 0.9, beta2 0.999, epsilon 1e-8. */
    public static final AdamConfig DEFAULT = new AdamConfig(0.9, 0.999, 1e-8);

    /** The entry of an optimizer's state that holds Adam's step count (one float: exact up to 2^24 steps). */
    public static final String STEP_STATE = "adam/step";

    public AdamConfig withEpsilon(double eps) {
        return new AdamConfig(beta1, beta2, eps);
    }

    /** {@code learningRate * sqrt(1 - beta2^step) / (1 - beta1^step)}: TensorFlow's bias correction folded into the rate. */
    public double correctedRate(double learningRate, long step) {
        return learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
    }

    /** The step count saved under {@link #STEP_STATE}; an error naming the entry when it is missing or not one whole number >= 0. */
    public static long savedStep(Map<String, float[]> state) {
        float[] saved = state.get(STEP_STATE);
        if (saved == null) {
            throw new IllegalArgumentException("optimizer state has no entry '" + STEP_STATE + "'");
        }
        if (saved.length != 1 || !(saved[0] >= 0) || saved[0] != Math.rint(saved[0])) {
            throw new IllegalArgumentException("optimizer state '" + STEP_STATE + "' must be one whole number >= 0, got " + saved.length
                    + (saved.length == 1 ? " value, " + saved[0] : " values"));
        }
        return (long) saved[0];
    }
}
