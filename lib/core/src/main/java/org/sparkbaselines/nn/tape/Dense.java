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
