package org.sparkbaselines.algos.dqn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.OffPolicyChecks;
import org.sparkbaselines.buffers.ReplayBatch;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.nn.tape.Tensor;
import org.sparkbaselines.vec.VecEnvs;

class DQNTest {
    private static final Map<String, Object> SMALL = Map.of("learning_starts", 100, "buffer_size", 1000, "batch_size", 8,
            "target_network_update_freq", 50);
    private static final float[] S = {0.01f, -0.02f, 0.03f, 0.04f};
    private static final float[] NEXT = {0.05f, 0.1f, -0.02f, -0.1f};

    private static DQN dqn(Map<String, Object> hyper, Map<String, Object> policyKwargs, long seed) {
        return new DQN("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, seed), DQN.Config.DEFAULT.with(hyper),
                AlgorithmOptions.DEFAULT.withSeed(seed).withPolicyKwargs(policyKwargs));
    }

    /** Fills every row of the model's minibatch with the transition {@code (S, action, reward, NEXT, terminated)}. */
    private static void fill(DQN model, int action, float reward, boolean terminated) {
        ReplayBatch batch = model.tdLoss().batch;
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(S, 0, batch.observations, 4 * i, 4);
            System.arraycopy(NEXT, 0, batch.nextObservations, 4 * i, 4);
            batch.actions[i] = action;
            batch.rewards[i] = reward;
            batch.dones[i] = terminated ? 1 : 0;
            batch.weights[i] = 1;
        }
    }

    private static double huber(double x) {
        return Math.abs(x) < 1 ? 0.5 * x * x : Math.abs(x) - 0.5;
    }

    /** Perturbs the target network so that it differs from the online one (as between two target updates). */
    private static void offsetTarget(DQNPolicy policy) {
        policy.targetVariables().forEach(v -> {
            float[] values = v.values();
            for (int i = 0; i < values.length; i++) {
                values[i] += 0.05f * (float) Math.sin(i + 1);
            }
        });
    }

    private static float[] qValues(QNetwork net, DQNPolicy policy, float[] observation) {
        org.sparkbaselines.nn.tape.Tape t = new org.sparkbaselines.nn.tape.Tape();
        Tensor q = net.forward(t, org.sparkbaselines.policies.TapePolicy.input(t, policy.newEncoder(), observation, 1));
        return new float[] {q.get(0, 0), q.get(0, 1)};
    }

    @Test
    void theLossIsTheHuberTdErrorAgainstTheDoubleQTarget() {
        for (boolean doubleQ : new boolean[] {true, false}) {
            for (boolean terminated : new boolean[] {false, true}) {
                DQN model = dqn(Map.of("double_q", doubleQ, "gamma", 0.9, "batch_size", 1), Map.of(), 3L);
                DQNPolicy policy = model.policy();
                offsetTarget(policy);
                float[] q = qValues(policy.qNet, policy, S);
                float[] qNextOnline = qValues(policy.qNet, policy, NEXT);
                float[] qNextTarget = qValues(policy.qNetTarget, policy, NEXT);
                double bootstrap = doubleQ ? qNextTarget[qNextOnline[1] > qNextOnline[0] ? 1 : 0] : Math.max(qNextTarget[0], qNextTarget[1]);
                double target = 2.5 + (terminated ? 0 : 0.9 * bootstrap);
                fill(model, 1, 2.5f, terminated);
                assertEquals(huber(q[1] - target), model.gradientStep(), 1e-5,
                        "double_q=" + doubleQ + ", terminated=" + terminated);
            }
        }
    }

    /**
     * The loss is the minibatch's mean (its targets computed on the second core where there is one): the same transition
     * 64 times, or once, has the same loss, so the same Adam steps, step after step.
     */
    @Test
    void aMinibatchStepsAsTheMeanOfItsRows() {
        DQN many = dqn(Map.of("batch_size", 64), Map.of("layers", List.of(256, 256)), 6L);
        DQN one = dqn(Map.of("batch_size", 1), Map.of("layers", List.of(256, 256)), 6L);
        for (int step = 0; step < 3; step++) {
            fill(one, step % 2, 1f, false);
            fill(many, step % 2, 1f, false);
            assertEquals(one.gradientStep(), many.gradientStep(), 1e-6);
        }
        one.getParameters().forEach((name, values) -> assertArrayEquals(values, many.getParameters().get(name), 1e-6f, name));
    }

    @Test
    void aStepChangesOnlyTheOnlineNetwork() {
        DQN model = dqn(Map.of(), Map.of(), 4L);
        Map<String, float[]> before = model.getParameters();
        fill(model, 0, 1f, false);
        model.gradientStep();
        Map<String, float[]> after = model.getParameters();
        before.forEach((name, values) -> {
            boolean changed = !java.util.Arrays.equals(values, after.get(name));
            assertEquals(name.startsWith(DQNPolicy.ONLINE_SCOPE + "/"), changed, name);
        });
    }

    @Test
    void parametersAreNamedAsTheReferenceNamesThem() {
        DQN model = dqn(Map.of(), Map.of("layers", List.of(16), "layer_norm", true), 0L);
        List<String> names = model.getParameterList();
        assertEquals(List.of("deepq/model/action_value/fully_connected/weights:0", "deepq/model/action_value/fully_connected/biases:0",
                "deepq/model/action_value/LayerNorm/beta:0", "deepq/model/action_value/LayerNorm/gamma:0",
                "deepq/model/action_value/fully_connected_1/weights:0", "deepq/model/action_value/fully_connected_1/biases:0",
                "deepq/model/state_value/fully_connected/weights:0", "deepq/model/state_value/fully_connected/biases:0",
                "deepq/model/state_value/LayerNorm/beta:0", "deepq/model/state_value/LayerNorm/gamma:0",
                "deepq/model/state_value/fully_connected_1/weights:0", "deepq/model/state_value/fully_connected_1/biases:0"),
                names.subList(0, 12));
        assertEquals("deepq/target_q_func/model/action_value/fully_connected/weights:0", names.get(12));
        assertEquals(24, names.size());
        assertArrayEquals(new int[] {16}, model.policy().parameterShapes().get("deepq/model/action_value/LayerNorm/gamma:0"));
        assertEquals(DQNPolicy.parameterShapes("MlpPolicy", model.observationSpace(), model.actionSpace(),
                Map.of("layers", List.of(16), "layer_norm", true)).keySet(), model.policy().parameterShapes().keySet());
    }

    @Test
    void learnsThenSavesLoadsAndPredictsTheSame(@TempDir Path dir) throws Exception {
        DQN model = dqn(SMALL, Map.of(), 1L);
        model.learn(600);
        assertEquals(600, model.numTimesteps());
        assertEquals(600, model.replayBuffer().size());
        Path file = model.save(dir.resolve("dqn"));
        DQN loaded = (DQN) Algorithms.loadAny(file, null);
        float[][] obs = {S, NEXT, {0f, 0.5f, -0.1f, 0.2f}};
        assertArrayEquals(model.predict(obs, true), loaded.predict(obs, true));
        assertEquals(model.config(), loaded.config());
        model.getParameters().forEach((name, values) -> assertArrayEquals(values, loaded.getParameters().get(name), name));
    }

    @Test
    void trainingResumesWithItsReplayBufferWhereItStopped(@TempDir Path dir) throws Exception {
        OffPolicyChecks.assertResumesWhereItStopped(() -> dqn(SMALL, Map.of(), 2L), "CartPole-v1", 400, 300, dir);
    }

    @Test
    void aReplayBufferFileThatIsNotOneIsRefusedByName(@TempDir Path dir) throws Exception {
        DQN model = dqn(SMALL, Map.of(), 1L);
        Path garbage = Files.write(dir.resolve("buffer.npz"), new byte[] {1, 2, 3});
        assertThrows(java.io.IOException.class, () -> model.loadReplayBuffer(garbage));
        DQN other = new DQN("MlpPolicy", VecEnvs.makeVecEnv("Acrobot-v1", 1, 0L), DQN.Config.DEFAULT.with(SMALL),
                AlgorithmOptions.DEFAULT.withSeed(0L));
        other.learn(120);
        Path acrobot = dir.resolve("acrobot.npz");
        other.saveReplayBuffer(acrobot);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> model.loadReplayBuffer(acrobot));
        assertTrue(e.getMessage().contains("acrobot.npz"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> model.saveReplayBuffer(dir.resolve("none.npz")));
    }

    @Test
    void refusesWhatTheReferenceRefusesWithAMessage() {
        IllegalArgumentException box = assertThrows(IllegalArgumentException.class,
                () -> new DQN("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, 0L)));
        assertTrue(box.getMessage().contains("Discrete action space"), box.getMessage());
        IllegalArgumentException envs = assertThrows(IllegalArgumentException.class,
                () -> new DQN("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 2, 0L)));
        assertTrue(envs.getMessage().contains("single env"), envs.getMessage());
        IllegalArgumentException policy = assertThrows(IllegalArgumentException.class,
                () -> new DQN("CnnPolicy", VecEnvs.makeVecEnv("CartPole-v1", 1, 0L)));
        assertTrue(policy.getMessage().contains("CnnPolicy"), policy.getMessage());
        IllegalArgumentException kwargs = assertThrows(IllegalArgumentException.class, () -> dqn(Map.of(), Map.of("net_arch", List.of(8)), 0L));
        assertTrue(kwargs.getMessage().contains("net_arch"), kwargs.getMessage());
        IllegalArgumentException freq = assertThrows(IllegalArgumentException.class, () -> dqn(Map.of("train_freq", 0), Map.of(), 0L));
        assertTrue(freq.getMessage().contains("train_freq"), freq.getMessage());
    }

    @Test
    void aStochasticPredictionSamplesTheSoftmaxOfQ() {
        DQN model = dqn(Map.of(), Map.of(), 5L);
        float[] q = qValues(model.policy().qNet, model.policy(), S);
        double p1 = 1 / (1 + Math.exp(q[0] - q[1]));
        int ones = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            ones += (int) model.predict(new float[][] {S}, false)[0][0];
        }
        assertEquals(p1, ones / (double) n, 0.015);
    }
}
