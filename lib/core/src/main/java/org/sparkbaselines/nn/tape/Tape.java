package org.sparkbaselines.nn.tape;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.sparkbaselines.common.PairedWork;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.jvm.FlatKernels;
import org.sparkbaselines.nn.tape.Tensor.Op;

/**
 * Reverse- and forward-mode automatic differentiation over a recorded tape of matrix operations.
 *
 * <p>Each op computes its value at once and records itself; {@link #backward} then walks the tape
 * back from a scalar, adding {@code dL/dv} into every {@link Variable} the scalar depends on, and
 * {@link #jvp} walks it forward, giving every tensor its derivative along the variables' tangents
 * (with a backward pass seeded by a tangent, that is what TRPO's Fisher-vector products need: {@code
 * J^T M J v} without second derivatives). A tape is replayed rather than rebuilt: {@link #reset()}
 * rewinds it, and the next forward reuses the tensors of the last one in order, so a loop that records
 * the same computation each minibatch allocates nothing once its largest batch has been seen.
 *
 * <p>Dense layers and convolutions (as im2col products) run on the JVM backend's Vector-API kernels
 * ({@link FlatKernels}), with its tanh approximation (absolute error below 5e-7).
 *
 * <p>Binary ops broadcast: each operand's rows and columns either equal the result's or are 1. Where
 * the reference's TensorFlow picks one side at a tie, so do these: {@link #minimum} sends the gradient to
 * its first operand where {@code a <= b}, {@link #maximum} where {@code a >= b}, {@link #clip} passes it at
 * the bounds, and {@link #relu} blocks it at 0.
 */
public final class Tape {
    private final List<Tensor> tensors = new ArrayList<>();
    private int position;
    /** The states {@link #lstmStep} returned since the last reset; a replay records the same tensors, so gets them again. */
    private final List<LstmState> lstmStates = new ArrayList<>();
    private int lstmSteps;
    /** A backward pass's plan for two cores ({@link #planLanes}): parts of the graph by variable bit, and their lanes. */
    private final int[] partOf = new int[64];
    private final long[] partCost = new long[64];
    private final int[] partLane = new int[64];
    private int laneSplit;
    /** Counts backward passes, so that a tensor knows whether its gradient has been zeroed in this one. */
    private int pass;
    private final Runnable secondLane = () -> backwardLane(1);
    /** The tape {@link #recordInParallel} records its second branch on, and that branch's work. */
    private Tape branch;
    private Consumer<Tape> branchRecorder;
    private final Runnable branchWork = () -> {
        branch.reset();
        branchRecorder.accept(branch);
    };

    /** Rewinds the tape: tensors recorded so far are reused, in order, by the ops recorded next. */
    public void reset() {
        position = 0;
        lstmSteps = 0;
    }

    // ---- leaves

    /** Rows {@code 0 .. rows-1} of {@code rowsOf} (each at least {@code cols} long), copied onto the tape. */
    public Tensor constant(float[][] rowsOf, int rows, int cols) {
        Tensor t = record(Op.CONSTANT, rows, cols);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(rowsOf[i], 0, t.value, i * cols, cols);
        }
        return t;
    }

    /** A {@code rows x cols} matrix given row-major, copied onto the tape. */
    public Tensor constant(float[] rowMajor, int rows, int cols) {
        Tensor t = record(Op.CONSTANT, rows, cols);
        System.arraycopy(rowMajor, 0, t.value, 0, rows * cols);
        return t;
    }

    /** A column of {@code rows} values, copied onto the tape. */
    public Tensor column(float[] values, int rows) {
        return constant(values, rows, 1);
    }

    /** A {@code 1 x 1} constant. */
    public Tensor scalar(float value) {
        Tensor t = record(Op.CONSTANT, 1, 1);
        t.value[0] = value;
        return t;
    }

    /** A constant holding {@code x}'s tangent from the last {@link #jvp()}. */
    public Tensor tangentOf(Tensor x) {
        Tensor t = record(Op.CONSTANT, x.rows, x.cols);
        System.arraycopy(x.tangent, 0, t.value, 0, x.rows * x.cols);
        return t;
    }

    /** The variable itself: the gradient flowing into it is added to {@link Variable#gradient()}. */
    public Tensor variable(Variable v) {
        Tensor t = record(Op.VARIABLE, v.rows(), v.cols());
        t.weights = v;
        System.arraycopy(v.value, 0, t.value, 0, v.value.length);
        t.needsGrad = !v.frozen;
        return t;
    }

    // ---- layers

    /** {@code activation(x W + b)} with {@code W} of shape {@code (x.cols, out)} and {@code b} of {@code (1, out)}. */
    public Tensor dense(Tensor x, Variable weights, Variable bias, Activation activation) {
        if (bias.rows() != 1 || bias.cols() != weights.cols()) {
            throw new IllegalArgumentException("dense " + weights.name() + ": weights " + weights.rows() + " x " + weights.cols() + ", bias "
                    + bias.rows() + " x " + bias.cols());
        }
        return product("dense", x, weights, bias, activation);
    }

    /**
     * {@code x W} with {@code W} of shape {@code (x.cols, out)}: TensorFlow's {@code tf.matmul(x, W)}, a dense layer
     * without bias or activation.
     */
    public Tensor matmul(Tensor x, Variable weights) {
        return product("matmul", x, weights, null, Activation.LINEAR);
    }

    /** {@code activation(x W + b)}, or {@code activation(x W)} where {@code bias} is null. */
    private Tensor product(String op, Tensor x, Variable weights, Variable bias, Activation activation) {
        if (weights.rows() != x.cols) {
            throw new IllegalArgumentException(op + " " + weights.name() + ": input of " + x.cols + " features, weights " + weights.rows()
                    + " x " + weights.cols());
        }
        int n = weights.cols();
        Tensor y = record(Op.DENSE, x.rows, n);
        y.a = x;
        y.weights = weights;
        y.bias = bias;
        y.activation = activation;
        y.needsGrad = x.needsGrad || !weights.frozen || (bias != null && !bias.frozen);
        FlatKernels.fillRows(bias == null ? null : bias.value, x.rows, n, y.value);
        FlatKernels.multiplyAccumulate(x.value, x.rows, x.cols, weights.value, n, y.value, y.secondScratch(n * x.cols));
        FlatKernels.activate(activation, y.value, x.rows * n);
        return y;
    }

    /**
     * A 2-D convolution as the reference's {@code conv} layer (stable_baselines/common/tf_layers.py) computes it with
     * its defaults, followed by {@code activation}: {@code activation(bias + tf.nn.conv2d(input, filters, strides=[1,
     * stride, stride, 1], padding='VALID'))}, data format NHWC, as {@code nature_cnn} applies it to Atari frames.
     *
     * <p>Each row of {@code input} is one {@code height x width x channels} image flattened NHWC (row-major over height,
     * width, channel); each row of the result is its {@code outHeight x outWidth x outChannels} feature map flattened the
     * same way, where {@code outHeight = (height - kernelHeight) / stride + 1} (VALID: windows that do not fit are
     * dropped) and likewise {@code outWidth}. {@code filters} are TensorFlow's HWIO filters {@code [kernelHeight,
     * kernelWidth, channels, outChannels]} flattened row-major to {@code (kernelHeight * kernelWidth * channels,
     * outChannels)}; {@code bias} is {@code (1, outChannels)} (the reference stores it as {@code [1, outChannels, 1, 1]},
     * the same values).
     *
     * <p>Computed image by image as an im2col product on the dense kernels, so its scratch is one image's patches.
     */
    public Tensor conv2d(Tensor input, int height, int width, int channels, Variable filters, Variable bias, int kernelHeight, int kernelWidth,
            int stride, Activation activation) {
        if (height < 1 || width < 1 || channels < 1 || input.cols != height * width * channels) {
            throw conv2dMisfit(filters, "input rows of " + input.cols + " features are not " + height + " x " + width + " x " + channels
                    + " images");
        }
        if (kernelHeight < 1 || kernelWidth < 1 || stride < 1 || kernelHeight > height || kernelWidth > width) {
            throw conv2dMisfit(filters, "a " + kernelHeight + " x " + kernelWidth + " kernel with stride " + stride + " does not fit "
                    + height + " x " + width + " images (VALID padding)");
        }
        if (filters.rows() != kernelHeight * kernelWidth * channels) {
            throw conv2dMisfit(filters, "filters " + filters.rows() + " x " + filters.cols() + ": " + filters.rows()
                    + " rows, not kernelHeight * kernelWidth * channels = " + kernelHeight * kernelWidth * channels);
        }
        if (bias.rows() != 1 || bias.cols() != filters.cols()) {
            throw conv2dMisfit(filters, "bias " + bias.rows() + " x " + bias.cols() + " for " + filters.cols() + " output channels");
        }
        Tensor y = record(Op.CONV2D, input.rows, 0); // its columns follow from the geometry it keeps
        if (y.convolution == null || !y.convolution.is(height, width, channels, kernelHeight, kernelWidth, stride)) {
            y.convolution = new ConvolutionShape(height, width, channels, kernelHeight, kernelWidth, stride);
        }
        ConvolutionShape shape = y.convolution;
        int outChannels = filters.cols();
        int mapSize = shape.positions() * outChannels;
        y.shape(input.rows, mapSize);
        y.a = input;
        y.weights = filters;
        y.bias = bias;
        y.activation = activation;
        y.needsGrad = input.needsGrad || !filters.frozen || !bias.frozen;
        float[] patches = y.scratch(shape.positions() * shape.patchSize());
        float[] featureMap = y.thirdScratch(mapSize);
        for (int image = 0; image < input.rows; image++) {
            shape.toPatches(input.value, image, patches);
            shape.affine(patches, filters.value, bias.value, outChannels, featureMap, y.secondScratch(outChannels * shape.patchSize()));
            System.arraycopy(featureMap, 0, y.value, image * mapSize, mapSize);
        }
        FlatKernels.activate(activation, y.value, input.rows * mapSize);
        return y;
    }

    private static IllegalArgumentException conv2dMisfit(Variable filters, String problem) {
        return new IllegalArgumentException("conv2d " + filters.name() + ": " + problem);
    }

    /**
     * One time step of the reference's {@code lstm} (stable_baselines/common/tf_layers.py; with {@code layer_norm=True} when
     * {@code weights} carry {@linkplain LstmWeights.LayerNorm layer-norm gains}), for {@code rows} environments at once:
     *
     * <pre>
     * c = c * (1 - mask);  h = h * (1 - mask)                      # an episode started: state reset
     * z = x wx + h wh + b                                          # layer norm: ln(x wx, gx, bx) + ln(h wh, gh, bh) + b
     * i, f, o, u = split(z, 4)                                     # in that order
     * c = sigmoid(f) * c + sigmoid(i) * tanh(u)
     * h = sigmoid(o) * tanh(c)                                     # layer norm: sigmoid(o) * tanh(ln(c, gc, bc))
     * </pre>
     *
     * where {@code ln} normalises each row over its features with epsilon 1e-5 (the reference's {@code _ln}), then scales
     * by its gain and shifts. {@code input} is {@code rows x nIn}, the previous {@code cell} and {@code hidden} are {@code
     * rows x nHidden}, {@code mask} is a {@code rows x 1} column of 1 where an episode starts (the reference's {@code
     * dones}) and 0 elsewhere. Chain steps by passing the returned state's cell and hidden to the next; the reference's new {@code
     * cell_state_hidden} is {@code concat(cell, hidden)} of the last.
     */
    public LstmState lstmStep(Tensor input, Tensor cell, Tensor hidden, Tensor mask, LstmWeights weights) {
        int n = weights.hiddenSize();
        int rows = input.rows;
        if (input.cols != weights.inputWeights().rows() || cell.rows != rows || cell.cols != n || hidden.rows != rows || hidden.cols != n
                || mask.rows != rows || mask.cols != 1) {
            throw new IllegalArgumentException("lstm " + weights.inputWeights().name() + " of " + weights.inputWeights().rows() + " inputs and "
                    + n + " units: input " + rows + " x " + input.cols + ", cell " + cell.rows + " x " + cell.cols + ", hidden " + hidden.rows
                    + " x " + hidden.cols + ", mask " + mask.rows + " x " + mask.cols);
        }
        Tensor keep = affine(mask, -1f, 1f);
        Tensor keptCell = multiply(cell, keep);
        Tensor keptHidden = multiply(hidden, keep);
        Tensor fromInput = matmul(input, weights.inputWeights());
        Tensor fromHidden = matmul(keptHidden, weights.hiddenWeights());
        LstmWeights.LayerNorm norm = weights.layerNorm();
        if (norm != null) {
            fromInput = layerNorm(fromInput, norm.inputGain(), norm.inputShift(), LSTM_LAYER_NORM_EPSILON);
            fromHidden = layerNorm(fromHidden, norm.hiddenGain(), norm.hiddenShift(), LSTM_LAYER_NORM_EPSILON);
        }
        Tensor gates = add(add(fromInput, fromHidden), variable(weights.bias()));
        Tensor inGate = sigmoid(slice(gates, 0, n));
        Tensor forgetGate = sigmoid(slice(gates, n, 2 * n));
        Tensor outGate = sigmoid(slice(gates, 2 * n, 3 * n));
        Tensor candidate = tanh(slice(gates, 3 * n, 4 * n));
        Tensor newCell = add(multiply(forgetGate, keptCell), multiply(inGate, candidate));
        Tensor exposed = norm == null ? newCell : layerNorm(newCell, norm.cellGain(), norm.cellShift(), LSTM_LAYER_NORM_EPSILON);
        return lstmState(newCell, multiply(outGate, tanh(exposed)));
    }

    /** The reference's {@code _ln} epsilon. */
    private static final float LSTM_LAYER_NORM_EPSILON = 1e-5f;

    /** Per row, {@code (x - mean) / sqrt(variance + epsilon)} over the features (layer normalisation without its gain and bias). */
    public Tensor normalize(Tensor x, float epsilon) {
        Tensor y = unary(Op.NORMALIZE, x);
        y.p = epsilon;
        float[] inverseDeviation = y.scratch(x.rows);
        int n = x.cols;
        for (int i = 0; i < x.rows; i++) {
            double mean = 0;
            for (int j = 0; j < n; j++) {
                mean += x.value[i * n + j];
            }
            mean /= n;
            double variance = 0;
            for (int j = 0; j < n; j++) {
                double d = x.value[i * n + j] - mean;
                variance += d * d;
            }
            float inverse = (float) (1 / Math.sqrt(variance / n + epsilon));
            inverseDeviation[i] = inverse;
            for (int j = 0; j < n; j++) {
                y.value[i * n + j] = (float) ((x.value[i * n + j] - mean) * inverse);
            }
        }
        return y;
    }

    /** {@code activation(x)} on its own (a dense op fuses it otherwise). */
    public Tensor activate(Tensor x, Activation activation) {
        return switch (activation) {
            case RELU -> relu(x);
            case TANH -> tanh(x);
            case SIGMOID -> sigmoid(x);
            case LINEAR -> x;
        };
    }

    /** Layer normalisation as the reference's {@code ln}: {@code normalize(x, epsilon) * gain + shift}, gain and shift of shape {@code (1, cols)}. */
    public Tensor layerNorm(Tensor x, Variable gain, Variable shift, float epsilon) {
        return add(multiply(normalize(x, epsilon), variable(gain)), variable(shift));
    }

    // ---- elementwise

    public Tensor add(Tensor a, Tensor b) {
        return binary(Op.ADD, a, b);
    }

    public Tensor subtract(Tensor a, Tensor b) {
        return binary(Op.SUB, a, b);
    }

    public Tensor multiply(Tensor a, Tensor b) {
        return binary(Op.MUL, a, b);
    }

    public Tensor divide(Tensor a, Tensor b) {
        return binary(Op.DIV, a, b);
    }

    /** Elementwise minimum; at {@code a == b} the gradient goes to {@code a} (TensorFlow's rule). */
    public Tensor minimum(Tensor a, Tensor b) {
        return binary(Op.MIN, a, b);
    }

    /** Elementwise maximum; at {@code a == b} the gradient goes to {@code a} (TensorFlow's rule). */
    public Tensor maximum(Tensor a, Tensor b) {
        return binary(Op.MAX, a, b);
    }

    /** {@code scale * x + shift}. */
    public Tensor affine(Tensor x, float scale, float shift) {
        Tensor y = unary(Op.AFFINE, x);
        y.p = scale;
        y.q = shift;
        return elementwise(y);
    }

    public Tensor scale(Tensor x, float scale) {
        return affine(x, scale, 0f);
    }

    public Tensor exp(Tensor x) {
        return inDoublePrecision(unary(Op.EXP, x));
    }

    public Tensor log(Tensor x) {
        return inDoublePrecision(unary(Op.LOG, x));
    }

    /** The exp or log of {@code y}'s operand, in double precision in bulk, rounded to float ({@link FlatKernels#exp}). */
    private static Tensor inDoublePrecision(Tensor y) {
        int size = y.rows * y.cols;
        double[] wide = y.wideScratch(size);
        FlatKernels.widen(y.a.value, wide, size);
        if (y.op == Op.EXP) {
            FlatKernels.exp(wide, 0, size);
        } else {
            FlatKernels.log(wide, 0, size);
        }
        FlatKernels.narrow(wide, y.value, size);
        return y;
    }

    public Tensor tanh(Tensor x) {
        return elementwise(unary(Op.TANH, x));
    }

    public Tensor sigmoid(Tensor x) {
        return elementwise(unary(Op.SIGMOID, x));
    }

    /** {@code log(1 + exp(x))}, computed without overflow. */
    public Tensor softplus(Tensor x) {
        return elementwise(unary(Op.SOFTPLUS, x));
    }

    /** {@code max(x, 0)}; no gradient at 0. */
    public Tensor relu(Tensor x) {
        return elementwise(unary(Op.RELU, x));
    }

    /** {@code x} where positive, {@code exp(x) - 1} elsewhere. */
    public Tensor elu(Tensor x) {
        return elementwise(unary(Op.ELU, x));
    }

    public Tensor square(Tensor x) {
        return elementwise(unary(Op.SQUARE, x));
    }

    public Tensor sqrt(Tensor x) {
        return elementwise(unary(Op.SQRT, x));
    }

    /** {@code x} clipped into {@code [low, high]}; the gradient passes where {@code low <= x <= high} (TensorFlow's rule). */
    public Tensor clip(Tensor x, float low, float high) {
        Tensor y = unary(Op.CLIP, x);
        y.p = low;
        y.q = high;
        return elementwise(y);
    }

    /** The Huber loss of {@code x}: {@code x^2 / 2} where {@code |x| < delta}, else {@code delta (|x| - delta / 2)}. */
    public Tensor huber(Tensor x, float delta) {
        Tensor y = unary(Op.HUBER, x);
        y.p = delta;
        return elementwise(y);
    }

    /** {@code (a - b)^2}. */
    public Tensor squaredError(Tensor a, Tensor b) {
        return square(subtract(a, b));
    }

    /** The same values, through which no gradient flows. */
    public Tensor stopGradient(Tensor x) {
        Tensor y = unary(Op.STOP_GRADIENT, x);
        y.needsGrad = false;
        System.arraycopy(x.value, 0, y.value, 0, x.rows * x.cols);
        return y;
    }

    // ---- features

    /** The features of {@code a} followed by those of {@code b}, row by row. */
    public Tensor concat(Tensor a, Tensor b) {
        if (a.rows != b.rows) {
            throw new IllegalArgumentException("concat of " + a.rows + " and " + b.rows + " rows");
        }
        Tensor y = record(Op.CONCAT, a.rows, a.cols + b.cols);
        y.a = a;
        y.b = b;
        y.needsGrad = a.needsGrad || b.needsGrad;
        for (int i = 0; i < a.rows; i++) {
            System.arraycopy(a.value, i * a.cols, y.value, i * y.cols, a.cols);
            System.arraycopy(b.value, i * b.cols, y.value, i * y.cols + a.cols, b.cols);
        }
        return y;
    }

    /** Features {@code from .. to-1} of each row. */
    public Tensor slice(Tensor x, int from, int to) {
        if (from < 0 || to > x.cols || from >= to) {
            throw new IllegalArgumentException("slice " + from + ".." + to + " of " + x.cols + " features");
        }
        if (from == 0 && to == x.cols) {
            return x;
        }
        Tensor earlier = recent(Op.SLICE, x, from, to - from);
        if (earlier != null) {
            return earlier;
        }
        Tensor y = record(Op.SLICE, x.rows, to - from);
        y.a = x;
        y.from = from;
        y.needsGrad = x.needsGrad;
        for (int i = 0; i < x.rows; i++) {
            System.arraycopy(x.value, i * x.cols + from, y.value, i * y.cols, y.cols);
        }
        return y;
    }

    /** Per row, the feature {@code index[row]}: a column. The indices are copied. */
    public Tensor gather(Tensor x, int[] index) {
        Tensor y = record(Op.GATHER, x.rows, 1);
        y.a = x;
        y.needsGrad = x.needsGrad;
        if (y.index.length < x.rows) {
            y.index = new int[x.rows];
        }
        for (int i = 0; i < x.rows; i++) {
            if (index[i] < 0 || index[i] >= x.cols) {
                throw new IllegalArgumentException("gather: index " + index[i] + " of row " + i + " is outside 0.." + (x.cols - 1));
            }
            y.index[i] = index[i];
            y.value[i] = x.value[i * x.cols + index[i]];
        }
        return y;
    }

    /** Per row, {@code x - log(sum(exp(x)))}. */
    public Tensor logSoftmax(Tensor x) {
        Tensor earlier = recent(Op.LOG_SOFTMAX, x, 0, x.cols);
        if (earlier != null) {
            return earlier;
        }
        Tensor y = unary(Op.LOG_SOFTMAX, x);
        y.from = 0;
        int n = x.cols;
        int size = x.rows * n;
        // In double precision as one value at a time would compute it, its exps and logs in bulk.
        float[] maxima = y.secondScratch(x.rows);
        double[] exps = y.wideScratch(size + x.rows);
        for (int i = 0; i < x.rows; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, x.value[i * n + j]);
            }
            maxima[i] = max;
            for (int j = 0; j < n; j++) {
                exps[i * n + j] = x.value[i * n + j] - max;
            }
        }
        FlatKernels.exp(exps, 0, size);
        for (int i = 0; i < x.rows; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += exps[i * n + j];
            }
            exps[size + i] = sum;
        }
        FlatKernels.log(exps, size, size + x.rows);
        for (int i = 0; i < x.rows; i++) {
            float logSum = (float) (maxima[i] + exps[size + i]);
            for (int j = 0; j < n; j++) {
                y.value[i * n + j] = x.value[i * n + j] - logSum;
            }
        }
        return y;
    }

    // ---- reductions

    /** The sum of all entries: {@code 1 x 1}. */
    public Tensor sum(Tensor x) {
        Tensor y = record(Op.SUM, 1, 1);
        y.a = x;
        y.needsGrad = x.needsGrad;
        y.value[0] = (float) total(x);
        return y;
    }

    /** The mean of all entries: {@code 1 x 1}. */
    public Tensor mean(Tensor x) {
        Tensor y = record(Op.MEAN, 1, 1);
        y.a = x;
        y.needsGrad = x.needsGrad;
        y.value[0] = (float) (total(x) / (x.rows * x.cols));
        return y;
    }

    /** Per row, the sum of its features: a column. */
    public Tensor sumFeatures(Tensor x) {
        Tensor y = record(Op.SUM_FEATURES, x.rows, 1);
        y.a = x;
        y.needsGrad = x.needsGrad;
        for (int i = 0; i < x.rows; i++) {
            double sum = 0;
            for (int j = 0; j < x.cols; j++) {
                sum += x.value[i * x.cols + j];
            }
            y.value[i] = (float) sum;
        }
        return y;
    }

    // ---- differentiation

    /**
     * Adds {@code d(loss)/dv} into every variable {@code v} the {@code 1 x 1} tensor {@code loss} depends on
     * (call {@link Variable#zeroGrad()} between updates); every tensor recorded before it gets its own gradient.
     */
    public void backward(Tensor loss) {
        if (loss.rows * loss.cols != 1) {
            throw new IllegalArgumentException("backward from a " + loss.rows + " x " + loss.cols + " tensor; give its gradient");
        }
        backward(loss, ONE);
    }

    private static final float[] ONE = {1f};

    /** Back-propagates the gradient {@code seed} (row-major, the shape of {@code output}) from {@code output}. */
    public void backward(Tensor output, float[] seed) {
        int end = indexOf(output);
        pass++;
        int split = planLanes(end);
        assignVariableLanes(end, split);
        // Below the split each lane zeroes its own tensors' gradients, which then stay in that core's cache: zeroed here,
        // every one would move between the cores twice. Here: the tensors above the split and their operands.
        for (int n = split; n <= end; n++) {
            Tensor t = tensors.get(n);
            zeroGradient(t);
            if (t.a != null) {
                zeroGradient(t.a);
            }
            if (t.b != null) {
                zeroGradient(t.b);
            }
        }
        zeroGradient(output);
        System.arraycopy(seed, 0, output.grad, 0, output.rows * output.cols);
        for (int n = end; n >= split; n--) {
            Tensor t = tensors.get(n);
            if (t.needsGrad) {
                Backward.of(t);
            }
        }
        if (split > 0) {
            laneSplit = split;
            boolean forked = PairedWork.fork(secondLane);
            try {
                backwardLane(0);
            } finally {
                PairedWork.join(secondLane, forked);
            }
        }
    }

    /** Each trained variable's {@link Variable#lane}: 1 if only the second lane accumulates its gradient in this pass. */
    private void assignVariableLanes(int end, int split) {
        for (int n = 0; n <= end; n++) {
            Tensor t = tensors.get(n);
            int lane = n < split ? t.lane : 0;
            assignLane(t.weights, lane);
            assignLane(t.bias, lane);
        }
    }

    private void assignLane(Variable v, int lane) {
        if (v == null || v.frozen) {
            return;
        }
        if (v.lanePass != pass) {
            v.lanePass = pass;
            v.lane = lane;
        } else if (v.lane != lane) {
            v.lane = 0;
        }
    }

    private void zeroGradient(Tensor t) {
        if (t.zeroedInPass != pass) {
            java.util.Arrays.fill(t.grad, 0, t.rows * t.cols, 0f);
            t.zeroedInPass = pass;
        }
    }

    /** Back-propagates through the tensors of one lane below {@link #laneSplit}, last recorded first. */
    private void backwardLane(int lane) {
        for (int n = 0; n < laneSplit; n++) {
            Tensor t = tensors.get(n);
            if (t.lane == lane) {
                zeroGradient(t);
            }
        }
        for (int n = laneSplit - 1; n >= 0; n--) {
            Tensor t = tensors.get(n);
            if (t.needsGrad && t.lane == lane) {
                Backward.of(t);
            }
        }
    }

    /**
     * Plans a backward pass on two cores, the way PPO2's policy and value networks are independent until the loss
     * adds their terms. Variables used by one dense, convolution or variable op belong together; the parts of the
     * graph whose variables do not meet are independent. Below the first tensor that mixes two parts (the loss's
     * sums), each tensor depends on one part only, and its gradient flows only into that part's tensors and
     * variables: the parts are dealt to two lanes by their cost and the second lane runs on the second core. A
     * constant may be written by both lanes; nothing reads a constant's gradient.
     *
     * @return the index below which the tensors run in lanes; 0 for one lane
     */
    private int planLanes(int end) {
        if (!PairedWork.enabled()) {
            return 0;
        }
        for (int bit = 0; bit < 64; bit++) {
            partOf[bit] = bit;
            partCost[bit] = 0;
        }
        for (int n = 0; n <= end; n++) {
            Tensor t = tensors.get(n);
            long own = (t.weights == null ? 0 : t.weights.bit) | (t.bias == null ? 0 : t.bias.bit);
            t.dependsOn = own | (t.a == null ? 0 : t.a.dependsOn) | (t.b == null ? 0 : t.b.dependsOn);
            if (own != 0) {
                int part = part(Long.numberOfTrailingZeros(t.dependsOn));
                for (long rest = t.dependsOn; rest != 0; rest &= rest - 1) {
                    partOf[part(Long.numberOfTrailingZeros(rest))] = part;
                }
            }
        }
        int split = 0;
        while (split <= end && !mixesParts(tensors.get(split).dependsOn)) {
            split++;
        }
        for (int n = 0; n < split; n++) {
            Tensor t = tensors.get(n);
            if (t.needsGrad && t.dependsOn != 0) {
                partCost[part(Long.numberOfTrailingZeros(t.dependsOn))] += cost(t);
            }
        }
        long firstLane = 0;
        long secondLaneCost = 0;
        for (int bit = 0; bit < 64; bit++) {
            partLane[bit] = 0;
        }
        // Largest part first, each to the lighter lane.
        for (int dealt = 0; dealt < 64; dealt++) {
            int largest = 0;
            for (int bit = 1; bit < 64; bit++) {
                if (partCost[bit] > partCost[largest]) {
                    largest = bit;
                }
            }
            if (partCost[largest] == 0) {
                break;
            }
            int lane = firstLane <= secondLaneCost ? 0 : 1;
            if (lane == 0) {
                firstLane += partCost[largest];
            } else {
                secondLaneCost += partCost[largest];
            }
            partLane[largest] = lane;
            partCost[largest] = 0;
        }
        if (Math.min(firstLane, secondLaneCost) < LANE_MIN_COST) {
            return 0;
        }
        for (int n = 0; n < split; n++) {
            Tensor t = tensors.get(n);
            t.lane = t.dependsOn == 0 ? 0 : partLane[part(Long.numberOfTrailingZeros(t.dependsOn))];
        }
        return split;
    }

    private boolean mixesParts(long dependsOn) {
        if (dependsOn == 0) {
            return false;
        }
        int part = part(Long.numberOfTrailingZeros(dependsOn));
        for (long rest = dependsOn & (dependsOn - 1); rest != 0; rest &= rest - 1) {
            if (part(Long.numberOfTrailingZeros(rest)) != part) {
                return true;
            }
        }
        return false;
    }

    /** The part (a representative variable bit) that a variable bit belongs to. */
    private int part(int bit) {
        while (partOf[bit] != bit) {
            partOf[bit] = partOf[partOf[bit]];
            bit = partOf[bit];
        }
        return bit;
    }

    /** Multiply-adds of a tensor's backward pass, roughly: a product's per output element, else one. */
    private static long cost(Tensor t) {
        long size = (long) t.rows * t.cols;
        return t.op == Op.DENSE || t.op == Op.CONV2D ? size * t.weights.rows() : size;
    }

    /**
     * Forward-mode derivative: every recorded tensor's tangent becomes its derivative along the variables'
     * {@link Variable#tangent() tangents} (Jacobian-vector products).
     */
    public void jvp() {
        for (int n = 0; n < position; n++) {
            Forward.tangent(tensors.get(n));
        }
    }

    // ---- recording

    private Tensor record(Op op, int rows, int cols) {
        Tensor t;
        if (position < tensors.size() && tensors.get(position).owner == this) {
            t = tensors.get(position);
        } else {
            // A tensor another tape recorded in a parallel branch stays that tape's: both reuse theirs on a replay.
            t = new Tensor(this);
            place(t);
        }
        position++;
        t.op = op;
        t.a = null;
        t.b = null;
        t.weights = null;
        t.bias = null;
        t.needsGrad = false;
        t.shape(rows, cols);
        return t;
    }

    /**
     * The tensor {@code op} of {@code x} with these parameters, if one of the last {@link #RECENT} recorded since the
     * reset is: slices and log-softmaxes are computed once per recording, so that a categorical's log-probabilities
     * serve both its log-prob and its entropy. A tensor with two consumers adds both their gradients.
     */
    private Tensor recent(Op op, Tensor x, int from, int cols) {
        for (int n = position - 1; n >= Math.max(0, position - RECENT); n--) {
            Tensor t = tensors.get(n);
            if (t.op == op && t.a == x && t.from == from && t.cols == cols) {
                return t;
            }
        }
        return null;
    }

    private static final int RECENT = 64;
    /**
     * Multiply-adds (roughly) each lane must have for a backward pass to run in two: a lane's data stays on its core, so
     * this is lower than {@link Backward}'s threshold for splitting a single layer, whose operands cross between cores.
     */
    private static final long LANE_MIN_COST = 1 << 18;

    private void place(Tensor t) {
        if (position < tensors.size()) {
            tensors.set(position, t);
        } else {
            tensors.add(t);
        }
    }

    /**
     * Records two independent computations at once: {@code first} on this tape, on the calling thread, and {@code
     * second} on a tape of its own on the second core (or after {@code first}, when there is none), whose tensors
     * then join this tape as if {@code second} had been recorded here after {@code first}. Each may read tensors
     * recorded before this call; neither may read the other's. A policy's actor and critic networks are such a
     * pair, and {@link #backward} then runs them on two cores as well. Each branch's tensors are reused by the
     * same branch on a replay, so a replay allocates nothing; the functions should be made once, not per call.
     */
    public void recordInParallel(Consumer<Tape> first, Consumer<Tape> second) {
        if (branch == null) {
            branch = new Tape();
        }
        branchRecorder = second;
        boolean forked = PairedWork.fork(branchWork);
        try {
            first.accept(this);
        } finally {
            PairedWork.join(branchWork, forked);
        }
        for (int n = 0; n < branch.position; n++) {
            Tensor t = branch.tensors.get(n);
            if (position >= tensors.size() || tensors.get(position) != t) {
                place(t);
            }
            position++;
        }
    }

    /** The state of the next LSTM step: the one of the last replay if it holds these tensors, so that a replay allocates nothing. */
    private LstmState lstmState(Tensor cell, Tensor hidden) {
        if (lstmSteps == lstmStates.size()) {
            lstmStates.add(new LstmState(cell, hidden));
        } else if (lstmStates.get(lstmSteps).cell() != cell || lstmStates.get(lstmSteps).hidden() != hidden) {
            lstmStates.set(lstmSteps, new LstmState(cell, hidden));
        }
        return lstmStates.get(lstmSteps++);
    }

    private int indexOf(Tensor t) {
        for (int n = position - 1; n >= 0; n--) {
            if (tensors.get(n) == t) {
                return n;
            }
        }
        throw new IllegalArgumentException("the tensor is not on this tape (or was recorded before its last reset)");
    }

    private Tensor unary(Op op, Tensor x) {
        Tensor y = record(op, x.rows, x.cols);
        y.a = x;
        y.needsGrad = x.needsGrad;
        return y;
    }

    private Tensor elementwise(Tensor y) {
        Tensor x = y.a;
        int size = x.rows * x.cols;
        for (int e = 0; e < size; e++) {
            y.value[e] = Forward.unaryValue(y, x.value[e]);
        }
        return y;
    }

    private Tensor binary(Op op, Tensor a, Tensor b) {
        int rows = broadcast(a.rows, b.rows, "rows", op);
        int cols = broadcast(a.cols, b.cols, "columns", op);
        Tensor y = record(op, rows, cols);
        y.a = a;
        y.b = b;
        y.needsGrad = a.needsGrad || b.needsGrad;
        if (a.rows == b.rows && a.cols == b.cols) {
            sameShape(op, a.value, b.value, y.value, rows * cols);
            return y;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                y.value[i * cols + j] = apply(op, a.value[at(a, i, j)], b.value[at(b, i, j)]);
            }
        }
        return y;
    }

    /** The binary op on operands of one shape, one loop per op so that each compiles to vector code. */
    private static void sameShape(Op op, float[] a, float[] b, float[] y, int size) {
        switch (op) {
            case ADD -> {
                for (int e = 0; e < size; e++) {
                    y[e] = a[e] + b[e];
                }
            }
            case SUB -> {
                for (int e = 0; e < size; e++) {
                    y[e] = a[e] - b[e];
                }
            }
            case MUL -> {
                for (int e = 0; e < size; e++) {
                    y[e] = a[e] * b[e];
                }
            }
            default -> {
                for (int e = 0; e < size; e++) {
                    y[e] = apply(op, a[e], b[e]);
                }
            }
        }
    }

    private static float apply(Op op, float x, float z) {
        return switch (op) {
            case ADD -> x + z;
            case SUB -> x - z;
            case MUL -> x * z;
            case DIV -> x / z;
            case MIN -> Math.min(x, z);
            case MAX -> Math.max(x, z);
            default -> throw new IllegalStateException(op.name());
        };
    }

    private static int broadcast(int a, int b, String what, Op op) {
        if (a == b || b == 1) {
            return a;
        }
        if (a == 1) {
            return b;
        }
        throw new IllegalArgumentException(op.name().toLowerCase(java.util.Locale.ROOT) + ": " + what + " " + a + " and " + b + " do not broadcast");
    }

    /** Where an operand broadcast to the result holds the result's entry (i, j). */
    static int at(Tensor operand, int i, int j) {
        return (operand.rows == 1 ? 0 : i) * operand.cols + (operand.cols == 1 ? 0 : j);
    }

    private static double total(Tensor x) {
        double sum = 0;
        int size = x.rows * x.cols;
        for (int e = 0; e < size; e++) {
            sum += x.value[e];
        }
        return sum;
    }

}
