package org.sparkbaselines.algos.ppo2;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.ActorCriticOnTape;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.policies.PolicyOnTape;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;
import org.sparkbaselines.spaces.Space;

/**
 * PPO2's minibatch loss as a forward expression on the tape ({@link PPO2#loss}) gives the gradients of the hand-derived {@link ClippedSurrogateLoss} on fixed batches, for every
 * action space, with and without value clipping and shared layers.
 */
class PPO2LossOnTapeTest {
    private static final int BATCH = 64;

    static Stream<Arguments> cases() {
        Map<String, Object> shared = Map.of("backend", "jvm", "net_arch", List.of(16, Map.of("pi", List.of(8), "vf", List.of(8))));
        Map<String, Object> separate = Map.of("backend", "jvm");
        return Stream.of(
                Arguments.of(new Discrete(3), separate, 0.2),
                Arguments.of(new Box(-1f, 1f, 2), separate, 0.2),
                Arguments.of(new MultiDiscrete(3, 2), shared, -1.0),
                Arguments.of(new MultiBinary(3), shared, 0.2),
                Arguments.of(new Box(-1f, 1f, 2), shared, -1.0));
    }

    @ParameterizedTest(name = "{0}, {1}, cliprange_vf {2}")
    @MethodSource("cases")
    void gradientsEqualTheHandDerivedOnes(Space actionSpace, Map<String, Object> kwargs, double clipVf) {
        Box observationSpace = new Box(-2f, 2f, 4);
        ActorCriticPolicy policy = new ActorCriticPolicy(observationSpace, actionSpace, PolicyKwargs.fromMap(kwargs), 7);
        SplittableRandom random = new SplittableRandom(11);
        float[][] obs = PolicyOnTape.observations(random, BATCH, 4);
        float[][] actions = new float[BATCH][policy.distribution().actionDim()];
        float[] oldValues = new float[BATCH];
        float[] oldLogProb = new float[BATCH];
        policy.act(obs, BATCH, false, random, actions, oldValues, oldLogProb);
        float[] advantages = new float[BATCH];
        float[] returns = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            // Ratios and values spread beyond the clip ranges, so both branches of each max carry gradient.
            oldLogProb[i] += (float) (0.4 * random.nextGaussian());
            oldValues[i] += (float) (0.5 * random.nextGaussian());
            advantages[i] = (float) random.nextGaussian();
            returns[i] = oldValues[i] + (float) random.nextGaussian();
        }
        float clip = 0.2f;
        float entCoef = 0.01f;
        float vfCoef = 0.5f;

        policy.zeroGrad();
        policy.trainingPass(obs, actions, BATCH,
                new ClippedSurrogateLoss().bind(oldLogProb, advantages, oldValues, returns, clip, clipVf, entCoef, vfCoef));

        PolicyOnTape onTape = new PolicyOnTape(policy);
        Tape t = new Tape();
        ActorCriticOnTape.Outputs out = onTape.forward(t, t.constant(obs, BATCH, 4));
        Tensor actionRows = t.constant(actions, BATCH, actions[0].length);
        Tensor logProb = onTape.distribution.logProb(t, out.params(), out.logStd(), actionRows);
        Tensor entropy = onTape.distribution.entropy(t, out.params(), out.logStd());
        t.backward(PPO2.loss(t, logProb, entropy, out.values(), t.column(oldLogProb, BATCH), t.column(advantages, BATCH), t.column(oldValues, BATCH),
                t.column(returns, BATCH), clip, (float) clipVf, entCoef, vfCoef));

        onTape.assertSameGradients(policy, 1e-6);
    }
}
