package org.sparkbaselines.policies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.algos.ppo2.ClippedSurrogateLoss;
import org.sparkbaselines.nn.Trainable;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;

/**
 * The one-call training pass (value network on the second core, value loss computed there) gives
 * exactly the gradients of the step-by-step calls: forward, loss, backward.
 */
class TrainingPassTest {

    @ParameterizedTest
    @ValueSource(strings = {"discrete", "discrete-shared", "box", "box-shared"})
    void givesTheGradientsOfForwardLossBackward(String variant) {
        Space actions = variant.startsWith("box") ? new Box(-1f, 1f, 2) : new Discrete(3);
        Map<String, Object> kwargs = variant.endsWith("shared")
                ? Map.of("backend", "jvm", "net_arch", List.of(32, Map.of("pi", List.of(16), "vf", List.of(16))))
                : Map.of("backend", "jvm");
        int batch = 96; // above the size that pairs the networks
        ActorCriticPolicy stepwise = new ActorCriticPolicy(new Box(-5f, 5f, 4), actions, PolicyKwargs.fromMap(kwargs), 3L);
        ActorCriticPolicy paired = new ActorCriticPolicy(new Box(-5f, 5f, 4), actions, PolicyKwargs.fromMap(kwargs), 3L);
        SplittableRandom random = new SplittableRandom(9);
        float[][] obs = new float[batch][4];
        float[][] acts = new float[batch][actions.flatDim()];
        float[] oldLogProb = new float[batch];
        float[] advantage = new float[batch];
        float[] oldValue = new float[batch];
        float[] returns = new float[batch];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < 4; j++) {
                obs[i][j] = (float) random.nextGaussian();
            }
            for (int j = 0; j < acts[i].length; j++) {
                acts[i][j] = actions instanceof Discrete ? random.nextInt(3) : (float) random.nextGaussian();
            }
            oldLogProb[i] = (float) (-1 + 0.3 * random.nextGaussian());
            advantage[i] = (float) random.nextGaussian();
            oldValue[i] = (float) random.nextGaussian();
            returns[i] = (float) random.nextGaussian();
        }
        float[] logProb = new float[batch];
        float[] entropy = new float[batch];
        float[] value = new float[batch];
        float[] dLogProb = new float[batch];
        float[] dEntropy = new float[batch];
        float[] dValue = new float[batch];
        ClippedSurrogateLoss expected = new ClippedSurrogateLoss();
        stepwise.evaluateActions(obs, acts, batch, logProb, entropy, value);
        expected.compute(batch, logProb, oldLogProb, advantage, entropy, value, oldValue, returns, 0.2, 0.1, 0.01, 0.5, dLogProb, dEntropy,
                dValue);
        stepwise.zeroGrad();
        stepwise.backward(batch, dLogProb, dEntropy, dValue);

        ClippedSurrogateLoss actual = new ClippedSurrogateLoss();
        for (int repeat = 0; repeat < 3; repeat++) { // with the helper cold and warm
            paired.zeroGrad();
            paired.trainingPass(obs, acts, batch, actual.bind(oldLogProb, advantage, oldValue, returns, 0.2, 0.1, 0.01, 0.5));
            assertEquals(expected.total(), actual.total());
            assertEquals(expected.valueLoss, actual.valueLoss);
            List<Trainable> a = stepwise.trainables();
            List<Trainable> b = paired.trainables();
            for (int t = 0; t < a.size(); t++) {
                Map<String, float[]> ga = a.get(t).getGradients();
                Map<String, float[]> gb = b.get(t).getGradients();
                assertEquals(ga.keySet(), gb.keySet());
                for (String name : ga.keySet()) {
                    assertArrayEquals(ga.get(name), gb.get(name), name);
                }
            }
        }
    }
}
