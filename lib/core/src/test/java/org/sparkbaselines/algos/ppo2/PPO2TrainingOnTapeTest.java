package org.sparkbaselines.algos.ppo2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.TapeAdam;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.ActorCriticOnTape;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.policies.PolicyOnTape;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;

/**
 * A whole PPO2 update (4 epochs of 4 minibatches with clipped Adam steps) on the engine follows the
 * hand-derived one: after every step the two policies' parameters differ by float noise only, against how
 * far the steps moved them, and the losses agree.
 */
class PPO2TrainingOnTapeTest {
    private static final int ROLLOUT = 256;
    private static final int MINIBATCH = 64;

    @Test
    void anUpdateOnTheEngineFollowsTheHandDerivedOne() {
        ActorCriticPolicy policy = new ActorCriticPolicy(new Box(-2f, 2f, 4), new Discrete(2), PolicyKwargs.fromMap(Map.of("backend", "jvm")), 9);
        SplittableRandom random = new SplittableRandom(21);
        float[][] obs = PolicyOnTape.observations(random, ROLLOUT, 4);
        float[][] actions = new float[ROLLOUT][1];
        float[] oldValues = new float[ROLLOUT];
        float[] oldLogProb = new float[ROLLOUT];
        policy.act(obs, ROLLOUT, false, random, actions, oldValues, oldLogProb);
        float[] advantages = new float[ROLLOUT];
        float[] returns = new float[ROLLOUT];
        for (int i = 0; i < ROLLOUT; i++) {
            advantages[i] = (float) random.nextGaussian();
            returns[i] = oldValues[i] + (float) random.nextGaussian();
        }
        AdamConfig adam = AdamConfig.DEFAULT.withEpsilon(1e-5);
        Optimizer handAdam = policy.backend().adam(policy.trainables(), adam);
        PolicyOnTape onTape = new PolicyOnTape(policy);
        TapeAdam tapeAdam = new TapeAdam(onTape.variables(), adam);
        Map<String, float[]> initial = policy.getParameters();
        ClippedSurrogateLoss handLoss = new ClippedSurrogateLoss();
        Tape t = new Tape();

        for (int epoch = 0; epoch < 4; epoch++) {
            for (int start = 0; start < ROLLOUT; start += MINIBATCH) {
                float[][] mbObs = new float[MINIBATCH][];
                float[][] mbActions = new float[MINIBATCH][];
                float[] mbOldLogProb = new float[MINIBATCH];
                float[] mbAdvantages = new float[MINIBATCH];
                float[] mbOldValues = new float[MINIBATCH];
                float[] mbReturns = new float[MINIBATCH];
                for (int j = 0; j < MINIBATCH; j++) {
                    // A different order each epoch, as PPO2 shuffles.
                    int row = (start + j * 5 + epoch * 17) % ROLLOUT;
                    mbObs[j] = obs[row];
                    mbActions[j] = actions[row];
                    mbOldLogProb[j] = oldLogProb[row];
                    mbAdvantages[j] = advantages[row];
                    mbOldValues[j] = oldValues[row];
                    mbReturns[j] = returns[row];
                }
                policy.zeroGrad();
                policy.trainingPass(mbObs, mbActions, MINIBATCH, handLoss.bind(mbOldLogProb, mbAdvantages, mbOldValues, mbReturns, 0.2, 0.2, 0.01, 0.5));
                double handNorm = handAdam.step(2.5e-3, 0.5);

                Variables.zeroGrad(onTape.variables());
                t.reset();
                ActorCriticOnTape.Outputs out = onTape.forward(t, t.constant(mbObs, MINIBATCH, 4));
                Tensor logProb = onTape.distribution.logProb(t, out.params(), out.logStd(), t.constant(mbActions, MINIBATCH, 1));
                Tensor loss = PPO2.loss(t, logProb, onTape.distribution.entropy(t, out.params(), out.logStd()), out.values(),
                        t.column(mbOldLogProb, MINIBATCH), t.column(mbAdvantages, MINIBATCH), t.column(mbOldValues, MINIBATCH),
                        t.column(mbReturns, MINIBATCH), 0.2f, 0.2f, 0.01f, 0.5f);
                t.backward(loss);
                double tapeNorm = tapeAdam.step(2.5e-3, 0.5);

                assertEquals(handLoss.total(), loss.item(), 1e-5 * (1 + Math.abs(handLoss.total())), "loss, epoch " + epoch + " at " + start);
                assertEquals(handNorm, tapeNorm, 1e-5 * handNorm, "gradient norm, epoch " + epoch + " at " + start);
                onTape.assertFollows(policy, initial, "epoch " + epoch + " at " + start);
            }
        }
    }
}
