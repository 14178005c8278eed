package org.sparkbaselines.nn.tape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.LayerSpec;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.MlpSpec;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.jvm.JvmBackend;

/**
 * A spec and seed give the same network on the tape as the JVM backend's {@link Mlp}: the same initial
 * parameters, outputs and gradients, and the tape's Adam takes the same steps as the backend's.
 */
class DenseStackTest {
    private static final MlpSpec SPEC = new MlpSpec(5, List.of(new LayerSpec("model/pi_fc0", 16, Activation.TANH, Math.sqrt(2)),
            new LayerSpec("model/pi_fc1", 9, Activation.RELU, Math.sqrt(2)), new LayerSpec("model/pi", 3, Activation.LINEAR, 0.01)));
    private static final int BATCH = 37;

    @Test
    void sameParametersOutputsGradientsAndAdamStepsAsTheJvmBackend() {
        Mlp mlp = JvmBackend.INSTANCE.mlp(SPEC, 42);
        DenseStack stack = new DenseStack(SPEC, 42);
        Map<String, float[]> initial = mlp.getParameters();
        stack.getParameters().forEach((name, values) -> assertArrayEquals(initial.get(name), values, name));

        Optimizer backendAdam = JvmBackend.INSTANCE.adam(List.of(mlp), AdamConfig.DEFAULT.withEpsilon(1e-5));
        Optimizer tapeAdam = new TapeAdam(stack.variables(), AdamConfig.DEFAULT.withEpsilon(1e-5));
        SplittableRandom random = new SplittableRandom(3);
        Tape tape = new Tape();
        for (int step = 0; step < 3; step++) {
            float[][] input = new float[BATCH][5];
            float[][] gradOutput = new float[BATCH][3];
            float[] seed = new float[BATCH * 3];
            for (int i = 0; i < BATCH; i++) {
                for (int j = 0; j < 5; j++) {
                    input[i][j] = (float) random.nextGaussian();
                }
                for (int j = 0; j < 3; j++) {
                    gradOutput[i][j] = (float) random.nextGaussian();
                    seed[i * 3 + j] = gradOutput[i][j];
                }
            }
            mlp.zeroGrad();
            Variables.zeroGrad(stack.variables());
            float[][] expected = mlp.forward(input, BATCH);
            mlp.backward(gradOutput, BATCH, false);
            tape.reset();
            Tensor output = stack.forward(tape, tape.constant(input, BATCH, 5));
            for (int i = 0; i < BATCH; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(expected[i][j], output.get(i, j), 1e-6, "output (" + i + ", " + j + ")");
                }
            }
            tape.backward(output, seed);
            Map<String, float[]> gradients = mlp.getGradients();
            for (Variable v : stack.variables()) {
                float[] g = gradients.get(v.name());
                for (int e = 0; e < g.length; e++) {
                    assertEquals(g[e], v.gradient()[e], 1e-5 * (1 + Math.abs(g[e])), v.name() + " gradient " + e);
                }
            }
            // Clipping on: both clip by the same global norm. Parameters agree to float noise (a step moves them by ~1e-2;
            // Adam divides by sqrt(v), which magnifies the last bits of near-zero gradients).
            assertEquals(backendAdam.step(1e-2, 0.5), tapeAdam.step(1e-2, 0.5), 1e-4);
            Map<String, float[]> stepped = mlp.getParameters();
            stack.getParameters().forEach((name, values) -> assertArrayEquals(stepped.get(name), values, 1e-5f, name));
        }
        Map<String, float[]> state = tapeAdam.state();
        backendAdam.state().forEach((name, values) -> assertArrayEquals(values, state.get(name), 1e-5f, name));
    }

    @Test
    void parametersAreSetByNameAndAWrongNameOrSizeIsNamed() {
        DenseStack stack = new DenseStack(SPEC, 1);
        stack.setParameters(Map.of("model/pi/b:0", new float[] {1f, 2f, 3f}));
        assertArrayEquals(new float[] {1f, 2f, 3f}, stack.getParameters().get("model/pi/b:0"));
        assertEquals("model/pi/b:0: 2 values for 1 x 3",
                assertThrows(IllegalArgumentException.class, () -> stack.setParameters(Map.of("model/pi/b:0", new float[2]))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> stack.setParameters(Map.of("model/vf/b:0", new float[3])));
    }
}
