package org.sparkbaselines.distributions;

import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Shared test inputs: one of each distribution, random parameters, and one-row wrappers of the batch API. */
final class DistributionFixtures {

    private DistributionFixtures() {
    }

    /** One instance of every distribution, small but with more than one entry everywhere. */
    static Stream<RowwiseDistribution> all() {
        return Stream.of(new CategoricalDistribution(4), new MultiCategoricalDistribution(2, 3, 4),
                new BernoulliDistribution(3), new DiagGaussianDistribution(3));
    }

    /** Parameter rows drawn from N(0, 1.5^2). */
    static float[][] randomParams(Distribution distribution, int batch, SplittableRandom random) {
        float[][] params = new float[batch][distribution.paramDim()];
        for (float[] row : params) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (1.5 * random.nextGaussian());
            }
        }
        return params;
    }

    /** Log stds in [-1, 0.5) for the Gaussian, null for the others. */
    static float[] randomLogStd(Distribution distribution, SplittableRandom random) {
        if (distribution.logStdDim() == 0) {
            return null;
        }
        float[] logStd = new float[distribution.logStdDim()];
        for (int j = 0; j < logStd.length; j++) {
            logStd[j] = (float) random.nextDouble(-1.0, 0.5);
        }
        return logStd;
    }

    /** One action per row, sampled from the distribution itself. */
    static float[][] sampledActions(Distribution distribution, float[][] params, float[] logStd, SplittableRandom random) {
        float[][] actions = new float[params.length][distribution.actionDim()];
        distribution.sample(params, logStd, params.length, random, actions);
        return actions;
    }

    static float logProbOf(Distribution distribution, float[] params, float[] logStd, float[] action) {
        float[] out = new float[1];
        distribution.logProb(new float[][] {params}, logStd, new float[][] {action}, 1, out);
        return out[0];
    }

    static float entropyOf(Distribution distribution, float[] params, float[] logStd) {
        float[] out = new float[1];
        distribution.entropy(new float[][] {params}, logStd, 1, out);
        return out[0];
    }

    static float klOf(Distribution distribution, float[] paramsP, float[] logStdP, float[] paramsQ, float[] logStdQ) {
        float[] out = new float[1];
        distribution.kl(new float[][] {paramsP}, logStdP, new float[][] {paramsQ}, logStdQ, 1, out);
        return out[0];
    }

    static float[] modeOf(Distribution distribution, float[] params) {
        float[][] out = new float[1][distribution.actionDim()];
        distribution.mode(new float[][] {params}, 1, out);
        return out[0];
    }

    /** {@code n} copies of {@code row}, for sampling many times from one distribution. */
    static float[][] repeat(float[] row, int n) {
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = row.clone();
        }
        return rows;
    }
}
