package org.sparkbaselines.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sparkbaselines.nn.nd4j.NetFixtures.assertClose;
import static org.sparkbaselines.nn.nd4j.NetFixtures.randomParameters;
import static org.sparkbaselines.nn.nd4j.NetFixtures.randomRows;
import static org.sparkbaselines.nn.nd4j.NetFixtures.spec;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkbaselines.nn.jvm.JvmBackend;
import org.sparkbaselines.nn.nd4j.Nd4jBackend;

/** The JVM kernels and DL4J/ND4J compute the same functions: same start, outputs, gradients and optimizer steps. */
class CrossBackendTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    private static final Backend ND4J = Nd4jBackend.instance();

    static Stream<Arguments> netsAndBatches() {
        return Stream.of(
                Arguments.of(spec(Activation.TANH, Activation.LINEAR, 4, 64, 64, 2), 1),
                Arguments.of(spec(Activation.TANH, Activation.LINEAR, 4, 64, 64, 2), 256),
                Arguments.of(spec(Activation.TANH, Activation.LINEAR, 4, 64, 64, 1), 37),
                Arguments.of(spec(Activation.RELU, Activation.SIGMOID, 3, 7, 5, 1), 5),
                Arguments.of(spec(Activation.SIGMOID, Activation.RELU, 11, 33, 3), 64),
                Arguments.of(spec(Activation.RELU, Activation.TANH, 8, 130, 17), 3),
                Arguments.of(spec(Activation.LINEAR, Activation.LINEAR, 2, 1), 7));
    }

    @ParameterizedTest
    @MethodSource("netsAndBatches")
    void sameSeedGivesIdenticalInitialParameters(MlpSpec spec, int ignoredBatch) {
        for (long seed : new long[] {0, 1, 12345}) {
            Map<String, float[]> jvm = JVM.mlp(spec, seed).getParameters();
            Map<String, float[]> nd4j = ND4J.mlp(spec, seed).getParameters();
            assertEquals(jvm.keySet(), nd4j.keySet());
            for (String name : jvm.keySet()) {
                assertArrayEquals(jvm.get(name), nd4j.get(name), name + ", seed " + seed);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("netsAndBatches")
    void outputsAndGradientsAgree(MlpSpec spec, int batch) {
        SplittableRandom random = new SplittableRandom(batch * 31L + spec.inputDim());
        Mlp jvm = JVM.mlp(spec, 3);
        Mlp nd4j = ND4J.mlp(spec, 3);
        Map<String, float[]> parameters = randomParameters(jvm, random);
        jvm.setParameters(parameters);
        nd4j.setParameters(parameters);
        float[][] input = randomRows(random, batch, spec.inputDim(), 1);
        float[][] gradOutput = randomRows(random, batch, spec.outputDim(), 1);

        float[][] jvmOutput = jvm.forward(input, batch);
        float[][] nd4jOutput = nd4j.forward(input, batch);
        for (int r = 0; r < batch; r++) {
            assertClose(jvmOutput[r], nd4jOutput[r], 1e-6, 1e-5, "output row " + r);
        }
        float[][] jvmInputGradient = jvm.backward(gradOutput, batch, true);
        float[][] nd4jInputGradient = nd4j.backward(gradOutput, batch, true);
        for (int r = 0; r < batch; r++) {
            assertClose(jvmInputGradient[r], nd4jInputGradient[r], 1e-5, 1e-4, "input gradient row " + r);
        }
        Map<String, float[]> jvmGradients = jvm.getGradients();
        Map<String, float[]> nd4jGradients = nd4j.getGradients();
        for (String name : jvm.parameterNames()) {
            assertClose(jvmGradients.get(name), nd4jGradients.get(name), 1e-5, 1e-5, name);
        }
    }

    @ParameterizedTest
    @MethodSource("netsAndBatches")
    void adamStepsStayTogether(MlpSpec spec, int batch) {
        assertOptimizersStayTogether(spec, batch, (backend, params) -> backend.adam(params, AdamConfig.DEFAULT.withEpsilon(1e-5)));
    }

    @ParameterizedTest
    @MethodSource("netsAndBatches")
    void rmsPropStepsStayTogether(MlpSpec spec, int batch) {
        assertOptimizersStayTogether(spec, batch, (backend, params) -> backend.rmsProp(params, new RmsPropConfig(0.99, 0.5, 1e-5)));
    }

    /**
     * Five steps on each backend of an MLP plus a free parameter vector, with fresh inputs and
     * dL/doutput each step and clipping to a global norm that the gradients exceed.
     */
    private static void assertOptimizersStayTogether(MlpSpec spec, int batch, BiFunction<Backend, List<Trainable>, Optimizer> optimizer) {
        Mlp jvm = JVM.mlp(spec, 11);
        Mlp nd4j = ND4J.mlp(spec, 11);
        ParameterVector jvmLogstd = JVM.parameterVector("logstd", spec.outputDim(), -0.5f);
        ParameterVector nd4jLogstd = ND4J.parameterVector("logstd", spec.outputDim(), -0.5f);
        Optimizer jvmOptimizer = optimizer.apply(JVM, List.of(jvm, jvmLogstd));
        Optimizer nd4jOptimizer = optimizer.apply(ND4J, List.of(nd4j, nd4jLogstd));
        SplittableRandom random = new SplittableRandom(17);
        double learningRate = 3e-3;
        for (int step = 0; step < 5; step++) {
            float[][] input = randomRows(random, batch, spec.inputDim(), 1);
            float[][] gradOutput = randomRows(random, batch, spec.outputDim(), 1);
            float[] logstdGradient = randomRows(random, 1, spec.outputDim(), 1)[0];
            for (Mlp mlp : List.of(jvm, nd4j)) {
                mlp.zeroGrad();
                mlp.forward(input, batch);
                mlp.backward(gradOutput, batch, false);
            }
            for (ParameterVector logstd : List.of(jvmLogstd, nd4jLogstd)) {
                logstd.zeroGrad();
                logstd.addGradient(logstdGradient);
            }
            double jvmNorm = jvmOptimizer.step(learningRate, 0.5);
            double nd4jNorm = nd4jOptimizer.step(learningRate, 0.5);
            assertEquals(jvmNorm, nd4jNorm, 1e-5 * jvmNorm, "global gradient norm, step " + step);
            Map<String, float[]> jvmParameters = jvm.getParameters();
            Map<String, float[]> nd4jParameters = nd4j.getParameters();
            for (String name : jvm.parameterNames()) {
                // Steps are ~learningRate per element; allow a small fraction of one step of drift.
                assertClose(jvmParameters.get(name), nd4jParameters.get(name), 1e-3 * learningRate, 1e-6, name + ", step " + step);
            }
            assertClose(jvmLogstd.getParameters().get("logstd"), nd4jLogstd.getParameters().get("logstd"), 1e-3 * learningRate, 1e-6,
                    "logstd, step " + step);
        }
    }
}
