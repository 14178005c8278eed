package org.sparkbaselines.nn.tape;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.Initializers;

/**
 * One dense layer {@code activation(x W + b)} as TensorFlow's {@code tf.layers.dense} builds it: variables
 * {@code <scope>/kernel:0} of shape {@code (in, units)}, Glorot-uniform, and {@code <scope>/bias:0}, zero; with a
 * {@link LayerNorm}, {@code activation(layer_norm(x W + b))} as the reference's {@code LnMlpPolicy} layers. The
 * reference's TD3, SAC and DDPG policies are made of these.
 *
 * @param norm the layer normalization between the affine map and the activation, or null for none
 */
public record Dense(Variable kernel, Variable bias, Activation activation, LayerNorm norm) {
    /** {@code tf.contrib.layers.layer_norm}'s variance epsilon. */
    public static final float LAYER_NORM_EPSILON = 1e-12f;

    /**
     * {@code tf.contrib.layers.layer_norm(x, center=True, scale=True)}'s variables, created in this order: the shift
     * {@code <scope>/beta:0} (zeros) and the gain {@code <scope>/gamma:0} (ones).
     */
    public record LayerNorm(Variable shift, Variable gain) {
        static LayerNorm named(String scope, int units) {
            Variable gain = Variable.vector(scope + "/gamma:0", units);
            java.util.Arrays.fill(gain.value, 1f);
            return new LayerNorm(Variable.vector(scope + "/beta:0", units), gain);
        }
    }

    /** A layer without layer normalization. */
    public Dense(Variable kernel, Variable bias, Activation activation) {
        this(kernel, bias, activation, null);
    }

    /** The scope TensorFlow gives the {@code index}-th layer norm under {@code scope}: {@code LayerNorm}, {@code LayerNorm_1}, ... */
    public static String layerNormScope(String scope, int index) {
        return scope + "/LayerNorm" + (index == 0 ? "" : "_" + index);
    }

    /** This layer with a fresh layer normalization named {@code normScope} before its activation. */
    public Dense withLayerNorm(String normScope) {
        return new Dense(kernel, bias, activation, LayerNorm.named(normScope, kernel.cols()));
    }

    /** A fresh layer under {@code scope}, its kernel drawn from {@code random}. */
    public static Dense glorot(String scope, int in, int units, Activation activation, SplittableRandom random) {
        Variable kernel = new Variable(scope + "/kernel:0", in, units);
        System.arraycopy(Initializers.glorotUniform(in, units, random), 0, kernel.value, 0, in * units);
        return new Dense(kernel, Variable.vector(scope + "/bias:0", units), activation);
    }

    /**
     * The reference's {@code mlp(input, layers, activ_fn)}: hidden layers {@code <scope>/fc0}, {@code <scope>/fc1}, ...
     * of the given widths, each followed by {@code activation}.
     */
    public static List<Dense> mlp(String scope, int in, List<Integer> layers, Activation activation, SplittableRandom random) {
        return mlp(scope, in, layers, activation, false, random);
    }

    /** {@link #mlp}, each hidden layer layer-normalized before its activation when {@code layerNorm} (the reference's {@code layer_norm=True}). */
    public static List<Dense> mlp(String scope, int in, List<Integer> layers, Activation activation, boolean layerNorm, SplittableRandom random) {
        List<Dense> out = new ArrayList<>();
        int width = in;
        for (int i = 0; i < layers.size(); i++) {
            Dense layer = glorot(scope + "/fc" + i, width, layers.get(i), activation, random);
            out.add(layerNorm ? layer.withLayerNorm(layerNormScope(scope, i)) : layer);
            width = layers.get(i);
        }
        return out;
    }

    /** The same layer as a constant: gradients flow through it to its input, none into it ({@link Variable#frozenView}). */
    public Dense frozenView() {
        return new Dense(Variable.frozenView(kernel), Variable.frozenView(bias), activation,
                norm == null ? null : new LayerNorm(Variable.frozenView(norm.shift), Variable.frozenView(norm.gain)));
    }

    public Tensor forward(Tape t, Tensor x) {
        if (norm == null) {
            return t.dense(x, kernel, bias, activation);
        }
        return t.activate(t.layerNorm(t.dense(x, kernel, bias, Activation.LINEAR), norm.gain, norm.shift, LAYER_NORM_EPSILON), activation);
    }

    /**
     * The layer on one input row in double precision, from the float32 values: what acting with an imported agent needs,
     * whose reference evaluation ran the forward pass in float64 (exact {@code tanh}); a new array.
     */
    public double[] apply(double[] x) {
        int in = kernel.rows();
        int out = kernel.cols();
        if (x.length != in) {
            throw new IllegalArgumentException(kernel.name() + ": an input of " + x.length + " values for " + in + " x " + out + " weights");
        }
        double[] y = new double[out];
        float[] w = kernel.values();
        float[] b = bias.values();
        for (int o = 0; o < out; o++) {
            double sum = b[o];
            for (int i = 0; i < in; i++) {
                sum += x[i] * w[i * out + o];
            }
            y[o] = sum;
        }
        if (norm != null) {
            double mean = 0;
            for (double v : y) {
                mean += v;
            }
            mean /= out;
            double variance = 0;
            for (double v : y) {
                variance += (v - mean) * (v - mean);
            }
            double inverse = 1 / Math.sqrt(variance / out + LAYER_NORM_EPSILON);
            for (int o = 0; o < out; o++) {
                y[o] = (y[o] - mean) * inverse * norm.gain.value[o] + norm.shift.value[o];
            }
        }
        for (int o = 0; o < out; o++) {
            double sum = y[o];
            y[o] = switch (activation) {
                case RELU -> Math.max(0, sum);
                case TANH -> Math.tanh(sum);
                case SIGMOID -> 1 / (1 + Math.exp(-sum));
                case LINEAR -> sum;
            };
        }
        return y;
    }

    /** {@link #apply(double[])} through {@code layers} in order. */
    public static double[] apply(List<Dense> layers, double[] x) {
        double[] y = x;
        for (Dense layer : layers) {
            y = layer.apply(y);
        }
        return y;
    }

    /** {@code layers} applied in order. */
    public static Tensor forward(Tape t, List<Dense> layers, Tensor x) {
        Tensor y = x;
        for (Dense layer : layers) {
            y = layer.forward(t, y);
        }
        return y;
    }

    /** The kernels and biases of {@code layers}, each followed by its layer norm's shift and gain, in order. */
    public static List<Variable> variables(List<Dense> layers) {
        List<Variable> out = new ArrayList<>();
        for (Dense layer : layers) {
            out.add(layer.kernel);
            out.add(layer.bias);
            if (layer.norm != null) {
                out.add(layer.norm.shift);
                out.add(layer.norm.gain);
            }
        }
        return out;
    }
}
