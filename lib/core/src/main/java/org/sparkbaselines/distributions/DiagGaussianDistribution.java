package org.sparkbaselines.distributions;

import java.util.SplittableRandom;

/**
 * A Gaussian with diagonal covariance, SB2's {@code DiagGaussianProbabilityDistribution} (for a
 * {@code Box} action space). The parameters are the mean; the log standard deviations are a
 * state-independent vector the policy trains itself (SB2's {@code pi/logstd}, initialised to 0, so
 * std 1), passed to every method as {@code logStd}. Actions are the raw samples; clipping to the
 * Box is the caller's business, as in SB2.
 */
public final class DiagGaussianDistribution extends RowwiseDistribution {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double HALF_LOG_2PI_E = 0.5 * Math.log(2 * Math.PI * Math.E);

    private final int size;

    /** A Gaussian over {@code size} (> 0) dimensions. */
    public DiagGaussianDistribution(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("a Gaussian needs at least one dimension, got " + size);
        }
        this.size = size;
    }

    @Override
    public int paramDim() {
        return size;
    }

    @Override
    public int actionDim() {
        return size;
    }

    @Override
    public int logStdDim() {
        return size;
    }

    /** {@code mean + exp(logStd) * N(0, 1)}. */
    @Override
    void sampleRow(float[] mean, float[] logStd, SplittableRandom random, float[] actionOut) {
        for (int i = 0; i < size; i++) {
            actionOut[i] = (float) (mean[i] + Math.exp(logStd[i]) * random.nextGaussian());
        }
    }

    @Override
    void modeRow(float[] mean, float[] actionOut) {
        System.arraycopy(mean, 0, actionOut, 0, size);
    }

    /** SB2's negated {@code neglogp}: {@code -0.5 sum z_i^2 - 0.5 log(2 pi) n - sum logStd_i} with {@code z = (x - mean) / std}. */
    @Override
    double logProbRow(float[] mean, float[] logStd, float[] action) {
        double logProb = 0;
        for (int i = 0; i < size; i++) {
            double z = (action[i] - (double) mean[i]) * Math.exp(-logStd[i]);
            logProb -= 0.5 * z * z + logStd[i] + HALF_LOG_2PI;
        }
        return logProb;
    }

    /** {@code sum_i logStd_i + 0.5 log(2 pi e)}; the mean plays no part. */
    @Override
    double entropyRow(float[] mean, float[] logStd) {
        double entropy = 0;
        for (int i = 0; i < size; i++) {
            entropy += logStd[i] + HALF_LOG_2PI_E;
        }
        return entropy;
    }

    /**
     * SB2's {@code sum(logstd_q - logstd_p + (std_p^2 + (mean_p - mean_q)^2) / (2 std_q^2) - 0.5)},
     * with both ratios formed in log space so that tiny or huge stds cannot overflow.
     */
    @Override
    double klRow(float[] meanP, float[] logStdP, float[] meanQ, float[] logStdQ) {
        double kl = 0;
        for (int i = 0; i < size; i++) {
            double varianceRatio = Math.exp(2 * ((double) logStdP[i] - logStdQ[i]));
            double scaledGap = (meanP[i] - (double) meanQ[i]) * Math.exp(-logStdQ[i]);
            kl += logStdQ[i] - (double) logStdP[i] + 0.5 * (varianceRatio + scaledGap * scaledGap) - 0.5;
        }
        return kl;
    }

    /** Uses {@code dlogp/dmean = z / std}, {@code dlogp/dlogStd = z^2 - 1} and {@code dH/dlogStd = 1}. */
    @Override
    void backwardRow(float[] mean, float[] logStd, float[] action, double dLogp, double dEntropy,
            float[] gradMean, float[] gradLogStd) {
        for (int i = 0; i < size; i++) {
            double inverseStd = Math.exp(-logStd[i]);
            double z = (action[i] - (double) mean[i]) * inverseStd;
            gradMean[i] += (float) (dLogp * z * inverseStd);
            gradLogStd[i] += (float) (dLogp * (z * z - 1) + dEntropy);
        }
    }

    @Override
    public String toString() {
        return "DiagGaussian(" + size + ")";
    }
}
