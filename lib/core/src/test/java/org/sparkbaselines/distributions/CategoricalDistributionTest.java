package org.sparkbaselines.distributions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.distributions.DistributionFixtures.entropyOf;
import static org.sparkbaselines.distributions.DistributionFixtures.klOf;
import static org.sparkbaselines.distributions.DistributionFixtures.logProbOf;
import static org.sparkbaselines.distributions.DistributionFixtures.modeOf;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CategoricalDistributionTest {
    private final CategoricalDistribution categorical = new CategoricalDistribution(3);
    private final float[] logits = {1f, 2f, 3f};

    @Test
    void sizesFollowTheCategoryCount() {
        assertEquals(3, categorical.paramDim());
        assertEquals(1, categorical.actionDim());
        assertEquals(0, categorical.logStdDim());
    }

    @Test
    void logProbIsTheLogSoftmaxOfTheChosenLogit() {
        // log p_k = l_k - log(e^1 + e^2 + e^3), log(e^1 + e^2 + e^3) = 3.40760596444438
        assertEquals(-0.4076059644443806, logProbOf(categorical, logits, null, new float[] {2}), 1e-6);
        assertEquals(-2.4076059644443806, logProbOf(categorical, logits, null, new float[] {0}), 1e-6);
    }

    @Test
    void entropyAndKlMatchTheirDefinitions() {
        // H = -sum p log p with p = softmax(1, 2, 3) = (0.0900, 0.2447, 0.6652)
        assertEquals(0.8323955818399389, entropyOf(categorical, logits, null), 1e-6);
        // KL(P || Q) = sum p (log p - log q), Q = softmax(0.5, 0, -1)
        assertEquals(0.8919606926864206, klOf(categorical, logits, null, new float[] {0.5f, 0f, -1f}, null), 1e-6);
        assertEquals(0.0, klOf(categorical, logits, null, logits, null), 1e-7);
    }

    @Test
    void hugeLogitsStayFinite() {
        float[] large = {1000f, 1000f, -1000f};
        assertEquals(Math.log(0.5), logProbOf(categorical, large, null, new float[] {0}), 1e-6);
        assertEquals(Math.log(2), entropyOf(categorical, large, null), 1e-6);
        assertEquals(-2000 - Math.log(2), logProbOf(categorical, large, null, new float[] {2}), 1e-3);
    }

    @Test
    void modeIsTheFirstLargestLogit() {
        CategoricalDistribution four = new CategoricalDistribution(4);
        assertArrayEquals(new float[] {1}, modeOf(four, new float[] {0.1f, 3f, 3f, -1f}));
        assertArrayEquals(new float[] {3}, modeOf(four, new float[] {0.1f, 3f, 2f, 4f}));
    }

    @Test
    void sampleFrequenciesConvergeToTheSoftmaxPerRow() {
        // Even rows and odd rows have different probabilities; a constant shift of the logits changes nothing.
        double[][] probabilities = {{0.1, 0.2, 0.7}, {0.5, 0.3, 0.2}};
        int rows = 200_000;
        float[][] params = new float[rows][3];
        for (int b = 0; b < rows; b++) {
            for (int k = 0; k < 3; k++) {
                params[b][k] = (float) (Math.log(probabilities[b % 2][k]) + 3);
            }
        }
        float[][] actions = new float[rows][1];
        categorical.sample(params, null, rows, new SplittableRandom(42), actions);
        int[][] counts = new int[2][3];
        for (int b = 0; b < rows; b++) {
            counts[b % 2][(int) actions[b][0]]++;
        }
        for (int parity = 0; parity < 2; parity++) {
            for (int k = 0; k < 3; k++) {
                // 100k draws per parity: the standard error is at most 0.0016.
                assertEquals(probabilities[parity][k], counts[parity][k] / (rows / 2.0), 0.008, "row parity " + parity + " category " + k);
            }
        }
    }

    @Test
    void actionsMustBeCategoryIndices() {
        for (float bad : new float[] {3f, -1f, 1.5f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> logProbOf(categorical, logits, null, new float[] {bad}));
            assertTrue(e.getMessage().contains("[0, 3)"), e.getMessage());
        }
    }
}
