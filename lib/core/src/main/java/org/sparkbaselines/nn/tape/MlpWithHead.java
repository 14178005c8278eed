package org.sparkbaselines.nn.tape;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.Activation;

/**
 * The reference's {@code mlp} of hidden layers ({@code <scope>/fc0}, {@code <scope>/fc1}, ...) followed by one dense
 * output layer {@code <scope>/<head>}: a TD3 or SAC critic ({@code qf1} over observation and action), SAC's value
 * function ({@code vf}), a TD3 actor ({@code dense}, tanh).
 */
public record MlpWithHead(List<Dense> hidden, Dense head) {
    public MlpWithHead {
        hidden = List.copyOf(hidden);
    }

    /** A fresh network, Glorot-initialised from {@code random} layer by layer. */
    public static MlpWithHead glorot(String scope, int in, List<Integer> layers, Activation activation, String head, int outputs,
            Activation outputActivation, SplittableRandom random) {
        return glorot(scope, in, layers, activation, false, head, outputs, outputActivation, random);
    }

    /** {@link #glorot}, the hidden layers layer-normalized when {@code layerNorm} (the reference's {@code LnMlpPolicy}). */
    public static MlpWithHead glorot(String scope, int in, List<Integer> layers, Activation activation, boolean layerNorm, String head, int outputs,
            Activation outputActivation, SplittableRandom random) {
        List<Dense> hidden = Dense.mlp(scope, in, layers, activation, layerNorm, random);
        int width = layers.isEmpty() ? in : layers.get(layers.size() - 1);
        return new MlpWithHead(hidden, Dense.glorot(scope + "/" + head, width, outputs, outputActivation, random));
    }

    public Tensor forward(Tape t, Tensor x) {
        return head.forward(t, Dense.forward(t, hidden, x));
    }

    /** {@link Dense#apply(double[])} through the network: one row in double precision. */
    public double[] apply(double[] x) {
        return head.apply(Dense.apply(hidden, x));
    }

    /** The kernels and biases (and layer norms), layer by layer. */
    public List<Variable> variables() {
        List<Variable> out = new ArrayList<>(Dense.variables(hidden));
        out.add(head.kernel());
        out.add(head.bias());
        return out;
    }

    /** The same network as a constant: gradients flow through it to its input, none into it ({@link Variable#frozenView}). */
    public MlpWithHead frozenView() {
        return new MlpWithHead(hidden.stream().map(Dense::frozenView).toList(), head.frozenView());
    }
}
