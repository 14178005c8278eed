package org.sparkbaselines.algos.a2c;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.RmsPropConfig;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.TapeRmsProp;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variables;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.ActorCriticOnTape;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.policies.PolicyOnTape;
import org.sparkbaselines.spaces.Box;

/**
 * A2C's updates (one clipped RMSProp step on each rollout, Box actions) on the engine follow the hand-derived
 * ones: the parameters differ by float noise only after every update, and the losses and gradient norms agree.
 */
class A2CTrainingOnTapeTest {
    private static final int ROLLOUT = 40;

    @Test
    void updatesOnTheEngineFollowTheHandDerivedOnes() {
        ActorCriticPolicy policy = new ActorCriticPolicy(new Box(-2f, 2f, 4), new Box(-1f, 1f, 2), PolicyKwargs.fromMap(Map.of("backend", "jvm")), 4);
        Optimizer handRmsProp = policy.backend().rmsProp(policy.trainables(), RmsPropConfig.A2C_DEFAULT);
        PolicyOnTape onTape = new PolicyOnTape(policy);
        TapeRmsProp tapeRmsProp = new TapeRmsProp(onTape.variables(), RmsPropConfig.A2C_DEFAULT);
        Map<String, float[]> initial = policy.getParameters();
        ActorCriticLoss handLoss = new ActorCriticLoss();
        SplittableRandom random = new SplittableRandom(8);
        Tape t = new Tape();
        for (int update = 0; update < 10; update++) {
            float[][] obs = PolicyOnTape.observations(random, ROLLOUT, 4);
            float[][] actions = new float[ROLLOUT][2];
            policy.act(obs, ROLLOUT, false, random, actions, null, null);
            float[] advantages = new float[ROLLOUT];
            float[] returns = new float[ROLLOUT];
            for (int i = 0; i < ROLLOUT; i++) {
                advantages[i] = (float) random.nextGaussian();
                returns[i] = (float) random.nextGaussian();
            }
            policy.zeroGrad();
            policy.trainingPass(obs, actions, ROLLOUT, handLoss.bind(advantages, returns, 0.0, 0.25));
            double handNorm = handRmsProp.step(7e-4, 0.5);

            Variables.zeroGrad(onTape.variables());
            t.reset();
            ActorCriticOnTape.Outputs out = onTape.forward(t, t.constant(obs, ROLLOUT, 4));
            Tensor logProb = onTape.distribution.logProb(t, out.params(), out.logStd(), t.constant(actions, ROLLOUT, 2));
            Tensor loss = A2C.loss(t, logProb, onTape.distribution.entropy(t, out.params(), out.logStd()), out.values(),
                    t.column(advantages, ROLLOUT), t.column(returns, ROLLOUT), 0f, 0.25f);
            t.backward(loss);
            double tapeNorm = tapeRmsProp.step(7e-4, 0.5);

            assertEquals(handLoss.total(), loss.item(), 1e-5 * (1 + Math.abs(handLoss.total())), "loss of update " + update);
            assertEquals(handNorm, tapeNorm, 1e-5 * handNorm, "gradient norm of update " + update);
            onTape.assertFollows(policy, initial, "update " + update);
        }
        Map<String, float[]> state = tapeRmsProp.state();
        handRmsProp.state().forEach((name, values) -> {
            float[] tape = state.get(name);
            for (int e = 0; e < values.length; e++) {
                assertEquals(values[e], tape[e], 1e-5 * (1 + Math.abs(values[e])), name + "[" + e + "]");
            }
        });
    }
}
