package org.sparkbaselines.distributions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.sparkbaselines.distributions.DistributionFixtures.entropyOf;
import static org.sparkbaselines.distributions.DistributionFixtures.klOf;
import static org.sparkbaselines.distributions.DistributionFixtures.logProbOf;
import static org.sparkbaselines.distributions.DistributionFixtures.modeOf;
import static org.sparkbaselines.distributions.DistributionFixtures.repeat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MultiCategoricalDistributionTest {
    private final MultiCategoricalDistribution multi = new MultiCategoricalDistribution(2, 3);
    /** Logits (0.3, -0.7) for the first sub-action, (1, 2, 3) for the second. */
    private final float[] logits = {0.3f, -0.7f, 1f, 2f, 3f};

    @Test
    void sizesFollowNvec() {
        assertEquals(5, multi.paramDim());
        assertEquals(2, multi.actionDim());
        assertEquals(0, multi.logStdDim());
        assertArrayEquals(new int[] {2, 3}, multi.nvec());
    }

    @Test
    void logProbEntropyAndKlAreSumsOverSubActions() {
        // log p = (-0.7 - log(e^0.3 + e^-0.7)) + (3 - log(e^1 + e^2 + e^3)) = -1.3132617 - 0.4076060
        assertEquals(-1.7208676519626034, logProbOf(multi, logits, null, new float[] {1, 2}), 1e-6);
        // H = H(softmax(0.3, -0.7)) + H(softmax(1, 2, 3)) = 0.5822031 + 0.8323956
        assertEquals(1.4145986907281567, entropyOf(multi, logits, null), 1e-6);
        // KL against Q = (uniform over 2) x softmax(0.5, 0, -1): 0.1109441 + 0.8919607
        assertEquals(1.002904764358148, klOf(multi, logits, null, new float[] {0f, 0f, 0.5f, 0f, -1f}, null), 1e-6);
    }

    @Test
    void modeTakesTheArgmaxOfEachSubAction() {
        assertArrayEquals(new float[] {0, 2}, modeOf(multi, logits));
        assertArrayEquals(new float[] {1, 0}, modeOf(multi, new float[] {-1f, 1f, 5f, 2f, 3f}));
    }

    @Test
    void sampleFrequenciesConvergePerSubAction() {
        double[][] probabilities = {{0.25, 0.75}, {0.6, 0.1, 0.3}};
        float[] row = new float[5];
        int j = 0;
        for (double[] sub : probabilities) {
            for (double p : sub) {
                row[j++] = (float) Math.log(p);
            }
        }
        int rows = 100_000;
        float[][] actions = new float[rows][2];
        multi.sample(repeat(row, rows), null, rows, new SplittableRandom(3), actions);
        for (int sub = 0; sub < 2; sub++) {
            int[] counts = new int[probabilities[sub].length];
            for (float[] action : actions) {
                counts[(int) action[sub]]++;
            }
            for (int k = 0; k < counts.length; k++) {
                assertEquals(probabilities[sub][k], counts[k] / (double) rows, 0.008, "sub-action " + sub + " category " + k);
            }
        }
    }

    @Test
    void eachIndexIsCheckedAgainstItsOwnSubAction() {
        // 2 is valid for the second sub-action but not the first; unchecked it would read the next segment's logits.
        assertThrows(IllegalArgumentException.class, () -> logProbOf(multi, logits, null, new float[] {2, 0}));
        assertThrows(IllegalArgumentException.class, () -> new MultiCategoricalDistribution(2, 0));
        assertThrows(IllegalArgumentException.class, MultiCategoricalDistribution::new);
    }
}
