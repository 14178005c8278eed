package org.sparkbaselines.algos.dqn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;

/** DQN's parameter-space noise: what is perturbed and by how much, the distance it measures, and how the scale adapts. */
class ParamNoiseTest {
    private static DQNPolicy layerNormed() {
        return new DQNPolicy("LnMlpPolicy", new Box(-1f, 1f, 3), new Discrete(4), Map.of("layers", List.of(64, 64)), 1L);
    }

    @Test
    void theDistanceIsTheKlDivergenceOfTheSoftmaxes() {
        Tape t = new Tape();
        Tensor p = t.constant(new float[] {1f, 2f, 0.5f}, 1, 3);
        Tensor q = t.constant(new float[] {0f, 1f, 3f}, 1, 3);
        double[] sp = softmax(1, 2, 0.5);
        double[] sq = softmax(0, 1, 3);
        double expected = 0;
        for (int a = 0; a < 3; a++) {
            expected += sp[a] * Math.log(sp[a] / sq[a]);
        }
        assertEquals(expected, ParamNoise.klDivergence(p, q), 1e-6);
        assertEquals(0, ParamNoise.klDivergence(p, p), 1e-9);
    }

    @Test
    void onlyTheFullyConnectedLayersArePerturbedWithTheScale() {
        DQNPolicy policy = layerNormed();
        ParamNoise noise = new ParamNoise(policy, 3, 4);
        noise.perturb(new SplittableRandom(3));

        List<Variable> online = policy.qNet.variables();
        List<Variable> copy = noise.perturbedVariables();
        double sum = 0;
        double sumSquares = 0;
        long n = 0;
        for (int i = 0; i < online.size(); i++) {
            float[] from = online.get(i).values();
            float[] to = copy.get(i).values();
            if (online.get(i).name().contains("LayerNorm")) {
                assertArrayEquals(from, to, online.get(i).name() + " is copied as it is");
                continue;
            }
            assertTrue(online.get(i).name().contains("fully_connected"), online.get(i).name());
            for (int j = 0; j < from.length; j++) {
                double d = to[j] - from[j];
                sum += d;
                sumSquares += d * d;
                n++;
            }
        }
        double std = Math.sqrt(sumSquares / n - (sum / n) * (sum / n));
        // Over 2 x (3x64 + 64x64 + 64x4 + biases) ~ 9k draws the sample std is within a few percent of the scale.
        assertEquals(ParamNoise.INITIAL_SCALE, std, 0.05 * ParamNoise.INITIAL_SCALE);
        assertEquals(0, sum / n, 0.05 * ParamNoise.INITIAL_SCALE);
    }

    @Test
    void theScaleGrowsWhileThePolicyMovesLessThanEpsilonGreedyWouldAndShrinksOtherwise() {
        ParamNoise noise = new ParamNoise(layerNormed(), 3, 4);
        float[] obs = {0.1f, -0.3f, 0.7f};
        SplittableRandom random = new SplittableRandom(0);
        // epsilon 1: epsilon-greedy moves the policy by log(4); a 1% weight perturbation moves it far less.
        noise.adapt(obs, 1.0, random);
        assertEquals(ParamNoise.INITIAL_SCALE * 1.01, noise.scale(), 1e-12);
        // epsilon 0: no distance is small enough.
        noise.adapt(obs, 0.0, random);
        noise.adapt(obs, 0.0, random);
        assertEquals(ParamNoise.INITIAL_SCALE / 1.01, noise.scale(), 1e-12);
    }

    private static double[] softmax(double... x) {
        double z = 0;
        for (double v : x) {
            z += Math.exp(v);
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp(x[i]) / z;
        }
        return out;
    }
}
