package org.sparkbaselines.distributions;

import java.util.SplittableRandom;

/**
 * One choice among {@code n} categories from {@code n} logits, SB2's
 * {@code CategoricalProbabilityDistribution} (for a {@code Discrete(n)} action space). An action is
 * one float holding the category index. Sampling uses the Gumbel-max trick like SB2.
 */
public final class CategoricalDistribution extends RowwiseDistribution {
    private final int categories;

    /** A categorical distribution over {@code categories} (> 0) choices. */
    public CategoricalDistribution(int categories) {
        if (categories <= 0) {
            throw new IllegalArgumentException("a categorical distribution needs at least one category, got " + categories);
        }
        this.categories = categories;
    }

    /** The number of categories. */
    public int categories() {
        return categories;
    }

    @Override
    public int paramDim() {
        return categories;
    }

    @Override
    public int actionDim() {
        return 1;
    }

    @Override
    public int logStdDim() {
        return 0;
    }

    @Override
    void sampleRow(float[] logits, float[] logStd, SplittableRandom random, float[] actionOut) {
        actionOut[0] = LogSoftmax.sampleGumbelMax(logits, 0, categories, random);
    }

    @Override
    void modeRow(float[] logits, float[] actionOut) {
        actionOut[0] = LogSoftmax.argmax(logits, 0, categories);
    }

    @Override
    double logProbRow(float[] logits, float[] logStd, float[] action) {
        return LogSoftmax.logProb(logits, 0, categories, LogSoftmax.categoryIndex(action[0], categories));
    }

    @Override
    double entropyRow(float[] logits, float[] logStd) {
        return LogSoftmax.entropy(logits, 0, categories);
    }

    @Override
    void logProbAndEntropyRow(float[] logits, float[] logStd, float[] action, float[] logProbOut, float[] entropyOut, int at) {
        LogSoftmax.logProbAndEntropy(logits, 0, categories, LogSoftmax.categoryIndex(action[0], categories), logProbOut, entropyOut, at);
    }

    @Override
    double klRow(float[] logitsP, float[] logStdP, float[] logitsQ, float[] logStdQ) {
        return LogSoftmax.kl(logitsP, logitsQ, 0, categories);
    }

    @Override
    void backwardRow(float[] logits, float[] logStd, float[] action, double dLogp, double dEntropy,
            float[] gradLogits, float[] gradLogStd) {
        int index = LogSoftmax.categoryIndex(action[0], categories);
        LogSoftmax.addGradient(logits, 0, categories, index, dLogp, dEntropy, gradLogits);
    }

    @Override
    public String toString() {
        return "Categorical(" + categories + ")";
    }
}
