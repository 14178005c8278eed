package org.sparkbaselines.nn.tape;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparkbaselines.nn.tape.TapeGradientTest.assertMatchesReference;
import static org.sparkbaselines.nn.tape.TapeGradientTest.assertReplaysAllocateNothing;
import static org.sparkbaselines.nn.tape.TapeGradientTest.fill;
import static org.sparkbaselines.nn.tape.TapeGradientTest.weightsOf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.tape.TapeGradientTest.Case;

/**
 * The convolution and the LSTM step against double-precision references written here from the reference's
 * definitions (a direct convolution; the equations of stable_baselines' {@code lstm}), checked as {@link TapeGradientTest}
 * checks every op: values, gradients and tangents against central differences.
 */
class TapeConvLstmTest {
    private static final int IMAGES = 2;
    private static final int HEIGHT = 7;
    private static final int WIDTH = 6;
    private static final int CHANNELS = 2;

    private static final int ROWS = 3;
    private static final int INPUTS = 4;
    private static final int UNITS = 3;
    private static final int GATES = 4 * UNITS;
    /** Per step, the episode-start mask of each row: a reset in each step, rows kept in both. */
    private static final float[][] MASKS = {{0, 1, 0}, {0, 0, 1}};
    private static final double EPSILON = 1e-5;

    // ---- conv2d

    static Stream<Arguments> convolutions() {
        return Stream.of(
                conv(3, 3, 1, 3, Activation.RELU),
                conv(3, 3, 1, 3, Activation.LINEAR),
                conv(3, 3, 2, 3, Activation.RELU),
                conv(3, 3, 2, 3, Activation.LINEAR),
                conv(2, 3, 2, 3, Activation.TANH),
                conv(3, 3, 1, 16, Activation.SIGMOID)).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convolutions")
    void conv2dIsTheReferencesConvolution(Case c) {
        assertMatchesReference(c);
    }

    private static Case conv(int kernelHeight, int kernelWidth, int stride, int outChannels, Activation activation) {
        String name = "conv2d " + kernelHeight + "x" + kernelWidth + " stride " + stride + " to " + outChannels + " channels, " + activation;
        int[][] shapes = {{IMAGES, HEIGHT * WIDTH * CHANNELS}, {kernelHeight * kernelWidth * CHANNELS, outChannels}, {1, outChannels}};
        return new Case(name, shapes,
                (t, in) -> t.conv2d(in[0], HEIGHT, WIDTH, CHANNELS, weightsOf(in[1]), weightsOf(in[2]), kernelHeight, kernelWidth, stride,
                        activation),
                in -> convolve(in[0], in[1], in[2], kernelHeight, kernelWidth, stride, outChannels, activation), -1, 1);
    }

    /** TensorFlow's NHWC conv2d with VALID padding, HWIO filters, plus bias, then the activation: a direct sum per output. */
    private static double[] convolve(double[] images, double[] filters, double[] bias, int kernelHeight, int kernelWidth, int stride,
            int outChannels, Activation activation) {
        int outHeight = (int) Math.ceil((HEIGHT - kernelHeight + 1) / (double) stride);
        int outWidth = (int) Math.ceil((WIDTH - kernelWidth + 1) / (double) stride);
        double[] out = new double[IMAGES * outHeight * outWidth * outChannels];
        for (int n = 0; n < IMAGES; n++) {
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++) {
                    for (int o = 0; o < outChannels; o++) {
                        double z = bias[o];
                        for (int dy = 0; dy < kernelHeight; dy++) {
                            for (int dx = 0; dx < kernelWidth; dx++) {
                                for (int ch = 0; ch < CHANNELS; ch++) {
                                    int y = oy * stride + dy;
                                    int x = ox * stride + dx;
                                    double pixel = images[((n * HEIGHT + y) * WIDTH + x) * CHANNELS + ch];
                                    z += pixel * filters[((dy * kernelWidth + dx) * CHANNELS + ch) * outChannels + o];
                                }
                            }
                        }
                        out[((n * outHeight + oy) * outWidth + ox) * outChannels + o] = activate(activation, z);
                    }
                }
            }
        }
        return out;
    }

    private static double activate(Activation activation, double z) {
        return switch (activation) {
            case TANH -> Math.tanh(z);
            case RELU -> Math.max(z, 0);
            case SIGMOID -> sigmoid(z);
            case LINEAR -> z;
        };
    }

    // ---- lstmStep

    static Stream<Arguments> lstmSteps() {
        return Stream.of(lstm(1, false), lstm(1, true), lstm(2, false), lstm(2, true)).map(Arguments::of);
    }

    /** The output is the reference's {@code cell_state_hidden}, {@code concat(c, h)}: the check's random weighting of it mixes both. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lstmSteps")
    void lstmStepIsTheReferencesLstm(Case c) {
        assertMatchesReference(c);
    }

    /**
     * {@code steps} chained steps; inputs: the input of each step, the initial cell and hidden, {@code wx, wh, b}, and with
     * layer norm {@code gx, bx, gh, bh, gc, bc}.
     */
    private static Case lstm(int steps, boolean layerNorm) {
        List<int[]> shapes = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            shapes.add(new int[] {ROWS, INPUTS});
        }
        shapes.addAll(List.of(new int[] {ROWS, UNITS}, new int[] {ROWS, UNITS}, new int[] {INPUTS, GATES}, new int[] {UNITS, GATES},
                new int[] {1, GATES}));
        if (layerNorm) {
            shapes.addAll(List.of(new int[] {1, GATES}, new int[] {1, GATES}, new int[] {1, GATES}, new int[] {1, GATES}, new int[] {1, UNITS},
                    new int[] {1, UNITS}));
        }
        String name = (steps == 1 ? "one" : steps + " chained") + (layerNorm ? " layer-normalised" : "") + " lstm step" + (steps == 1 ? "" : "s");
        return new Case(name, shapes.toArray(int[][]::new), (t, in) -> {
            int w = steps + 2;
            LstmWeights.LayerNorm norm = layerNorm
                    ? new LstmWeights.LayerNorm(weightsOf(in[w + 3]), weightsOf(in[w + 4]), weightsOf(in[w + 5]), weightsOf(in[w + 6]),
                            weightsOf(in[w + 7]), weightsOf(in[w + 8]))
                    : null;
            LstmWeights lstm = new LstmWeights(weightsOf(in[w]), weightsOf(in[w + 1]), weightsOf(in[w + 2]), norm);
            Tensor cell = in[steps];
            Tensor hidden = in[steps + 1];
            for (int s = 0; s < steps; s++) {
                LstmState next = t.lstmStep(in[s], cell, hidden, t.column(MASKS[s], ROWS), lstm);
                cell = next.cell();
                hidden = next.hidden();
            }
            return t.concat(cell, hidden);
        }, in -> lstmReference(in, steps, layerNorm), -1, 1);
    }

    /** The reference's lstm loop, row by row, from its equations; returns {@code concat(c, h)} after the last step. */
    private static double[] lstmReference(double[][] in, int steps, boolean layerNorm) {
        double[] cell = in[steps].clone();
        double[] hidden = in[steps + 1].clone();
        double[] wx = in[steps + 2];
        double[] wh = in[steps + 3];
        double[] b = in[steps + 4];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < ROWS; i++) {
                double keep = 1 - MASKS[s][i];
                double[] c = new double[UNITS];
                double[] h = new double[UNITS];
                for (int j = 0; j < UNITS; j++) {
                    c[j] = cell[i * UNITS + j] * keep;
                    h[j] = hidden[i * UNITS + j] * keep;
                }
                double[] fromInput = new double[GATES];
                double[] fromHidden = new double[GATES];
                for (int k = 0; k < GATES; k++) {
                    for (int m = 0; m < INPUTS; m++) {
                        fromInput[k] += in[s][i * INPUTS + m] * wx[m * GATES + k];
                    }
                    for (int m = 0; m < UNITS; m++) {
                        fromHidden[k] += h[m] * wh[m * GATES + k];
                    }
                }
                if (layerNorm) {
                    fromInput = layerNorm(fromInput, in[steps + 5], in[steps + 6]);
                    fromHidden = layerNorm(fromHidden, in[steps + 7], in[steps + 8]);
                }
                double[] newCell = new double[UNITS];
                for (int j = 0; j < UNITS; j++) {
                    double inGate = sigmoid(fromInput[j] + fromHidden[j] + b[j]);
                    double forgetGate = sigmoid(fromInput[UNITS + j] + fromHidden[UNITS + j] + b[UNITS + j]);
                    double candidate = Math.tanh(fromInput[3 * UNITS + j] + fromHidden[3 * UNITS + j] + b[3 * UNITS + j]);
                    newCell[j] = forgetGate * c[j] + inGate * candidate;
                }
                double[] exposed = layerNorm ? layerNorm(newCell, in[steps + 9], in[steps + 10]) : newCell;
                for (int j = 0; j < UNITS; j++) {
                    double outGate = sigmoid(fromInput[2 * UNITS + j] + fromHidden[2 * UNITS + j] + b[2 * UNITS + j]);
                    cell[i * UNITS + j] = newCell[j];
                    hidden[i * UNITS + j] = outGate * Math.tanh(exposed[j]);
                }
            }
        }
        double[] out = new double[ROWS * 2 * UNITS];
        for (int i = 0; i < ROWS; i++) {
            System.arraycopy(cell, i * UNITS, out, i * 2 * UNITS, UNITS);
            System.arraycopy(hidden, i * UNITS, out, i * 2 * UNITS + UNITS, UNITS);
        }
        return out;
    }

    /** The reference's {@code _ln} of one row: {@code (v - mean) / sqrt(variance + 1e-5) * gain + shift}. */
    private static double[] layerNorm(double[] v, double[] gain, double[] shift) {
        double mean = Arrays.stream(v).average().orElseThrow();
        double variance = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).average().orElseThrow();
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = (v[j] - mean) / Math.sqrt(variance + EPSILON) * gain[j] + shift[j];
        }
        return out;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    // ---- shapes and replays

    @Test
    void shapesThatDoNotFitAreRejectedWithTheirSizes() {
        Tape tape = new Tape();
        Tensor images = tape.constant(new float[IMAGES * HEIGHT * WIDTH * CHANNELS], IMAGES, HEIGHT * WIDTH * CHANNELS);
        Variable filters = new Variable("c1/w:0", 3 * 3 * CHANNELS, 4);
        Variable bias = new Variable("c1/b:0", 1, 4);
        assertRejected("not 7 x 5 x 2 images", () -> tape.conv2d(images, HEIGHT, 5, CHANNELS, filters, bias, 3, 3, 1, Activation.RELU));
        assertRejected("8 x 3 kernel", () -> tape.conv2d(images, HEIGHT, WIDTH, CHANNELS, filters, bias, 8, 3, 1, Activation.RELU));
        assertRejected("18 rows, not kernelHeight * kernelWidth * channels = 12",
                () -> tape.conv2d(images, HEIGHT, WIDTH, CHANNELS, filters, bias, 2, 3, 1, Activation.RELU));
        assertRejected("for 4 output channels",
                () -> tape.conv2d(images, HEIGHT, WIDTH, CHANNELS, filters, new Variable("b", 1, 3), 3, 3, 1, Activation.RELU));

        LstmWeights lstm = new LstmWeights(new Variable("lstm1/wx:0", INPUTS, GATES), new Variable("lstm1/wh:0", UNITS, GATES),
                new Variable("lstm1/b:0", 1, GATES));
        Tensor input = tape.constant(new float[ROWS * INPUTS], ROWS, INPUTS);
        Tensor state = tape.constant(new float[ROWS * UNITS], ROWS, UNITS);
        Tensor mask = tape.column(MASKS[0], ROWS);
        assertRejected("input 3 x 5", () -> tape.lstmStep(tape.constant(new float[ROWS * 5], ROWS, 5), state, state, mask, lstm));
        assertRejected("hidden 3 x 4", () -> tape.lstmStep(input, state, tape.constant(new float[ROWS * 4], ROWS, 4), mask, lstm));
        assertRejected("mask 1 x 3", () -> tape.lstmStep(input, state, state, tape.constant(MASKS[0], 1, ROWS), lstm));
        assertRejected("wh (3, 8)",
                () -> new LstmWeights(new Variable("wx", INPUTS, GATES), new Variable("wh", UNITS, 8), new Variable("b", 1, GATES)));
    }

    private static void assertRejected(String expectedInMessage, Executable call) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        assertTrue(message.contains(expectedInMessage), "'" + expectedInMessage + "' in: " + message);
    }

    /** The images are a variable, so that the input's patch gradient and tangent are replayed too. */
    @Test
    void aReplayedConvolutionAndLstmAllocateNothing() {
        Variable images = new Variable("images", 4, HEIGHT * WIDTH * CHANNELS);
        Variable filters = new Variable("c1/w:0", 3 * 3 * CHANNELS, 3);
        Variable bias = new Variable("c1/b:0", 1, 3);
        int features = 3 * 2 * 3;
        LstmWeights lstm = new LstmWeights(new Variable("wx", features, GATES), new Variable("wh", UNITS, GATES), new Variable("b", 1, GATES),
                new LstmWeights.LayerNorm(new Variable("gx", 1, GATES), new Variable("bx", 1, GATES), new Variable("gh", 1, GATES),
                        new Variable("bh", 1, GATES), new Variable("gc", 1, UNITS), new Variable("bc", 1, UNITS)));
        SplittableRandom random = new SplittableRandom(5);
        for (Variable v : new Variable[] {images, filters, lstm.inputWeights(), lstm.hiddenWeights(), lstm.layerNorm().inputGain(),
                lstm.layerNorm().hiddenGain(), lstm.layerNorm().cellGain()}) {
            fill(v.values(), random, -1, 1);
            fill(v.tangent(), random, -1, 1);
        }
        float[] zeroState = new float[4 * UNITS];
        float[][] masks = {{1, 0, 0, 1}, {0, 1, 0, 0}};
        Tape tape = new Tape();
        Runnable step = () -> {
            tape.reset();
            Tensor convolved = tape.conv2d(tape.variable(images), HEIGHT, WIDTH, CHANNELS, filters, bias, 3, 3, 2, Activation.RELU);
            Tensor zero = tape.constant(zeroState, 4, UNITS);
            LstmState first = tape.lstmStep(convolved, zero, zero, tape.column(masks[0], 4), lstm);
            LstmState second = tape.lstmStep(convolved, first.cell(), first.hidden(), tape.column(masks[1], 4), lstm);
            tape.backward(tape.mean(tape.square(tape.concat(second.cell(), second.hidden()))));
            tape.jvp();
        };
        assertReplaysAllocateNothing(step);
    }
}
