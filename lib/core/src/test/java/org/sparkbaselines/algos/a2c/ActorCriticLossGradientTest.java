package org.sparkbaselines.algos.a2c;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.LossGradientCheck;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.MultiDiscrete;
import org.sparkbaselines.spaces.Space;

class ActorCriticLossGradientTest {
    private static final int N = 6;

    private void checkFor(Space obsSpace, Space actionSpace) {
        ActorCriticPolicy policy = LossGradientCheck.tinyPolicy(obsSpace, actionSpace);
        SplittableRandom random = new SplittableRandom(5);
        float[][] obs = new float[N][];
        float[][] actions = new float[N][];
        float[] advantages = new float[N];
        float[] returns = new float[N];
        for (int i = 0; i < N; i++) {
            obs[i] = obsSpace.sample();
            actions[i] = actionSpace.sample();
            advantages[i] = (float) random.nextGaussian();
            returns[i] = (float) random.nextGaussian();
        }
        float[] logProb = new float[N];
        float[] entropy = new float[N];
        float[] value = new float[N];
        float[] dLogProb = new float[N];
        float[] dEntropy = new float[N];
        float[] dValue = new float[N];
        ActorCriticLoss loss = new ActorCriticLoss();
        LossGradientCheck.check(policy, () -> {
            policy.evaluateActions(obs, actions, N, logProb, entropy, value);
            loss.compute(N, logProb, advantages, entropy, value, returns, 0.01, 0.25, dLogProb, dEntropy, dValue);
            return loss.total();
        }, () -> policy.backward(N, dLogProb, dEntropy, dValue));
    }

    @Test
    void multiDiscreteGradientsMatchFiniteDifferences() {
        checkFor(new Box(-1f, 1f, 3), new MultiDiscrete(3, 2));
    }

    @Test
    void gaussianGradientsMatchFiniteDifferences() {
        checkFor(new Box(-1f, 1f, 3), new Box(-2f, 2f, 2));
    }

    @Test
    void handComputedLoss() {
        ActorCriticLoss loss = new ActorCriticLoss();
        float[] dLogProb = new float[2];
        float[] dEntropy = new float[2];
        float[] dValue = new float[2];
        loss.compute(2, new float[] {-1f, -2f}, new float[] {1f, -1f}, new float[] {0.5f, 1.5f}, new float[] {1f, 2f},
                new float[] {2f, 0f}, 0.01, 0.25, dLogProb, dEntropy, dValue);
        assertEquals((1.0 * 1 + -2.0 * 1) / 2 * -1, -loss.policyLoss, 1e-9);
        assertEquals((1 + 4) / 2.0, loss.valueLoss, 1e-9);
        assertEquals(1.0, loss.entropy, 1e-9);
        assertEquals(loss.policyLoss - 0.01 + 0.25 * 2.5, loss.total(), 1e-9);
        assertEquals(-0.5, dLogProb[0], 1e-7);
        assertEquals(0.25 * 2 * -1 / 2, dValue[0], 1e-7);
        assertEquals(0.25 * 2 * 2 / 2, dValue[1], 1e-7);
    }
}
