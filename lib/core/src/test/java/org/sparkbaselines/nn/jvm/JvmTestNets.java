package org.sparkbaselines.nn.jvm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.LayerSpec;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.MlpSpec;

/** Networks and random data shared by the JVM backend's tests. */
final class JvmTestNets {
    private JvmTestNets() {
    }

    /**
     * An MLP spec from a compact description: {@code spec(4, "64 tanh", "64 tanh", "2 linear")}.
     * Gains are 1 so that every layer contributes to outputs and gradients.
     */
    static MlpSpec spec(int inputDim, String... layers) {
        List<LayerSpec> specs = new ArrayList<>();
        for (int l = 0; l < layers.length; l++) {
            String[] parts = layers[l].split(" ");
            specs.add(new LayerSpec("net/fc" + l, Integer.parseInt(parts[0]), Activation.parse(parts[1]), 1.0));
        }
        return new MlpSpec(inputDim, specs);
    }

    /** The PPO policy network of the benchmarks: 4-64-64-2, tanh hidden layers. */
    static MlpSpec policySpec() {
        return new MlpSpec(4, List.of(
                new LayerSpec("model/pi_fc0", 64, Activation.TANH, Math.sqrt(2)),
                new LayerSpec("model/pi_fc1", 64, Activation.TANH, Math.sqrt(2)),
                new LayerSpec("model/pi", 2, Activation.LINEAR, 0.01)));
    }

    /** An MLP with its orthogonal weights and with random (non-zero) biases, so every parameter matters. */
    static JvmMlp network(MlpSpec spec, long seed) {
        JvmMlp mlp = (JvmMlp) JvmBackend.INSTANCE.mlp(spec, seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Map<String, float[]> biases = new LinkedHashMap<>();
        for (LayerSpec layer : spec.layers()) {
            biases.put(layer.name() + "/b:0", uniform(layer.units(), 0.5, random));
        }
        mlp.setParameters(biases);
        return mlp;
    }

    /** {@code rows x cols} values uniform in {@code [-scale, scale)}. */
    static float[][] uniform(int rows, int cols, double scale, SplittableRandom random) {
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = uniform(cols, scale, random);
        }
        return out;
    }

    static float[] uniform(int n, double scale, SplittableRandom random) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
        return out;
    }

    /** Runs forward then backward, the usual pattern of an update. */
    static void forwardBackward(Mlp mlp, float[][] input, float[][] gradOutput, int batch) {
        mlp.forward(input, batch);
        mlp.backward(gradOutput, batch, false);
    }
}
