package org.sparkbaselines.policies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sparkbaselines.distributions.DifferentiableDistribution;
import org.sparkbaselines.nn.Trainable;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.nn.tape.Variable;

/**
 * An {@link ActorCriticPolicy}'s networks on a {@link Tape} ({@link ActorCriticOnTape}), for checking expressions on
 * the engine against the hand-derived gradients.
 */
public final class PolicyOnTape {
    private final ActorCriticOnTape onTape;
    private final Map<String, Variable> variables = new LinkedHashMap<>();
    public final DifferentiableDistribution distribution;

    public PolicyOnTape(ActorCriticPolicy policy) {
        this.onTape = new ActorCriticOnTape(policy);
        this.distribution = onTape.distribution();
        onTape.variables().forEach(v -> variables.put(v.name(), v));
    }

    /** The variables, in the policy's parameter order. */
    public List<Variable> variables() {
        return onTape.variables();
    }

    public ActorCriticOnTape.Outputs forward(Tape tape, Tensor observations) {
        return onTape.forward(tape, observations);
    }

    /** A batch of observations uniform on {@code [-2, 2)}. */
    public static float[][] observations(SplittableRandom random, int rows, int cols) {
        float[][] out = new float[rows][cols];
        for (float[] row : out) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) random.nextDouble(-2, 2);
            }
        }
        return out;
    }

    /**
     * Asserts that the gradients accumulated here equal the policy's hand-derived ones: for each parameter,
     * {@code |g_tape - g_policy| <= relative * |g_policy|} (Euclidean norms).
     */
    public void assertSameGradients(ActorCriticPolicy policy, double relative) {
        Map<String, float[]> expected = new LinkedHashMap<>();
        for (Trainable t : policy.trainables()) {
            expected.putAll(t.getGradients());
        }
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
            float[] tape = variables.get(e.getKey()).gradient();
            double difference = 0;
            double norm = 0;
            for (int i = 0; i < e.getValue().length; i++) {
                difference += Math.pow(tape[i] - (double) e.getValue()[i], 2);
                norm += Math.pow(e.getValue()[i], 2);
            }
            double error = Math.sqrt(difference / Math.max(norm, 1e-30));
            assertTrue(norm > 0 && error <= relative, e.getKey() + ": relative difference " + error + " (|g| = " + Math.sqrt(norm) + ")");
        }
    }

    /**
     * Asserts that these variables followed the policy's parameters from {@code initial}: they differ by float noise
     * only, {@code |theta_tape - theta_hand| <= 1e-4 |theta_hand - theta_0|} (float noise measures about 1e-6).
     */
    public void assertFollows(ActorCriticPolicy policy, Map<String, float[]> initial, String when) {
        Map<String, float[]> hand = new LinkedHashMap<>();
        for (Trainable trainable : policy.trainables()) {
            hand.putAll(trainable.getParameters());
        }
        double difference = 0;
        double moved = 0;
        for (Variable v : variables.values()) {
            float[] h = hand.get(v.name());
            float[] start = initial.get(v.name());
            for (int e = 0; e < h.length; e++) {
                difference += Math.pow(v.values()[e] - (double) h[e], 2);
                moved += Math.pow(h[e] - (double) start[e], 2);
            }
        }
        assertTrue(moved > 0 && Math.sqrt(difference) <= 1e-4 * Math.sqrt(moved),
                when + ": the engine's parameters are " + Math.sqrt(difference) + " from the hand-derived ones, which moved " + Math.sqrt(moved));
    }
}
