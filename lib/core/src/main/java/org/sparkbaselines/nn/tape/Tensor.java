package org.sparkbaselines.nn.tape;

/**
 * A matrix recorded on a {@link Tape}: rows are samples, columns features, stored row-major. Its
 * values stay valid until the tape is {@linkplain Tape#reset() reset}; its gradient is filled by
 * {@link Tape#backward} and its tangent by {@link Tape#jvp}.
 */
public final class Tensor {
    int rows;
    int cols;
    float[] value = new float[0];
    float[] grad = new float[0];
    float[] tangent = new float[0];
    /** Scratch of the op's own (e.g. a dense layer's pre-activation gradient, layer norm's inverse deviations). */
    float[] scratch = new float[0];
    private float[] secondScratch = new float[0];
    private float[] thirdScratch = new float[0];
    private float[] fourthScratch = new float[0];
    private double[] wideScratch = new double[0];
    /** Whether a gradient flows back through it to some variable. */
    boolean needsGrad;
    /** The bits of the trainable variables its value depends on ({@link Variable#bit}), set by a backward pass. */
    long dependsOn;
    /** The backward pass that last zeroed its gradient. */
    int zeroedInPass;
    /** Which core's half of a two-core backward pass it belongs to: 0 the caller's, 1 the second core's. */
    int lane;
    Op op;
    Tensor a;
    Tensor b;
    Variable weights;
    Variable bias;
    org.sparkbaselines.nn.Activation activation;
    float p;
    float q;
    int from;
    int[] index = new int[0];
    /** A convolution's geometry, kept across replays while it stays the same. */
    ConvolutionShape convolution;
    /** A dense op's weight-gradient products as work for the second core, made once per tensor (a replay reuses it). */
    private Runnable weightGradients;

    /** The tape that records into it (a parallel branch's tensors join another tape's list but stay their own tape's). */
    final Tape owner;

    Tensor(Tape owner) {
        this.owner = owner;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The value at row {@code i}, column {@code j}. */
    public float get(int i, int j) {
        return value[i * cols + j];
    }

    /** The single value of a {@code 1 x 1} tensor. */
    public float item() {
        if (rows * cols != 1) {
            throw new IllegalStateException("item() of a " + rows + " x " + cols + " tensor");
        }
        return value[0];
    }

    /** The gradient at row {@code i}, column {@code j} after {@link Tape#backward}. */
    public float gradient(int i, int j) {
        return grad[i * cols + j];
    }

    /** The tangent at row {@code i}, column {@code j} after {@link Tape#jvp}. */
    public float tangent(int i, int j) {
        return tangent[i * cols + j];
    }

    /** The values, row-major; the array may be longer than {@code rows * cols}. */
    public float[] values() {
        return value;
    }

    void shape(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        int size = rows * cols;
        if (value.length < size) {
            value = new float[size];
            grad = new float[size];
            tangent = new float[size];
        }
    }

    Runnable weightGradients() {
        if (weightGradients == null) {
            weightGradients = () -> Backward.denseWeightGradients(this);
        }
        return weightGradients;
    }

    float[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new float[size];
        }
        return scratch;
    }

    float[] secondScratch(int size) {
        if (secondScratch.length < size) {
            secondScratch = new float[size];
        }
        return secondScratch;
    }

    float[] thirdScratch(int size) {
        if (thirdScratch.length < size) {
            thirdScratch = new float[size];
        }
        return thirdScratch;
    }

    float[] fourthScratch(int size) {
        if (fourthScratch.length < size) {
            fourthScratch = new float[size];
        }
        return fourthScratch;
    }

    /** Double-precision scratch (a log-softmax's exps). */
    double[] wideScratch(int size) {
        if (wideScratch.length < size) {
            wideScratch = new double[size];
        }
        return wideScratch;
    }

    /** The operations a tape records. */
    enum Op {
        CONSTANT, VARIABLE, DENSE, CONV2D, ADD, SUB, MUL, DIV, MIN, MAX, AFFINE, EXP, LOG, TANH, SIGMOID, SOFTPLUS, RELU, ELU, SQUARE, SQRT,
        CLIP, CONCAT, SLICE, SUM, MEAN, SUM_FEATURES, GATHER, LOG_SOFTMAX, NORMALIZE, HUBER, STOP_GRADIENT
    }
}
