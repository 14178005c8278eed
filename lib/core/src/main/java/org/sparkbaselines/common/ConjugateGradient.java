package org.sparkbaselines.common;

import java.util.function.BiConsumer;

/**
 * Solves {@code A x = b} for a symmetric positive-definite {@code A} given only as products {@code A p}, the
 * reference's {@code conjugate_gradient} (Demmel, p. 312): at most {@code iterations} steps, stopping early once
 * the squared residual falls below {@code residualTolerance} (1e-10 in the reference). TRPO's {@code A} is the
 * damped Fisher matrix.
 */
public final class ConjugateGradient {
    /** The reference's {@code residual_tol}. */
    public static final double RESIDUAL_TOLERANCE = 1e-10;

    private ConjugateGradient() {
    }

    /**
     * @param product writes {@code A p} into its second argument for the direction {@code p} in its first
     * @param b the right-hand side
     * @param iterations the most products to take ({@code cg_iters})
     * @return {@code x}
     */
    public static double[] solve(BiConsumer<double[], double[]> product, double[] b, int iterations, double residualTolerance) {
        int n = b.length;
        double[] direction = b.clone();
        double[] residual = b.clone();
        double[] x = new double[n];
        double[] ap = new double[n];
        double residualSquared = dot(residual, residual);
        for (int i = 0; i < iterations; i++) {
            product.accept(direction, ap);
            double alpha = residualSquared / dot(direction, ap);
            for (int k = 0; k < n; k++) {
                x[k] += alpha * direction[k];
                residual[k] -= alpha * ap[k];
            }
            double next = dot(residual, residual);
            double beta = next / residualSquared;
            for (int k = 0; k < n; k++) {
                direction[k] = residual[k] + beta * direction[k];
            }
            residualSquared = next;
            if (residualSquared < residualTolerance) {
                break;
            }
        }
        return x;
    }

    public static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += a[k] * b[k];
        }
        return sum;
    }
}
