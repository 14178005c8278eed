package org.sparkbaselines.nn.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.LayerSpec;
import org.sparkbaselines.nn.MlpSpec;
import org.sparkbaselines.nn.Trainable;

/** Random networks, inputs and float-tolerance checks shared by the backend tests. */
public final class NetFixtures {
    private NetFixtures() {
    }

    /**
     * An MLP over {@code widths[0]} inputs with hidden layers {@code widths[1..n-2]} (activation
     * {@code hidden}) and an output layer of {@code widths[n-1]} units (activation {@code output}),
     * named {@code model/fc0, model/fc1, ...} with gains sqrt(2) for hidden layers and 0.01 for the head.
     */
    public static MlpSpec spec(Activation hidden, Activation output, int... widths) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 1; i < widths.length; i++) {
            boolean last = i == widths.length - 1;
            layers.add(new LayerSpec("model/fc" + (i - 1), widths[i], last ? output : hidden, last ? 0.01 : Math.sqrt(2)));
        }
        return new MlpSpec(widths[0], layers);
    }

    /** {@code batch} rows of {@code width} standard-normal values times {@code scale}. */
    public static float[][] randomRows(SplittableRandom random, int batch, int width, double scale) {
        float[][] rows = new float[batch][width];
        for (float[] row : rows) {
            for (int j = 0; j < width; j++) {
                row[j] = (float) (scale * random.nextGaussian());
            }
        }
        return rows;
    }

    /**
     * Random values for every parameter of {@code trainable}: matrices standard-normal over
     * sqrt(fan-in) (so tanh units stay out of saturation), vectors such as biases normal with
     * standard deviation 0.1 (non-zero, so their gradients are exercised).
     */
    public static Map<String, float[]> randomParameters(Trainable trainable, SplittableRandom random) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> entry : trainable.parameterShapes().entrySet()) {
            int[] shape = entry.getValue();
            int size = shape.length == 2 ? shape[0] * shape[1] : shape[0];
            double scale = shape.length == 2 ? 1 / Math.sqrt(shape[0]) : 0.1;
            values.put(entry.getKey(), randomRows(random, 1, size, scale)[0]);
        }
        return values;
    }

    /** Asserts {@code |actual - expected| <= absolute + relative * |expected|} element-wise. */
    public static void assertClose(double[] expected, float[] actual, double absolute, double relative, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(actual[i] - expected[i]);
            if (!(error <= absolute + relative * Math.abs(expected[i]))) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (error " + error + ")");
            }
        }
    }

    /** {@link #assertClose(double[], float[], double, double, String)} for float expectations. */
    public static void assertClose(float[] expected, float[] actual, double absolute, double relative, String what) {
        double[] widened = new double[expected.length];
        for (int i = 0; i < expected.length; i++) {
            widened[i] = expected[i];
        }
        assertClose(widened, actual, absolute, relative, what);
    }
}
