package org.sparkbaselines.algos.sac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.OffPolicyChecks;
import org.sparkbaselines.nn.tape.MlpWithHead;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.vec.VecEnvs;

class SACTest {
    private static final Map<String, Object> SMALL = Map.of("learning_starts", 50, "batch_size", 16);

    private static SAC sac(Map<String, Object> hyper, long seed) {
        return new SAC("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, seed), SAC.Config.DEFAULT.with(hyper),
                AlgorithmOptions.DEFAULT.withSeed(seed).withPolicyKwargs(Map.of("layers", List.of(16, 16))));
    }

    private static double value(MlpWithHead net, float... input) {
        Tape t = new Tape();
        return net.forward(t, t.constant(input, 1, input.length)).get(0, 0);
    }

    /**
     * On one transition with noise eps: u = mu + std eps, a~ = tanh(u), log pi = N(u; mu, std) - log(1 - a~^2 + 1e-6);
     * L_pi = alpha log pi - Q1(s, a~), L_V = 0.5 ((Q1(s, a) - y_Q)^2 + (Q2(s, a) - y_Q)^2 + (V(s) - y_V)^2) with
     * y_Q = r + gamma V_targ(s') and y_V = min(Q1, Q2)(s, a~) - alpha log pi.
     */
    @Test
    void theLossesAreTheReferencesOnAHandComputedTransition() {
        SAC model = sac(Map.of("ent_coef", "0.3", "gamma", 0.9, "batch_size", 1), 2L);
        SACPolicy policy = model.policy();
        policy.vfTarget.variables().forEach(v -> v.values()[0] += 0.2f);
        float[] s = {0.5f, -0.2f, 0.7f};
        float[] next = {0.4f, 0.1f, -0.3f};
        SAC.Step step = new SAC.Step(policy, model.config());
        System.arraycopy(s, 0, step.batch.observations, 0, 3);
        System.arraycopy(next, 0, step.batch.nextObservations, 0, 3);
        step.batch.actions[0] = 0.25f;
        step.batch.rewards[0] = -1.5f;
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        step.drawNoise(random);
        double eps = new java.util.SplittableRandom(7).nextGaussian();
        float alpha = 0.3f;
        double meanLogProb = step.run(alpha);

        Tape t = new Tape();
        Tensor[] meanAndLogStd = policy.actor.forward(t, t.constant(s, 1, 3));
        double mu = meanAndLogStd[0].get(0, 0);
        double logStd = meanAndLogStd[1].get(0, 0);
        double std = Math.exp(logStd);
        double u = mu + std * (float) eps;
        double action = Math.tanh(u);
        double z = (u - mu) / (std + 1e-6);
        double logProb = -0.5 * (z * z + 2 * logStd + Math.log(2 * Math.PI)) - Math.log(1 - action * action + 1e-6);
        assertEquals(logProb, meanLogProb, 1e-4);
        float a = (float) action;
        assertEquals(alpha * logProb - value(policy.qf1, 0.5f, -0.2f, 0.7f, a), step.policyLoss, 1e-4);
        double yQ = -1.5 + 0.9 * value(policy.vfTarget, next);
        double yV = Math.min(value(policy.qf1, 0.5f, -0.2f, 0.7f, a), value(policy.qf2, 0.5f, -0.2f, 0.7f, a)) - alpha * logProb;
        double expected = 0.5 * (Math.pow(value(policy.qf1, 0.5f, -0.2f, 0.7f, 0.25f) - yQ, 2) + Math.pow(value(policy.qf2, 0.5f, -0.2f, 0.7f, 0.25f) - yQ, 2)
                + Math.pow(value(policy.vf, s) - yV, 2));
        assertEquals(expected, step.valueLoss, 1e-4 * Math.max(1, expected));
    }

    /** A learned coefficient falls while the policy's entropy is above the target, and rises while it is below. */
    @Test
    void aLearnedEntropyCoefficientFollowsTheTargetEntropy() {
        for (String target : new String[] {"-10", "10"}) {
            SAC model = sac(Map.of("target_entropy", target, "learning_starts", 20, "batch_size", 8), 3L);
            model.learn(60);
            float logAlpha = model.policy().logEntCoef.values()[0];
            assertTrue(target.equals("-10") ? logAlpha < 0 : logAlpha > 0, "target entropy " + target + ": log alpha " + logAlpha);
        }
    }

    @Test
    void aFixedCoefficientStaysPut() {
        SAC model = sac(Map.of("ent_coef", 0.2, "learning_starts", 20, "batch_size", 8), 3L);
        model.learn(60);
        assertEquals(Math.log(0.2), model.policy().logEntCoef.values()[0], 1e-6);
    }

    @Test
    void learnsThenSavesLoadsAndPredictsTheSame(@TempDir Path dir) throws Exception {
        SAC model = sac(SMALL, 1L);
        model.learn(200);
        Path file = model.save(dir.resolve("sac"));
        SAC loaded = (SAC) Algorithms.loadAny(file, null);
        float[][] obs = {{0.5f, -0.2f, 0.7f}, {-1f, 0f, 3f}};
        assertArrayEquals(model.predict(obs, true), loaded.predict(obs, true));
        model.getParameters().forEach((name, values) -> assertArrayEquals(values, loaded.getParameters().get(name), name));
    }

    @Test
    void trainingResumesWithItsReplayBufferWhereItStopped(@TempDir Path dir) throws Exception {
        OffPolicyChecks.assertResumesWhereItStopped(() -> sac(SMALL, 2L), "Pendulum-v1", 150, 80, dir);
    }

    @Test
    void refusesWhatItCannotTrainWithAMessage() {
        IllegalArgumentException discrete = assertThrows(IllegalArgumentException.class, () -> new SAC("MlpPolicy", "CartPole-v1"));
        assertTrue(discrete.getMessage().contains("Box action space"), discrete.getMessage());
        IllegalArgumentException entCoef = assertThrows(IllegalArgumentException.class, () -> sac(Map.of("ent_coef", "automatic"), 0L));
        assertTrue(entCoef.getMessage().contains("'automatic'"), entCoef.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> sac(Map.of("ent_coef", -0.1), 0L));
        assertTrue(negative.getMessage().contains("ent_coef"), negative.getMessage());
        IllegalArgumentException entropy = assertThrows(IllegalArgumentException.class, () -> sac(Map.of("target_entropy", "high"), 0L));
        assertTrue(entropy.getMessage().contains("target_entropy"), entropy.getMessage());
    }
}
