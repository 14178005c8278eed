package org.sparkbaselines.distributions;

import java.util.SplittableRandom;

/**
 * Softmax-distribution math over one segment {@code [offset, offset + count)} of a logits row, shared
 * by {@link CategoricalDistribution} (one segment) and {@link MultiCategoricalDistribution} (one
 * segment per sub-action). Everything runs in double with the segment's maximum subtracted before
 * exponentiating, so large logits neither overflow nor wipe out small probabilities.
 */
final class LogSoftmax {

    private LogSoftmax() {
    }

    /** {@code log(sum_i exp(logits_i))} over the segment. */
    static double logSumExp(float[] logits, int offset, int count) {
        double max = max(logits, offset, count);
        double sum = 0;
        for (int i = offset; i < offset + count; i++) {
            sum += Math.exp(logits[i] - max);
        }
        return max + Math.log(sum);
    }

    /** Log-probability of category {@code index}: its logit minus the log normaliser. */
    static double logProb(float[] logits, int offset, int count, int index) {
        return logits[offset + index] - logSumExp(logits, offset, count);
    }

    /**
     * Entropy {@code -sum_i p_i log p_i}, in SB2's form {@code log z - sum_i p_i a_i} with
     * {@code a = logits - max} and {@code z = sum_i exp(a_i)}: one pass of exponentials.
     */
    static double entropy(float[] logits, int offset, int count) {
        double max = max(logits, offset, count);
        double sum = 0;
        double weighted = 0;
        for (int i = offset; i < offset + count; i++) {
            double shifted = logits[i] - max;
            double e = Math.exp(shifted);
            sum += e;
            weighted += e * shifted;
        }
        return Math.log(sum) - weighted / sum;
    }

    /** {@code KL(P || Q) = sum_i p_i (log p_i - log q_i)} between the softmaxes of two segments at the same place. */
    static double kl(float[] logitsP, float[] logitsQ, int offset, int count) {
        double logNormP = logSumExp(logitsP, offset, count);
        double logNormQ = logSumExp(logitsQ, offset, count);
        double kl = 0;
        for (int i = offset; i < offset + count; i++) {
            double logP = logitsP[i] - logNormP;
            kl += Math.exp(logP) * (logP - (logitsQ[i] - logNormQ));
        }
        return kl;
    }

    /**
     * Adds {@code dLogp * dlog p_index/dlogits + dEntropy * dH/dlogits} into {@code grad} at the same
     * segment, using {@code dlog p_k/dl_i = [i = k] - p_i} and {@code dH/dl_i = -p_i (log p_i + H)},
     * where {@code log p_i + H = a_i - sum_j p_j a_j} with {@code a = logits - max}: no logarithm.
     */
    static void addGradient(float[] logits, int offset, int count, int index, double dLogp, double dEntropy,
            float[] grad) {
        double max = max(logits, offset, count);
        double sum = 0;
        double weighted = 0;
        for (int i = offset; i < offset + count; i++) {
            double shifted = logits[i] - max;
            double e = Math.exp(shifted);
            sum += e;
            weighted += e * shifted;
        }
        double meanShifted = weighted / sum;
        for (int i = 0; i < count; i++) {
            double shifted = logits[offset + i] - max;
            double p = Math.exp(shifted) / sum;
            double g = -dLogp * p - dEntropy * p * (shifted - meanShifted);
            if (i == index) {
                g += dLogp;
            }
            grad[offset + i] += (float) g;
        }
    }

    /**
     * Writes the segment's {@code log p_index} to {@code logProbOut[at]} and its entropy to
     * {@code entropyOut[at]}, sharing one exponential per logit: the training pass needs both.
     */
    static void logProbAndEntropy(float[] logits, int offset, int count, int index, float[] logProbOut, float[] entropyOut, int at) {
        double max = max(logits, offset, count);
        double sum = 0;
        double weighted = 0;
        for (int i = offset; i < offset + count; i++) {
            double shifted = logits[i] - max;
            double e = Math.exp(shifted);
            sum += e;
            weighted += e * shifted;
        }
        double logSum = Math.log(sum);
        logProbOut[at] = (float) (logits[offset + index] - max - logSum);
        entropyOut[at] = (float) (logSum - weighted / sum);
    }

    /** Index (relative to the segment) of the largest logit; the first one on ties, like {@code argmax}. */
    static int argmax(float[] logits, int offset, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Samples a category with the Gumbel-max trick, as SB2 does: {@code argmax_i(logits_i - log(-log u_i))}
     * with {@code u_i} uniform. It needs no normaliser and is exact for any logits; u is drawn from
     * {@code [Double.MIN_VALUE, 1)} so that {@code log(0)} cannot occur.
     */
    static int sampleGumbelMax(float[] logits, int offset, int count, SplittableRandom random) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            double score = logits[offset + i] - Math.log(-Math.log(random.nextDouble(Double.MIN_VALUE, 1.0)));
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    /** Reads a category index stored as a float, rejecting non-integers and values outside {@code [0, count)}. */
    static int categoryIndex(float action, int count) {
        int index = (int) action;
        if (index != action || index < 0 || index >= count) {
            throw new IllegalArgumentException("action " + action + " is not a category index in [0, " + count + ")");
        }
        return index;
    }

    private static double max(float[] logits, int offset, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + count; i++) {
            max = Math.max(max, logits[i]);
        }
        return max;
    }
}
