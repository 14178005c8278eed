package org.sparkbaselines.nn.tape;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.jvm.FlatKernels;

/**
 * What the tape's optimizers share: one group of {@link Variable}s, TensorFlow's global-norm clipping over
 * the group, per-variable state vectors ("slots") named {@code <optimizer>/<slot>/<variable>} as the JVM
 * backend names them, and no allocation per step. An algorithm with several groups (actor and critic, say)
 * keeps one optimizer per group.
 */
public abstract sealed class TapeOptimizer implements Optimizer permits TapeAdam, TapeRmsProp {
    final List<Variable> variables;
    private final String name;
    private final String[] slotNames;
    /** Per slot, per variable. */
    final float[][][] slots;

    TapeOptimizer(String name, List<Variable> variables, String[] slotNames, float[] initialValues) {
        this.name = name;
        this.variables = List.copyOf(variables);
        this.slotNames = slotNames.clone();
        this.slots = new float[slotNames.length][this.variables.size()][];
        for (int s = 0; s < slotNames.length; s++) {
            for (int v = 0; v < this.variables.size(); v++) {
                slots[s][v] = new float[this.variables.get(v).value.length];
                Arrays.fill(slots[s][v], initialValues[s]);
            }
        }
    }

    @Override
    public final double step(double learningRate, double maxGradNorm) {
        double sumOfSquares = 0;
        for (Variable variable : variables) {
            sumOfSquares += FlatKernels.sumOfSquares(variable.grad, variable.grad.length);
        }
        double norm = Math.sqrt(sumOfSquares);
        float scale = (float) Optimizer.clipScale(norm, maxGradNorm);
        beginStep(learningRate);
        for (int v = 0; v < variables.size(); v++) {
            update(v, scale);
        }
        return norm;
    }

    /** Called once per step before the per-variable updates (counters, bias-corrected rates). */
    abstract void beginStep(double learningRate);

    /** Updates variable {@code v} in place from its gradient times {@code gradientScale}. */
    abstract void update(int v, float gradientScale);

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> state = new LinkedHashMap<>();
        for (int s = 0; s < slotNames.length; s++) {
            for (int v = 0; v < variables.size(); v++) {
                state.put(slotName(s, v), slots[s][v].clone());
            }
        }
        return state;
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        for (int s = 0; s < slotNames.length; s++) {
            for (int v = 0; v < variables.size(); v++) {
                float[] saved = state.get(slotName(s, v));
                if (saved == null || saved.length != slots[s][v].length) {
                    throw new IllegalArgumentException("optimizer state '" + slotName(s, v) + "' " + (saved == null ? "is missing"
                            : "has " + saved.length + " values, the variable " + slots[s][v].length));
                }
                System.arraycopy(saved, 0, slots[s][v], 0, saved.length);
            }
        }
    }

    private String slotName(int s, int v) {
        return name + "/" + slotNames[s] + "/" + variables.get(v).name();
    }
}
