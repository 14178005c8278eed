package org.sparkbaselines.nn;

/**
 * TensorFlow's {@code RMSPropOptimizer(decay=alpha, momentum, epsilon)} as A2C uses it: the mean
 * square starts at ONE (not zero) and epsilon sits inside the square root:
 * {@code ms = alpha*ms + (1-alpha)*g^2; mom = momentum*mom + lr*g/sqrt(ms + epsilon); w -= mom}.
 * A2C's defaults: alpha 0.99, momentum 0, epsilon 1e-5.
 */
public record RmsPropConfig(double alpha, double momentum, double epsilon) {
    public static final RmsPropConfig A2C_DEFAULT = new RmsPropConfig(0.99, 0.0, 1e-5);
}
