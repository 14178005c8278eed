package org.sparkbaselines.distributions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;
import org.sparkbaselines.spaces.Space;

/**
 * The Fisher-vector product from one forward-mode and one reverse pass equals the explicit Fisher matrix
 * times the vector on a tiny net, the Fisher built independently: as the Hessian of the mean
 * {@code KL(p_old || p_theta)} at {@code theta_old}, by central differences of the KL's gradient.
 */
class FisherVectorProductTest {
    private static final int ROWS = 6;
    private static final int INPUTS = 3;

    /** A tanh layer of 4 units and a linear head, plus a state-independent log std for Box actions. */
    private static final class TinyPolicy {
        final List<Variable> variables = new ArrayList<>();
        final Variable w1 = add(new Variable("w1", INPUTS, 4));
        final Variable b1 = add(new Variable("b1", 1, 4));
        final Variable w2;
        final Variable b2;
        final Variable logStd;

        TinyPolicy(int outputs, boolean gaussian, SplittableRandom random) {
            w2 = add(new Variable("w2", 4, outputs));
            b2 = add(new Variable("b2", 1, outputs));
            logStd = gaussian ? add(new Variable("logstd", 1, outputs)) : null;
            for (Variable v : variables) {
                for (int e = 0; e < v.values().length; e++) {
                    v.values()[e] = (float) random.nextDouble(-0.8, 0.8);
                }
            }
        }

        private Variable add(Variable v) {
            variables.add(v);
            return v;
        }

        Tensor params(Tape tape, Tensor obs) {
            return tape.dense(tape.dense(obs, w1, b1, Activation.TANH), w2, b2, Activation.LINEAR);
        }

        Tensor logStd(Tape tape) {
            return logStd == null ? null : tape.variable(logStd);
        }

        int size() {
            return variables.stream().mapToInt(v -> v.values().length).sum();
        }

        /** Entry {@code k} of the parameters laid end to end. */
        float[] holder(int k, int[] offset) {
            for (Variable v : variables) {
                if (k < v.values().length) {
                    offset[0] = k;
                    return v.values();
                }
                k -= v.values().length;
            }
            throw new IndexOutOfBoundsException(k);
        }

        double[] gradients() {
            double[] out = new double[size()];
            int i = 0;
            for (Variable v : variables) {
                for (float g : v.gradient()) {
                    out[i++] = g;
                }
                v.zeroGrad();
            }
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"box", "discrete", "multidiscrete", "multibinary"})
    void equalsTheExplicitFisherTimesTheVector(String kind) {
        Space space = switch (kind) {
            case "box" -> new Box(-1f, 1f, 2);
            case "discrete" -> new Discrete(3);
            case "multidiscrete" -> new MultiDiscrete(2, 3);
            default -> new MultiBinary(2);
        };
        int outputs = switch (kind) {
            case "box", "multibinary" -> 2;
            case "discrete" -> 3;
            default -> 5;
        };
        SplittableRandom random = new SplittableRandom(kind.hashCode());
        TinyPolicy policy = new TinyPolicy(outputs, kind.equals("box"), random);
        DifferentiableDistribution distribution = DifferentiableDistribution.forActionSpace(space);
        float[] obs = new float[ROWS * INPUTS];
        for (int e = 0; e < obs.length; e++) {
            obs[e] = (float) random.nextDouble(-1.5, 1.5);
        }
        Tape tape = new Tape();
        Tensor oldParams = policy.params(tape, tape.constant(obs, ROWS, INPUTS));
        float[] oldParamValues = oldParams.values().clone();
        float[] oldLogStd = policy.logStd == null ? null : policy.logStd.values().clone();

        int n = policy.size();
        double[][] fisher = new double[n][];
        double h = 1e-2;
        int[] offset = new int[1];
        for (int k = 0; k < n; k++) {
            float[] holder = policy.holder(k, offset);
            float saved = holder[offset[0]];
            holder[offset[0]] = (float) (saved + h);
            double[] up = klGradient(tape, policy, distribution, obs, oldParamValues, oldLogStd, outputs);
            holder[offset[0]] = (float) (saved - h);
            double[] down = klGradient(tape, policy, distribution, obs, oldParamValues, oldLogStd, outputs);
            holder[offset[0]] = saved;
            fisher[k] = new double[n];
            for (int j = 0; j < n; j++) {
                fisher[k][j] = (up[j] - down[j]) / (2 * h);
            }
        }

        double[] v = new double[n];
        int i = 0;
        for (Variable variable : policy.variables) {
            for (int e = 0; e < variable.tangent().length; e++) {
                v[i] = random.nextDouble(-1, 1);
                variable.tangent()[e] = (float) v[i++];
            }
        }
        tape.reset();
        Tensor params = policy.params(tape, tape.constant(obs, ROWS, INPUTS));
        Tensor logStd = policy.logStd(tape);
        tape.jvp();
        tape.backward(distribution.fisherVectorProduct(tape, params, logStd));
        double[] product = policy.gradients();

        double norm = 0;
        for (int k = 0; k < n; k++) {
            double expected = 0;
            for (int j = 0; j < n; j++) {
                expected += fisher[j][k] * v[j];
            }
            norm = Math.max(norm, Math.abs(expected));
            assertEquals(expected, product[k], 2e-3 * (1 + Math.abs(expected)), kind + ": (F v)[" + k + "]");
        }
        assertTrue(norm > 1e-3, "the product is not trivially zero: " + norm);
    }

    /** The gradient of {@code mean(KL(p_old || p_theta))} at the policy's current parameters. */
    private static double[] klGradient(Tape tape, TinyPolicy policy, DifferentiableDistribution distribution, float[] obs, float[] oldParams,
            float[] oldLogStd, int outputs) {
        tape.reset();
        Tensor params = policy.params(tape, tape.constant(obs, ROWS, INPUTS));
        Tensor logStd = policy.logStd(tape);
        Tensor old = tape.constant(oldParams, ROWS, outputs);
        Tensor oldStd = oldLogStd == null ? null : tape.constant(oldLogStd, 1, outputs);
        tape.backward(tape.mean(distribution.kl(tape, old, oldStd, params, logStd)));
        return policy.gradients();
    }
}
