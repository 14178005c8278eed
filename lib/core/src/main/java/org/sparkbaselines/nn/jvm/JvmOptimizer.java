package org.sparkbaselines.nn.jvm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sparkbaselines.common.PairedWork;
import org.sparkbaselines.nn.Optimizer;
import org.sparkbaselines.nn.Trainable;

/**
 * What the JVM backend's optimizers share: the parameters of a fixed list of {@link JvmTrainable}s,
 * per-parameter state vectors ("slots") in the parameters' stored layout, TensorFlow's global-norm
 * clipping folded into the update as a gradient scale, and state named
 * {@code <prefix>/<slot>/<parameter>} in TensorFlow's row-major layout.
 *
 * <p>The update runs in two halves on two cores ({@link PairedWork}) when both are big enough to pay
 * for the hand-off: the parameters are split at the trainable boundary nearest the middle, so the
 * helper updates the networks it ran (a policy's value network) while their gradients, moments and
 * weights are in its cache; updating them from the other core took longer than the update itself.
 */
abstract class JvmOptimizer implements Optimizer {
    /** Fewest floats on either side for a paired step: below this the hand-off costs more than it saves. */
    private static final int PAIRED_MIN_FLOATS = 2048;
    private final String prefix;
    private final String[] slotNames;
    private final JvmTrainable[] trainables;
    final Parameter[] parameters;
    /** {@code slots[k][p]}: slot {@code k} of parameter {@code p}. */
    final float[][][] slots;
    /** Parameters {@code [0, split)} are updated by the caller, {@code [split, n)} by the helper. */
    private final int split;
    /** Both halves are big enough to pay for the hand-off. */
    private final boolean pairable;
    private boolean paired;
    private final Runnable secondHalfUpdate = this::secondHalfUpdate;
    private float gradientScale;

    /**
     * @param prefix state-name prefix, e.g. {@code "adam"}
     * @param slotNames the per-parameter state vectors, e.g. {@code "m", "v"}
     * @param slotInitialValues their starting values (RMSProp's mean square starts at one)
     */
    JvmOptimizer(String prefix, List<? extends Trainable> params, String[] slotNames, float[] slotInitialValues) {
        this.prefix = prefix;
        this.slotNames = slotNames.clone();
        this.trainables = new JvmTrainable[params.size()];
        List<Parameter> all = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int t = 0; t < trainables.length; t++) {
            Trainable trainable = params.get(t);
            if (!(trainable instanceof JvmTrainable jvm)) {
                throw new IllegalArgumentException("the jvm backend's " + prefix + " optimizer cannot update a "
                        + (trainable == null ? "null" : trainable.getClass().getName()) + ": make every network and parameter vector with JvmBackend");
            }
            trainables[t] = jvm;
            for (Parameter p : jvm.parameters()) {
                if (!names.add(p.name)) {
                    throw new IllegalArgumentException("parameter '" + p.name + "' appears twice in the " + prefix + " optimizer's list");
                }
                all.add(p);
            }
        }
        this.parameters = all.toArray(new Parameter[0]);
        this.split = splitIndex(trainables);
        this.pairable = Math.min(floats(0, split), floats(split, parameters.length)) >= PAIRED_MIN_FLOATS;
        this.paired = pairable;
        this.slots = new float[slotNames.length][parameters.length][];
        for (int k = 0; k < slotNames.length; k++) {
            for (int p = 0; p < parameters.length; p++) {
                slots[k][p] = parameters[p].newSlot(slotInitialValues[k]);
            }
        }
    }

    @Override
    public final double step(double learningRate, double maxGradNorm) {
        double norm = Math.sqrt(sumOfSquares());
        gradientScale = (float) Optimizer.clipScale(norm, maxGradNorm);
        beginStep(learningRate);
        boolean forked = paired && PairedWork.fork(secondHalfUpdate);
        update(0, split);
        PairedWork.join(secondHalfUpdate, forked);
        for (JvmTrainable trainable : trainables) {
            trainable.parametersUpdated();
        }
        return norm;
    }

    /** With one thread both halves run on the caller. */
    @Override
    public void setThreads(int threads) {
        paired = pairable && threads >= 2;
    }

    private void secondHalfUpdate() {
        update(split, parameters.length);
    }

    private double sumOfSquares() {
        double sum = 0;
        for (Parameter p : parameters) {
            sum += MatrixKernels.sumOfSquares(p.grads);
        }
        return sum;
    }

    private void update(int from, int to) {
        for (int p = from; p < to; p++) {
            update(p, gradientScale);
        }
    }

    private int floats(int from, int to) {
        int n = 0;
        for (int p = from; p < to; p++) {
            n += parameters[p].grads.length;
        }
        return n;
    }

    /** The first parameter of the trainable whose start is nearest half of all floats. */
    private int splitIndex(JvmTrainable[] trainables) {
        int total = floats(0, parameters.length);
        int best = 0;
        int start = 0;
        int bestDistance = Integer.MAX_VALUE;
        int at = 0;
        for (JvmTrainable trainable : trainables) {
            int distance = Math.abs(2 * start - total);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = at;
            }
            for (Parameter p : trainable.parameters()) {
                start += p.grads.length;
                at++;
            }
        }
        return best;
    }

    /** Called once per step before the per-parameter updates (advance counters, bias-corrected rates). */
    abstract void beginStep(double learningRate);

    /** Updates parameter {@code p} in place from its gradient times {@code gradientScale}. */
    abstract void update(int p, float gradientScale);

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> state = new LinkedHashMap<>();
        for (int k = 0; k < slotNames.length; k++) {
            for (int p = 0; p < parameters.length; p++) {
                state.put(stateName(k, p), parameters[p].toRowMajor(slots[k][p]));
            }
        }
        return state;
    }

    /** Restores {@link #state()}; entries this optimizer does not own are ignored, so one map can serve several optimizers. */
    @Override
    public void loadState(Map<String, float[]> state) {
        // Check everything first so a bad map leaves the state untouched.
        for (int k = 0; k < slotNames.length; k++) {
            for (int p = 0; p < parameters.length; p++) {
                parameters[p].checkSize("optimizer state", stateName(k, p), requireEntry(state, stateName(k, p)));
            }
        }
        for (int k = 0; k < slotNames.length; k++) {
            for (int p = 0; p < parameters.length; p++) {
                parameters[p].fromRowMajor(state.get(stateName(k, p)), slots[k][p]);
            }
        }
    }

    /** The entry {@code name} of {@code state}; an error naming it when missing. */
    static float[] requireEntry(Map<String, float[]> state, String name) {
        float[] values = state.get(name);
        if (values == null) {
            throw new IllegalArgumentException("optimizer state has no entry '" + name + "'");
        }
        return values;
    }

    private String stateName(int slot, int p) {
        return prefix + "/" + slotNames[slot] + "/" + parameters[p].name;
    }
}
