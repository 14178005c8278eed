package org.sparkbaselines.nn.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.nn.nd4j.NetFixtures.assertClose;
import static org.sparkbaselines.nn.nd4j.NetFixtures.randomParameters;
import static org.sparkbaselines.nn.nd4j.NetFixtures.randomRows;
import static org.sparkbaselines.nn.nd4j.NetFixtures.spec;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.Initializers;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.MlpSpec;
import org.sparkbaselines.nn.ReferenceMlp;

class Nd4jMlpTest {
    private static final Nd4jBackend BACKEND = Nd4jBackend.instance();
    /** Finite-difference step; the reference runs in double precision. */
    private static final double H = 1e-6;

    /** Network shapes and batch sizes; the big net uses small batches where finite differences cost O(parameters^2). */
    static Stream<Arguments> netsAndBatches() {
        return Stream.of(
                Arguments.of(spec(Activation.TANH, Activation.LINEAR, 4, 64, 64, 2), 1),
                Arguments.of(spec(Activation.TANH, Activation.LINEAR, 4, 64, 64, 2), 5),
                Arguments.of(spec(Activation.TANH, Activation.LINEAR, 3, 7, 5, 1), 256),
                Arguments.of(spec(Activation.RELU, Activation.SIGMOID, 3, 7, 5, 1), 5),
                Arguments.of(spec(Activation.SIGMOID, Activation.RELU, 6, 9, 4), 256),
                Arguments.of(spec(Activation.LINEAR, Activation.TANH, 2, 3), 1));
    }

    static Stream<Arguments> forwardCases() {
        return Stream.concat(netsAndBatches(), Stream.of(
                Arguments.of(spec(Activation.TANH, Activation.LINEAR, 4, 64, 64, 2), 256),
                Arguments.of(spec(Activation.RELU, Activation.LINEAR, 4, 64, 64, 1), 256)));
    }

    @Test
    void namesAndBackendIdentity() {
        assertEquals("nd4j", BACKEND.name());
        assertSame(BACKEND, Nd4jBackend.instance());
        Mlp mlp = BACKEND.mlp(spec(Activation.TANH, Activation.LINEAR, 4, 8, 2), 0);
        assertEquals(List.of("model/fc0/w:0", "model/fc0/b:0", "model/fc1/w:0", "model/fc1/b:0"), mlp.parameterNames());
        assertArrayEquals(new int[] {4, 8}, mlp.parameterShapes().get("model/fc0/w:0"));
        assertArrayEquals(new int[] {8}, mlp.parameterShapes().get("model/fc0/b:0"));
        assertArrayEquals(new int[] {8, 2}, mlp.parameterShapes().get("model/fc1/w:0"));
    }

    @Test
    void startsFromSeededOrthogonalWeightsAndZeroBiases() {
        MlpSpec spec = spec(Activation.TANH, Activation.LINEAR, 4, 64, 64, 2);
        long seed = 42;
        Map<String, float[]> params = BACKEND.mlp(spec, seed).getParameters();
        int in = spec.inputDim();
        for (int i = 0; i < spec.layers().size(); i++) {
            var layer = spec.layers().get(i);
            float[] expected = Initializers.orthogonal(in, layer.units(), layer.initGain(), new SplittableRandom(seed + i));
            assertArrayEquals(expected, params.get(layer.name() + "/w:0"), layer.name());
            assertArrayEquals(new float[layer.units()], params.get(layer.name() + "/b:0"), layer.name());
            in = layer.units();
        }
    }

    @ParameterizedTest
    @MethodSource("forwardCases")
    void forwardMatchesReference(MlpSpec spec, int batch) {
        SplittableRandom random = new SplittableRandom(1);
        Mlp mlp = BACKEND.mlp(spec, 7);
        mlp.setParameters(randomParameters(mlp, random));
        float[][] input = randomRows(random, batch, spec.inputDim(), 1);
        ReferenceMlp reference = new ReferenceMlp(spec, mlp.getParameters());

        float[][] output = mlp.forward(input, batch);
        double[][] expected = reference.forward(input, batch);
        for (int r = 0; r < batch; r++) {
            assertClose(expected[r], output[r], 1e-6, 1e-5, "output row " + r);
        }
    }

    @ParameterizedTest
    @MethodSource("netsAndBatches")
    void gradientsMatchFiniteDifferences(MlpSpec spec, int batch) {
        SplittableRandom random = new SplittableRandom(2);
        Mlp mlp = BACKEND.mlp(spec, 3);
        mlp.setParameters(randomParameters(mlp, random));
        float[][] input = randomRows(random, batch, spec.inputDim(), 1);
        float[][] gradOutput = randomRows(random, batch, spec.outputDim(), 1);
        ReferenceMlp reference = new ReferenceMlp(spec, mlp.getParameters());

        mlp.forward(input, batch);
        float[][] inputGradient = mlp.backward(gradOutput, batch, true);

        Map<String, float[]> gradients = mlp.getGradients();
        for (String name : mlp.parameterNames()) {
            double[] expected = reference.finiteDifference(name, input, gradOutput, batch, H);
            assertClose(expected, gradients.get(name), 1e-5, 1e-5, name);
        }
        for (int r = 0; r < batch; r++) {
            double[] expected = reference.inputFiniteDifference(input, gradOutput, batch, r, 1e-3);
            assertClose(expected, inputGradient[r], 1e-5, 1e-4, "input gradient row " + r);
        }
    }

    @Test
    void backwardAddsToGradientsUntilZeroGrad() {
        MlpSpec spec = spec(Activation.TANH, Activation.LINEAR, 4, 16, 3);
        SplittableRandom random = new SplittableRandom(3);
        Mlp mlp = BACKEND.mlp(spec, 1);
        float[][] firstInput = randomRows(random, 8, 4, 1);
        float[][] firstGradOutput = randomRows(random, 8, 3, 1);
        float[][] secondInput = randomRows(random, 5, 4, 1);
        float[][] secondGradOutput = randomRows(random, 5, 3, 1);

        mlp.forward(firstInput, 8);
        mlp.backward(firstGradOutput, 8, false);
        Map<String, float[]> first = mlp.getGradients();
        mlp.zeroGrad();
        mlp.forward(secondInput, 5);
        mlp.backward(secondGradOutput, 5, false);
        Map<String, float[]> second = mlp.getGradients();

        mlp.zeroGrad();
        mlp.forward(firstInput, 8);
        mlp.backward(firstGradOutput, 8, false);
        mlp.forward(secondInput, 5);
        mlp.backward(secondGradOutput, 5, false);
        Map<String, float[]> both = mlp.getGradients();
        for (String name : mlp.parameterNames()) {
            float[] sum = first.get(name).clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += second.get(name)[i];
            }
            assertClose(sum, both.get(name), 1e-6, 1e-6, name);
        }

        mlp.zeroGrad();
        for (float[] gradient : mlp.getGradients().values()) {
            assertArrayEquals(new float[gradient.length], gradient);
        }
    }

    @Test
    void reusesRowBuffersAndSkipsInputGradientUnlessAsked() {
        Mlp mlp = BACKEND.mlp(spec(Activation.TANH, Activation.LINEAR, 4, 16, 2), 1);
        SplittableRandom random = new SplittableRandom(4);
        float[][] big = mlp.forward(randomRows(random, 6, 4, 1), 6);
        float[][] small = mlp.forward(randomRows(random, 3, 4, 1), 3);
        assertSame(big, small, "the output buffer grows to the largest batch and is then reused");
        assertNull(mlp.backward(randomRows(random, 3, 2, 1), 3, false));
        float[][] inputGradient = mlp.backward(randomRows(random, 3, 2, 1), 3, true);
        assertTrue(inputGradient.length >= 3 && inputGradient[0].length == 4);
    }

    @Test
    void setParametersRoundTripsAndRejectsUnknownNamesAndWrongSizes() {
        Mlp mlp = BACKEND.mlp(spec(Activation.TANH, Activation.LINEAR, 3, 5, 2), 1);
        Map<String, float[]> values = randomParameters(mlp, new SplittableRandom(5));
        mlp.setParameters(values);
        for (String name : mlp.parameterNames()) {
            assertArrayEquals(values.get(name), mlp.getParameters().get(name), name);
        }

        var unknown = assertThrows(IllegalArgumentException.class, () -> mlp.setParameters(Map.of("model/fc9/w:0", new float[15])));
        assertTrue(unknown.getMessage().contains("model/fc9/w:0"), unknown.getMessage());
        var wrongSize = assertThrows(IllegalArgumentException.class, () -> mlp.setParameters(Map.of("model/fc0/w:0", new float[14])));
        assertTrue(wrongSize.getMessage().contains("model/fc0/w:0") && wrongSize.getMessage().contains("15"), wrongSize.getMessage());
        assertArrayEquals(values.get("model/fc0/w:0"), mlp.getParameters().get("model/fc0/w:0"), "a rejected update changes nothing");
    }

    @Test
    void rejectsBadRowsAndBackwardWithoutMatchingForward() {
        Mlp mlp = BACKEND.mlp(spec(Activation.TANH, Activation.LINEAR, 3, 5, 2), 1);
        assertThrows(IllegalStateException.class, () -> mlp.backward(new float[2][2], 2, false));
        var wrongWidth = assertThrows(IllegalArgumentException.class, () -> mlp.forward(new float[][] {new float[3], new float[4]}, 2));
        assertTrue(wrongWidth.getMessage().contains("row 1"), wrongWidth.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mlp.forward(new float[2][3], 3));
        mlp.forward(new float[4][3], 4);
        assertThrows(IllegalStateException.class, () -> mlp.backward(new float[2][2], 2, false));
    }
}
