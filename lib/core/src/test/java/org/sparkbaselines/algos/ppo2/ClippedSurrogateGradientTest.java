package org.sparkbaselines.algos.ppo2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.LossGradientCheck;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;

class ClippedSurrogateGradientTest {
    private static final int M = 8;

    /** Old log-probabilities and values offset from the current ones so samples fall inside and outside both clip ranges. */
    private static final double[] OFFSETS = {-0.6, 0.0, 0.05, 0.6, -0.05, 0.4, -0.4, 0.1};

    private void checkFor(Space obsSpace, Space actionSpace) {
        ActorCriticPolicy policy = LossGradientCheck.tinyPolicy(obsSpace, actionSpace);
        SplittableRandom random = new SplittableRandom(3);
        float[][] obs = new float[M][];
        float[][] actions = new float[M][];
        for (int j = 0; j < M; j++) {
            obs[j] = obsSpace.sample();
            actions[j] = actionSpace.sample();
        }
        float[] logProb = new float[M];
        float[] entropy = new float[M];
        float[] value = new float[M];
        policy.evaluateActions(obs, actions, M, logProb, entropy, value);
        float[] oldLogProb = new float[M];
        float[] oldValue = new float[M];
        float[] advantage = new float[M];
        float[] returns = new float[M];
        for (int j = 0; j < M; j++) {
            oldLogProb[j] = (float) (logProb[j] + OFFSETS[j]);
            oldValue[j] = (float) (value[j] - OFFSETS[(j + 3) % M]);
            advantage[j] = (float) random.nextGaussian();
            returns[j] = (float) random.nextGaussian();
        }
        float[] dLogProb = new float[M];
        float[] dEntropy = new float[M];
        float[] dValue = new float[M];
        ClippedSurrogateLoss loss = new ClippedSurrogateLoss();
        LossGradientCheck.check(policy, () -> {
            policy.evaluateActions(obs, actions, M, logProb, entropy, value);
            loss.compute(M, logProb, oldLogProb, advantage, entropy, value, oldValue, returns, 0.2, 0.2, 0.01, 0.5, dLogProb, dEntropy, dValue);
            return loss.total();
        }, () -> policy.backward(M, dLogProb, dEntropy, dValue));
        assertTrue(loss.clipFraction > 0 && loss.clipFraction < 1, "some samples clipped, some not: " + loss.clipFraction);
    }

    @Test
    void categoricalGradientsMatchFiniteDifferences() {
        checkFor(new Box(-1f, 1f, 3), new Discrete(3));
    }

    @Test
    void gaussianGradientsMatchFiniteDifferencesIncludingLogStd() {
        checkFor(new Box(-1f, 1f, 3), new Box(-1f, 1f, 2));
    }

    @Test
    void valueClippingOnlyWithANonNegativeRange() {
        // V = 0.6, V_old = 0, R = 1: unclipped 0.5 * 0.4^2 = 0.08; clipped to V_old + 0.2, 0.5 * 0.8^2 = 0.32 wins,
        // and V is outside the clip range, so no gradient reaches it
        ClippedSurrogateLoss loss = new ClippedSurrogateLoss();
        float[] dValue = new float[1];
        loss.bind(new float[1], new float[1], new float[] {0f}, new float[] {1f}, 0.2, 0.2, 0.0, 0.5).valueTerms(1, new float[] {0.6f}, dValue);
        assertEquals(0.32, loss.valueLoss, 1e-7);
        assertEquals(0.0, dValue[0], 0.0);
        loss.bind(new float[1], new float[1], new float[] {0f}, new float[] {1f}, 0.2, -1, 0.0, 0.5).valueTerms(1, new float[] {0.6f}, dValue);
        assertEquals(0.08, loss.valueLoss, 1e-7);
        assertEquals(0.5 * -0.4, dValue[0], 1e-7);
    }

    @Test
    void handComputedLossTerms() {
        // one sample inside the clip range, one clipped above: r = e^0.5 > 1.2 with A > 0
        ClippedSurrogateLoss loss = new ClippedSurrogateLoss();
        float[] dLogProb = new float[2];
        float[] dEntropy = new float[2];
        float[] dValue = new float[2];
        loss.compute(2, new float[] {0f, 0.5f}, new float[] {0f, 0f}, new float[] {1f, 2f}, new float[] {1f, 3f}, new float[] {1f, 0f},
                new float[] {1f, 0f}, new float[] {0f, 1f}, 0.2, -1, 0.1, 0.5, dLogProb, dEntropy, dValue);
        double expectedPg = (-1.0 * 1.0 + -2.0 * 1.2) / 2;
        assertEquals(expectedPg, loss.policyLoss, 1e-6);
        assertEquals((0.5 * 1 + 0.5 * 1) / 2, loss.valueLoss, 1e-9);
        assertEquals(2.0, loss.entropy, 1e-9);
        assertEquals(0.5, loss.clipFraction, 1e-9);
        assertEquals(0.5 * 0.25 / 2, loss.approxKl, 1e-7);
        assertEquals(expectedPg - 0.1 * 2.0 + 0.5 * 0.5, loss.total(), 1e-6);
        assertEquals(-0.5, dLogProb[0], 1e-7);
        assertEquals(0.0, dLogProb[1], 0.0);
        assertEquals(-0.05, dEntropy[0], 1e-7);
        assertEquals(0.5 * 1 / 2, dValue[0], 1e-7);
        assertEquals(0.5 * -1 / 2, dValue[1], 1e-7);
    }
}
