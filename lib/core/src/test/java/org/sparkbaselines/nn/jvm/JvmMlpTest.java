package org.sparkbaselines.nn.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.nn.jvm.JvmTestNets.network;
import static org.sparkbaselines.nn.jvm.JvmTestNets.spec;
import static org.sparkbaselines.nn.jvm.JvmTestNets.uniform;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.MlpSpec;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.ReferenceMlp;

/** The JVM backend's MLP against the double-precision {@link ReferenceMlp}: outputs, gradients, semantics. */
class JvmMlpTest {

    /** Shapes covering both layer layouts, row tails (batch % 4), several column blocks and every activation. */
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(spec(4, "64 tanh", "64 tanh", "2 linear"), 1),
                Arguments.of(spec(4, "64 tanh", "64 tanh", "2 linear"), 5),
                Arguments.of(spec(4, "64 tanh", "64 tanh", "2 linear"), 256),
                Arguments.of(spec(4, "64 tanh", "64 tanh", "1 linear"), 300),
                Arguments.of(spec(3, "7 tanh", "5 tanh", "1 linear"), 6),
                Arguments.of(spec(10, "32 relu", "1 linear"), 9),
                Arguments.of(spec(6, "16 sigmoid", "3 sigmoid"), 7),
                Arguments.of(spec(5, "3 linear"), 4),
                Arguments.of(spec(4, "16 linear"), 3),
                Arguments.of(spec(70, "128 relu", "20 tanh", "130 sigmoid"), 5));
    }

    /**
     * Finite differences cost a forward per parameter entry, so these batches stay small (still
     * covering 4-row tiles and leftover rows); {@link #largeBatchGradientsEqualSumsOfSingleRows}
     * carries the check to large batches.
     */
    static Stream<Arguments> gradientShapes() {
        return Stream.of(
                Arguments.of(spec(4, "64 tanh", "64 tanh", "2 linear"), 1),
                Arguments.of(spec(4, "64 tanh", "64 tanh", "2 linear"), 7),
                Arguments.of(spec(4, "64 tanh", "64 tanh", "1 linear"), 4),
                Arguments.of(spec(3, "7 tanh", "5 tanh", "1 linear"), 6),
                Arguments.of(spec(10, "32 relu", "1 linear"), 9),
                Arguments.of(spec(6, "16 sigmoid", "3 sigmoid"), 7),
                Arguments.of(spec(5, "3 linear"), 4),
                Arguments.of(spec(4, "16 linear"), 3),
                Arguments.of(spec(70, "128 relu", "20 tanh", "130 sigmoid"), 2));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void forwardMatchesReference(MlpSpec spec, int batch) {
        JvmMlp mlp = network(spec, 11);
        float[][] input = uniform(batch, spec.inputDim(), 1.5, new SplittableRandom(3));
        float[][] out = mlp.forward(input, batch);
        double[][] expected = new ReferenceMlp(spec, mlp.getParameters()).forward(input, batch);
        for (int r = 0; r < batch; r++) {
            assertEquals(spec.outputDim(), out[r].length, "output row width");
            for (int j = 0; j < spec.outputDim(); j++) {
                assertEquals(expected[r][j], out[r][j], 2e-5 * (1 + Math.abs(expected[r][j])), "row " + r + " output " + j);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("gradientShapes")
    void parameterGradientsMatchFiniteDifferences(MlpSpec spec, int batch) {
        JvmMlp mlp = network(spec, 12);
        SplittableRandom random = new SplittableRandom(4);
        float[][] input = uniform(batch, spec.inputDim(), 1.5, random);
        float[][] lossWeights = uniform(batch, spec.outputDim(), 1.0, random);
        mlp.forward(input, batch);
        mlp.backward(lossWeights, batch, false);
        Map<String, float[]> grads = mlp.getGradients();
        ReferenceMlp reference = new ReferenceMlp(spec, mlp.getParameters());
        for (String name : mlp.parameterNames()) {
            double[] expected = reference.finiteDifference(name, input, lossWeights, batch, 1e-5);
            assertClose(expected, grads.get(name), name);
        }
    }

    @ParameterizedTest
    @MethodSource("gradientShapes")
    void inputGradientsMatchFiniteDifferences(MlpSpec spec, int batch) {
        JvmMlp mlp = network(spec, 13);
        SplittableRandom random = new SplittableRandom(5);
        float[][] input = uniform(batch, spec.inputDim(), 1.5, random);
        float[][] lossWeights = uniform(batch, spec.outputDim(), 1.0, random);
        mlp.forward(input, batch);
        float[][] inputGrad = mlp.backward(lossWeights, batch, true);
        ReferenceMlp reference = new ReferenceMlp(spec, mlp.getParameters());
        for (int r = 0; r < batch; r++) {
            assertEquals(spec.inputDim(), inputGrad[r].length, "input-gradient row width");
            assertClose(reference.inputFiniteDifference(input, lossWeights, batch, r, 1e-3), inputGrad[r], "dL/dinput row " + r);
        }
    }

    /** Gradients are sums over rows: a large batch must equal its rows back-propagated one at a time. */
    @ParameterizedTest
    @MethodSource("largeBatches")
    void largeBatchGradientsEqualSumsOfSingleRows(MlpSpec spec, int batch) {
        JvmMlp mlp = network(spec, 21);
        SplittableRandom random = new SplittableRandom(9);
        float[][] input = uniform(batch, spec.inputDim(), 1.5, random);
        float[][] lossWeights = uniform(batch, spec.outputDim(), 1.0, random);
        mlp.forward(input, batch);
        float[][] inputGrad = copy(mlp.backward(lossWeights, batch, true), batch);
        Map<String, float[]> batched = mlp.getGradients();
        mlp.zeroGrad();
        for (int r = 0; r < batch; r++) {
            mlp.forward(new float[][] {input[r]}, 1);
            float[] rowInputGrad = mlp.backward(new float[][] {lossWeights[r]}, 1, true)[0];
            assertClose(toDouble(rowInputGrad), inputGrad[r], "dL/dinput row " + r);
        }
        Map<String, float[]> perRow = mlp.getGradients();
        for (String name : mlp.parameterNames()) {
            assertClose(toDouble(perRow.get(name)), batched.get(name), name);
        }
    }

    static Stream<Arguments> largeBatches() {
        return Stream.of(
                Arguments.of(spec(4, "64 tanh", "64 tanh", "2 linear"), 256),
                Arguments.of(spec(4, "64 tanh", "64 tanh", "1 linear"), 300),
                Arguments.of(spec(3, "7 tanh", "5 tanh", "1 linear"), 257));
    }

    /** Wide layers keep a transposed copy of W for dL/dinput; it must follow every change of W. */
    @Test
    void gradientsFollowParameterChangesFromOptimizerSteps() {
        MlpSpec spec = spec(4, "64 tanh", "64 tanh", "2 linear");
        JvmMlp mlp = network(spec, 22);
        Optimizer adam = JvmBackend.INSTANCE.adam(List.of(mlp), AdamConfig.DEFAULT);
        SplittableRandom random = new SplittableRandom(10);
        float[][] input = uniform(5, 4, 1.0, random);
        float[][] lossWeights = uniform(5, 2, 1.0, random);
        for (int step = 0; step < 2; step++) {
            mlp.zeroGrad();
            mlp.forward(input, 5);
            mlp.backward(lossWeights, 5, true);
            adam.step(0.05, Double.NaN);
        }
        mlp.zeroGrad();
        mlp.forward(input, 5);
        float[][] inputGrad = mlp.backward(lossWeights, 5, true);
        ReferenceMlp reference = new ReferenceMlp(spec, mlp.getParameters());
        assertClose(reference.inputFiniteDifference(input, lossWeights, 5, 0, 1e-3), inputGrad[0], "dL/dinput row 0");
        assertClose(reference.finiteDifference("net/fc0/w:0", input, lossWeights, 5, 1e-5), mlp.getGradients().get("net/fc0/w:0"), "net/fc0/w:0");
    }

    @Test
    void backwardAddsToTheGradients() {
        MlpSpec spec = spec(4, "64 tanh", "64 tanh", "2 linear");
        JvmMlp mlp = network(spec, 14);
        SplittableRandom random = new SplittableRandom(6);
        float[][] input = uniform(8, 4, 1.0, random);
        float[][] first = uniform(8, 2, 1.0, random);
        float[][] second = uniform(8, 2, 1.0, random);
        float[][] sum = new float[8][2];
        for (int r = 0; r < 8; r++) {
            for (int j = 0; j < 2; j++) {
                sum[r][j] = first[r][j] + second[r][j];
            }
        }
        mlp.forward(input, 8);
        mlp.backward(first, 8, false);
        mlp.backward(second, 8, false);
        Map<String, float[]> accumulated = mlp.getGradients();
        mlp.zeroGrad();
        mlp.getGradients().forEach((name, g) -> assertArrayEquals(new float[g.length], g, name + " after zeroGrad"));
        mlp.backward(sum, 8, false);
        Map<String, float[]> once = mlp.getGradients();
        for (String name : mlp.parameterNames()) {
            assertClose(toDouble(once.get(name)), accumulated.get(name), name);
        }
    }

    @Test
    void inputGradientIsNullUnlessAsked() {
        JvmMlp mlp = network(spec(4, "64 tanh", "2 linear"), 15);
        mlp.forward(new float[][] {{1, 2, 3, 4}}, 1);
        assertNull(mlp.backward(new float[][] {{1, 1}}, 1, false));
    }

    @Test
    void smallerBatchAfterLargerReusesBuffersAndStaysCorrect() {
        MlpSpec spec = spec(4, "64 tanh", "64 tanh", "2 linear");
        JvmMlp mlp = network(spec, 16);
        SplittableRandom random = new SplittableRandom(7);
        mlp.forward(uniform(300, 4, 1.0, random), 300);
        float[][] input = uniform(3, 4, 1.0, random);
        float[][] out = mlp.forward(input, 3);
        double[][] expected = new ReferenceMlp(spec, mlp.getParameters()).forward(input, 3);
        for (int r = 0; r < 3; r++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(expected[r][j], out[r][j], 2e-5 * (1 + Math.abs(expected[r][j])));
            }
        }
    }

    @Test
    void backwardNeedsAMatchingForward() {
        JvmMlp mlp = network(spec(4, "8 tanh", "2 linear"), 17);
        assertThrows(IllegalStateException.class, () -> mlp.backward(new float[][] {{1, 1}}, 1, false));
        mlp.forward(new float[][] {{1, 2, 3, 4}}, 1);
        assertThrows(IllegalStateException.class, () -> mlp.backward(new float[][] {{1, 1}, {1, 1}}, 2, false));
    }

    @Test
    void parametersRoundTripInTensorFlowLayout() {
        MlpSpec spec = spec(3, "16 tanh", "2 linear");
        JvmMlp mlp = network(spec, 18);
        assertEquals(List.of("net/fc0/w:0", "net/fc0/b:0", "net/fc1/w:0", "net/fc1/b:0"), mlp.parameterNames());
        assertArrayEquals(new int[] {3, 16}, mlp.parameterShapes().get("net/fc0/w:0"));
        assertArrayEquals(new int[] {16, 2}, mlp.parameterShapes().get("net/fc1/w:0"));
        assertArrayEquals(new int[] {2}, mlp.parameterShapes().get("net/fc1/b:0"));
        SplittableRandom random = new SplittableRandom(8);
        Map<String, float[]> values = Map.of(
                "net/fc0/w:0", uniform(48, 1.0, random),
                "net/fc1/w:0", uniform(32, 1.0, random),
                "net/fc1/b:0", uniform(2, 1.0, random));
        mlp.setParameters(values);
        Map<String, float[]> read = mlp.getParameters();
        values.forEach((name, v) -> assertArrayEquals(v, read.get(name), name));
        // y = x W + b with W row-major (in, units): a one-hot input picks out a row of W.
        float[] w1 = values.get("net/fc1/w:0");
        float[] b1 = values.get("net/fc1/b:0");
        JvmMlp head = network(spec(16, "2 linear"), 19);
        head.setParameters(Map.of("net/fc0/w:0", w1, "net/fc0/b:0", b1));
        float[] oneHot = new float[16];
        oneHot[5] = 1;
        float[] y = head.forward(new float[][] {oneHot}, 1)[0];
        assertArrayEquals(new float[] {w1[5 * 2] + b1[0], w1[5 * 2 + 1] + b1[1]}, y, 1e-6f);
        read.get("net/fc1/b:0")[0] = 1234;
        assertTrue(mlp.getParameters().get("net/fc1/b:0")[0] != 1234, "getParameters returns copies");
    }

    @Test
    void setParametersRejectsUnknownNamesAndWrongSizesWithoutChangingAnything() {
        JvmMlp mlp = network(spec(3, "16 tanh", "2 linear"), 20);
        Map<String, float[]> before = mlp.getParameters();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> mlp.setParameters(Map.of("net/fc0/b:0", new float[16], "net/fc9/w:0", new float[3])));
        assertTrue(unknown.getMessage().contains("net/fc9/w:0"), unknown.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> mlp.setParameters(Map.of("net/fc1/w:0", new float[33])));
        assertTrue(size.getMessage().contains("net/fc1/w:0") && size.getMessage().contains("32"), size.getMessage());
        Map<String, float[]> after = mlp.getParameters();
        before.forEach((name, v) -> assertArrayEquals(v, after.get(name), name));
    }

    @Test
    void parameterVectorHoldsValuesAndAccumulatesGradients() {
        JvmParameterVector logStd = (JvmParameterVector) JvmBackend.INSTANCE.parameterVector("model/pi/logstd:0", 3, -0.5f);
        assertEquals("model/pi/logstd:0", logStd.name());
        assertEquals(3, logStd.size());
        float[] values = new float[3];
        logStd.values(values);
        assertArrayEquals(new float[] {-0.5f, -0.5f, -0.5f}, values);
        logStd.addGradient(new float[] {1, 2, 3});
        logStd.addGradient(new float[] {1, 1, 1});
        assertArrayEquals(new float[] {2, 3, 4}, logStd.getGradients().get("model/pi/logstd:0"));
        assertThrows(IllegalArgumentException.class, () -> logStd.addGradient(new float[2]));
        logStd.setParameters(Map.of("model/pi/logstd:0", new float[] {1, 2, 3}));
        logStd.values(values);
        assertArrayEquals(new float[] {1, 2, 3}, values);
    }

    /** Float results against a double-precision yardstick, relative to the gradient's overall scale. */
    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-4 * scale + 1e-3 * Math.abs(expected[i]) + 1e-6;
            assertEquals(expected[i], actual[i], tolerance, what + "[" + i + "]");
        }
    }

    private static float[][] copy(float[][] rows, int n) {
        float[][] out = new float[n][];
        for (int r = 0; r < n; r++) {
            out[r] = rows[r].clone();
        }
        return out;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
