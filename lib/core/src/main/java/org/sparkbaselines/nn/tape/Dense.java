package org.sparkbaselines.nn.tape;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.Initializers;

/**
 * One dense layer {@code activation(x W + b)} as TensorFlow's {@code tf.layers.dense} builds it: variables
 * {@code <scope>/kernel:0} of shape {@code (in, units)}, Glorot-uniform, and {@code <scope>/bias:0}, zero. The
 * reference's TD3, SAC and DDPG policies are made of these.
 */
public record Dense(Variable kernel, Variable bias, Activation activation) {

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
        List<Dense> out = new ArrayList<>();
        int width = in;
        for (int i = 0; i < layers.size(); i++) {
            out.add(glorot(scope + "/fc" + i, width, layers.get(i), activation, random));
            width = layers.get(i);
        }
        return out;
    }

    /** The same layer as a constant: gradients flow through it to its input, none into it ({@link Variable#frozenView}). */
    public Dense frozenView() {
        return new Dense(Variable.frozenView(kernel), Variable.frozenView(bias), activation);
    }

    public Tensor forward(Tape t, Tensor x) {
        return t.dense(x, kernel, bias, activation);
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

    /** The kernels and biases of {@code layers}, in order. */
    public static List<Variable> variables(List<Dense> layers) {
        List<Variable> out = new ArrayList<>();
        for (Dense layer : layers) {
            out.add(layer.kernel);
            out.add(layer.bias);
        }
        return out;
    }
}
