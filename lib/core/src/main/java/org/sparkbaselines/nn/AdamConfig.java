package org.sparkbaselines.nn;

/**
 * Adam's constants, TensorFlow's {@code AdamOptimizer(beta1=0.9, beta2=0.999, epsilon)} update:
 * {@code lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)}, {@code w -= lr_t * m / (sqrt(v) + epsilon)}.
 * PPO2 uses epsilon 1e-5.
 */
public record AdamConfig(double beta1, double beta2, double epsilon) {
    /** beta1 0.9, beta2 0.999, epsilon 1e-8. */
    public static final AdamConfig DEFAULT = new AdamConfig(0.9, 0.999, 1e-8);

    public AdamConfig withEpsilon(double eps) {
        return new AdamConfig(beta1, beta2, eps);
    }
}
