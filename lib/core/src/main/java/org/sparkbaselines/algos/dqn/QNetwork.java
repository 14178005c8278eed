package org.sparkbaselines.algos.dqn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.Initializers;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.nn.tape.Variables;

/**
 * The reference's deepq {@code FeedForwardPolicy} network, {@code Q(s, .)} over all actions, as an expression on the
 * engine's {@link Tape}: an "action_value" stream of dense layers, each optionally layer-normalized (the reference's
 * {@code tf.contrib} layer norm, epsilon 1e-12) before its activation, ending in one score per action; with
 * {@code dueling}, a "state_value" stream of the same layers ending in {@code V(s)}, and
 * {@code Q = V + A - mean(A)} (Wang et al. 2016). Weights start Xavier-uniform and biases at zero, as
 * {@code tf.contrib.layers.fully_connected}; variables are named as the reference names them under {@code scope},
 * e.g. {@code deepq/model/action_value/fully_connected/weights:0}, so its agents load by name.
 */
final class QNetwork {
    private static final float LAYER_NORM_EPSILON = 1e-12f;

    private final QPolicySpec spec;
    private final Stream advantage;
    private final Stream value;

    /** @param scope the variable scope, e.g. {@code deepq/model} or the target's {@code deepq/target_q_func/model} */
    QNetwork(QPolicySpec spec, int inputDim, int nActions, String scope, SplittableRandom random) {
        this.spec = spec;
        this.advantage = new Stream(scope + "/action_value", inputDim, nActions, random);
        this.value = spec.dueling() ? new Stream(scope + "/state_value", inputDim, 1, random) : null;
    }

    private QNetwork(QPolicySpec spec, Stream advantage, Stream value) {
        this.spec = spec;
        this.advantage = advantage;
        this.value = value;
    }

    /** {@code Q(s, .)}: one row of action values per input row. */
    Tensor forward(Tape t, Tensor input) {
        Tensor scores = advantage.forward(t, input);
        if (value == null) {
            return scores;
        }
        Tensor centered = t.subtract(scores, t.scale(t.sumFeatures(scores), 1f / scores.cols()));
        return t.add(value.forward(t, input), centered);
    }

    /** The variables in the reference's creation order: the action-value stream, then the state-value stream. */
    List<Variable> variables() {
        List<Variable> out = new ArrayList<>(advantage.variables);
        if (value != null) {
            out.addAll(value.variables);
        }
        return out;
    }

    /** What a variable is for, which decides its initial value. */
    enum Role {
        WEIGHTS, BIAS, LAYER_NORM_SHIFT, LAYER_NORM_GAIN
    }

    /** Receives a network's variables in creation order, without anything being allocated. */
    @FunctionalInterface
    interface LayoutVisitor {
        void variable(String name, int rows, int cols, Role role);
    }

    /** Walks the variables a network of {@code spec} has, in the reference's creation order. */
    static void layout(QPolicySpec spec, int inputDim, int nActions, String scope, LayoutVisitor visitor) {
        streamLayout(spec, inputDim, nActions, scope + "/action_value", visitor);
        if (spec.dueling()) {
            streamLayout(spec, inputDim, 1, scope + "/state_value", visitor);
        }
    }

    private static void streamLayout(QPolicySpec spec, int inputDim, int outputs, String scope, LayoutVisitor visitor) {
        int in = inputDim;
        List<Integer> layers = spec.layers();
        for (int i = 0; i <= layers.size(); i++) {
            int units = i < layers.size() ? layers.get(i) : outputs;
            String dense = scope + "/" + indexed("fully_connected", i);
            visitor.variable(dense + "/weights:0", in, units, Role.WEIGHTS);
            visitor.variable(dense + "/biases:0", 1, units, Role.BIAS);
            if (spec.layerNorm() && i < layers.size()) {
                visitor.variable(scope + "/" + indexed("LayerNorm", i) + "/beta:0", 1, units, Role.LAYER_NORM_SHIFT);
                visitor.variable(scope + "/" + indexed("LayerNorm", i) + "/gamma:0", 1, units, Role.LAYER_NORM_GAIN);
            }
            in = units;
        }
    }

    /** One stream's variables in creation order: per hidden layer weights, biases (and shift, gain), then the output layer's two. */
    private final class Stream {
        private final List<Variable> variables;

        Stream(List<Variable> variables) {
            this.variables = variables;
        }

        Stream(String scope, int inputDim, int outputs, SplittableRandom random) {
            this.variables = new ArrayList<>();
            streamLayout(spec, inputDim, outputs, scope, (name, rows, cols, role) -> variables.add(switch (role) {
                case WEIGHTS -> weights(name, rows, cols, random);
                case BIAS, LAYER_NORM_SHIFT -> Variable.vector(name, cols);
                case LAYER_NORM_GAIN -> ones(Variable.vector(name, cols));
            }));
        }

        Tensor forward(Tape t, Tensor input) {
            Tensor x = input;
            int perLayer = spec.layerNorm() ? 4 : 2;
            int v = 0;
            for (int i = 0; i < spec.layers().size(); i++, v += perLayer) {
                if (spec.layerNorm()) {
                    Tensor normalized = t.layerNorm(t.dense(x, variables.get(v), variables.get(v + 1), Activation.LINEAR), variables.get(v + 3),
                            variables.get(v + 2), LAYER_NORM_EPSILON);
                    x = t.activate(normalized, spec.actFun());
                } else {
                    x = t.dense(x, variables.get(v), variables.get(v + 1), spec.actFun());
                }
            }
            return t.dense(x, variables.get(v), variables.get(v + 1), Activation.LINEAR);
        }
    }

    /** TensorFlow's unique scope names: {@code name}, {@code name_1}, {@code name_2}, ... */
    private static String indexed(String name, int i) {
        return i == 0 ? name : name + "_" + i;
    }

    private static Variable ones(Variable v) {
        java.util.Arrays.fill(v.values(), 1f);
        return v;
    }

    private static Variable weights(String name, int in, int out, SplittableRandom random) {
        Variable w = new Variable(name, in, out);
        System.arraycopy(Initializers.glorotUniform(in, out, random), 0, w.values(), 0, in * out);
        return w;
    }
}
