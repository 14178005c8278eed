package org.sparkbaselines.nn.tape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.nn.jvm.FlatKernels;

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

    /**
     * Scales each variable's gradient down to norm {@code maxNorm} where it is longer: TensorFlow's {@code clip_by_norm}
     * applied variable by variable, as the reference's DQN clips (not by the global norm).
     */
    public static void clipEachByNorm(List<Variable> variables, double maxNorm) {
        for (Variable v : variables) {
            double norm = Math.sqrt(FlatKernels.sumOfSquares(v.grad, v.grad.length));
            if (norm > maxNorm) {
                FlatKernels.scale(v.grad, v.grad.length, (float) (maxNorm / norm));
            }
        }
    }

    /** Copies of the values by name, in order. */
    public static LinkedHashMap<String, float[]> values(List<Variable> variables) {
        LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
        for (Variable v : variables) {
            out.put(v.name(), v.value.clone());
        }
        return out;
    }

    /** The shapes model files give them ({@link Variable#shape()}) by name, in order. */
    public static LinkedHashMap<String, int[]> shapes(List<Variable> variables) {
        LinkedHashMap<String, int[]> out = new LinkedHashMap<>();
        for (Variable v : variables) {
            out.put(v.name(), v.shape());
        }
        return out;
    }

    /** Overwrites the named values; names not given keep theirs. A name or size it does not have is an error naming it. */
    public static void assign(List<Variable> variables, Map<String, float[]> values) {
        Map<String, Variable> byName = new LinkedHashMap<>();
        variables.forEach(v -> byName.put(v.name(), v));
        values.forEach((name, value) -> {
            Variable v = byName.get(name);
            if (v == null) {
                throw new IllegalArgumentException("unknown parameter '" + name + "'; the network has " + byName.keySet());
            }
            if (value.length != v.value.length) {
                throw new IllegalArgumentException(name + ": " + value.length + " values for " + v.rows() + " x " + v.cols());
            }
            System.arraycopy(value, 0, v.value, 0, value.length);
        });
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

    /** The number of values in {@code variables}: the length of their flat vector. */
    public static int size(List<Variable> variables) {
        int n = 0;
        for (Variable v : variables) {
            n += v.value.length;
        }
        return n;
    }

    /** The values laid end to end, in order, into {@code out} (the reference's {@code GetFlat}). */
    public static void flatValues(List<Variable> variables, double[] out) {
        flatten(variables, false, out);
    }

    /** The gradients laid end to end, in order, into {@code out} (the reference's {@code flatgrad}). */
    public static void flatGradients(List<Variable> variables, double[] out) {
        flatten(variables, true, out);
    }

    /** Sets the values from a flat vector (the reference's {@code SetFromFlat}). */
    public static void setFlatValues(List<Variable> variables, double[] flat) {
        unflatten(variables, flat, false);
    }

    /** Sets the tangents, the direction of the next {@link Tape#jvp()}, from a flat vector. */
    public static void setFlatTangents(List<Variable> variables, double[] flat) {
        unflatten(variables, flat, true);
    }

    private static void flatten(List<Variable> variables, boolean gradients, double[] out) {
        int i = 0;
        for (Variable v : variables) {
            float[] from = gradients ? v.grad : v.value;
            for (float x : from) {
                out[i++] = x;
            }
        }
    }

    private static void unflatten(List<Variable> variables, double[] flat, boolean tangents) {
        int i = 0;
        for (Variable v : variables) {
            float[] to = tangents ? v.tangent : v.value;
            for (int e = 0; e < to.length; e++) {
                to[e] = (float) flat[i++];
            }
        }
    }
}
