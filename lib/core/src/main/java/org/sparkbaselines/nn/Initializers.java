package org.sparkbaselines.nn;

import java.util.SplittableRandom;

/**
 * Backend-neutral weight initialisation, so both backends start from the same numbers for the same
 * seed. {@link #orthogonal} is the reference's {@code ortho_init(scale)}: an orthogonal matrix (from
 * the QR decomposition of a standard-normal matrix, signs fixed so the distribution is uniform)
 * times {@code gain}. {@link #glorotUniform} is TensorFlow's {@code glorot_uniform} (Xavier), the default
 * initializer of the reference's DQN, DDPG, TD3 and SAC layers.
 */
public final class Initializers {
    private Initializers() {
    }

    /** A {@code rows x cols} orthogonal matrix (orthonormal columns or rows, whichever is fewer) times {@code gain}, row-major. */
    public static float[] orthogonal(int rows, int cols, double gain, SplittableRandom random) {
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows;
        int n = transpose ? rows : cols;
        double[][] a = new double[m][n];
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] q = orthonormalColumns(a);
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) (gain * (transpose ? q[j][i] : q[i][j]));
            }
        }
        return out;
    }

    /**
     * A {@code rows x cols} matrix (fan-in {@code rows}, fan-out {@code cols}) uniform on {@code [-l, l]},
     * {@code l = sqrt(6 / (rows + cols))}, row-major.
     */
    public static float[] glorotUniform(int rows, int cols, SplittableRandom random) {
        double limit = Math.sqrt(6.0 / (rows + cols));
        float[] out = new float[rows * cols];
        for (int e = 0; e < out.length; e++) {
            out[e] = (float) random.nextDouble(-limit, limit);
        }
        return out;
    }

    /** Householder QR of a tall {@code m x n} matrix; returns the {@code m x n} factor Q with diag(R) made positive. */
    static double[][] orthonormalColumns(double[][] a) {
        int m = a.length;
        int n = a[0].length;
        double[][] r = new double[m][];
        for (int i = 0; i < m; i++) {
            r[i] = a[i].clone();
        }
        double[][] vs = new double[n][];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += r[i][k] * r[i][k];
            }
            norm = Math.sqrt(norm);
            double alpha = r[k][k] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = k; i < m; i++) {
                v[i] = r[i][k];
            }
            v[k] -= alpha;
            double vnorm = 0;
            for (int i = k; i < m; i++) {
                vnorm += v[i] * v[i];
            }
            if (vnorm > 0) {
                for (int j = k; j < n; j++) {
                    double dot = 0;
                    for (int i = k; i < m; i++) {
                        dot += v[i] * r[i][j];
                    }
                    double f = 2 * dot / vnorm;
                    for (int i = k; i < m; i++) {
                        r[i][j] -= f * v[i];
                    }
                }
            }
            vs[k] = v;
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
        double[][] q = new double[m][n];
        for (int j = 0; j < n; j++) {
            q[j][j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            double vnorm = 0;
            for (int i = k; i < m; i++) {
                vnorm += v[i] * v[i];
            }
            if (vnorm == 0) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i] * q[i][j];
                }
                double f = 2 * dot / vnorm;
                for (int i = k; i < m; i++) {
                    q[i][j] -= f * v[i];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            if (r[j][j] < 0) {
                for (int i = 0; i < m; i++) {
                    q[i][j] = -q[i][j];
                }
            }
        }
        return q;
    }
}
