package org.sparkbaselines.nn.tape;

import java.util.List;

/**
 * Whole-network operations on lists of {@link Variable}s in matching order (a network and its target copy,
 * say): hard copies and Polyak averaging, in place and without allocation, as off-policy algorithms do
 * after (every) gradient step.
 */
public final class Variables {
    private Variables() {
    }

    /** {@code target = source}, variable by variable. */
    public static void copy(List<Variable> source, List<Variable> target) {
        check(source, target);
        for (int v = 0; v < source.size(); v++) {
            System.arraycopy(source.get(v).value, 0, target.get(v).value, 0, source.get(v).value.length);
        }
    }

    /**
     * {@code target = (1 - tau) target + tau source}, variable by variable: the reference's soft target update
     * ({@code tau} is DDPG's and SAC's {@code tau}, TD3's likewise; 1 is a hard copy).
     */
    public static void polyak(List<Variable> source, List<Variable> target, float tau) {
        if (!(tau >= 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1], got " + tau);
        }
        check(source, target);
        for (int v = 0; v < source.size(); v++) {
            float[] from = source.get(v).value;
            float[] to = target.get(v).value;
            for (int e = 0; e < from.length; e++) {
                to[e] = Math.fma(tau, from[e] - to[e], to[e]);
            }
        }
    }

    /** Sets every variable's gradient to zero. */
    public static void zeroGrad(List<Variable> variables) {
        for (Variable v : variables) {
            v.zeroGrad();
        }
    }

    private static void check(List<Variable> source, List<Variable> target) {
        if (source.size() != target.size()) {
            throw new IllegalArgumentException(source.size() + " source variables for " + target.size() + " targets");
        }
        for (int v = 0; v < source.size(); v++) {
            Variable from = source.get(v);
            Variable to = target.get(v);
            if (from.rows() != to.rows() || from.cols() != to.cols()) {
                throw new IllegalArgumentException(from.name() + " (" + from.rows() + " x " + from.cols() + ") does not fit " + to.name() + " ("
                        + to.rows() + " x " + to.cols() + ")");
            }
        }
    }
}
