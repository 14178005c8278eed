package org.sparkbaselines.sb2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.dqn.DQN;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;

/**
 * DQN agents of other architectures than the zoo's (layers, layer norm, dueling, copies after the online network as
 * agents trained with parameter noise have) import from the shapes of their arrays and act as an independent
 * double-precision forward pass of the reference's deepq {@code FeedForwardPolicy} says.
 */
class Sb2DqnImportTest {
    private static final int OBS = 6;
    private static final int ACTIONS = 3;
    @TempDir
    Path dir;

    /** One stream's arrays in the reference's order, random: weights (in, h), biases (h), [beta (h), gamma (h)], ..., output. */
    private static List<double[][]> stream(List<Integer> layers, boolean layerNorm, int outputs, SplittableRandom random) {
        List<double[][]> arrays = new ArrayList<>();
        int in = OBS;
        for (int i = 0; i <= layers.size(); i++) {
            int units = i < layers.size() ? layers.get(i) : outputs;
            arrays.add(matrix(in, units, random, 0.5));
            arrays.add(matrix(1, units, random, 0.1));
            if (layerNorm && i < layers.size()) {
                arrays.add(matrix(1, units, random, 0.1));
                double[][] gamma = matrix(1, units, random, 0.2);
                for (int j = 0; j < units; j++) {
                    gamma[0][j] += 1;
                }
                arrays.add(gamma);
            }
            in = units;
        }
        return arrays;
    }

    private static double[][] matrix(int rows, int cols, SplittableRandom random, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * (2 * random.nextDouble() - 1);
            }
        }
        return m;
    }

    /** The reference's forward pass of one stream, in double precision. */
    private static double[] forward(List<double[][]> stream, int layers, boolean layerNorm, double[] x) {
        int k = 0;
        double[] h = x;
        for (int i = 0; i <= layers; i++) {
            double[][] w = stream.get(k++);
            double[] b = stream.get(k++)[0];
            double[] y = b.clone();
            for (int o = 0; o < y.length; o++) {
                for (int j = 0; j < h.length; j++) {
                    y[o] += h[j] * w[j][o];
                }
            }
            if (i < layers) {
                if (layerNorm) {
                    double[] beta = stream.get(k++)[0];
                    double[] gamma = stream.get(k++)[0];
                    double mean = java.util.Arrays.stream(y).average().orElseThrow();
                    double variance = java.util.Arrays.stream(y).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
                    for (int o = 0; o < y.length; o++) {
                        y[o] = (y[o] - mean) / Math.sqrt(variance + 1e-12) * gamma[o] + beta[o];
                    }
                }
                for (int o = 0; o < y.length; o++) {
                    y[o] = Math.max(0, y[o]);
                }
            }
            h = y;
        }
        return h;
    }

    private static NdArray array(double[][] m, boolean vector) {
        int rows = m.length;
        int cols = m[0].length;
        double[] flat = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(m[i], 0, flat, i * cols, cols);
        }
        return vector ? NdArray.ofDoubles(flat, cols) : NdArray.ofDoubles(flat, rows, cols);
    }

    private static void addAll(List<NdArray> params, List<double[][]> stream) {
        for (double[][] m : stream) {
            params.add(array(m, m.length == 1));
        }
    }

    private Path agent(String name, List<Integer> layers, boolean layerNorm, boolean dueling, int copies, List<double[][]> advantage,
            List<double[][]> value) throws IOException {
        SplittableRandom random = new SplittableRandom(99);
        List<NdArray> params = new ArrayList<>();
        params.add(NdArray.ofDoubles(new double[] {0.02}));
        addAll(params, advantage);
        if (dueling) {
            addAll(params, value);
        }
        for (int c = 0; c < copies; c++) {
            addAll(params, stream(layers, layerNorm, ACTIONS, random));
            if (dueling) {
                addAll(params, stream(layers, layerNorm, 1, random));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("exploration_fraction", 0.1);
        data.put("target_network_update_freq", 500);
        data.put("prioritized_replay", false);
        data.put("param_noise", copies > 1);
        data.put("observation_space", Sb2Pickles.box(OBS));
        data.put("action_space", Sb2Pickles.discrete(ACTIONS));
        data.put("policy", new Sb2Pickles.Global("stable_baselines.deepq.policies", layerNorm ? "LnMlpPolicy" : "MlpPolicy"));
        return Sb2Pickles.model(dir.resolve(name + ".pkl"), data, params);
    }

    @ParameterizedTest(name = "layers {0}, layer norm {1}, dueling {2}, {3} copies")
    @CsvSource({"64;64, false, true, 1", "32;16, true, true, 3", "32;16, false, false, 1", "24, true, false, 0", "3;3, false, true, 1"})
    void actsAsTheReferenceForwardPass(String widths, boolean layerNorm, boolean dueling, int copies) throws IOException {
        List<Integer> layers = java.util.Arrays.stream(widths.split(";")).map(Integer::parseInt).toList();
        SplittableRandom random = new SplittableRandom(widths.hashCode());
        List<double[][]> advantage = stream(layers, layerNorm, ACTIONS, random);
        List<double[][]> value = stream(layers, layerNorm, 1, random);
        Path file = agent("dqn", layers, layerNorm, dueling, copies, advantage, value);
        Sb2Models.Imported imported = Sb2Models.load("dqn", file, Sb2Zoo.env("Acrobot-v1"));
        BaseAlgorithm<?> model = imported.model();
        assertEquals(layerNorm ? "LnMlpPolicy" : "MlpPolicy", model.policyName());
        assertEquals(layers, ((DQN) model).policy().spec().layers());
        assertEquals(dueling, ((DQN) model).policy().spec().dueling());
        assertEquals(copies > 1, ((DQN) model).config().paramNoise(), "param_noise is kept");
        for (int n = 0; n < 200; n++) {
            double[] x = new double[OBS];
            float[] obs = new float[OBS];
            for (int j = 0; j < OBS; j++) {
                obs[j] = (float) (3 * random.nextDouble() - 1.5);
                x[j] = obs[j];
            }
            double[] scores = forward(advantage, layers.size(), layerNorm, x);
            double[] q = scores.clone();
            if (dueling) {
                double v = forward(value, layers.size(), layerNorm, x)[0];
                double mean = java.util.Arrays.stream(scores).average().orElseThrow();
                for (int a = 0; a < ACTIONS; a++) {
                    q[a] = v + scores[a] - mean;
                }
            }
            int best = 0;
            for (int a = 1; a < ACTIONS; a++) {
                best = q[a] > q[best] ? a : best;
            }
            assertEquals(best, (int) model.predict(new float[][] {obs}, true)[0][0], "observation " + n);
            float[] ours = ((DQN) model).policy().qValues(new float[][] {obs})[0];
            for (int a = 0; a < ACTIONS; a++) {
                assertEquals(q[a], ours[a], 1e-4 * Math.max(1, Math.abs(q[a])), "observation " + n + ", Q of action " + a);
            }
        }
    }

    @Test
    void anAgentForOtherActionsIsRefusedNamingTheSpaces() throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        Path file = agent("dqn", List.of(8), false, true, 1, stream(List.of(8), false, ACTIONS, random), stream(List.of(8), false, 1, random));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Sb2Models.load("dqn", file, Sb2Zoo.env("CartPole-v1")));
        assertTrue(e.getMessage().contains("dqn.pkl"), e.getMessage());
    }
}
