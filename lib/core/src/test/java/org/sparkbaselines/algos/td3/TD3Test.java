package org.sparkbaselines.algos.td3;

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
import org.sparkbaselines.vec.VecEnvs;

class TD3Test {
    private static final Map<String, Object> SMALL = Map.of("learning_starts", 50, "train_freq", 10, "gradient_steps", 10, "batch_size", 16);

    private static TD3 td3(Map<String, Object> hyper, long seed) {
        return new TD3("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, seed), TD3.Config.DEFAULT.with(hyper),
                AlgorithmOptions.DEFAULT.withSeed(seed).withPolicyKwargs(Map.of("layers", List.of(16, 16))));
    }

    private static float value(MlpWithHead net, float[] input) {
        Tape t = new Tape();
        return net.forward(t, t.constant(input, 1, input.length)).get(0, 0);
    }

    private static float[] actor(TD3Policy.Networks nets, float[] obs) {
        Tape t = new Tape();
        return new float[] {nets.actor().forward(t, t.constant(obs, 1, obs.length)).get(0, 0)};
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Without smoothing noise: y = r + gamma (1 - done) min(Q1', Q2')(s', pi'(s')), L = (Q1(s, a) - y)^2 + (Q2(s, a) - y)^2. */
    @Test
    void theCriticLossIsTheTwinTargetsSquaredError() {
        TD3 model = td3(Map.of("target_policy_noise", 0.0, "gamma", 0.9, "batch_size", 1), 2L);
        TD3Policy policy = model.policy();
        policy.target.variables().forEach(v -> v.values()[0] += 0.3f);
        float[] s = {0.5f, -0.2f, 0.7f};
        float[] a = {0.25f};
        float[] next = {0.4f, 0.1f, -0.3f};
        TD3.CriticStep step = new TD3.CriticStep(policy, model.config());
        System.arraycopy(s, 0, step.batch.observations, 0, 3);
        System.arraycopy(next, 0, step.batch.nextObservations, 0, 3);
        step.batch.actions[0] = a[0];
        step.batch.rewards[0] = -1.5f;
        step.batch.dones[0] = 0;
        step.drawTargetNoise(new java.util.SplittableRandom(0));
        step.forward();
        float[] nextAction = actor(policy.target, next);
        nextAction[0] = Math.max(-1, Math.min(1, nextAction[0]));
        double y = -1.5 + 0.9 * Math.min(value(policy.target.qf1(), concat(next, nextAction)), value(policy.target.qf2(), concat(next, nextAction)));
        double expected = Math.pow(value(policy.online.qf1(), concat(s, a)) - y, 2) + Math.pow(value(policy.online.qf2(), concat(s, a)) - y, 2);
        assertEquals(expected, step.loss, 1e-5 * Math.max(1, expected));
    }

    @Test
    void learnsThenSavesLoadsAndPredictsTheSame(@TempDir Path dir) throws Exception {
        TD3 model = td3(SMALL, 1L);
        model.learn(300);
        Path file = model.save(dir.resolve("td3"));
        TD3 loaded = (TD3) Algorithms.loadAny(file, null);
        float[][] obs = {{0.5f, -0.2f, 0.7f}, {-1f, 0f, 3f}};
        assertArrayEquals(model.predict(obs, true), loaded.predict(obs, true));
        assertEquals(model.config(), loaded.config());
    }

    @Test
    void trainingResumesWithItsReplayBufferWhereItStopped(@TempDir Path dir) throws Exception {
        OffPolicyChecks.assertResumesWhereItStopped(() -> td3(SMALL, 2L), "Pendulum-v1", 200, 100, dir);
    }

    @Test
    void refusesWhatItCannotTrainWithAMessage() {
        IllegalArgumentException discrete = assertThrows(IllegalArgumentException.class, () -> new TD3("MlpPolicy", "CartPole-v1"));
        assertTrue(discrete.getMessage().contains("Box action space"), discrete.getMessage());
        IllegalArgumentException envs = assertThrows(IllegalArgumentException.class,
                () -> new TD3("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 2, 0L)));
        assertTrue(envs.getMessage().contains("single env"), envs.getMessage());
        IllegalArgumentException delay = assertThrows(IllegalArgumentException.class, () -> td3(Map.of("policy_delay", 0), 0L));
        assertTrue(delay.getMessage().contains("policy_delay"), delay.getMessage());
        IllegalArgumentException policy = assertThrows(IllegalArgumentException.class,
                () -> new TD3("CnnPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, 0L)));
        assertTrue(policy.getMessage().contains("unknown policy 'CnnPolicy'") && policy.getMessage().contains("LnMlpPolicy"), policy.getMessage());
    }

    @Test
    void parametersAreNamedAsTheReferenceNamesThem() {
        List<String> names = td3(Map.of(), 0L).getParameterList();
        assertEquals("model/pi/fc0/kernel:0", names.get(0));
        assertEquals("model/pi/dense/bias:0", names.get(5));
        assertEquals("model/values_fn/qf1/fc0/kernel:0", names.get(6));
        assertEquals("model/values_fn/qf2/qf2/bias:0", names.get(17));
        assertEquals("target/pi/fc0/kernel:0", names.get(18));
        assertEquals(36, names.size());
    }
}
