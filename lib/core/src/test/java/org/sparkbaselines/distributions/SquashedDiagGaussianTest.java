package org.sparkbaselines.distributions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;

/** The squashed Gaussian's sample and log-probability against the reference's formulas in double precision, and their gradients. */
class SquashedDiagGaussianTest {
    private static final int ROWS = 3;
    private static final int DIM = 2;

    @Test
    void sampleLogProbAndTheirGradientsAreTheReferences() {
        SplittableRandom random = new SplittableRandom(4);
        Variable mean = new Variable("mean", ROWS, DIM);
        Variable logStd = new Variable("logstd", ROWS, DIM);
        float[] noise = new float[ROWS * DIM];
        for (int e = 0; e < noise.length; e++) {
            mean.values()[e] = (float) random.nextDouble(-1, 1);
            logStd.values()[e] = (float) random.nextDouble(-1.5, 0.5);
            noise[e] = (float) random.nextGaussian();
        }
        Tape tape = new Tape();
        SquashedDiagGaussian.Sample sample = new SquashedDiagGaussian().sample(tape, tape.variable(mean), tape.variable(logStd),
                tape.constant(noise, ROWS, DIM));
        double[] expected = reference(toDouble(mean.values()), toDouble(logStd.values()), noise);
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < DIM; j++) {
                double u = mean.values()[i * DIM + j] + Math.exp(logStd.values()[i * DIM + j]) * noise[i * DIM + j];
                assertEquals(Math.tanh(u), sample.action().get(i, j), 1e-6, "action");
            }
            assertEquals(expected[i], sample.logProb().get(i, 0), 1e-4 * (1 + Math.abs(expected[i])), "log p, row " + i);
        }
        // d(sum of log p)/d(mean, logStd) against central differences of the reference.
        tape.backward(tape.sum(sample.logProb()));
        double h = 1e-6;
        for (Variable v : new Variable[] {mean, logStd}) {
            for (int e = 0; e < ROWS * DIM; e++) {
                double[] m = toDouble(mean.values());
                double[] s = toDouble(logStd.values());
                double[] target = v == mean ? m : s;
                target[e] += h;
                double up = sum(reference(m, s, noise));
                target[e] -= 2 * h;
                double down = sum(reference(m, s, noise));
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, v.gradient()[e], 1e-3 * (1 + Math.abs(numeric)), v.name() + "[" + e + "]");
            }
        }
    }

    @Test
    void theModeIsTanhOfTheMean() {
        Tape tape = new Tape();
        Tensor mode = new SquashedDiagGaussian().mode(tape, tape.constant(new float[] {0.5f, -2f}, 1, 2));
        assertEquals(Math.tanh(0.5), mode.get(0, 0), 1e-7);
        assertEquals(Math.tanh(-2), mode.get(0, 1), 1e-7);
    }

    /** SB2's {@code gaussian_likelihood} then {@code apply_squashing_func}, per row. */
    private static double[] reference(double[] mean, double[] logStd, float[] noise) {
        double[] out = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < DIM; j++) {
                int e = i * DIM + j;
                double u = mean[e] + Math.exp(logStd[e]) * noise[e];
                double z = (u - mean[e]) / (Math.exp(logStd[e]) + 1e-6);
                out[i] += -0.5 * (z * z + 2 * logStd[e] + Math.log(2 * Math.PI));
                out[i] -= Math.log(1 - Math.tanh(u) * Math.tanh(u) + 1e-6);
            }
        }
        return out;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int e = 0; e < values.length; e++) {
            out[e] = values[e];
        }
        return out;
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }
}
