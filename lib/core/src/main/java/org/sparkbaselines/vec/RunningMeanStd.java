package org.sparkbaselines.vec;

import java.util.Arrays;

/**
 * Running mean and variance over batches (parallel algorithm of Chan et al.), the reference's
 * {@code RunningMeanStd(epsilon=1e-4, shape)}: starts at mean 0, variance 1 and count epsilon.
 * Statistics are kept in double precision.
 */
public final class RunningMeanStd {
    private final double[] mean;
    private final double[] var;
    private double count;

    public RunningMeanStd(int dim) {
        this(dim, 1e-4);
    }

    public RunningMeanStd(int dim, double epsilon) {
        mean = new double[dim];
        var = new double[dim];
        Arrays.fill(var, 1.0);
        count = epsilon;
    }

    /** Restores saved statistics. */
    public RunningMeanStd(double[] mean, double[] var, double count) {
        if (mean.length != var.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " entries but var has " + var.length);
        }
        this.mean = mean.clone();
        this.var = var.clone();
        this.count = count;
    }

    public int dim() {
        return mean.length;
    }

    public double[] mean() {
        return mean;
    }

    public double[] var() {
        return var;
    }

    public double count() {
        return count;
    }

    /** Adds a batch of rows (each of length {@link #dim()}). */
    public void update(float[][] batch) {
        int n = batch.length;
        int d = mean.length;
        for (int j = 0; j < d; j++) {
            double m = 0;
            for (float[] row : batch) {
                m += row[j];
            }
            m /= n;
            double v = 0;
            for (float[] row : batch) {
                double dev = row[j] - m;
                v += dev * dev;
            }
            combine(j, m, v / n, n);
        }
        count += n;
    }

    /** Adds a batch of scalars (dimension 1). */
    public void update(double[] batch) {
        int n = batch.length;
        double m = 0;
        for (double x : batch) {
            m += x;
        }
        m /= n;
        double v = 0;
        for (double x : batch) {
            v += (x - m) * (x - m);
        }
        combine(0, m, v / n, n);
        count += n;
    }

    private void combine(int j, double batchMean, double batchVar, int batchCount) {
        double total = count + batchCount;
        double delta = batchMean - mean[j];
        double m2 = var[j] * count + batchVar * batchCount + delta * delta * count * batchCount / total;
        mean[j] += delta * batchCount / total;
        var[j] = m2 / total;
    }

    /** A deep copy. */
    public RunningMeanStd copy() {
        return new RunningMeanStd(mean, var, count);
    }

    /** Overwrites these statistics with {@code other}'s. */
    public void copyFrom(RunningMeanStd other) {
        if (other.dim() != dim()) {
            throw new IllegalArgumentException("cannot copy statistics of dimension " + other.dim() + " into " + dim());
        }
        System.arraycopy(other.mean, 0, mean, 0, mean.length);
        System.arraycopy(other.var, 0, var, 0, var.length);
        count = other.count;
    }
}
