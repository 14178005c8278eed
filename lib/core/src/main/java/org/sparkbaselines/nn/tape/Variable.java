package org.sparkbaselines.nn.tape;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A trainable matrix of TensorFlow shape {@code (rows, cols)} (a bias is {@code (1, cols)}), stored
 * row-major, with the gradient {@link Tape#backward} accumulates into it and the tangent
 * {@link Tape#jvp} propagates from it. A tape reads and writes these arrays in place: nothing is copied.
 */
public final class Variable {
    private final String name;
    private final int rows;
    private final int cols;
    /** A view through which no gradient is accumulated ({@link #frozenView}). */
    final boolean frozen;
    /** Whether it is saved as a vector of {@code cols} (a bias, a layer-norm gain) rather than a matrix. */
    private final boolean vector;
    final float[] value;
    final float[] grad;
    final float[] tangent;
    /**
     * This variable's bit in a tensor's {@code dependsOn} mask (ids modulo 64: two variables may share a bit, which
     * only makes the tape's two-core backward pass more cautious); 0 for a frozen view, which takes no gradient.
     */
    final long bit;
    /**
     * The lane of the last backward pass that accumulated its gradient: 1 when only the second core's lane did (its
     * optimizer then updates it there), else 0. {@link #lanePass} is that pass.
     */
    int lane;
    int lanePass;
    private static final AtomicInteger CREATED = new AtomicInteger();

    /** A zero-filled {@code rows x cols} matrix. */
    public Variable(String name, int rows, int cols) {
        this(name, rows, cols, false);
    }

    private Variable(String name, int rows, int cols, boolean vector) {
        this(name, rows, cols, vector, null, false);
    }

    /** With {@code sharedValues} non-null, a variable holding those very values (not a copy). */
    private Variable(String name, int rows, int cols, boolean vector, float[] sharedValues, boolean frozen) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(name + ": a variable needs a positive shape, got (" + rows + ", " + cols + ")");
        }
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.vector = vector;
        this.frozen = frozen;
        this.value = sharedValues != null ? sharedValues : new float[rows * cols];
        this.grad = new float[rows * cols];
        this.tangent = new float[rows * cols];
        this.bit = frozen ? 0L : 1L << (CREATED.getAndIncrement() & 63);
    }

    /** A zero-filled row of {@code size} values, broadcast over a batch's rows, saved with shape {@code [size]} (a bias). */
    public static Variable vector(String name, int size) {
        return new Variable(name, 1, size, true);
    }

    /**
     * The values of {@code original} (the same array) as a constant: a tape back-propagates through it to its inputs
     * but computes no gradient for it. What an actor's loss needs of a critic: {@code dQ/da}, not {@code dQ/dw}.
     */
    public static Variable frozenView(Variable original) {
        return new Variable(original.name, original.rows, original.cols, original.vector, original.value, true);
    }

    /** The shape model files give it: {@code [cols]} for a {@link #vector}, else {@code [rows, cols]}. */
    public int[] shape() {
        return vector ? new int[] {cols} : new int[] {rows, cols};
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The values, row-major (the array itself: writes change the variable). */
    public float[] values() {
        return value;
    }

    /** The accumulated gradient, row-major (the array itself). */
    public float[] gradient() {
        return grad;
    }

    /** The direction {@link Tape#jvp} differentiates along, row-major (the array itself; zero unless set). */
    public float[] tangent() {
        return tangent;
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        Arrays.fill(grad, 0f);
    }
}
