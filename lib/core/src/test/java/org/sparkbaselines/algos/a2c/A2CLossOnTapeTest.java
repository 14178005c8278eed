package org.sparkbaselines.algos.a2c;

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

/** A2C's loss as a forward expression on the tape ({@link A2C#loss}) gives the gradients of the hand-derived {@link ActorCriticLoss}. */
class A2CLossOnTapeTest {
    private static final int BATCH = 40;

    static Stream<Arguments> cases() {
        Map<String, Object> shared = Map.of("backend", "jvm", "net_arch", List.of(16, Map.of("pi", List.of(8), "vf", List.of(8))));
        Map<String, Object> separate = Map.of("backend", "jvm");
        return Stream.of(Arguments.of(new Discrete(4), separate), Arguments.of(new Box(-1f, 1f, 3), separate),
                Arguments.of(new MultiDiscrete(2, 3), shared), Arguments.of(new MultiBinary(2), separate));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void gradientsEqualTheHandDerivedOnes(Space actionSpace, Map<String, Object> kwargs) {
        ActorCriticPolicy policy = new ActorCriticPolicy(new Box(-2f, 2f, 4), actionSpace, PolicyKwargs.fromMap(kwargs), 5);
        SplittableRandom random = new SplittableRandom(13);
        float[][] obs = PolicyOnTape.observations(random, BATCH, 4);
        float[][] actions = new float[BATCH][policy.distribution().actionDim()];
        policy.act(obs, BATCH, false, random, actions, null, null);
        float[] advantages = new float[BATCH];
        float[] returns = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            advantages[i] = (float) random.nextGaussian();
            returns[i] = (float) random.nextGaussian();
        }
        policy.zeroGrad();
        policy.trainingPass(obs, actions, BATCH, new ActorCriticLoss().bind(advantages, returns, 0.01, 0.25));

        PolicyOnTape onTape = new PolicyOnTape(policy);
        Tape t = new Tape();
        ActorCriticOnTape.Outputs out = onTape.forward(t, t.constant(obs, BATCH, 4));
        Tensor logProb = onTape.distribution.logProb(t, out.params(), out.logStd(), t.constant(actions, BATCH, actions[0].length));
        Tensor entropy = onTape.distribution.entropy(t, out.params(), out.logStd());
        t.backward(A2C.loss(t, logProb, entropy, out.values(), t.column(advantages, BATCH), t.column(returns, BATCH), 0.01f, 0.25f));

        onTape.assertSameGradients(policy, 1e-6);
    }
}
