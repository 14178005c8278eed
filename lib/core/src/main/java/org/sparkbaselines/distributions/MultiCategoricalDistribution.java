package org.sparkbaselines.distributions;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Independent categorical choices, one per entry of {@code nvec}, SB2's
 * {@code MultiCategoricalProbabilityDistribution} (for a {@code MultiDiscrete(nvec)} action space).
 * The parameters are the sub-distributions' logits laid end to end ({@code sum(nvec)} floats); an
 * action holds one index per sub-action. Log-probabilities, entropies and KL divergences are the
 * sums over the sub-distributions.
 */
public final class MultiCategoricalDistribution extends RowwiseDistribution {
    private final int[] nvec;
    /** Where each sub-distribution's logits start in a parameter row. */
    private final int[] offsets;
    private final int paramDim;

    /** A distribution with one categorical of {@code nvec[i]} (> 0) choices per sub-action. */
    public MultiCategoricalDistribution(int... nvec) {
        if (nvec.length == 0) {
            throw new IllegalArgumentException("a multi-categorical distribution needs at least one sub-action");
        }
        this.nvec = nvec.clone();
        this.offsets = new int[nvec.length];
        int offset = 0;
        for (int i = 0; i < nvec.length; i++) {
            if (nvec[i] <= 0) {
                throw new IllegalArgumentException("every nvec entry must be > 0, got " + Arrays.toString(nvec));
            }
            offsets[i] = offset;
            if (offset > Integer.MAX_VALUE - nvec[i]) {
                throw new IllegalArgumentException("nvec sums to more than " + Integer.MAX_VALUE + " logits: " + Arrays.toString(nvec));
            }
            offset += nvec[i];
        }
        this.paramDim = offset;
    }

    /** The number of categories of each sub-action. */
    public int[] nvec() {
        return nvec.clone();
    }

    @Override
    public int paramDim() {
        return paramDim;
    }

    @Override
    public int actionDim() {
        return nvec.length;
    }

    @Override
    public int logStdDim() {
        return 0;
    }

    @Override
    void sampleRow(float[] logits, float[] logStd, SplittableRandom random, float[] actionOut) {
        for (int i = 0; i < nvec.length; i++) {
            actionOut[i] = LogSoftmax.sampleGumbelMax(logits, offsets[i], nvec[i], random);
        }
    }

    @Override
    void modeRow(float[] logits, float[] actionOut) {
        for (int i = 0; i < nvec.length; i++) {
            actionOut[i] = LogSoftmax.argmax(logits, offsets[i], nvec[i]);
        }
    }

    @Override
    double logProbRow(float[] logits, float[] logStd, float[] action) {
        double logProb = 0;
        for (int i = 0; i < nvec.length; i++) {
            logProb += LogSoftmax.logProb(logits, offsets[i], nvec[i], LogSoftmax.categoryIndex(action[i], nvec[i]));
        }
        return logProb;
    }

    @Override
    double entropyRow(float[] logits, float[] logStd) {
        double entropy = 0;
        for (int i = 0; i < nvec.length; i++) {
            entropy += LogSoftmax.entropy(logits, offsets[i], nvec[i]);
        }
        return entropy;
    }

    @Override
    double klRow(float[] logitsP, float[] logStdP, float[] logitsQ, float[] logStdQ) {
        double kl = 0;
        for (int i = 0; i < nvec.length; i++) {
            kl += LogSoftmax.kl(logitsP, logitsQ, offsets[i], nvec[i]);
        }
        return kl;
    }

    @Override
    void backwardRow(float[] logits, float[] logStd, float[] action, double dLogp, double dEntropy,
            float[] gradLogits, float[] gradLogStd) {
        // The sums split: each sub-distribution's logits only see their own log-probability and entropy.
        for (int i = 0; i < nvec.length; i++) {
            int index = LogSoftmax.categoryIndex(action[i], nvec[i]);
            LogSoftmax.addGradient(logits, offsets[i], nvec[i], index, dLogp, dEntropy, gradLogits);
        }
    }

    @Override
    public String toString() {
        return "MultiCategorical(" + Arrays.toString(nvec) + ")";
    }
}
