package org.sparkbaselines.nn.tape;

import org.sparkbaselines.nn.jvm.FlatKernels;

/** Elementwise values and the forward-mode rule of every op: a tensor's tangent from its operands' tangents. */
final class Forward {
    private Forward() {
    }

    /** The value of the elementwise op {@code y} at an entry whose operand is {@code x}. */
    static float unaryValue(Tensor y, float x) {
        return switch (y.op) {
            case AFFINE -> y.p * x + y.q;
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> (float) (1 / (1 + Math.exp(-x)));
            case SOFTPLUS -> (float) (Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
            case RELU -> Math.max(x, 0f);
            case ELU -> x > 0 ? x : (float) Math.expm1(x);
            case SQUARE -> x * x;
            case SQRT -> (float) Math.sqrt(x);
            case CLIP -> Math.min(Math.max(x, y.p), y.q);
            case HUBER -> Math.abs(x) < y.p ? 0.5f * x * x : y.p * (Math.abs(x) - 0.5f * y.p);
            default -> throw new IllegalStateException(y.op.name());
        };
    }

    /** {@code dy/dx} of the elementwise op {@code y} at an entry with operand {@code x} and value {@code v}. */
    static float unarySlope(Tensor y, float x, float v) {
        return switch (y.op) {
            case AFFINE -> y.p;
            case EXP -> v;
            case LOG -> 1 / x;
            case TANH -> 1 - v * v;
            case SIGMOID -> v * (1 - v);
            case SOFTPLUS -> (float) (1 / (1 + Math.exp(-x)));
            case RELU -> x > 0 ? 1f : 0f;
            case ELU -> x > 0 ? 1f : v + 1;
            case SQUARE -> 2 * x;
            case SQRT -> 0.5f / v;
            case CLIP -> x >= y.p && x <= y.q ? 1f : 0f;
            case HUBER -> Math.abs(x) < y.p ? x : y.p * Math.signum(x);
            default -> throw new IllegalStateException(y.op.name());
        };
    }

    /** Sets {@code y}'s tangent from its operands' (already computed) tangents. */
    static void tangent(Tensor y) {
        int size = y.rows * y.cols;
        float[] t = y.tangent;
        if (!y.needsGrad) {
            java.util.Arrays.fill(t, 0, size, 0f);
            return;
        }
        Tensor a = y.a;
        switch (y.op) {
            case VARIABLE -> System.arraycopy(y.weights.tangent, 0, t, 0, size);
            case DENSE -> dense(y);
            case CONV2D -> conv2d(y);
            case ADD, SUB, MUL, DIV, MIN, MAX -> binary(y);
            case AFFINE, EXP, LOG, TANH, SIGMOID, SOFTPLUS, RELU, ELU, SQUARE, SQRT, CLIP, HUBER -> {
                for (int e = 0; e < size; e++) {
                    t[e] = unarySlope(y, a.value[e], y.value[e]) * a.tangent[e];
                }
            }
            case CONCAT -> {
                Tensor b = y.b;
                for (int i = 0; i < y.rows; i++) {
                    System.arraycopy(a.tangent, i * a.cols, t, i * y.cols, a.cols);
                    System.arraycopy(b.tangent, i * b.cols, t, i * y.cols + a.cols, b.cols);
                }
            }
            case SLICE -> {
                for (int i = 0; i < y.rows; i++) {
                    System.arraycopy(a.tangent, i * a.cols + y.from, t, i * y.cols, y.cols);
                }
            }
            case SUM, MEAN -> {
                double sum = 0;
                for (int e = 0; e < a.rows * a.cols; e++) {
                    sum += a.tangent[e];
                }
                t[0] = (float) (y.op == Tensor.Op.SUM ? sum : sum / (a.rows * a.cols));
            }
            case SUM_FEATURES -> {
                for (int i = 0; i < y.rows; i++) {
                    double sum = 0;
                    for (int j = 0; j < a.cols; j++) {
                        sum += a.tangent[i * a.cols + j];
                    }
                    t[i] = (float) sum;
                }
            }
            case GATHER -> {
                for (int i = 0; i < y.rows; i++) {
                    t[i] = a.tangent[i * a.cols + y.index[i]];
                }
            }
            case LOG_SOFTMAX -> {
                int n = y.cols;
                double[] probabilities = probabilities(y);
                for (int i = 0; i < y.rows; i++) {
                    double expected = 0;
                    for (int j = 0; j < n; j++) {
                        expected += probabilities[i * n + j] * a.tangent[i * n + j];
                    }
                    for (int j = 0; j < n; j++) {
                        t[i * n + j] = (float) (a.tangent[i * n + j] - expected);
                    }
                }
            }
            case NORMALIZE -> normalizeDerivative(y, a.tangent, t, false);
            default -> throw new IllegalStateException(y.op.name());
        }
    }

    /**
     * {@code exp(y)} of a log-softmax {@code y} in double precision, in its wide scratch: the probabilities its derivatives
     * take, as exact as {@code Math.exp} of each value.
     */
    static double[] probabilities(Tensor y) {
        int size = y.rows * y.cols;
        double[] out = y.wideScratch(size);
        FlatKernels.widen(y.value, out, size);
        FlatKernels.exp(out, 0, size);
        return out;
    }

    /**
     * The normalize op's derivative along {@code direction} (its operand's tangent, or its own gradient: the
     * Jacobian {@code (I - 1/n - y y^T / n) / sigma} is symmetric, so forward and reverse mode are one formula),
     * written into {@code out} or, with {@code accumulate}, added to it.
     */
    static void normalizeDerivative(Tensor y, float[] direction, float[] out, boolean accumulate) {
        int n = y.cols;
        for (int i = 0; i < y.rows; i++) {
            double meanDirection = 0;
            double meanProduct = 0;
            for (int j = 0; j < n; j++) {
                meanDirection += direction[i * n + j];
                meanProduct += y.value[i * n + j] * direction[i * n + j];
            }
            meanDirection /= n;
            meanProduct /= n;
            for (int j = 0; j < n; j++) {
                float d = (float) (y.scratch[i] * (direction[i * n + j] - meanDirection - y.value[i * n + j] * meanProduct));
                out[i * n + j] = accumulate ? out[i * n + j] + d : d;
            }
        }
    }

    /** {@code tz = tx W + x tW + tb} ({@code tb} absent without a bias), then the activation's slope. */
    private static void dense(Tensor y) {
        Tensor x = y.a;
        int n = y.cols;
        FlatKernels.fillRows(y.bias == null ? null : y.bias.tangent, y.rows, n, y.tangent);
        FlatKernels.multiplyAccumulate(x.value, x.rows, x.cols, y.weights.tangent, n, y.tangent, y.secondScratch(n * x.cols));
        if (x.needsGrad) {
            FlatKernels.multiplyAccumulate(x.tangent, x.rows, x.cols, y.weights.value, n, y.tangent, y.secondScratch(n * x.cols));
        }
        FlatKernels.multiplyByDerivative(y.activation, y.tangent, y.value, y.tangent, y.rows * n);
    }

    /** Per image, {@code tz = patches(tx) W + patches(x) tW + tb}; then the activation's slope. */
    private static void conv2d(Tensor y) {
        Tensor x = y.a;
        ConvolutionShape shape = y.convolution;
        int outChannels = y.weights.cols();
        int mapSize = y.cols;
        int patchesSize = shape.positions() * shape.patchSize();
        float[] patches = y.scratch(patchesSize);
        float[] transposeScratch = y.secondScratch(outChannels * shape.patchSize());
        float[] featureMap = y.thirdScratch(mapSize);
        float[] tangentPatches = x.needsGrad ? y.fourthScratch(patchesSize) : null;
        for (int image = 0; image < y.rows; image++) {
            shape.toPatches(x.value, image, patches);
            shape.affine(patches, y.weights.tangent, y.bias.tangent, outChannels, featureMap, transposeScratch);
            if (x.needsGrad) {
                shape.toPatches(x.tangent, image, tangentPatches);
                FlatKernels.multiplyAccumulate(tangentPatches, shape.positions(), shape.patchSize(), y.weights.value, outChannels, featureMap,
                        transposeScratch);
            }
            System.arraycopy(featureMap, 0, y.tangent, image * mapSize, mapSize);
        }
        FlatKernels.multiplyByDerivative(y.activation, y.tangent, y.value, y.tangent, y.rows * mapSize);
    }

    private static void binary(Tensor y) {
        Tensor a = y.a;
        Tensor b = y.b;
        for (int i = 0; i < y.rows; i++) {
            for (int j = 0; j < y.cols; j++) {
                int ia = Tape.at(a, i, j);
                int ib = Tape.at(b, i, j);
                float x = a.value[ia];
                float z = b.value[ib];
                float tx = a.tangent[ia];
                float tz = b.tangent[ib];
                y.tangent[i * y.cols + j] = switch (y.op) {
                    case ADD -> tx + tz;
                    case SUB -> tx - tz;
                    case MUL -> tx * z + x * tz;
                    case DIV -> tx / z - x * tz / (z * z);
                    case MIN -> x <= z ? tx : tz;
                    case MAX -> x >= z ? tx : tz;
                    default -> throw new IllegalStateException(y.op.name());
                };
            }
        }
    }
}
