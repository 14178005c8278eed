package org.sparkbaselines.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Conjugate gradient against a direct solve, and its early stop. */
class ConjugateGradientTest {

    @Test
    void equalsADirectSolveAfterAsManyStepsAsUnknowns() {
        int n = 6;
        SplittableRandom random = new SplittableRandom(3);
        double[][] m = new double[n][n];
        for (double[] row : m) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextDouble(-1, 1);
            }
        }
        // A = M M^T + I: symmetric positive-definite, as a damped Fisher matrix is.
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    a[i][j] += m[i][k] * m[j][k];
                }
            }
            a[i][i] += 1;
        }
        double[] b = random.doubles(n, -1, 1).toArray();
        double[] x = ConjugateGradient.solve((p, out) -> multiply(a, p, out), b, n, 0);
        assertArrayEquals(gaussianElimination(a, b), x, 1e-9);
    }

    @Test
    void stopsOnceTheResidualIsBelowTheTolerance() {
        int[] products = new int[1];
        double[] b = {3, -4};
        // A = 2 I: the first step solves it exactly.
        double[] x = ConjugateGradient.solve((p, out) -> {
            products[0]++;
            out[0] = 2 * p[0];
            out[1] = 2 * p[1];
        }, b, 10, ConjugateGradient.RESIDUAL_TOLERANCE);
        assertEquals(1, products[0]);
        assertArrayEquals(new double[] {1.5, -2}, x, 1e-12);
    }

    private static void multiply(double[][] a, double[] p, double[] out) {
        for (int i = 0; i < a.length; i++) {
            out[i] = 0;
            for (int j = 0; j < p.length; j++) {
                out[i] += a[i][j] * p[j];
            }
        }
    }

    private static double[] gaussianElimination(double[][] matrix, double[] rhs) {
        int n = rhs.length;
        double[][] a = new double[n][];
        double[] b = rhs.clone();
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
        }
        for (int col = 0; col < n; col++) {
            for (int row = col + 1; row < n; row++) {
                double f = a[row][col] / a[col][col];
                for (int j = col; j < n; j++) {
                    a[row][j] -= f * a[col][j];
                }
                b[row] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = b[i];
            for (int j = i + 1; j < n; j++) {
                sum -= a[i][j] * x[j];
            }
            x[i] = sum / a[i][i];
        }
        return x;
    }
}
