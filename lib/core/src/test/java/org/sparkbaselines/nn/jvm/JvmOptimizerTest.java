package org.sparkbaselines.nn.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.nn.jvm.JvmTestNets.forwardBackward;
import static org.sparkbaselines.nn.jvm.JvmTestNets.network;
import static org.sparkbaselines.nn.jvm.JvmTestNets.spec;
import static org.sparkbaselines.nn.jvm.JvmTestNets.uniform;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.MlpSpec;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.ParameterVector;
import org.sparkbaselines.nn.RmsPropConfig;
import org.sparkbaselines.nn.Trainable;

/** Adam and RMSProp against the TensorFlow formulas written out by hand, clipping, state and errors. */
class JvmOptimizerTest {
    private static final String NAME = "p:0";
    private static final double[] W0 = {1.0, -2.0, 0.5};
    private static final double[] G1 = {0.1, -0.2, 0.3};
    private static final double[] G2 = {-0.4, 0.05, 0.3};

    @Test
    void adamTakesTensorFlowSteps() {
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-5;
        ParameterVector p = vector(W0);
        Optimizer adam = JvmBackend.INSTANCE.adam(List.of(p), new AdamConfig(b1, b2, eps));

        setGradient(p, G1);
        adam.step(lr, Double.NaN);
        double[] m = new double[3];
        double[] v = new double[3];
        double[] w = W0.clone();
        for (int i = 0; i < 3; i++) {
            m[i] = (1 - b1) * G1[i];
            v[i] = (1 - b2) * G1[i] * G1[i];
            double rate = lr * Math.sqrt(1 - b2) / (1 - b1);
            w[i] -= rate * m[i] / (Math.sqrt(v[i]) + eps);
        }
        assertValues(w, p, 1e-6);

        setGradient(p, G2);
        adam.step(lr, Double.NaN);
        for (int i = 0; i < 3; i++) {
            m[i] = b1 * m[i] + (1 - b1) * G2[i];
            v[i] = b2 * v[i] + (1 - b2) * G2[i] * G2[i];
            double rate = lr * Math.sqrt(1 - b2 * b2) / (1 - b1 * b1);
            w[i] -= rate * m[i] / (Math.sqrt(v[i]) + eps);
        }
        assertValues(w, p, 1e-6);
        assertArrayEquals(new float[] {2f}, adam.state().get("adam/step"));
        assertArrayEquals(toFloat(m), adam.state().get("adam/m/" + NAME), 1e-7f);
        assertArrayEquals(toFloat(v), adam.state().get("adam/v/" + NAME), 1e-9f);
    }

    @Test
    void rmsPropTakesTensorFlowStepsWithMeanSquareStartingAtOne() {
        double lr = 0.01;
        double alpha = 0.99;
        double momentum = 0.9;
        double eps = 1e-5;
        ParameterVector p = vector(W0);
        Optimizer rmsProp = JvmBackend.INSTANCE.rmsProp(List.of(p), new RmsPropConfig(alpha, momentum, eps));
        double[] ms = {1, 1, 1};
        double[] mom = new double[3];
        double[] w = W0.clone();
        for (double[] g : new double[][] {G1, G2}) {
            setGradient(p, g);
            rmsProp.step(lr, Double.NaN);
            for (int i = 0; i < 3; i++) {
                ms[i] = alpha * ms[i] + (1 - alpha) * g[i] * g[i];
                mom[i] = momentum * mom[i] + lr * g[i] / Math.sqrt(ms[i] + eps);
                w[i] -= mom[i];
            }
            assertValues(w, p, 1e-6);
        }
        assertArrayEquals(toFloat(ms), rmsProp.state().get("rmsprop/ms/" + NAME), 1e-6f);
        assertArrayEquals(toFloat(mom), rmsProp.state().get("rmsprop/mom/" + NAME), 1e-7f);
    }

    /** Adam's first moment after one step is {@code (1 - beta1) * clippedGradient}: it shows the clip scale on every layout. */
    @Test
    void clipsByGlobalNormAndReturnsTheNormBeforeClipping() {
        for (double maxNorm : new double[] {0.5, 1e6, Double.NaN, 0}) {
            Setup setup = new Setup(31);
            Map<String, float[]> grads = setup.gradients();
            double norm = 0;
            for (float[] g : grads.values()) {
                for (float x : g) {
                    norm += (double) x * x;
                }
            }
            norm = Math.sqrt(norm);
            Optimizer adam = JvmBackend.INSTANCE.adam(setup.trainables(), AdamConfig.DEFAULT);
            double returned = adam.step(1e-3, maxNorm);
            assertEquals(norm, returned, 1e-5 * norm, "pre-clip global norm");
            double scale = maxNorm > 0 ? Math.min(1, maxNorm / norm) : 1;
            assertTrue(maxNorm != 0.5 || scale < 1, "the test clips when it means to: scale " + scale);
            Map<String, float[]> state = adam.state();
            grads.forEach((name, g) -> {
                float[] m = state.get("adam/m/" + name);
                for (int i = 0; i < g.length; i++) {
                    assertEquals(0.1 * scale * g[i], m[i], 1e-6 * Math.abs(g[i]) + 1e-12, name + "[" + i + "] with maxNorm " + maxNorm);
                }
            });
        }
    }

    @Test
    void adamStateRoundTripsToAFreshOptimizer() {
        assertStateRoundTrips(trainables -> JvmBackend.INSTANCE.adam(trainables, AdamConfig.DEFAULT.withEpsilon(1e-5)));
    }

    @Test
    void rmsPropStateRoundTripsToAFreshOptimizer() {
        assertStateRoundTrips(trainables -> JvmBackend.INSTANCE.rmsProp(trainables, new RmsPropConfig(0.99, 0.9, 1e-5)));
    }

    /** Three steps, state to a fresh optimizer over copies of the trainables, then the same fourth step on both. */
    private static void assertStateRoundTrips(Function<List<Trainable>, Optimizer> make) {
        Setup original = new Setup(41);
        Optimizer first = make.apply(original.trainables());
        for (int step = 0; step < 3; step++) {
            original.zeroGrad();
            original.backward(step);
            first.step(1e-2, 0.5);
        }
        Setup copy = new Setup(99);
        copy.copyParametersFrom(original);
        Optimizer second = make.apply(copy.trainables());
        second.loadState(first.state());
        for (Setup s : new Setup[] {original, copy}) {
            s.zeroGrad();
            s.backward(3);
        }
        first.step(1e-2, 0.5);
        second.step(1e-2, 0.5);
        for (int t = 0; t < original.trainables().size(); t++) {
            Map<String, float[]> expected = original.trainables().get(t).getParameters();
            Map<String, float[]> actual = copy.trainables().get(t).getParameters();
            expected.forEach((name, v) -> assertArrayEquals(v, actual.get(name), name));
        }
        Map<String, float[]> a = first.state();
        Map<String, float[]> b = second.state();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, v) -> assertArrayEquals(v, b.get(name), name));
    }

    @Test
    void loadStateNamesMissingAndMisSizedEntries() {
        Setup setup = new Setup(51);
        Optimizer adam = JvmBackend.INSTANCE.adam(setup.trainables(), AdamConfig.DEFAULT);
        Map<String, float[]> state = new HashMap<>(adam.state());
        state.remove("adam/v/net/fc1/w:0");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> adam.loadState(state));
        assertTrue(missing.getMessage().contains("adam/v/net/fc1/w:0"), missing.getMessage());
        state.put("adam/v/net/fc1/w:0", new float[7]);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> adam.loadState(state));
        assertTrue(size.getMessage().contains("adam/v/net/fc1/w:0"), size.getMessage());
    }

    @Test
    void rejectsTrainablesOfOtherBackends() {
        Trainable foreign = new ForeignTrainable();
        JvmMlp mlp = network(spec(4, "8 tanh", "2 linear"), 61);
        IllegalArgumentException adam = assertThrows(IllegalArgumentException.class,
                () -> JvmBackend.INSTANCE.adam(List.of(mlp, foreign), AdamConfig.DEFAULT));
        assertTrue(adam.getMessage().contains(ForeignTrainable.class.getName()) && adam.getMessage().contains("jvm"), adam.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JvmBackend.INSTANCE.rmsProp(List.of(foreign), RmsPropConfig.A2C_DEFAULT));
    }

    @Test
    void rejectsAParameterListedTwice() {
        JvmMlp mlp = network(spec(4, "8 tanh", "2 linear"), 62);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> JvmBackend.INSTANCE.adam(List.of(mlp, mlp), AdamConfig.DEFAULT));
        assertTrue(twice.getMessage().contains("net/fc0/w:0"), twice.getMessage());
    }

    /** A policy-shaped net (wide and narrow layers) and a parameter vector, with gradients from a fixed batch. */
    private static final class Setup {
        private static final MlpSpec SPEC = spec(4, "16 tanh", "3 linear");
        private final JvmMlp mlp;
        private final ParameterVector logStd;
        private final float[][] input;
        private final float[][] lossWeights;

        Setup(long seed) {
            mlp = network(SPEC, seed);
            logStd = JvmBackend.INSTANCE.parameterVector("model/pi/logstd:0", 3, -0.5f);
            SplittableRandom random = new SplittableRandom(77);
            input = uniform(6, 4, 1.0, random);
            lossWeights = uniform(6, 3, 1.0, random);
            backward(0);
        }

        List<Trainable> trainables() {
            return List.of(mlp, logStd);
        }

        /** Gradients that differ from step to step. */
        void backward(int step) {
            float[][] weights = new float[lossWeights.length][];
            for (int r = 0; r < weights.length; r++) {
                weights[r] = lossWeights[r].clone();
                weights[r][step % 3] += step;
            }
            forwardBackward(mlp, input, weights, input.length);
            logStd.addGradient(new float[] {0.5f + step, -1f, 2f});
        }

        void zeroGrad() {
            mlp.zeroGrad();
            logStd.zeroGrad();
        }

        Map<String, float[]> gradients() {
            Map<String, float[]> grads = new HashMap<>(mlp.getGradients());
            grads.putAll(logStd.getGradients());
            return grads;
        }

        void copyParametersFrom(Setup other) {
            mlp.setParameters(other.mlp.getParameters());
            logStd.setParameters(other.logStd.getParameters());
        }
    }

    /** A Trainable that is not the JVM backend's. */
    private static final class ForeignTrainable implements Trainable {
        @Override
        public List<String> parameterNames() {
            return List.of("foreign:0");
        }

        @Override
        public Map<String, int[]> parameterShapes() {
            return Map.of("foreign:0", new int[] {1});
        }

        @Override
        public Map<String, float[]> getParameters() {
            return Map.of("foreign:0", new float[1]);
        }

        @Override
        public void setParameters(Map<String, float[]> values) {
        }

        @Override
        public Map<String, float[]> getGradients() {
            return Map.of("foreign:0", new float[1]);
        }

        @Override
        public void zeroGrad() {
        }
    }

    private static ParameterVector vector(double[] values) {
        ParameterVector p = JvmBackend.INSTANCE.parameterVector(NAME, values.length, 0f);
        p.setParameters(Map.of(NAME, toFloat(values)));
        return p;
    }

    private static void setGradient(ParameterVector p, double[] grad) {
        p.zeroGrad();
        p.addGradient(toFloat(grad));
    }

    private static void assertValues(double[] expected, ParameterVector p, double tolerance) {
        float[] actual = new float[p.size()];
        p.values(actual);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, NAME + "[" + i + "]");
        }
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
