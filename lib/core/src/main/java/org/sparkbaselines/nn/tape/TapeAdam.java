package org.sparkbaselines.nn.tape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.nn.AdamConfig;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.jvm.FlatKernels;

/**
 * TensorFlow's Adam ({@link AdamConfig}) over one group of {@link Variable}s, as the JVM backend's Adam
 * does it (the same kernel): {@code lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)},
 * {@code w -= lr_t m / (sqrt(v) + epsilon)}, after global-norm clipping over the group. An algorithm with
 * several groups (actor and critic, say) keeps one per group. State: {@code adam/m/<variable>},
 * {@code adam/v/<variable>} and {@code adam/step}, as the JVM backend names it. Nothing is allocated per step.
 */
public final class TapeAdam implements Optimizer {
    private static final String STEP = "adam/step";
    private final List<Variable> variables;
    private final AdamConfig config;
    private final float[][] m;
    private final float[][] v;
    private long step;

    public TapeAdam(List<Variable> variables, AdamConfig config) {
        this.variables = List.copyOf(variables);
        this.config = config;
        this.m = new float[this.variables.size()][];
        this.v = new float[this.variables.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[this.variables.get(i).value.length];
            v[i] = new float[this.variables.get(i).value.length];
        }
    }

    @Override
    public double step(double learningRate, double maxGradNorm) {
        double sumOfSquares = 0;
        for (Variable variable : variables) {
            for (float g : variable.grad) {
                sumOfSquares += (double) g * g;
            }
        }
        double norm = Math.sqrt(sumOfSquares);
        float scale = (float) Optimizer.clipScale(norm, maxGradNorm);
        step++;
        float rate = (float) (learningRate * Math.sqrt(1 - Math.pow(config.beta2(), step)) / (1 - Math.pow(config.beta1(), step)));
        for (int i = 0; i < m.length; i++) {
            Variable variable = variables.get(i);
            FlatKernels.adamUpdate(variable.value, variable.grad, m[i], v[i], variable.value.length, scale, (float) (1 - config.beta1()),
                    (float) (1 - config.beta2()), rate, (float) config.epsilon());
        }
        return norm;
    }

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> state = new LinkedHashMap<>();
        for (int i = 0; i < m.length; i++) {
            state.put("adam/m/" + variables.get(i).name(), m[i].clone());
            state.put("adam/v/" + variables.get(i).name(), v[i].clone());
        }
        state.put(STEP, new float[] {step});
        return state;
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        float[] savedStep = state.get(STEP);
        if (savedStep == null || savedStep.length != 1 || !(savedStep[0] >= 0)) {
            throw new IllegalArgumentException("optimizer state '" + STEP + "' needs one non-negative value");
        }
        for (int i = 0; i < m.length; i++) {
            copy(state, "adam/m/" + variables.get(i).name(), m[i]);
            copy(state, "adam/v/" + variables.get(i).name(), v[i]);
        }
        step = (long) savedStep[0];
    }

    private static void copy(Map<String, float[]> state, String name, float[] into) {
        float[] saved = state.get(name);
        if (saved == null || saved.length != into.length) {
            throw new IllegalArgumentException("optimizer state '" + name + "' " + (saved == null ? "is missing" : "has " + saved.length
                    + " values, the variable " + into.length));
        }
        System.arraycopy(saved, 0, into, 0, into.length);
    }
}
