package org.sparkbaselines.distributions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.distributions.DistributionFixtures.randomLogStd;
import static org.sparkbaselines.distributions.DistributionFixtures.randomParams;
import static org.sparkbaselines.distributions.DistributionFixtures.sampledActions;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every distribution shares, checked on random parameters. */
class DistributionContractTest {
    private static final int BATCH = 8;

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparkbaselines.distributions.DistributionFixtures#all")
    void onlyTheFirstBatchRowsAreTouched(Distribution distribution) {
        SplittableRandom random = new SplittableRandom(1);
        float[][] params = randomParams(distribution, BATCH, random);
        float[] logStd = randomLogStd(distribution, random);
        float[][] actions = sampledActions(distribution, params, logStd, random);
        float[] out = new float[BATCH + 2];
        Arrays.fill(out, 123f);
        distribution.logProb(params, logStd, actions, BATCH - 3, out);
        for (int b = BATCH - 3; b < out.length; b++) {
            assertEquals(123f, out[b], "entry " + b);
        }
        float[][] actionsOut = new float[BATCH][distribution.actionDim()];
        distribution.mode(params, 0, actionsOut);
        for (float[] row : actionsOut) {
            assertTrue(Arrays.equals(new float[distribution.actionDim()], row));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparkbaselines.distributions.DistributionFixtures#all")
    void klIsZeroForItselfAndPositiveOtherwise(Distribution distribution) {
        SplittableRandom random = new SplittableRandom(2);
        float[][] params = randomParams(distribution, BATCH, random);
        float[][] other = randomParams(distribution, BATCH, random);
        float[] logStd = randomLogStd(distribution, random);
        float[] otherLogStd = randomLogStd(distribution, random);
        float[] same = new float[BATCH];
        float[] different = new float[BATCH];
        distribution.kl(params, logStd, params, logStd, BATCH, same);
        distribution.kl(params, logStd, other, otherLogStd, BATCH, different);
        for (int b = 0; b < BATCH; b++) {
            assertEquals(0f, same[b], 1e-6f, "row " + b);
            assertTrue(different[b] > 0f, "row " + b + ": " + different[b]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparkbaselines.distributions.DistributionFixtures#all")
    void theModeIsAtLeastAsLikelyAsAnySample(Distribution distribution) {
        SplittableRandom random = new SplittableRandom(3);
        float[][] params = randomParams(distribution, BATCH, random);
        float[] logStd = randomLogStd(distribution, random);
        float[][] modes = new float[BATCH][distribution.actionDim()];
        distribution.mode(params, BATCH, modes);
        float[] modeLogProb = new float[BATCH];
        distribution.logProb(params, logStd, modes, BATCH, modeLogProb);
        float[] sampleLogProb = new float[BATCH];
        for (int draw = 0; draw < 50; draw++) {
            distribution.logProb(params, logStd, sampledActions(distribution, params, logStd, random), BATCH, sampleLogProb);
            for (int b = 0; b < BATCH; b++) {
                assertTrue(modeLogProb[b] >= sampleLogProb[b] - 1e-6f, "row " + b);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparkbaselines.distributions.DistributionFixtures#all")
    void badShapesAreRejectedWithTheArgumentName(Distribution distribution) {
        SplittableRandom random = new SplittableRandom(4);
        float[][] params = randomParams(distribution, BATCH, random);
        float[] logStd = randomLogStd(distribution, random);
        float[][] actions = sampledActions(distribution, params, logStd, random);
        float[] out = new float[BATCH];
        assertMessage("params[0] has", () -> distribution.entropy(new float[][] {new float[distribution.paramDim() + 1]}, logStd, 1, out));
        assertMessage("actions holds 8 entries for a batch of 9", () -> distribution.logProb(
                randomParams(distribution, BATCH + 1, random), logStd, actions, BATCH + 1, new float[BATCH + 1]));
        assertMessage("out holds 2 entries", () -> distribution.logProb(params, logStd, actions, BATCH, new float[2]));
        assertMessage("gradParams is null", () -> distribution.backward(params, logStd, actions, BATCH, out, out, null, logStd));
        assertMessage("batch must be >= 0", () -> distribution.entropy(params, logStd, -1, out));
    }

    private static void assertMessage(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
