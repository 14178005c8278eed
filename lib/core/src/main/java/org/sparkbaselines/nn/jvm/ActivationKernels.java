package org.sparkbaselines.nn.jvm;

import static org.sparkbaselines.nn.jvm.MatrixKernels.LANES;
import static org.sparkbaselines.nn.jvm.MatrixKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import org.sparkbaselines.nn.Activation;

/**
 * Activations and their derivatives, in vector form (over whole rows of vectors) and scalar form (for
 * layers narrower than a vector). Both forms do the same float operations, so a value does not
 * depend on which path computed it.
 *
 * <p>tanh is a rational minimax approximation, {@code x P(x^2) / Q(x^2)} on {@code [-8.1, 8.1]}
 * (clamped outside), with a maximum absolute error of 4.4e-7 against {@code Math.tanh}: {@code
 * Math.tanh} costs ~34 ns per element here, the approximation ~0.2 ns. Sigmoid is
 * {@code 0.5 + 0.5 tanh(x / 2)}. Derivatives are computed from the activation's output, which is
 * what backward keeps.
 */
final class ActivationKernels {
    // Coefficients of the minimax fit (Loeb's linear-programming iteration in double precision).
    private static final float P0 = 0.9999992090627065f;
    private static final float P1 = 0.12893997257181689f;
    private static final float P2 = 0.002917889311692668f;
    private static final float P3 = 1.1087180680943808e-05f;
    private static final float Q1 = 0.4622704414102398f;
    private static final float Q2 = 0.0236777526142851f;
    private static final float Q3 = 0.00023408817510333038f;
    private static final float Q4 = 2.3531838926178654e-07f;
    /** Beyond this the fit is flat at 1 to within its error. */
    private static final float CLAMP = 8.1f;
    private static final int ABS_MASK = 0x7fffffff;
    /**
     * Added to a float's magnitude bits before the integer clamp: NaN magnitudes (above infinity's)
     * overflow to negative ints, so {@code min} leaves them alone and NaN propagates.
     */
    private static final int NAN_SHIFT = 0x007fffff;
    private static final int SHIFTED_CLAMP_BITS = Float.floatToIntBits(CLAMP) + NAN_SHIFT;

    private ActivationKernels() {
    }

    /** Applies {@code activation} in place to {@code rows[r][0, width)}, {@code r} in {@code [from, to)}; {@code width} is a multiple of {@link MatrixKernels#LANES}. */
    static void activate(Activation activation, float[][] rows, int from, int to, int width) {
        for (int r = from; r < to; r++) {
            activateRow(activation, rows[r], width);
        }
    }

    /**
     * Applies {@code activation} in place to {@code row[0, width)}; {@code width} is a multiple of {@link MatrixKernels#LANES}.
     * Each activation has its own loop, so that the JIT compiles (and inlines {@link #tanh(FloatVector)} into) each loop
     * on its own profile: one loop switching per vector, compiled while one activation dominated, may later call tanh
     * without inlining it, and then every vector is boxed.
     */
    static void activateRow(Activation activation, float[] row, int width) {
        switch (activation) {
            case TANH -> tanhRow(row, width);
            case SIGMOID -> sigmoidRow(row, width);
            case RELU -> reluRow(row, width);
            case LINEAR -> {
            }
        }
    }

    /**
     * Multiplies {@code delta[r][0, width)} in place by the activation's derivative, computed from
     * its output {@code output[r][0, width)}: turns dL/doutput into dL/dpre-activation.
     */
    static void multiplyByDerivative(Activation activation, float[][] delta, float[][] output, int from, int to, int width) {
        switch (activation) {
            case TANH -> {
                for (int r = from; r < to; r++) {
                    tanhDerivativeRow(delta[r], output[r], width);
                }
            }
            case SIGMOID -> {
                for (int r = from; r < to; r++) {
                    sigmoidDerivativeRow(delta[r], output[r], width);
                }
            }
            case RELU -> {
                for (int r = from; r < to; r++) {
                    reluDerivativeRow(delta[r], output[r], width);
                }
            }
            case LINEAR -> {
            }
        }
    }

    /** The scalar form of {@link #activate}. */
    static float activate(Activation activation, float x) {
        return switch (activation) {
            case TANH -> tanh(x);
            case SIGMOID -> Math.fma(0.5f, tanh(0.5f * x), 0.5f);
            case RELU -> x < 0 ? 0f : x;
            case LINEAR -> x;
        };
    }

    /** The scalar form of {@link #multiplyByDerivative}: {@code delta} times the derivative where the activation output {@code y}. */
    static float multiplyByDerivative(Activation activation, float delta, float y) {
        return switch (activation) {
            case TANH -> delta * Math.fma(-y, y, 1f);
            case SIGMOID -> delta * Math.fma(-y, y, y);
            case RELU -> y <= 0 ? 0f : delta;
            case LINEAR -> delta;
        };
    }

    /** The rational tanh approximation, scalar form: the fit at {@code min(|v|, CLAMP)}, with the sign of {@code v}. */
    static float tanh(float v) {
        float x = Math.abs(v);
        x = x > CLAMP ? CLAMP : x;
        float z = x * x;
        float p = Math.fma(Math.fma(Math.fma(z, P3, P2), z, P1), z, P0) * x;
        float q = Math.fma(Math.fma(Math.fma(Math.fma(z, Q4, Q3), z, Q2), z, Q1), z, 1f);
        return Math.copySign(p / q, v);
    }

    /**
     * The rational tanh approximation, vector form, equal to the scalar form. The clamp and the sign
     * are integer operations on the float bits: float compare-and-blend or Java-semantics min/max
     * cost 40% more for the whole function.
     */
    static FloatVector tanh(FloatVector v) {
        IntVector bits = v.reinterpretAsInts();
        IntVector magnitude = bits.and(ABS_MASK);
        FloatVector x = magnitude.add(NAN_SHIFT).min(SHIFTED_CLAMP_BITS).sub(NAN_SHIFT).reinterpretAsFloats();
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(P3, P2).fma(z, FloatVector.broadcast(SPECIES, P1)).fma(z, FloatVector.broadcast(SPECIES, P0)).mul(x);
        FloatVector q = z.fma(Q4, Q3).fma(z, FloatVector.broadcast(SPECIES, Q2)).fma(z, FloatVector.broadcast(SPECIES, Q1))
                .fma(z, FloatVector.broadcast(SPECIES, 1f));
        IntVector sign = bits.lanewise(VectorOperators.XOR, magnitude);
        return p.div(q).reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    private static void tanhRow(float[] row, int width) {
        for (int c = 0; c < width; c += LANES) {
            tanh(FloatVector.fromArray(SPECIES, row, c)).intoArray(row, c);
        }
    }

    private static void sigmoidRow(float[] row, int width) {
        for (int c = 0; c < width; c += LANES) {
            tanh(FloatVector.fromArray(SPECIES, row, c).mul(0.5f)).fma(0.5f, 0.5f).intoArray(row, c);
        }
    }

    private static void reluRow(float[] row, int width) {
        for (int c = 0; c < width; c += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, row, c);
            x.blend(0f, x.compare(VectorOperators.LT, 0f)).intoArray(row, c);
        }
    }

    private static void tanhDerivativeRow(float[] delta, float[] output, int width) {
        for (int c = 0; c < width; c += LANES) {
            FloatVector y = FloatVector.fromArray(SPECIES, output, c);
            FloatVector slope = y.neg().fma(y, FloatVector.broadcast(SPECIES, 1f));
            FloatVector.fromArray(SPECIES, delta, c).mul(slope).intoArray(delta, c);
        }
    }

    private static void sigmoidDerivativeRow(float[] delta, float[] output, int width) {
        for (int c = 0; c < width; c += LANES) {
            FloatVector y = FloatVector.fromArray(SPECIES, output, c);
            FloatVector slope = y.neg().fma(y, y);
            FloatVector.fromArray(SPECIES, delta, c).mul(slope).intoArray(delta, c);
        }
    }

    private static void reluDerivativeRow(float[] delta, float[] output, int width) {
        for (int c = 0; c < width; c += LANES) {
            FloatVector y = FloatVector.fromArray(SPECIES, output, c);
            FloatVector d = FloatVector.fromArray(SPECIES, delta, c);
            d.blend(0f, y.compare(VectorOperators.LE, 0f)).intoArray(delta, c);
        }
    }
}
