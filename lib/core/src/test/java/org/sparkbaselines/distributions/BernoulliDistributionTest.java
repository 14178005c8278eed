package org.sparkbaselines.distributions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sparkbaselines.distributions.DistributionFixtures.entropyOf;
import static org.sparkbaselines.distributions.DistributionFixtures.klOf;
import static org.sparkbaselines.distributions.DistributionFixtures.logProbOf;
import static org.sparkbaselines.distributions.DistributionFixtures.modeOf;
import static org.sparkbaselines.distributions.DistributionFixtures.repeat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BernoulliDistributionTest {
    private final BernoulliDistribution bernoulli = new BernoulliDistribution(3);
    private final float[] logits = {0f, 2f, -1f};

    @Test
    void sizesFollowTheBitCount() {
        assertEquals(3, bernoulli.paramDim());
        assertEquals(3, bernoulli.actionDim());
        assertEquals(0, bernoulli.logStdDim());
    }

    @Test
    void logProbEntropyAndKlMatchTheirDefinitions() {
        // log p = log sigmoid(0) + log(1 - sigmoid(2)) + log sigmoid(-1) = -0.6931472 - 2.1269280 - 1.3132617
        assertEquals(-4.133336879121141, logProbOf(bernoulli, logits, null, new float[] {1, 0, 1}), 1e-6);
        // H = sum -(p log p + (1 - p) log(1 - p)) with p = sigmoid(l)
        assertEquals(1.6406841445353713, entropyOf(bernoulli, logits, null), 1e-6);
        // KL = sum p log(p / q) + (1 - p) log((1 - p) / (1 - q)), q = sigmoid(1, -1, 0.5)
        assertEquals(1.206242581974066, klOf(bernoulli, logits, null, new float[] {1f, -1f, 0.5f}, null), 1e-6);
        assertEquals(0.0, klOf(bernoulli, logits, null, logits, null), 1e-7);
    }

    @Test
    void saturatedLogitsStayFinite() {
        BernoulliDistribution two = new BernoulliDistribution(2);
        float[] saturated = {100f, -100f};
        assertEquals(0.0, logProbOf(two, saturated, null, new float[] {1, 0}), 1e-6);
        assertEquals(-200.0, logProbOf(two, saturated, null, new float[] {0, 1}), 1e-3);
        assertEquals(0.0, entropyOf(two, saturated, null), 1e-6);
    }

    @Test
    void modeIsOneWhereTheLogitIsPositive() {
        assertArrayEquals(new float[] {0, 1, 0}, modeOf(bernoulli, logits));
        assertArrayEquals(new float[] {1, 0, 1}, modeOf(bernoulli, new float[] {1e-3f, -1e-3f, 7f}));
    }

    @Test
    void sampleFrequenciesConvergeToTheSigmoid() {
        int rows = 100_000;
        float[][] actions = new float[rows][3];
        bernoulli.sample(repeat(logits, rows), null, rows, new SplittableRandom(11), actions);
        for (int i = 0; i < 3; i++) {
            double ones = 0;
            for (float[] action : actions) {
                ones += action[i];
            }
            double expected = 1 / (1 + Math.exp(-logits[i]));
            assertEquals(expected, ones / rows, 0.008, "bit " + i);
        }
    }
}
