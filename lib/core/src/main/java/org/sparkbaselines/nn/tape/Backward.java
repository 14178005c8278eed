package org.sparkbaselines.nn.tape;

import org.sparkbaselines.common.PairedWork;
import org.sparkbaselines.nn.jvm.FlatKernels;

/** The reverse-mode rule of every op: adds a tensor's gradient, through the op, into its operands' gradients. */
final class Backward {
    private Backward() {
    }

    static void of(Tensor y) {
        Tensor a = y.a;
        float[] g = y.grad;
        int size = y.rows * y.cols;
        switch (y.op) {
            case VARIABLE -> {
                float[] into = y.weights.grad;
                for (int e = 0; e < size; e++) {
                    into[e] += g[e];
                }
            }
            case DENSE -> dense(y);
            case CONV2D -> conv2d(y);
            case ADD, SUB, MUL, DIV, MIN, MAX -> binary(y);
            case AFFINE, EXP, LOG, TANH, SIGMOID, SOFTPLUS, RELU, ELU, SQUARE, SQRT, CLIP, HUBER -> {
                for (int e = 0; e < size; e++) {
                    a.grad[e] += Forward.unarySlope(y, a.value[e], y.value[e]) * g[e];
                }
            }
            case CONCAT -> {
                Tensor b = y.b;
                for (int i = 0; i < y.rows; i++) {
                    for (int j = 0; j < a.cols; j++) {
                        a.grad[i * a.cols + j] += g[i * y.cols + j];
                    }
                    for (int j = 0; j < b.cols; j++) {
                        b.grad[i * b.cols + j] += g[i * y.cols + a.cols + j];
                    }
                }
            }
            case SLICE -> {
                for (int i = 0; i < y.rows; i++) {
                    for (int j = 0; j < y.cols; j++) {
                        a.grad[i * a.cols + y.from + j] += g[i * y.cols + j];
                    }
                }
            }
            case SUM, MEAN -> {
                int n = a.rows * a.cols;
                float each = y.op == Tensor.Op.SUM ? g[0] : g[0] / n;
                for (int e = 0; e < n; e++) {
                    a.grad[e] += each;
                }
            }
            case SUM_FEATURES -> {
                for (int i = 0; i < a.rows; i++) {
                    for (int j = 0; j < a.cols; j++) {
                        a.grad[i * a.cols + j] += g[i];
                    }
                }
            }
            case GATHER -> {
                for (int i = 0; i < y.rows; i++) {
                    a.grad[i * a.cols + y.index[i]] += g[i];
                }
            }
            case LOG_SOFTMAX -> {
                int n = y.cols;
                double[] probabilities = Forward.probabilities(y);
                for (int i = 0; i < y.rows; i++) {
                    double total = 0;
                    for (int j = 0; j < n; j++) {
                        total += g[i * n + j];
                    }
                    for (int j = 0; j < n; j++) {
                        a.grad[i * n + j] += (float) (g[i * n + j] - probabilities[i * n + j] * total);
                    }
                }
            }
            case NORMALIZE -> Forward.normalizeDerivative(y, g, a.grad, true);
            case CONSTANT, STOP_GRADIENT -> {
            }
            default -> throw new IllegalStateException(y.op.name());
        }
    }

    /**
     * {@code dz = g * act'(y)}, then the two independent products {@code dW += x^T dz} with {@code db += sum(dz)} (where
     * there is a bias; neither for a {@link Variable#frozenView}) and {@code dx += dz W^T}: on two cores
     * ({@link PairedWork}) when both are wanted and large; each writes only its own gradients, and the results do not
     * depend on the thread.
     */
    private static void dense(Tensor y) {
        Tensor x = y.a;
        int rows = y.rows;
        float[] dz = y.scratch(rows * y.cols);
        FlatKernels.multiplyByDerivative(y.activation, y.grad, y.value, dz, rows * y.cols);
        boolean weightsTrained = !y.weights.frozen;
        if (weightsTrained && x.needsGrad && (long) rows * x.cols * y.cols >= PAIRED_MIN_PRODUCT) {
            Runnable weightGradients = y.weightGradients();
            boolean forked = PairedWork.fork(weightGradients);
            try {
                denseInputGradient(y);
            } finally {
                PairedWork.join(weightGradients, forked);
            }
            return;
        }
        if (weightsTrained) {
            denseWeightGradients(y);
        }
        if (x.needsGrad) {
            denseInputGradient(y);
        }
    }

    /**
     * Multiply-adds in each of a dense layer's backward products from which the second core pays. The second core reads
     * the layer's input and {@code dz}, which this core has just written; moving them between the cores here costs about
     * as much as a 2^20 product (a [64, 64] tanh network's backward pass at 256 rows took 150 µs split this way, 100 µs on
     * one core), so the split starts at 2^21 (DQN's [256, 256] layers at 32 rows and more).
     */
    private static final long PAIRED_MIN_PRODUCT = 1 << 21;

    /** {@code dW += x^T dz} and {@code db += sum(dz)}, {@code dz} in the tensor's scratch. */
    static void denseWeightGradients(Tensor y) {
        Tensor x = y.a;
        float[] dz = y.scratch;
        FlatKernels.accumulateTransposedProduct(x.value, y.rows, x.cols, dz, y.cols, y.weights.grad);
        if (y.bias != null && !y.bias.frozen) {
            FlatKernels.accumulateColumnSums(dz, y.rows, y.cols, y.bias.grad);
        }
    }

    private static void denseInputGradient(Tensor y) {
        Tensor x = y.a;
        FlatKernels.multiplyAccumulateTransposed(y.scratch, y.rows, y.cols, y.weights.value, x.cols, x.grad, y.secondScratch(y.cols * x.cols));
    }

    /**
     * Per image, with {@code P} its patch matrix: {@code dz = g * act'(y)}; {@code dW += P^T dz}, {@code db += sum(dz)},
     * {@code dx +=} the patch gradient {@code dz W^T} added back where each patch entry came from.
     */
    private static void conv2d(Tensor y) {
        Tensor x = y.a;
        ConvolutionShape shape = y.convolution;
        int outChannels = y.weights.cols();
        int positions = shape.positions();
        int patchSize = shape.patchSize();
        int mapSize = y.cols;
        float[] patches = y.scratch(positions * patchSize);
        float[] transposeScratch = y.secondScratch(outChannels * patchSize);
        float[] dz = y.thirdScratch(mapSize);
        float[] patchGradient = x.needsGrad ? y.fourthScratch(positions * patchSize) : null;
        for (int image = 0; image < y.rows; image++) {
            int offset = image * mapSize;
            for (int e = 0; e < mapSize; e++) {
                dz[e] = y.grad[offset + e] * FlatKernels.derivative(y.activation, y.value[offset + e]);
            }
            shape.toPatches(x.value, image, patches);
            if (!y.weights.frozen) {
                FlatKernels.accumulateTransposedProduct(patches, positions, patchSize, dz, outChannels, y.weights.grad);
            }
            if (!y.bias.frozen) {
                FlatKernels.accumulateColumnSums(dz, positions, outChannels, y.bias.grad);
            }
            if (x.needsGrad) {
                java.util.Arrays.fill(patchGradient, 0, positions * patchSize, 0f);
                FlatKernels.multiplyAccumulateTransposed(dz, positions, outChannels, y.weights.value, patchSize, patchGradient, transposeScratch);
                shape.addPatches(patchGradient, x.grad, image);
            }
        }
    }

    private static void binary(Tensor y) {
        Tensor a = y.a;
        Tensor b = y.b;
        if (a.rows == b.rows && a.cols == b.cols && sameShape(y, a, b)) {
            return;
        }
        for (int i = 0; i < y.rows; i++) {
            for (int j = 0; j < y.cols; j++) {
                int ia = Tape.at(a, i, j);
                int ib = Tape.at(b, i, j);
                float x = a.value[ia];
                float z = b.value[ib];
                float g = y.grad[i * y.cols + j];
                switch (y.op) {
                    case ADD -> {
                        a.grad[ia] += g;
                        b.grad[ib] += g;
                    }
                    case SUB -> {
                        a.grad[ia] += g;
                        b.grad[ib] -= g;
                    }
                    case MUL -> {
                        a.grad[ia] += g * z;
                        b.grad[ib] += g * x;
                    }
                    case DIV -> {
                        a.grad[ia] += g / z;
                        b.grad[ib] -= g * x / (z * z);
                    }
                    case MIN -> {
                        if (x <= z) {
                            a.grad[ia] += g;
                        } else {
                            b.grad[ib] += g;
                        }
                    }
                    case MAX -> {
                        if (x >= z) {
                            a.grad[ia] += g;
                        } else {
                            b.grad[ib] += g;
                        }
                    }
                    default -> throw new IllegalStateException(y.op.name());
                }
            }
        }
    }

    /** The common ops on operands of one shape in tight loops; false for the others (the general loop does them). */
    private static boolean sameShape(Tensor y, Tensor a, Tensor b) {
        int size = y.rows * y.cols;
        float[] g = y.grad;
        switch (y.op) {
            case ADD, SUB -> {
                float sign = y.op == Tensor.Op.ADD ? 1f : -1f;
                for (int e = 0; e < size; e++) {
                    a.grad[e] += g[e];
                    b.grad[e] += sign * g[e];
                }
                return true;
            }
            case MUL -> {
                for (int e = 0; e < size; e++) {
                    a.grad[e] += g[e] * b.value[e];
                    b.grad[e] += g[e] * a.value[e];
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }
}
