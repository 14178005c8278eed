package org.sparkbaselines.nn.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The matrix kernels against plain loops in double precision, over shapes that reach every path: narrower than a
 * vector, whole tiles, tiles with columns left over (fewer than one vector, one vector and more), rows not a multiple of
 * four, one row, and batches with fewer rows than the weights (their transposed product moves the batch, not the weights).
 */
class FlatKernelsTest {

    private static float[] random(int n, SplittableRandom r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (2 * r.nextDouble() - 1);
        }
        return a;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * Math.max(1, Math.abs(expected[i])), what + " at " + i);
        }
    }

    @ParameterizedTest(name = "{0} x {1} x {2}")
    @CsvSource({"1, 3, 2", "5, 20, 7", "4, 3, 16", "8, 33, 32", "7, 17, 45", "9, 40, 70", "4, 5, 300", "13, 4, 400", "100, 40, 300",
            "6, 64, 48", "3, 300, 33", "256, 4, 257", "32, 256, 256", "64, 300, 401", "32, 70, 333"})
    void productsMatchPlainLoops(int rows, int depth, int cols) {
        SplittableRandom r = new SplittableRandom(rows * 1000L + depth * 10L + cols);
        float[] x = random(rows * depth, r);
        float[] w = random(depth * cols, r);
        float[] y0 = random(rows * cols, r);
        float[] scratch = new float[depth * cols];

        float[] y = y0.clone();
        FlatKernels.multiplyAccumulate(x, rows, depth, w, cols, y, scratch);
        double[] expected = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double sum = y0[i * cols + j];
                for (int k = 0; k < depth; k++) {
                    sum += (double) x[i * depth + k] * w[k * cols + j];
                }
                expected[i * cols + j] = sum;
            }
        }
        assertClose(expected, y, "x w");

        // dx += dy w^T with w given as wt = (cols x depth) ... here the layer's w (depth x cols) read as (out x in).
        float[] dy = random(rows * depth, r);
        float[] dx0 = random(rows * cols, r);
        float[] dx = dx0.clone();
        FlatKernels.multiplyAccumulateTransposed(dy, rows, depth, w, cols, dx, scratch);
        double[] expectedDx = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double sum = dx0[i * cols + j];
                for (int k = 0; k < depth; k++) {
                    sum += (double) dy[i * depth + k] * w[j * depth + k];
                }
                expectedDx[i * cols + j] = sum;
            }
        }
        assertClose(expectedDx, dx, "dy w^T");

        float[] d = random(rows * cols, r);
        float[] g0 = random(depth * cols, r);
        float[] g = g0.clone();
        FlatKernels.accumulateTransposedProduct(x, rows, depth, d, cols, g);
        double[] expectedG = new double[depth * cols];
        for (int k = 0; k < depth; k++) {
            for (int j = 0; j < cols; j++) {
                double sum = g0[k * cols + j];
                for (int i = 0; i < rows; i++) {
                    sum += (double) x[i * depth + k] * d[i * cols + j];
                }
                expectedG[k * cols + j] = sum;
            }
        }
        assertClose(expectedG, g, "x^T d");
    }
}
