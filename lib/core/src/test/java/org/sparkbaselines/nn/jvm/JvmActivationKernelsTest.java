package org.sparkbaselines.nn.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.nn.jvm.MatrixKernels.LANES;
import static org.sparkbaselines.nn.jvm.MatrixKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.Activation;

/** The tanh approximation's accuracy, and agreement of the vector and scalar forms. */
class JvmActivationKernelsTest {

    @Test
    void tanhIsWithinOneMillionthOfMathTanhEverywhere() {
        double worst = 0;
        float[] lanes = new float[LANES];
        for (double x = -20; x <= 20; x += 1.0 / 4096) {
            float v = (float) x;
            double error = Math.abs(ActivationKernels.tanh(v) - Math.tanh(v));
            worst = Math.max(worst, error);
        }
        for (float v : new float[] {0f, -0f, 1e-30f, -1e-8f, Float.MIN_VALUE, 1e30f, -1e30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            worst = Math.max(worst, Math.abs(ActivationKernels.tanh(v) - Math.tanh(v)));
        }
        assertTrue(worst <= 5e-7, "max |tanh error| " + worst);
        assertTrue(Math.abs(ActivationKernels.tanh(40f)) <= 1f, "|tanh| never exceeds 1");
        assertTrue(Float.isNaN(ActivationKernels.tanh(Float.NaN)), "NaN propagates");
    }

    @Test
    void vectorAndScalarFormsAgreeExactly() {
        float[][] rows = new float[1][LANES * 64];
        for (int i = 0; i < rows[0].length; i++) {
            rows[0][i] = (i - rows[0].length / 2) * 0.017f;
        }
        for (Activation activation : Activation.values()) {
            float[][] out = {rows[0].clone()};
            ActivationKernels.activate(activation, out, 0, 1, out[0].length);
            float[][] delta = {filled(out[0].length, 0.7f)};
            ActivationKernels.multiplyByDerivative(activation, delta, out, 0, 1, out[0].length);
            for (int i = 0; i < out[0].length; i++) {
                float y = ActivationKernels.activate(activation, rows[0][i]);
                assertEquals(y, out[0][i], 0f, activation + " at " + rows[0][i]);
                assertEquals(ActivationKernels.multiplyByDerivative(activation, 0.7f, y), delta[0][i], 0f, activation + "' at " + rows[0][i]);
            }
        }
        float[] v = filled(LANES, 0.3f);
        ActivationKernels.tanh(FloatVector.fromArray(SPECIES, v, 0)).intoArray(v, 0);
        assertEquals(ActivationKernels.tanh(0.3f), v[0], 0f);
    }

    @Test
    void sigmoidAndReluMatchTheirDefinitions() {
        for (float x = -15; x <= 15; x += 0.01f) {
            assertEquals(1 / (1 + Math.exp(-x)), ActivationKernels.activate(Activation.SIGMOID, x), 3e-7, "sigmoid " + x);
            assertEquals(Math.max(0, x), ActivationKernels.activate(Activation.RELU, x), 0, "relu " + x);
        }
    }

    private static float[] filled(int n, float value) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, value);
        return out;
    }
}
