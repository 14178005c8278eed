package org.sparkbaselines.nn.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sparkbaselines.nn.Initializers;
import org.sparkbaselines.nn.LayerSpec;
import org.sparkbaselines.nn.Mlp;
import org.sparkbaselines.nn.MlpSpec;

/** Orthogonal initialisation, and the JVM backend's use of it (the ND4J backend starts from the same numbers). */
class JvmInitializationTest {

    @Test
    void tallMatricesHaveOrthogonalColumnsScaledByTheGain() {
        assertGram(Initializers.orthogonal(64, 16, 1.5, new SplittableRandom(1)), 64, 16, 1.5, true);
        assertGram(Initializers.orthogonal(64, 64, Math.sqrt(2), new SplittableRandom(2)), 64, 64, Math.sqrt(2), true);
    }

    @Test
    void wideMatricesHaveOrthogonalRowsScaledByTheGain() {
        assertGram(Initializers.orthogonal(4, 64, Math.sqrt(2), new SplittableRandom(3)), 4, 64, Math.sqrt(2), false);
        assertGram(Initializers.orthogonal(64, 64, 0.01, new SplittableRandom(4)), 64, 64, 0.01, false);
    }

    @Test
    void sameSeedSameMatrixOtherSeedOtherMatrix() {
        float[] a = Initializers.orthogonal(8, 5, 1, new SplittableRandom(7));
        assertArrayEquals(a, Initializers.orthogonal(8, 5, 1, new SplittableRandom(7)));
        assertFalse(Arrays.equals(a, Initializers.orthogonal(8, 5, 1, new SplittableRandom(8))));
    }

    @Test
    void networksStartFromOrthogonalWeightsSeededPerLayerAndZeroBiases() {
        MlpSpec spec = JvmTestNets.policySpec();
        long seed = 123;
        Map<String, float[]> params = JvmBackend.INSTANCE.mlp(spec, seed).getParameters();
        int in = spec.inputDim();
        for (int l = 0; l < spec.layers().size(); l++) {
            LayerSpec layer = spec.layers().get(l);
            float[] expected = Initializers.orthogonal(in, layer.units(), layer.initGain(), new SplittableRandom(seed + l));
            assertArrayEquals(expected, params.get(layer.name() + "/w:0"), layer.name());
            assertArrayEquals(new float[layer.units()], params.get(layer.name() + "/b:0"), layer.name());
            in = layer.units();
        }
        Mlp again = JvmBackend.INSTANCE.mlp(spec, seed);
        again.getParameters().forEach((name, v) -> assertArrayEquals(params.get(name), v, name));
        Mlp other = JvmBackend.INSTANCE.mlp(spec, seed + 1);
        assertFalse(Arrays.equals(params.get("model/pi_fc1/w:0"), other.getParameters().get("model/pi_fc1/w:0")));
    }

    /** {@code W^T W} (columns) or {@code W W^T} (rows) equals {@code gain^2 I}. */
    private static void assertGram(float[] w, int rows, int cols, double gain, boolean columns) {
        int n = columns ? cols : rows;
        int m = columns ? rows : cols;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double dot = 0;
                for (int k = 0; k < m; k++) {
                    dot += columns ? (double) w[k * cols + a] * w[k * cols + b] : (double) w[a * cols + k] * w[b * cols + k];
                }
                assertEquals(a == b ? gain * gain : 0, dot, 1e-5 * gain * gain, "gram[" + a + "][" + b + "]");
            }
        }
    }
}
