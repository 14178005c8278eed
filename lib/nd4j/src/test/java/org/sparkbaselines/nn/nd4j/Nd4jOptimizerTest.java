package org.sparkbaselines.nn.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.nn.nd4j.NetFixtures.assertClose;
import static org.sparkbaselines.nn.nd4j.NetFixtures.randomRows;
import static org.sparkbaselines.nn.nd4j.NetFixtures.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.ParameterVector;
import org.sparkbaselines.nn.RmsPropConfig;
import org.sparkbaselines.nn.Trainable;

class Nd4jOptimizerTest {
    private static final Nd4jBackend BACKEND = Nd4jBackend.instance();
    private static final float[] START = {1, -2, 0.5f};
    private static final float[] FIRST_GRADIENT = {0.1f, -0.2f, 0.3f};
    private static final float[] SECOND_GRADIENT = {-0.05f, 0.4f, 0};
    /** Float32 arithmetic against double-precision hand computations. */
    private static final double TOLERANCE = 2e-6;

    private static ParameterVector vector(String name, float... values) {
        ParameterVector vector = BACKEND.parameterVector(name, values.length, 0);
        vector.setParameters(Map.of(name, values));
        return vector;
    }

    /** One optimizer step on {@code gradient} alone (the accumulated gradient is cleared first). */
    private static double step(Optimizer optimizer, ParameterVector vector, float[] gradient, double learningRate, double maxGradNorm) {
        vector.zeroGrad();
        vector.addGradient(gradient);
        return optimizer.step(learningRate, maxGradNorm);
    }

    private static float[] values(ParameterVector vector) {
        float[] out = new float[vector.size()];
        vector.values(out);
        return out;
    }

    @Test
    void adamMatchesHandComputedSteps() {
        ParameterVector p = vector("p", START);
        Optimizer adam = BACKEND.adam(List.of(p), new AdamConfig(0.9, 0.999, 1e-2));

        // t=1: m = 0.1 g, v = 0.001 g^2, w -= 0.01 sqrt(0.001)/0.1 * m / (sqrt(v) + 0.01)
        step(adam, p, FIRST_GRADIENT, 0.01, Double.NaN);
        assertClose(new double[] {0.9975974692664796, -1.996125741132772, 0.49513167019494864}, values(p), TOLERANCE, 0, "after step 1");
        // t=2 with learning rate 0.02
        step(adam, p, SECOND_GRADIENT, 0.02, Double.NaN);
        assertClose(new double[] {0.9962065152297434, -2.000414733068356, 0.4886092158659179}, values(p), TOLERANCE, 0, "after step 2");

        Map<String, float[]> state = adam.state();
        assertArrayEquals(new float[] {2}, state.get("adam/step"));
        assertClose(new double[] {0.004, 0.022, 0.027}, state.get("adam/m/p"), 1e-8, 1e-6, "m");
        // 1 - beta2 is rounded to float32 (as in TF's kernel): 1.3e-5 relative
        assertClose(new double[] {1.249e-05, 1.9996e-04, 8.991e-05}, state.get("adam/v/p"), 1e-11, 2e-5, "v");
    }

    @Test
    void rmsPropMatchesHandComputedSteps() {
        ParameterVector p = vector("p", START);
        Optimizer rmsProp = BACKEND.rmsProp(List.of(p), new RmsPropConfig(0.9, 0.5, 1e-2));

        // ms starts at 1: ms = 0.9 + 0.1 g^2, mom = 0.1 g / sqrt(ms + 0.01), w -= mom
        step(rmsProp, p, FIRST_GRADIENT, 0.1, Double.NaN);
        assertClose(new double[] {0.9895229066968254, -1.9790802303672348, 0.4687058255637688}, values(p), TOLERANCE, 0, "after step 1");
        // mom = 0.5 mom + 0.1 g / sqrt(ms + 0.01)
        step(rmsProp, p, SECOND_GRADIENT, 0.1, Double.NaN);
        assertClose(new double[] {0.989802068579696, -2.012274318638819, 0.4530587383456532}, values(p), TOLERANCE, 0, "after step 2");

        Map<String, float[]> state = rmsProp.state();
        assertClose(new double[] {0.81115, 0.8296, 0.8181}, state.get("rmsprop/ms/p"), 1e-7, 1e-6, "ms");
        assertClose(new double[] {-0.0002791618828706143, 0.03319408827158427, 0.015647087218115602}, state.get("rmsprop/mom/p"),
                1e-8, 1e-5, "mom");
    }

    @Test
    void clipsAllGradientsTogetherToTheGlobalNorm() {
        RmsPropConfig noMomentum = new RmsPropConfig(0.9, 0, 1e-2);
        // Gradients 3 and 4 in two trainables: global norm 5. Clipped to 1 they become 0.6 and 0.8.
        ParameterVector a = vector("a", 1);
        ParameterVector b = vector("b", 1);
        Optimizer clipped = BACKEND.rmsProp(List.of(a, b), noMomentum);
        a.addGradient(new float[] {3});
        b.addGradient(new float[] {4});
        assertEquals(5, clipped.step(0.1, 1), 1e-6, "returns the norm before clipping");
        // w = 1 - 0.1 g / sqrt(0.9 + 0.1 g^2 + 0.01)
        assertClose(new double[] {0.9383112909135501}, values(a), TOLERANCE, 0, "a");
        assertClose(new double[] {0.9189392703640225}, values(b), TOLERANCE, 0, "b");

        // Under the limit (and with no limit) the gradients pass unchanged.
        for (double maxGradNorm : new double[] {10, Double.NaN, 0, Double.POSITIVE_INFINITY}) {
            ParameterVector c = vector("c", 1);
            ParameterVector d = vector("d", 1);
            Optimizer unclipped = BACKEND.rmsProp(List.of(c, d), noMomentum);
            c.addGradient(new float[] {3});
            d.addGradient(new float[] {4});
            assertEquals(5, unclipped.step(0.1, maxGradNorm), 1e-6);
            assertClose(new double[] {0.77701175612585}, values(c), TOLERANCE, 0, "c, max norm " + maxGradNorm);
            assertClose(new double[] {0.7475222387608786}, values(d), TOLERANCE, 0, "d, max norm " + maxGradNorm);
        }
    }

    @Test
    void adamStateRoundTripContinuesIdentically() {
        assertStateRoundTrip((params) -> BACKEND.adam(params, AdamConfig.DEFAULT.withEpsilon(1e-5)),
                List.of("adam/m/model/fc0/w:0", "adam/v/model/fc0/w:0", "adam/m/model/fc1/b:0", "adam/v/logstd", "adam/step"));
    }

    @Test
    void rmsPropStateRoundTripContinuesIdentically() {
        assertStateRoundTrip((params) -> BACKEND.rmsProp(params, new RmsPropConfig(0.99, 0.9, 1e-5)),
                List.of("rmsprop/ms/model/fc0/w:0", "rmsprop/mom/model/fc0/w:0", "rmsprop/ms/logstd", "rmsprop/mom/logstd"));
    }

    /**
     * Trains a network and a parameter vector for two steps, copies parameters and optimizer state
     * into fresh objects, and checks that a third step gives identical parameters on both.
     */
    private static void assertStateRoundTrip(Function<List<Trainable>, Optimizer> optimizerFactory,
                                             List<String> expectedStateNames) {
        SplittableRandom random = new SplittableRandom(9);
        float[][] input = randomRows(random, 16, 3, 1);
        float[][] gradOutput = randomRows(random, 16, 2, 1);
        Mlp mlp = BACKEND.mlp(spec(Activation.TANH, Activation.LINEAR, 3, 8, 2), 5);
        ParameterVector logstd = BACKEND.parameterVector("logstd", 2, 0);
        Optimizer optimizer = optimizerFactory.apply(List.of(mlp, logstd));
        for (int i = 0; i < 2; i++) {
            accumulateGradients(mlp, logstd, input, gradOutput);
            optimizer.step(1e-2, 0.5);
        }
        Map<String, float[]> state = optimizer.state();
        assertTrue(state.keySet().containsAll(expectedStateNames), "state names " + state.keySet());

        Mlp restoredMlp = BACKEND.mlp(mlp.spec(), 99);
        ParameterVector restoredLogstd = BACKEND.parameterVector("logstd", 2, 0);
        restoredMlp.setParameters(mlp.getParameters());
        restoredLogstd.setParameters(logstd.getParameters());
        Optimizer restored = optimizerFactory.apply(List.of(restoredMlp, restoredLogstd));
        restored.loadState(state);

        accumulateGradients(mlp, logstd, input, gradOutput);
        optimizer.step(1e-2, 0.5);
        accumulateGradients(restoredMlp, restoredLogstd, input, gradOutput);
        restored.step(1e-2, 0.5);
        for (String name : mlp.parameterNames()) {
            assertArrayEquals(mlp.getParameters().get(name), restoredMlp.getParameters().get(name), name);
        }
        assertArrayEquals(values(logstd), values(restoredLogstd));
        for (String name : expectedStateNames) {
            assertArrayEquals(optimizer.state().get(name), restored.state().get(name), name);
        }
    }

    /** Sets the gradients of {@code mlp} and {@code logstd} to those of one fixed batch. */
    private static void accumulateGradients(Mlp mlp, ParameterVector logstd, float[][] input, float[][] gradOutput) {
        mlp.zeroGrad();
        logstd.zeroGrad();
        mlp.forward(input, input.length);
        mlp.backward(gradOutput, input.length, false);
        logstd.addGradient(new float[] {0.3f, -0.1f});
    }

    @Test
    void loadStateRejectsMissingAndMisSizedEntries() {
        ParameterVector p = vector("p", START);
        Optimizer adam = BACKEND.adam(List.of(p), AdamConfig.DEFAULT);
        Map<String, float[]> state = new HashMap<>(adam.state());

        Map<String, float[]> missing = new HashMap<>(state);
        missing.remove("adam/v/p");
        var missingError = assertThrows(IllegalArgumentException.class, () -> adam.loadState(missing));
        assertTrue(missingError.getMessage().contains("adam/v/p"), missingError.getMessage());

        Map<String, float[]> misSized = new HashMap<>(state);
        misSized.put("adam/m/p", new float[] {1, 2, 3, 4});
        misSized.put("adam/v/p", new float[] {7, 7, 7});
        var sizeError = assertThrows(IllegalArgumentException.class, () -> adam.loadState(misSized));
        assertTrue(sizeError.getMessage().contains("adam/m/p"), sizeError.getMessage());
        assertArrayEquals(new float[3], adam.state().get("adam/v/p"), "a rejected state changes nothing");

        Map<String, float[]> noStep = new HashMap<>(state);
        noStep.remove("adam/step");
        var stepError = assertThrows(IllegalArgumentException.class, () -> adam.loadState(noStep));
        assertTrue(stepError.getMessage().contains("adam/step"), stepError.getMessage());
    }

    @Test
    void rejectsForeignAndDuplicateTrainables() {
        Trainable foreign = new ForeignTrainable();
        ParameterVector p = vector("p", START);
        var foreignError = assertThrows(IllegalArgumentException.class, () -> BACKEND.adam(List.of(p, foreign), AdamConfig.DEFAULT));
        assertTrue(foreignError.getMessage().contains(ForeignTrainable.class.getName()), foreignError.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BACKEND.rmsProp(List.of(foreign), RmsPropConfig.A2C_DEFAULT));
        var duplicate = assertThrows(IllegalArgumentException.class, () -> BACKEND.adam(List.of(p, vector("p", 1)), AdamConfig.DEFAULT));
        assertTrue(duplicate.getMessage().contains("'p'"), duplicate.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BACKEND.adam(List.of(), AdamConfig.DEFAULT));
    }

    @Test
    void parameterVectorAccumulatesAndChecksSizes() {
        ParameterVector p = BACKEND.parameterVector("logstd", 2, -0.5f);
        assertArrayEquals(new float[] {-0.5f, -0.5f}, values(p));
        assertArrayEquals(new int[] {2}, p.parameterShapes().get("logstd"));
        p.addGradient(new float[] {1, 2});
        p.addGradient(new float[] {0.5f, -1});
        assertArrayEquals(new float[] {1.5f, 1}, p.getGradients().get("logstd"));
        p.zeroGrad();
        assertArrayEquals(new float[2], p.getGradients().get("logstd"));

        var wrongGradient = assertThrows(IllegalArgumentException.class, () -> p.addGradient(new float[3]));
        assertTrue(wrongGradient.getMessage().contains("logstd"), wrongGradient.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.values(new float[1]));
        assertThrows(IllegalArgumentException.class, () -> p.setParameters(Map.of("logstd", new float[1])));
        assertThrows(IllegalArgumentException.class, () -> p.setParameters(Map.of("other", new float[2])));
    }

    /** A trainable of some other backend. */
    private static final class ForeignTrainable implements Trainable {
        @Override
        public List<String> parameterNames() {
            return List.of("x");
        }

        @Override
        public Map<String, int[]> parameterShapes() {
            return Map.of("x", new int[] {1});
        }

        @Override
        public Map<String, float[]> getParameters() {
            return Map.of("x", new float[1]);
        }

        @Override
        public void setParameters(Map<String, float[]> values) {
        }

        @Override
        public Map<String, float[]> getGradients() {
            return Map.of("x", new float[1]);
        }

        @Override
        public void zeroGrad() {
        }
    }
}
