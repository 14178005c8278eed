package org.sparkbaselines.distributions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.distributions.DistributionFixtures.entropyOf;
import static org.sparkbaselines.distributions.DistributionFixtures.klOf;
import static org.sparkbaselines.distributions.DistributionFixtures.logProbOf;
import static org.sparkbaselines.distributions.DistributionFixtures.modeOf;
import static org.sparkbaselines.distributions.DistributionFixtures.repeat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DiagGaussianDistributionTest {
    private final DiagGaussianDistribution gaussian = new DiagGaussianDistribution(2);
    private final float[] mean = {0.5f, -1f};
    /** std (1, 2). */
    private final float[] logStd = {0f, (float) Math.log(2)};

    @Test
    void sizesIncludeTheLogStdVector() {
        assertEquals(2, gaussian.paramDim());
        assertEquals(2, gaussian.actionDim());
        assertEquals(2, gaussian.logStdDim());
    }

    @Test
    void logProbIsSb2NegatedNeglogp() {
        // neglogp = 0.5 * sum(((x - mean) / std)^2) + 0.5 * log(2 pi) * n + sum(logstd)
        //         = 0.5 * (0.5^2 + 1^2) + log(2 pi) + log 2 at x = (1, 1)
        assertEquals(-3.1560242469692907, logProbOf(gaussian, mean, logStd, new float[] {1f, 1f}), 1e-6);
    }

    @Test
    void entropyAndKlFollowSb2() {
        // entropy = sum(logstd + 0.5 * log(2 pi e)), independent of the mean
        assertEquals(3.5310242469692907, entropyOf(gaussian, mean, logStd), 1e-6);
        assertEquals(3.5310242469692907, entropyOf(gaussian, new float[] {9f, 9f}, logStd), 1e-6);
        // KL = sum(logstd_q - logstd_p + (std_p^2 + (mean_p - mean_q)^2) / (2 std_q^2) - 0.5), Q = N((0, 0), diag(0.5, 1)^2):
        // each dimension gives -log 2 + 2.5 - 0.5
        float[] logStdQ = {(float) Math.log(0.5), 0f};
        assertEquals(2.613705638880109, klOf(gaussian, mean, logStd, new float[] {0f, 0f}, logStdQ), 1e-6);
        assertEquals(0.0, klOf(gaussian, mean, logStd, mean, logStd), 1e-7);
    }

    @Test
    void modeIsTheMean() {
        assertArrayEquals(mean, modeOf(gaussian, mean));
    }

    @Test
    void samplesHaveTheRequestedMeanAndStd() {
        int rows = 100_000;
        float[][] actions = new float[rows][2];
        gaussian.sample(repeat(mean, rows), logStd, rows, new SplittableRandom(5), actions);
        for (int i = 0; i < 2; i++) {
            double sum = 0;
            double sumSquares = 0;
            for (float[] action : actions) {
                sum += action[i];
                sumSquares += action[i] * (double) action[i];
            }
            double sampleMean = sum / rows;
            double sampleStd = Math.sqrt(sumSquares / rows - sampleMean * sampleMean);
            double std = Math.exp(logStd[i]);
            // Standard errors are 0.0032 std (mean) and 0.0022 std (std).
            assertEquals(mean[i], sampleMean, 0.015 * std, "mean of dimension " + i);
            assertEquals(std, sampleStd, 0.015 * std, "std of dimension " + i);
        }
    }

    @Test
    void logStdMustBeGivenWithTheRightLength() {
        float[] action = {0f, 0f};
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> logProbOf(gaussian, mean, null, action));
        assertTrue(missing.getMessage().contains("logStd"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> logProbOf(gaussian, mean, new float[3], action));
    }

    @Test
    void sb2StyleRowsWithMeanAndLogStdAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> logProbOf(gaussian, new float[] {0.5f, -1f, 0f, 0f}, logStd, new float[] {0f, 0f}));
        assertTrue(e.getMessage().contains("DiagGaussian(2) needs 2"), e.getMessage());
    }
}
