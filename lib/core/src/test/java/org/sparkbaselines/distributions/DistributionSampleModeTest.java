package org.sparkbaselines.distributions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;

/** Samples and modes on the tape: the Gaussian's reparameterized sample and its gradients by hand, discrete samples' frequencies. */
class DistributionSampleModeTest {

    @Test
    void theGaussianSampleIsReparameterizedAndItsModeIsTheMean() {
        DifferentiableDistribution gaussian = DifferentiableDistribution.forActionSpace(new Box(-1f, 1f, 2));
        Variable mean = new Variable("mean", 3, 2);
        Variable logStd = new Variable("logstd", 1, 2);
        float[] means = {0.5f, -1f, 2f, 0f, -0.3f, 0.7f};
        System.arraycopy(means, 0, mean.values(), 0, 6);
        logStd.values()[0] = -0.5f;
        logStd.values()[1] = 0.2f;
        float[] noise = {1.2f, -0.4f, 0.3f, 2.0f, -1.1f, 0.6f};
        Tape t = new Tape();
        Tensor sample = gaussian.sample(t, t.variable(mean), t.variable(logStd), t.constant(noise, 3, 2));
        double[] expectedLogStdGradient = new double[2];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                double std = Math.exp(logStd.values()[j]);
                assertEquals(means[i * 2 + j] + std * noise[i * 2 + j], sample.get(i, j), 1e-6);
                expectedLogStdGradient[j] += std * noise[i * 2 + j];
            }
        }
        t.backward(t.sum(sample));
        for (int e = 0; e < 6; e++) {
            assertEquals(1f, mean.gradient()[e], 1e-6, "d sum / d mean");
        }
        assertEquals(expectedLogStdGradient[0], logStd.gradient()[0], 1e-5);
        assertEquals(expectedLogStdGradient[1], logStd.gradient()[1], 1e-5);
        Tensor mode = gaussian.mode(t, t.variable(mean), t.variable(logStd));
        assertEquals(-0.3f, mode.get(2, 0));
    }

    @Test
    void categoricalAndBernoulliSamplesFollowTheirProbabilitiesAndModesTheirMostLikelyValues() {
        DifferentiableDistribution categorical = DifferentiableDistribution.forActionSpace(new MultiDiscrete(2, 3));
        DifferentiableDistribution bernoulli = DifferentiableDistribution.forActionSpace(new MultiBinary(2));
        float[] logits = {0.4f, -0.2f, 1.0f, -0.5f, 0.3f};
        float[] bits = {-0.8f, 1.5f};
        int rows = 20_000;
        float[] manyLogits = new float[rows * 5];
        float[] manyBits = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(logits, 0, manyLogits, i * 5, 5);
            System.arraycopy(bits, 0, manyBits, i * 2, 2);
        }
        SplittableRandom random = new SplittableRandom(4);
        float[] uniform5 = new float[rows * 5];
        float[] uniform2 = new float[rows * 2];
        for (int e = 0; e < uniform5.length; e++) {
            uniform5[e] = (float) random.nextDouble(1e-7, 1);
        }
        for (int e = 0; e < uniform2.length; e++) {
            uniform2[e] = (float) random.nextDouble(1e-7, 1);
        }
        Tape t = new Tape();
        Tensor choices = categorical.sample(t, t.constant(manyLogits, rows, 5), null, t.constant(uniform5, rows, 5));
        Tensor ones = bernoulli.sample(t, t.constant(manyBits, rows, 2), null, t.constant(uniform2, rows, 2));
        double[] firstCounts = new double[2];
        double[] secondCounts = new double[3];
        double[] onesCounts = new double[2];
        for (int i = 0; i < rows; i++) {
            firstCounts[(int) choices.get(i, 0)]++;
            secondCounts[(int) choices.get(i, 1)]++;
            onesCounts[0] += ones.get(i, 0);
            onesCounts[1] += ones.get(i, 1);
        }
        double[] first = softmax(logits[0], logits[1]);
        double[] second = softmax(logits[2], logits[3], logits[4]);
        for (int j = 0; j < 2; j++) {
            assertEquals(first[j], firstCounts[j] / rows, 0.015, "first sub-action " + j);
            assertEquals(1 / (1 + Math.exp(-bits[j])), onesCounts[j] / rows, 0.015, "bit " + j);
        }
        for (int j = 0; j < 3; j++) {
            assertEquals(second[j], secondCounts[j] / rows, 0.015, "second sub-action " + j);
        }
        Tensor mode = categorical.mode(t, t.constant(logits, 1, 5), null);
        assertEquals(0f, mode.get(0, 0));
        assertEquals(0f, mode.get(0, 1));
        Tensor bitsMode = bernoulli.mode(t, t.constant(bits, 1, 2), null);
        assertEquals(0f, bitsMode.get(0, 0));
        assertEquals(1f, bitsMode.get(0, 1));
    }

    private static double[] softmax(double... x) {
        double sum = 0;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp(x[i]);
            sum += out[i];
        }
        for (int i = 0; i < x.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
