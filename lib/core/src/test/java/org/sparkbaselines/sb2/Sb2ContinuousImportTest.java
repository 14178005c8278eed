package org.sparkbaselines.sb2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.io.NdArray;

/**
 * TD3, SAC and DDPG agents of other layers and another env than the zoo's ([32, 16] on MountainCarContinuous-v0; TD3's
 * parameters named as its OrderedDict, SAC's and DDPG's in a list with their copies after them) act as an independent
 * double-precision forward pass of the reference's actor says.
 */
class Sb2ContinuousImportTest {
    private static final int OBS = 2;
    private static final List<Integer> LAYERS = List.of(32, 16);
    @TempDir
    Path dir;

    /** A dense layer's (kernel, bias) pair, random. */
    private static double[][][] dense(int in, int out, SplittableRandom r) {
        double[][] kernel = new double[in][out];
        for (double[] row : kernel) {
            for (int j = 0; j < out; j++) {
                row[j] = 0.6 * (2 * r.nextDouble() - 1);
            }
        }
        double[][] bias = new double[1][out];
        for (int j = 0; j < out; j++) {
            bias[0][j] = 0.1 * (2 * r.nextDouble() - 1);
        }
        return new double[][][] {kernel, bias};
    }

    /** An SB2 file's data with a hyperparameter that says which algorithm saved it. */
    private static Map<String, Object> savedBy(String algo) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(switch (algo) {
            case "td3" -> "policy_delay";
            case "sac" -> "target_entropy";
            default -> "actor_lr";
        }, algo.equals("td3") ? 2 : algo.equals("sac") ? "auto" : 1e-4);
        return data;
    }

    private static NdArray array(double[][] m, boolean vector) {
        int cols = m[0].length;
        double[] flat = new double[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, flat, i * cols, cols);
        }
        return vector ? NdArray.ofDoubles(flat, cols) : NdArray.ofDoubles(flat, m.length, cols);
    }

    /** relu hidden layers, then the output layer, in double precision. */
    private static double forward(List<double[][][]> layers, double[] x) {
        double[] h = x;
        for (int l = 0; l < layers.size(); l++) {
            double[][] w = layers.get(l)[0];
            double[] y = layers.get(l)[1][0].clone();
            for (int o = 0; o < y.length; o++) {
                for (int i = 0; i < h.length; i++) {
                    y[o] += h[i] * w[i][o];
                }
                if (l < layers.size() - 1) {
                    y[o] = Math.max(0, y[o]);
                }
            }
            h = y;
        }
        return h[0];
    }

    /** Random layers of a stream from {@code in} through {@link #LAYERS} to {@code out}, named {@code scope/fc0, ...,  scope/head}. */
    private static Map<String, double[][][]> stream(String scope, String head, int in, int out, SplittableRandom r) {
        Map<String, double[][][]> layers = new LinkedHashMap<>();
        int width = in;
        for (int i = 0; i < LAYERS.size(); i++) {
            layers.put(scope + "/fc" + i, dense(width, LAYERS.get(i), r));
            width = LAYERS.get(i);
        }
        layers.put(scope + "/" + head, dense(width, out, r));
        return layers;
    }

    @ParameterizedTest
    @ValueSource(strings = {"td3", "sac", "ddpg"})
    void actsAsTheReferenceForwardPass(String algo) throws IOException {
        SplittableRandom r = new SplittableRandom(algo.hashCode());
        Map<String, double[][][]> model = new LinkedHashMap<>(stream("model/pi", algo.equals("ddpg") ? "pi" : "dense", OBS, 1, r));
        if (algo.equals("sac")) {
            model.put("model/pi/dense_1", dense(LAYERS.get(1), 1, r));
            model.putAll(stream("model/values_fn/vf", "vf", OBS, 1, r));
        }
        if (algo.equals("ddpg")) {
            model.put("model/qf/fc0", dense(OBS, LAYERS.get(0), r));
            model.put("model/qf/fc1", dense(LAYERS.get(0) + 1, LAYERS.get(1), r));
            model.put("model/qf/qf_output", dense(LAYERS.get(1), 1, r));
        } else {
            model.putAll(stream("model/values_fn/qf1", "qf1", OBS + 1, 1, r));
            model.putAll(stream("model/values_fn/qf2", "qf2", OBS + 1, 1, r));
        }
        Map<String, NdArray> named = new LinkedHashMap<>();
        model.forEach((scope, layer) -> {
            named.put(scope + "/kernel:0", array(layer[0], false));
            named.put(scope + "/bias:0", array(layer[1], true));
        });
        List<NdArray> list = new ArrayList<>(named.values());
        if (algo.equals("sac")) {
            stream("target/values_fn/vf", "vf", OBS, 1, r).values().forEach(layer -> {
                list.add(array(layer[0], false));
                list.add(array(layer[1], true));
            });
            list.addAll(new ArrayList<>(list));
        } else if (algo.equals("ddpg")) {
            list.addAll(new ArrayList<>(list));
        } else {
            new ArrayList<>(named.entrySet()).forEach(e -> named.put(e.getKey().replaceFirst("^model/", "target/"), e.getValue()));
        }
        Map<String, Object> data = savedBy(algo);
        data.put("ent_coef", 0.1);
        data.put("observation_space", Sb2Pickles.box(OBS));
        data.put("action_space", Sb2Pickles.box(1));
        data.put("policy_kwargs", Map.of("layers", LAYERS));
        Path file = algo.equals("td3") ? Sb2Pickles.model(dir.resolve("td3.pkl"), data, named)
                : Sb2Pickles.model(dir.resolve(algo + ".pkl"), data, list);
        BaseAlgorithm<?> agent = Sb2Models.load(algo, file, Sb2Zoo.env("MountainCarContinuous-v0")).model();

        List<double[][][]> actor = new ArrayList<>();
        model.forEach((scope, layer) -> {
            if (scope.startsWith("model/pi/") && !scope.endsWith("dense_1")) {
                actor.add(layer);
            }
        });
        for (int n = 0; n < 100; n++) {
            float[] obs = {(float) (1.8 * r.nextDouble() - 1.2), (float) (0.14 * r.nextDouble() - 0.07)};
            double expected = Math.max(-1, Math.min(1, Math.tanh(forward(actor, new double[] {obs[0], obs[1]}))));
            assertEquals((float) expected, agent.predict(new float[][] {obs}, true)[0][0], 1e-6, algo + ", observation " + n);
        }
    }

    /**
     * A named DDPG agent trained with {@code normalize_observations}: its running sums become our mean and variance, and it
     * acts on {@code clip((obs - mean) / sqrt(max(var, 1e-2)), -5, 5)} as the reference does (the second feature's tiny
     * variance meets the floor).
     */
    @Test
    void aDdpgAgentWithObservationStatisticsNormalizesAsTheReference() throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        Map<String, double[][][]> model = new LinkedHashMap<>(stream("model/pi", "pi", OBS, 1, r));
        model.put("model/qf/fc0", dense(OBS, LAYERS.get(0), r));
        model.put("model/qf/fc1", dense(LAYERS.get(0) + 1, LAYERS.get(1), r));
        model.put("model/qf/qf_output", dense(LAYERS.get(1), 1, r));
        Map<String, NdArray> named = new LinkedHashMap<>();
        model.forEach((scope, layer) -> {
            named.put(scope + "/kernel:0", array(layer[0], false));
            named.put(scope + "/bias:0", array(layer[1], true));
        });
        new ArrayList<>(named.entrySet()).forEach(e -> named.put(e.getKey().replaceFirst("^model/", "target/"), e.getValue()));
        double count = 500.01;
        double[] sum = {-250.0, 0.5};
        double[] sumSquares = {300.0, 0.0006};
        named.put("obs_rms/runningsum:0", NdArray.ofDoubles(sum, OBS));
        named.put("obs_rms/runningsumsq:0", NdArray.ofDoubles(sumSquares, OBS));
        named.put("obs_rms/count:0", NdArray.ofDoubles(new double[] {count}));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("actor_lr", 1e-4);
        data.put("normalize_observations", true);
        data.put("observation_space", Sb2Pickles.box(OBS));
        data.put("action_space", Sb2Pickles.box(1));
        data.put("policy_kwargs", Map.of("layers", LAYERS));
        BaseAlgorithm<?> agent = Sb2Models.load("ddpg", Sb2Pickles.model(dir.resolve("ddpg-normalized.pkl"), data, named),
                Sb2Zoo.env("MountainCarContinuous-v0")).model();

        List<double[][][]> actor = new ArrayList<>();
        model.forEach((scope, layer) -> {
            if (scope.startsWith("model/pi/")) {
                actor.add(layer);
            }
        });
        for (int n = 0; n < 50; n++) {
            float[] obs = {(float) (1.8 * r.nextDouble() - 1.2), (float) (0.14 * r.nextDouble() - 0.07)};
            double[] z = new double[OBS];
            for (int j = 0; j < OBS; j++) {
                double mean = sum[j] / count;
                double std = Math.sqrt(Math.max(sumSquares[j] / count - mean * mean, 1e-2));
                z[j] = Math.max(-5, Math.min(5, (obs[j] - mean) / std));
            }
            double expected = Math.max(-1, Math.min(1, Math.tanh(forward(actor, z))));
            assertEquals((float) expected, agent.predict(new float[][] {obs}, true)[0][0], 1e-5, "observation " + n);
        }
    }

    /**
     * A layer-normalized agent (the reference's {@code LnMlpPolicy}): ours, trained a little with trained layer norms, written
     * as the reference saves it (by name, and as a {@code .pkl} list for TD3), imports with its layer norms and acts as ours.
     */
    @ParameterizedTest
    @ValueSource(strings = {"td3", "sac", "ddpg", "td3-list"})
    void layerNormalizedAgentsImportWithTheirLayerNorms(String kind) throws IOException {
        String algo = kind.replace("-list", "");
        Map<String, Object> hyper = algo.equals("ddpg") ? Map.of("nb_rollout_steps", 20, "nb_train_steps", 5, "batch_size", 8)
                : Map.of("learning_starts", 10, "batch_size", 8, "buffer_size", 1000);
        BaseAlgorithm<?> ours = org.sparkbaselines.algos.Algorithms.get(algo).create("LnMlpPolicy", Sb2Zoo.env("Pendulum-v1"), hyper,
                org.sparkbaselines.algos.AlgorithmOptions.DEFAULT.withSeed(3L).withPolicyKwargs(Map.of("layers", List.of(16, 16))));
        ours.learn(300);
        Map<String, NdArray> named = new LinkedHashMap<>();
        Map<String, int[]> shapes = ours.parameterShapes();
        ours.getParameters().forEach((name, values) -> {
            if (!name.startsWith("obs_rms/") && !name.startsWith("ret_rms/")) {
                named.put(name, NdArray.ofFloats(values, shapes.get(name)));
            }
        });
        Map<String, Object> data = savedBy(algo);
        data.put("observation_space", Sb2Pickles.box(3));
        data.put("action_space", Sb2Pickles.box(1));
        data.put("policy_kwargs", Map.of("layers", List.of(16, 16)));
        Object params = kind.endsWith("-list") ? new ArrayList<>(named.values()) : named;
        Sb2Models.Imported imported = Sb2Models.load(algo, Sb2Pickles.model(dir.resolve(kind + ".pkl"), data, params), Sb2Zoo.env("Pendulum-v1"));
        assertEquals(true, imported.model().getParameters().containsKey("model/pi/LayerNorm_1/gamma:0"), imported.notes().toString());
        SplittableRandom r = new SplittableRandom(8);
        for (int n = 0; n < 20; n++) {
            float[] obs = {(float) r.nextDouble(-1, 1), (float) r.nextDouble(-1, 1), (float) r.nextDouble(-8, 8)};
            assertEquals(ours.predict(new float[][] {obs}, true)[0][0], imported.model().predict(new float[][] {obs}, true)[0][0], 1e-5,
                    kind + ", observation " + n);
        }
    }
}
