package org.sparkbaselines.distributions;

import java.util.SplittableRandom;

/**
 * Independent bits, each 1 with probability {@code sigmoid(logit)}, SB2's
 * {@code BernoulliProbabilityDistribution} (for a {@code MultiBinary(n)} action space). An action is
 * {@code n} floats of 0 or 1. The math goes through softplus, {@code log(1 + e^x)}, in its stable
 * form, which is what SB2's {@code sigmoid_cross_entropy_with_logits} computes.
 */
public final class BernoulliDistribution extends RowwiseDistribution {
    private final int size;

    /** A distribution over {@code size} (> 0) independent bits. */
    public BernoulliDistribution(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("a Bernoulli distribution needs at least one bit, got " + size);
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
        return 0;
    }

    @Override
    void sampleRow(float[] logits, float[] logStd, SplittableRandom random, float[] actionOut) {
        for (int i = 0; i < size; i++) {
            actionOut[i] = random.nextDouble() < sigmoid(logits[i]) ? 1f : 0f;
        }
    }

    /** 1 where the logit is positive: SB2 rounds the probability, and TF rounds 0.5 to even (0). */
    @Override
    void modeRow(float[] logits, float[] actionOut) {
        for (int i = 0; i < size; i++) {
            actionOut[i] = logits[i] > 0 ? 1f : 0f;
        }
    }

    /** {@code sum_i x_i l_i - softplus(l_i)}, the negated sigmoid cross-entropy; also valid for soft labels. */
    @Override
    double logProbRow(float[] logits, float[] logStd, float[] action) {
        double logProb = 0;
        for (int i = 0; i < size; i++) {
            logProb += action[i] * (double) logits[i] - softplus(logits[i]);
        }
        return logProb;
    }

    /** {@code sum_i softplus(l_i) - p_i l_i}, SB2's cross-entropy of the logits against their own probabilities. */
    @Override
    double entropyRow(float[] logits, float[] logStd) {
        double entropy = 0;
        for (int i = 0; i < size; i++) {
            entropy += softplus(logits[i]) - sigmoid(logits[i]) * logits[i];
        }
        return entropy;
    }

    /** {@code sum_i p_i (lp_i - lq_i) + softplus(lq_i) - softplus(lp_i)}: SB2's difference of two cross-entropies. */
    @Override
    double klRow(float[] logitsP, float[] logStdP, float[] logitsQ, float[] logStdQ) {
        double kl = 0;
        for (int i = 0; i < size; i++) {
            kl += sigmoid(logitsP[i]) * ((double) logitsP[i] - logitsQ[i]) + softplus(logitsQ[i]) - softplus(logitsP[i]);
        }
        return kl;
    }

    /** Uses {@code dlogp/dl = x - p} and {@code dH/dl = -l p (1 - p)}. */
    @Override
    void backwardRow(float[] logits, float[] logStd, float[] action, double dLogp, double dEntropy,
            float[] gradLogits, float[] gradLogStd) {
        for (int i = 0; i < size; i++) {
            double p = sigmoid(logits[i]);
            gradLogits[i] += (float) (dLogp * (action[i] - p) - dEntropy * logits[i] * p * (1 - p));
        }
    }

    @Override
    public String toString() {
        return "Bernoulli(" + size + ")";
    }

    /** {@code log(1 + e^x)} without overflow for large x or lost precision for very negative x. */
    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** {@code 1 / (1 + e^-x)}, exponentiating only non-positive numbers. */
    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}
