package org.sparkbaselines.distributions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sparkbaselines.distributions.DistributionFixtures.randomLogStd;
import static org.sparkbaselines.distributions.DistributionFixtures.randomParams;
import static org.sparkbaselines.distributions.DistributionFixtures.sampledActions;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code backward} against central finite differences of the per-row log-probability and entropy,
 * which the distributions compute in double, so the differences are accurate to about {@code EPS^2}.
 */
class DistributionGradientTest {
    private static final float EPS = 1e-3f;
    /** What backward must add to, proving it accumulates rather than overwrites. */
    private static final float PREFILLED = 0.25f;
    private static final int BATCH = 6;

    /** The three losses checked: pure log-probability, pure entropy, and a random mixture per row. */
    private enum Coefficients { LOG_PROB_ONLY, ENTROPY_ONLY, RANDOM_MIX }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparkbaselines.distributions.DistributionFixtures#all")
    void backwardMatchesCentralDifferences(RowwiseDistribution distribution) {
        SplittableRandom random = new SplittableRandom(2024);
        for (Coefficients coefficients : Coefficients.values()) {
            float[][] params = randomParams(distribution, BATCH, random);
            float[] logStd = randomLogStd(distribution, random);
            float[][] actions = sampledActions(distribution, params, logStd, random);
            float[] dLogp = new float[BATCH];
            float[] dEntropy = new float[BATCH];
            for (int b = 0; b < BATCH; b++) {
                dLogp[b] = switch (coefficients) {
                    case LOG_PROB_ONLY -> 1f;
                    case ENTROPY_ONLY -> 0f;
                    case RANDOM_MIX -> (float) random.nextDouble(-2, 2);
                };
                dEntropy[b] = switch (coefficients) {
                    case LOG_PROB_ONLY -> 0f;
                    case ENTROPY_ONLY -> 1f;
                    case RANDOM_MIX -> (float) random.nextDouble(-2, 2);
                };
            }
            float[][] gradParams = filled(BATCH, distribution.paramDim());
            float[] gradLogStd = logStd == null ? null : filled(1, logStd.length)[0];

            distribution.backward(params, logStd, actions, BATCH, dLogp, dEntropy, gradParams, gradLogStd);

            for (int b = 0; b < BATCH; b++) {
                for (int j = 0; j < distribution.paramDim(); j++) {
                    double expected = PREFILLED + centralDifference(distribution, params[b], j, params, logStd, actions, dLogp, dEntropy);
                    assertClose(expected, gradParams[b][j], coefficients + " d/dparams[" + b + "][" + j + "]");
                }
            }
            for (int j = 0; logStd != null && j < logStd.length; j++) {
                double expected = PREFILLED + centralDifference(distribution, logStd, j, params, logStd, actions, dLogp, dEntropy);
                assertClose(expected, gradLogStd[j], coefficients + " d/dlogStd[" + j + "]");
            }
        }
    }

    /** d loss / d vector[index] by central differences, over the actual (float-rounded) step. */
    private static double centralDifference(RowwiseDistribution distribution, float[] vector, int index,
            float[][] params, float[] logStd, float[][] actions, float[] dLogp, float[] dEntropy) {
        float original = vector[index];
        float plus = original + EPS;
        float minus = original - EPS;
        vector[index] = plus;
        double lossPlus = loss(distribution, params, logStd, actions, dLogp, dEntropy);
        vector[index] = minus;
        double lossMinus = loss(distribution, params, logStd, actions, dLogp, dEntropy);
        vector[index] = original;
        return (lossPlus - lossMinus) / ((double) plus - minus);
    }

    /** {@code sum_b dLogp[b] * logProb_b + dEntropy[b] * entropy_b}, in double. */
    private static double loss(RowwiseDistribution distribution, float[][] params, float[] logStd, float[][] actions,
            float[] dLogp, float[] dEntropy) {
        double loss = 0;
        for (int b = 0; b < params.length; b++) {
            loss += dLogp[b] * distribution.logProbRow(params[b], logStd, actions[b])
                    + dEntropy[b] * distribution.entropyRow(params[b], logStd);
        }
        return loss;
    }

    private static void assertClose(double expected, float actual, String what) {
        assertEquals(expected, actual, 1e-4 * Math.max(1, Math.abs(expected)), what);
    }

    private static float[][] filled(int rows, int width) {
        float[][] out = new float[rows][width];
        for (float[] row : out) {
            Arrays.fill(row, PREFILLED);
        }
        return out;
    }
}
