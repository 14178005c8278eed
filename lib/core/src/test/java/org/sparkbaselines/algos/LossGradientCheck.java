package org.sparkbaselines.algos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.nn.Trainable;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.NetArch;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.spaces.Space;

/**
 * Compares a policy's back-propagated loss gradients with central finite differences of the loss,
 * parameter by parameter, on a tiny net with a shared layer (so every path of the policy is checked).
 */
public final class LossGradientCheck {
    private LossGradientCheck() {
    }

    /** A tiny policy: obs -> shared [5] -> pi [4] / vf [4], JVM backend. */
    public static ActorCriticPolicy tinyPolicy(Space obs, Space act) {
        return new ActorCriticPolicy(obs, act, new PolicyKwargs(new NetArch(List.of(5), List.of(4), List.of(4)), Activation.TANH, "jvm"), 7);
    }

    /**
     * @param loss evaluates the policy and the loss, filling the per-sample derivatives the given backward uses
     * @param backward runs {@code policy.backward} with those derivatives
     */
    public static void check(ActorCriticPolicy policy, DoubleSupplier loss, Runnable backward) {
        loss.getAsDouble();
        policy.zeroGrad();
        backward.run();
        Map<String, float[]> analytic = new HashMap<>();
        for (Trainable t : policy.trainables()) {
            analytic.putAll(t.getGradients());
        }
        LinkedHashMap<String, float[]> params = policy.getParameters();
        double h = 2e-3;
        int checked = 0;
        double dot = 0;
        double normA = 0;
        double normF = 0;
        for (Map.Entry<String, float[]> e : params.entrySet()) {
            float[] base = e.getValue();
            for (int i = 0; i < base.length; i++) {
                float[] plus = base.clone();
                plus[i] += (float) h;
                policy.setParameters(Map.of(e.getKey(), plus), false);
                double lp = loss.getAsDouble();
                float[] minus = base.clone();
                minus[i] -= (float) h;
                policy.setParameters(Map.of(e.getKey(), minus), false);
                double lm = loss.getAsDouble();
                policy.setParameters(Map.of(e.getKey(), base), false);
                double fd = (lp - lm) / (plus[i] - minus[i]);
                double an = analytic.get(e.getKey())[i];
                assertEquals(fd, an, 2e-3 + 2e-2 * Math.abs(fd), e.getKey() + "[" + i + "]");
                dot += fd * an;
                normA += an * an;
                normF += fd * fd;
                checked++;
            }
        }
        assertTrue(checked > 50, "checked " + checked + " parameters");
        assertTrue(normF > 1e-6, "the loss must depend on the parameters");
        assertTrue(dot / Math.sqrt(normA * normF) > 0.9999, "gradient direction: cosine " + dot / Math.sqrt(normA * normF));
    }
}
