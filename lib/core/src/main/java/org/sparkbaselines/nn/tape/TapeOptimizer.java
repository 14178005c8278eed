package org.sparkbaselines.nn.tape;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.common.PairedWork;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.jvm.FlatKernels;

/**
 * What the tape's optimizers share: one group of {@link Variable}s, TensorFlow's global-norm clipping over
 * the group, per-variable state vectors ("slots") named {@code <optimizer>/<slot>/<variable>} as the JVM
 * backend names them, and no allocation per step. An algorithm with several groups (actor and critic, say)
 * keeps one optimizer per group. On two cores ({@link PairedWork}) the variables of a backward pass's second lane are
 * stepped on the second core, or else a large group's second halves of elements (the update is elementwise).
 */
public abstract sealed class TapeOptimizer implements Optimizer permits TapeAdam, TapeRmsProp {
    final List<Variable> variables;
    private final String name;
    private final String[] slotNames;
    /** Per slot, per variable. */
    final float[][][] slots;
    /**
     * Whether the group is big enough for the hand-off to pay (DQN's gradient step with a [256, 256] network: 413 µs
     * against 437 µs unsplit, medians of 40 alternating rounds).
     */
    private final boolean paired;
    private final Runnable secondHalves = () -> updateHalf(false);
    private final Runnable secondLaneNorms = () -> sumsOfSquares(1);
    private final Runnable secondLaneUpdate = () -> updateLane(1);
    private final double[] sumsOfSquares;
    private float gradientScale;

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
        int floats = 0;
        for (Variable variable : this.variables) {
            floats += variable.value.length;
        }
        this.paired = floats >= PAIRED_MIN_FLOATS;
        this.sumsOfSquares = new double[this.variables.size()];
    }

    private static final int PAIRED_MIN_FLOATS = 16_384;

    /**
     * Clips the group's gradients by their global norm, updates every variable and leaves its gradient zero. Variables
     * whose gradients the last backward pass accumulated on the second core ({@link Tape#backward}'s second lane) are
     * clipped, updated and zeroed there, so that their gradients, values and state stay in that core's cache (read here,
     * each would cross between the cores twice a step); otherwise a large group's second halves go to the second core.
     */
    @Override
    public final double step(double learningRate, double maxGradNorm) {
        boolean byLanes = hasSecondLane();
        // Without a second lane every variable is in the first.
        boolean normsForked = byLanes && PairedWork.fork(secondLaneNorms);
        try {
            sumsOfSquares(0);
        } finally {
            if (byLanes) {
                PairedWork.join(secondLaneNorms, normsForked);
            }
        }
        // In the variables' order, whichever core computed each: the norm does not depend on the lanes.
        double sumOfSquares = 0;
        for (double each : sumsOfSquares) {
            sumOfSquares += each;
        }
        double norm = Math.sqrt(sumOfSquares);
        gradientScale = (float) Optimizer.clipScale(norm, maxGradNorm);
        beginStep(learningRate);
        Runnable second = byLanes ? secondLaneUpdate : secondHalves;
        boolean forked = (byLanes || paired) && PairedWork.fork(second);
        try {
            if (byLanes) {
                updateLane(0);
            } else {
                updateHalf(true);
            }
        } finally {
            PairedWork.join(second, forked);
        }
        return norm;
    }

    private boolean hasSecondLane() {
        for (Variable variable : variables) {
            if (variable.lane == 1) {
                return true;
            }
        }
        return false;
    }

    private void sumsOfSquares(int lane) {
        for (int v = 0; v < variables.size(); v++) {
            Variable variable = variables.get(v);
            if (variable.lane == lane) {
                sumsOfSquares[v] = FlatKernels.sumOfSquares(variable.grad, variable.grad.length);
            }
        }
    }

    /** The variables of one lane, updated and their gradients zeroed. */
    private void updateLane(int lane) {
        for (int v = 0; v < variables.size(); v++) {
            Variable variable = variables.get(v);
            if (variable.lane == lane) {
                update(v, 0, variable.value.length, gradientScale);
                variable.zeroGrad();
            }
        }
    }

    /** Every variable's first or second half of elements, updated and their gradients zeroed. */
    private void updateHalf(boolean first) {
        for (int v = 0; v < variables.size(); v++) {
            float[] grad = variables.get(v).grad;
            int middle = grad.length / 2;
            int from = first ? 0 : middle;
            int to = first ? middle : grad.length;
            update(v, from, to, gradientScale);
            Arrays.fill(grad, from, to, 0f);
        }
    }

    /** Called once per step before the per-variable updates (counters, bias-corrected rates). */
    abstract void beginStep(double learningRate);

    /** Updates elements {@code [from, to)} of variable {@code v} in place from its gradient times {@code gradientScale}. */
    abstract void update(int v, int from, int to, float gradientScale);

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
