package org.sparkbaselines.nn.tape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkbaselines.nn.Activation;

/**
 * Every op's gradient (reverse mode) and tangent (forward mode) against central differences of a
 * double-precision reference written here, independently of the engine's code: the engine's float
 * results must agree with the exact derivative to float precision.
 */
class TapeGradientTest {
    private static final int ROWS = 3;
    private static final int COLS = 4;

    /**
     * One op under test: the engine's expression of its inputs, and the reference computation of the same
     * values in double precision (row-major, from the inputs' row-major values).
     */
    record Case(String name, int[][] inputShapes, BiFunction<Tape, Tensor[], Tensor> engine, Function<double[][], double[]> reference,
            double low, double high) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        int[][] two = {{ROWS, COLS}, {ROWS, COLS}};
        int[][] one = {{ROWS, COLS}};
        List<Case> cases = List.of(
                elementwise("exp", Tape::exp, Math::exp, -2, 2),
                elementwise("log", Tape::log, Math::log, 0.2, 3),
                elementwise("tanh", Tape::tanh, Math::tanh, -2, 2),
                elementwise("sigmoid", Tape::sigmoid, x -> 1 / (1 + Math.exp(-x)), -3, 3),
                elementwise("softplus", Tape::softplus, x -> Math.log(1 + Math.exp(x)), -3, 3),
                elementwise("relu", Tape::relu, x -> Math.max(x, 0), -2, 2),
                elementwise("elu", Tape::elu, x -> x > 0 ? x : Math.exp(x) - 1, -2, 2),
                elementwise("square", Tape::square, x -> x * x, -2, 2),
                elementwise("sqrt", Tape::sqrt, Math::sqrt, 0.2, 3),
                elementwise("affine", (t, x) -> t.affine(x, -1.5f, 0.25f), x -> -1.5 * x + 0.25, -2, 2),
                elementwise("clip", (t, x) -> t.clip(x, -0.8f, 0.9f), x -> Math.min(Math.max(x, -0.8), 0.9), -2, 2),
                elementwise("huber", (t, x) -> t.huber(x, 1f), x -> Math.abs(x) < 1 ? 0.5 * x * x : Math.abs(x) - 0.5, -3, 3),
                binary("add", Tape::add, Double::sum, two),
                binary("subtract", Tape::subtract, (x, z) -> x - z, two),
                binary("multiply", Tape::multiply, (x, z) -> x * z, two),
                binary("divide", Tape::divide, (x, z) -> x / z, two),
                binary("minimum", Tape::minimum, Math::min, two),
                binary("maximum", Tape::maximum, Math::max, two),
                binary("squared error", Tape::squaredError, (x, z) -> (x - z) * (x - z), two),
                binary("multiply by a row", Tape::multiply, (x, z) -> x * z, new int[][] {{ROWS, COLS}, {1, COLS}}),
                binary("add a column", Tape::add, Double::sum, new int[][] {{ROWS, COLS}, {ROWS, 1}}),
                binary("divide by a scalar", Tape::divide, (x, z) -> x / z, new int[][] {{ROWS, COLS}, {1, 1}}),
                new Case("concat", new int[][] {{ROWS, COLS}, {ROWS, 2}}, (t, in) -> t.concat(in[0], in[1]), TapeGradientTest::concat, -2, 2),
                new Case("slice", one, (t, in) -> t.slice(in[0], 1, 3), in -> slice(in[0], 1, 3), -2, 2),
                new Case("sum", one, (t, in) -> t.sum(in[0]), in -> new double[] {java.util.Arrays.stream(in[0]).sum()}, -2, 2),
                new Case("mean", one, (t, in) -> t.mean(in[0]), in -> new double[] {java.util.Arrays.stream(in[0]).average().orElseThrow()}, -2, 2),
                new Case("sum of features", one, (t, in) -> t.sumFeatures(in[0]), in -> sumFeatures(in[0]), -2, 2),
                new Case("gather", one, (t, in) -> t.gather(in[0], new int[] {2, 0, 3}), in -> gather(in[0], new int[] {2, 0, 3}), -2, 2),
                new Case("log-softmax", one, (t, in) -> t.logSoftmax(in[0]), in -> logSoftmax(in[0]), -2, 2),
                new Case("normalize", one, (t, in) -> t.normalize(in[0], 1e-5f), in -> normalize(in[0], 1e-5), -2, 2),
                dense(Activation.TANH, Math::tanh),
                dense(Activation.RELU, x -> Math.max(x, 0)),
                dense(Activation.SIGMOID, x -> 1 / (1 + Math.exp(-x))),
                dense(Activation.LINEAR, x -> x),
                new Case("matmul", new int[][] {{ROWS, COLS}, {COLS, 5}}, (t, in) -> t.matmul(in[0], weightsOf(in[1])),
                        in -> product(in[0], in[1], 5), -1, 1));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsAndTangentsAreTheReferencesDerivatives(Case c) {
        assertMatchesReference(c);
    }

    /**
     * The engine's value equals the reference's at random inputs in {@code [low, high)}; its gradient of a random
     * weighting of the outputs and its tangent along random input tangents equal central differences of the reference.
     */
    static void assertMatchesReference(Case c) {
        SplittableRandom random = new SplittableRandom(c.name().hashCode());
        Variable[] inputs = new Variable[c.inputShapes().length];
        for (int v = 0; v < inputs.length; v++) {
            inputs[v] = new Variable("in" + v, c.inputShapes()[v][0], c.inputShapes()[v][1]);
            fill(inputs[v].values(), random, c.low(), c.high());
            fill(inputs[v].tangent(), random, -1, 1);
        }
        // Operands of minimum/maximum kept apart, so the reference is differentiable where it is probed.
        if (inputs.length == 2 && (c.name().equals("minimum") || c.name().equals("maximum"))) {
            for (int e = 0; e < inputs[1].values().length; e++) {
                inputs[1].values()[e] = inputs[0].values()[e] + (e % 2 == 0 ? 0.5f : -0.5f);
            }
        }
        Tape tape = new Tape();
        Tensor[] leaves = new Tensor[inputs.length];
        for (int v = 0; v < inputs.length; v++) {
            leaves[v] = tape.variable(inputs[v]);
        }
        Tensor out = c.engine().apply(tape, leaves);
        double[] weights = new double[out.rows() * out.cols()];
        for (int e = 0; e < weights.length; e++) {
            weights[e] = random.nextDouble(-1, 1);
        }
        float[] seed = new float[weights.length];
        for (int e = 0; e < weights.length; e++) {
            seed[e] = (float) weights[e];
        }
        double[][] x = new double[inputs.length][];
        for (int v = 0; v < inputs.length; v++) {
            x[v] = toDouble(inputs[v].values());
        }
        double[] expected = c.reference().apply(x);
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], out.values()[e], 1e-5 * (1 + Math.abs(expected[e])), c.name() + ": value " + e);
        }

        tape.backward(out, seed);
        double h = 1e-6;
        for (int v = 0; v < inputs.length; v++) {
            for (int e = 0; e < x[v].length; e++) {
                double saved = x[v][e];
                x[v][e] = saved + h;
                double up = dot(c.reference().apply(x), weights);
                x[v][e] = saved - h;
                double down = dot(c.reference().apply(x), weights);
                x[v][e] = saved;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, inputs[v].gradient()[e], 1e-4 * (1 + Math.abs(numeric)), c.name() + ": d/d" + inputs[v].name() + "[" + e + "]");
            }
        }

        tape.jvp();
        double[][] plus = new double[inputs.length][];
        double[][] minus = new double[inputs.length][];
        for (int v = 0; v < inputs.length; v++) {
            plus[v] = x[v].clone();
            minus[v] = x[v].clone();
            for (int e = 0; e < x[v].length; e++) {
                plus[v][e] += h * inputs[v].tangent()[e];
                minus[v][e] -= h * inputs[v].tangent()[e];
            }
        }
        double[] up = c.reference().apply(plus);
        double[] down = c.reference().apply(minus);
        for (int e = 0; e < expected.length; e++) {
            double numeric = (up[e] - down[e]) / (2 * h);
            assertEquals(numeric, out.tangent[e], 1e-4 * (1 + Math.abs(numeric)), c.name() + ": tangent " + e);
        }
    }

    @Test
    void atTiesTheGradientGoesWhereTensorFlowSendsIt() {
        Tape tape = new Tape();
        Variable a = new Variable("a", 1, 3);
        Variable b = new Variable("b", 1, 3);
        a.values()[0] = 1f;
        b.values()[0] = 1f;
        tape.backward(tape.sum(tape.minimum(tape.variable(a), tape.variable(b))));
        assertEquals(1f, a.gradient()[0], "minimum: to the first operand at a tie");
        assertEquals(0f, b.gradient()[0]);
        a.zeroGrad();
        b.zeroGrad();
        tape.reset();
        tape.backward(tape.sum(tape.maximum(tape.variable(a), tape.variable(b))));
        assertEquals(1f, a.gradient()[0], "maximum: to the first operand at a tie");
        assertEquals(0f, b.gradient()[0]);

        Variable x = new Variable("x", 1, 3);
        x.values()[0] = -1f;
        x.values()[1] = 2f;
        x.values()[2] = 0f;
        tape.reset();
        tape.backward(tape.sum(tape.clip(tape.variable(x), -1f, 2f)));
        assertEquals(List.of(1f, 1f, 1f), List.of(x.gradient()[0], x.gradient()[1], x.gradient()[2]), "clip passes at its bounds");
        x.zeroGrad();
        tape.reset();
        tape.backward(tape.sum(tape.relu(tape.variable(x))));
        assertEquals(0f, x.gradient()[2], "relu blocks at 0");
    }

    @Test
    void stopGradientKeepsValuesAndBlocksGradientAndTangent() {
        Tape tape = new Tape();
        Variable x = new Variable("x", 2, 2);
        fill(x.values(), new SplittableRandom(1), -1, 1);
        fill(x.tangent(), new SplittableRandom(2), -1, 1);
        Tensor leaf = tape.variable(x);
        Tensor out = tape.multiply(leaf, tape.stopGradient(leaf));
        tape.backward(tape.sum(out));
        tape.jvp();
        for (int e = 0; e < 4; e++) {
            assertEquals(x.values()[e] * x.values()[e], out.values()[e], 1e-7);
            assertEquals(x.values()[e], x.gradient()[e], 1e-7, "d(x * sg(x))/dx = sg(x)");
            assertEquals(x.values()[e] * x.tangent()[e], out.tangent[e], 1e-6);
        }
    }

    @Test
    void aReplayedTapeAllocatesNothing() {
        Tape tape = new Tape();
        Variable w = new Variable("w", 4, 8);
        Variable b = new Variable("b", 1, 8);
        fill(w.values(), new SplittableRandom(3), -0.5, 0.5);
        float[][] batch = new float[64][4];
        int[] actions = new int[64];
        Runnable step = () -> {
            tape.reset();
            Tensor logits = tape.dense(tape.constant(batch, 64, 4), w, b, Activation.TANH);
            Tensor loss = tape.mean(tape.gather(tape.logSoftmax(logits), actions));
            tape.backward(loss);
            tape.jvp();
        };
        assertReplaysAllocateNothing(step);
    }

    /** After 30,000 runs (enough for C2 to compile the kernels), 1,000 more runs of {@code step} allocate (next to) nothing. */
    /**
     * Asserts that replays reach a steady state that allocates nothing: after warm-up, some round of 1,000 replays
     * allocates (almost) nothing. Up to five rounds, each after more warm-up, because the property is about
     * compiled code and the JIT may still be recompiling (a deoptimised vector kernel boxes its vectors).
     */
    static void assertReplaysAllocateNothing(Runnable step) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 5 && allocated >= 1_000; round++) {
            for (int warm = 0; warm < 30_000; warm++) {
                step.run();
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++) {
                step.run();
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(allocated < 1_000, "a replay allocated " + allocated + " bytes over 1,000 steps, after 150,000 of warm-up");
    }

    // ---- cases

    private static Case elementwise(String name, BiFunction<Tape, Tensor, Tensor> op, DoubleUnaryOperator f, double low, double high) {
        return new Case(name, new int[][] {{ROWS, COLS}}, (t, in) -> op.apply(t, in[0]), in -> java.util.Arrays.stream(in[0]).map(f).toArray(),
                low, high);
    }

    private interface BinaryOp {
        Tensor apply(Tape tape, Tensor a, Tensor b);
    }

    private static Case binary(String name, BinaryOp op, DoubleBinaryOperator f, int[][] shapes) {
        return new Case(name, shapes, (t, in) -> op.apply(t, in[0], in[1]), in -> {
            int[] b = shapes[1];
            double[] out = new double[ROWS * COLS];
            for (int i = 0; i < ROWS; i++) {
                for (int j = 0; j < COLS; j++) {
                    out[i * COLS + j] = f.applyAsDouble(in[0][i * COLS + j], in[1][(b[0] == 1 ? 0 : i) * b[1] + (b[1] == 1 ? 0 : j)]);
                }
            }
            return out;
        }, 0.3, 2);
    }

    private static Case dense(Activation activation, DoubleUnaryOperator f) {
        int out = 5;
        return new Case("dense " + activation, new int[][] {{ROWS, COLS}, {COLS, out}, {1, out}},
                (t, in) -> {
                    // The weights enter as variables of the dense op itself, not as tensors.
                    return t.dense(in[0], weightsOf(in[1]), weightsOf(in[2]), activation);
                },
                in -> {
                    double[] y = product(in[0], in[1], out);
                    for (int e = 0; e < y.length; e++) {
                        y[e] = f.applyAsDouble(y[e] + in[2][e % out]);
                    }
                    return y;
                }, -1, 1);
    }

    /** The variable of a leaf, for ops that take variables (a case's inputs enter as leaves). */
    static Variable weightsOf(Tensor leaf) {
        return leaf.weights;
    }

    // ---- double-precision references

    /** {@code x w}: {@code x} is {@code ROWS x COLS}, {@code w} is {@code COLS x out}. */
    private static double[] product(double[] x, double[] w, int out) {
        double[] y = new double[ROWS * out];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < out; j++) {
                for (int k = 0; k < COLS; k++) {
                    y[i * out + j] += x[i * COLS + k] * w[k * out + j];
                }
            }
        }
        return y;
    }

    private static double[] concat(double[][] in) {
        double[] out = new double[ROWS * (COLS + 2)];
        for (int i = 0; i < ROWS; i++) {
            System.arraycopy(in[0], i * COLS, out, i * (COLS + 2), COLS);
            System.arraycopy(in[1], i * 2, out, i * (COLS + 2) + COLS, 2);
        }
        return out;
    }

    private static double[] slice(double[] x, int from, int to) {
        double[] out = new double[ROWS * (to - from)];
        for (int i = 0; i < ROWS; i++) {
            System.arraycopy(x, i * COLS + from, out, i * (to - from), to - from);
        }
        return out;
    }

    private static double[] sumFeatures(double[] x) {
        double[] out = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                out[i] += x[i * COLS + j];
            }
        }
        return out;
    }

    private static double[] gather(double[] x, int[] index) {
        double[] out = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            out[i] = x[i * COLS + index[i]];
        }
        return out;
    }

    private static double[] logSoftmax(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < ROWS; i++) {
            double sum = 0;
            for (int j = 0; j < COLS; j++) {
                sum += Math.exp(x[i * COLS + j]);
            }
            for (int j = 0; j < COLS; j++) {
                out[i * COLS + j] = x[i * COLS + j] - Math.log(sum);
            }
        }
        return out;
    }

    private static double[] normalize(double[] x, double epsilon) {
        double[] out = new double[x.length];
        for (int i = 0; i < ROWS; i++) {
            double mean = 0;
            for (int j = 0; j < COLS; j++) {
                mean += x[i * COLS + j] / COLS;
            }
            double variance = 0;
            for (int j = 0; j < COLS; j++) {
                variance += (x[i * COLS + j] - mean) * (x[i * COLS + j] - mean) / COLS;
            }
            for (int j = 0; j < COLS; j++) {
                out[i * COLS + j] = (x[i * COLS + j] - mean) / Math.sqrt(variance + epsilon);
            }
        }
        return out;
    }

    // ---- helpers

    static void fill(float[] values, SplittableRandom random, double low, double high) {
        for (int e = 0; e < values.length; e++) {
            values[e] = (float) random.nextDouble(low, high);
        }
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int e = 0; e < values.length; e++) {
            out[e] = values[e];
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int e = 0; e < a.length; e++) {
            sum += a[e] * b[e];
        }
        return sum;
    }
}
