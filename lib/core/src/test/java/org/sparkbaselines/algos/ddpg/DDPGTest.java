package org.sparkbaselines.algos.ddpg;

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
import org.sparkbaselines.algos.TrainingLogs;
import org.sparkbaselines.algos.td3.TD3;
import org.sparkbaselines.common.noise.AdaptiveParamNoiseSpec;
import org.sparkbaselines.nn.tape.Dense;
import org.sparkbaselines.logging.TensorBoardEvents;
import org.sparkbaselines.nn.tape.Tape;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;
import org.sparkbaselines.vec.VecStepResult;

class DDPGTest {
    private static final Map<String, Object> SMALL = Map.of("nb_rollout_steps", 20, "nb_train_steps", 10, "batch_size", 16);

    private static DDPG ddpg(Map<String, Object> hyper, long seed) {
        return new DDPG("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, seed), DDPG.Config.DEFAULT.with(hyper),
                AlgorithmOptions.DEFAULT.withSeed(seed).withPolicyKwargs(Map.of("layers", List.of(8, 8))));
    }

    private static double critic(DDPGPolicy.Networks nets, float[] s, float a) {
        Tape t = new Tape();
        return nets.critic(t, t.constant(s, 1, s.length), t.constant(new float[] {a}, 1, 1)).get(0, 0);
    }

    private static double actor(DDPGPolicy.Networks nets, float[] s) {
        Tape t = new Tape();
        return nets.actor(t, t.constant(s, 1, s.length)).get(0, 0);
    }

    /**
     * Pop-Art: the targets fold into the return statistics (a prior of mean 0, variance 1, weight 1e-2, as the reference's running
     * sums), and both critics' denormalized outputs, {@code Q_n std + mean}, are what they were before the statistics moved.
     */
    @Test
    void popArtMovesTheReturnStatisticsAndPreservesTheCriticsOutputs() {
        DDPG model = ddpg(Map.of("normalize_returns", true, "enable_popart", true), 4L);
        DDPGPolicy policy = (DDPGPolicy) model.policy();
        float[] s = {0.3f, -0.8f, 1.2f};
        float[] targets = {-12f, -3.5f, -40f, -7.25f};
        double[] before = {critic(policy.online, s, 0.4f), critic(policy.target, s, -0.6f)};
        double meanBefore = policy.returnMean();
        double stdBefore = policy.returnStd();
        policy.popArt(targets, targets.length);

        double count = 1e-2 + targets.length;
        double sum = 0;
        double sumSquares = 1e-2;
        for (float y : targets) {
            sum += y;
            sumSquares += (double) y * y;
        }
        double mean = sum / count;
        double std = Math.sqrt(Math.max(sumSquares / count - mean * mean, 1e-2));
        assertEquals(mean, policy.returnMean(), 1e-4 * Math.abs(mean));
        assertEquals(std, policy.returnStd(), 1e-4 * std);
        assertEquals(before[0] * stdBefore + meanBefore, critic(policy.online, s, 0.4f) * policy.returnStd() + policy.returnMean(), 1e-3);
        assertEquals(before[1] * stdBefore + meanBefore, critic(policy.target, s, -0.6f) * policy.returnStd() + policy.returnMean(), 1e-3);
        assertTrue(Math.abs(policy.returnMean()) > 1, "the statistics moved");
    }

    /**
     * y = r + gamma Q_targ(s', pi_targ(s')) with the observations clipped to observation_range; L = (Q(s, a) - y)^2 plus
     * critic_l2_reg / 2 times the squared hidden kernels of the critic.
     */
    @Test
    void theCriticLossIsTheTargetsSquaredErrorPlusTheL2Term() {
        DDPG model = ddpg(Map.of("gamma", 0.9, "batch_size", 1, "critic_l2_reg", 0.01, "observation_range", List.of(-1.0, 1.0)), 2L);
        DDPGPolicy policy = model.policy();
        policy.target.variables().forEach(v -> v.values()[0] += 0.3f);
        float[] s = {0.5f, -0.2f, 3f};
        float[] next = {0.4f, 0.1f, -4f};
        float[] clippedS = {0.5f, -0.2f, 1f};
        float[] clippedNext = {0.4f, 0.1f, -1f};
        DDPG.CriticStep step = new DDPG.CriticStep(policy, model.config(), null);
        System.arraycopy(s, 0, step.batch.observations, 0, 3);
        System.arraycopy(next, 0, step.batch.nextObservations, 0, 3);
        step.batch.actions[0] = 0.25f;
        step.batch.rewards[0] = -1.5f;
        policy.refreshStatistics();
        step.computeTargets();
        step.run();
        double y = -1.5 + 0.9 * critic(policy.target, clippedNext, (float) actor(policy.target, clippedNext));
        double l2 = 0;
        for (Dense layer : policy.online.criticHidden()) {
            for (float w : layer.kernel().values()) {
                l2 += w * w;
            }
        }
        double expected = Math.pow(critic(policy.online, clippedS, 0.25f) - y, 2) + 0.01 * l2 / 2;
        assertEquals(expected, step.loss, 1e-5 * Math.max(1, expected));
    }

    @Test
    void rewardsAreStoredScaledAndObservationsFeedTheStatistics() {
        DDPG model = ddpg(Map.of("reward_scale", 0.1, "normalize_observations", true), 3L);
        model.learn(30);
        float[] count = model.getParameters().get(DDPGPolicy.OBS_COUNT);
        assertEquals(30 + 1e-2, count[0], 1e-3);
        org.sparkbaselines.buffers.ReplayBatch batch = new org.sparkbaselines.buffers.ReplayBatch(30, 3, 1);
        model.replayBuffer().sample(new java.util.SplittableRandom(0), batch);
        for (float r : batch.rewards) {
            // Pendulum's rewards lie in [-16.3, 0].
            assertTrue(r <= 0 && r >= -1.64, "scaled reward " + r);
        }
    }

    @Test
    void learnsThenSavesLoadsAndPredictsTheSame(@TempDir Path dir) throws Exception {
        DDPG model = ddpg(SMALL, 1L);
        model.learn(200);
        DDPG loaded = (DDPG) Algorithms.loadAny(model.save(dir.resolve("ddpg")), null);
        float[][] obs = {{0.5f, -0.2f, 0.7f}, {-1f, 0f, 3f}};
        assertArrayEquals(model.predict(obs, true), loaded.predict(obs, true));
        assertEquals(model.config(), loaded.config());
    }

    @Test
    void trainingResumesWithItsReplayBufferWhereItStopped(@TempDir Path dir) throws Exception {
        OffPolicyChecks.assertResumesWhereItStopped(() -> ddpg(Map.of("nb_rollout_steps", 20, "nb_train_steps", 10, "batch_size", 16,
                "normalize_observations", true), 2L), "Pendulum-v1", 100, 60, dir);
    }

    /** Each cycle ends with nb_eval_steps deterministic steps in the evaluation env: here one whole episode per cycle. */
    @Test
    void theEvaluationEnvRunsTheActorDeterministicallyAfterEachCycle(@TempDir Path dir) throws Exception {
        DDPG model = new DDPG("MlpPolicy", VecEnvs.makeVecEnv("Pendulum-v1", 1, 0L), DDPG.Config.DEFAULT.with(Map.of("nb_rollout_steps", 100,
                "nb_train_steps", 5, "nb_eval_steps", 200, "batch_size", 32)), AlgorithmOptions.DEFAULT.withSeed(0L).withTensorboardLog(dir.toString()));
        model.setEvalEnv(VecEnvs.makeVecEnv("Pendulum-v1", 1, 7L));
        model.learn(200, null, 1, "DDPG", true);

        List<TensorBoardEvents.Event> dumps = TrainingLogs.dumps(dir.resolve("DDPG_1"));
        TensorBoardEvents.Event last = dumps.get(dumps.size() - 1);
        assertEquals(1f, last.scalars().get("eval/episodes"));
        // The second cycle's evaluation is the eval env's second episode, played by the final actor.
        VecEnv replay = VecEnvs.makeVecEnv("Pendulum-v1", 1, 7L);
        float[][] obs = replay.reset();
        double expected = 0;
        for (int t = 0; t < 400; t++) {
            VecStepResult result = replay.step(t < 200 ? new float[][] {{0f}} : model.predict(obs, true));
            if (t >= 200) {
                expected += result.rewards()[0];
            }
            obs = result.obs();
        }
        assertEquals(expected, last.scalars().get("eval/return"), 1e-2 * Math.abs(expected));
        assertTrue(Float.isFinite(last.scalars().get("eval/Q")));

        IllegalArgumentException spaces = assertThrows(IllegalArgumentException.class, () -> model.setEvalEnv("MountainCarContinuous-v0"));
        assertTrue(spaces.getMessage().contains("evaluation env"), spaces.getMessage());
    }

    @Test
    void theParameterNoiseSpecAdaptsTowardsTheDesiredDistance() {
        AdaptiveParamNoiseSpec spec = new AdaptiveParamNoiseSpec();
        spec.adapt(0.2);
        assertEquals(0.1 / 1.01, spec.currentStddev(), 1e-12);
        spec.adapt(0.05);
        spec.adapt(0.05);
        assertEquals(0.1 * 1.01, spec.currentStddev(), 1e-12);
    }

    /** The exploring actor is a perturbed copy, fixed through an episode; the spec adapts at the cycle's interval. */
    @Test
    void parameterNoiseExploresWithAPerturbedActorPerEpisodeAndAdapts() {
        DDPG model = ddpg(Map.of("noise_type", "adaptive-param", "noise_std", 0.2, "nb_rollout_steps", 100, "nb_train_steps", 5,
                "param_noise_adaption_interval", 2, "batch_size", 32), 3L);
        float[] obs = {0.5f, -0.5f, 1f};
        float[] online = model.policy().act(obs, new float[1]).clone();
        float[] explored = new float[1];
        model.policyAction(obs, explored);
        float first = explored[0];
        model.policyAction(obs, explored);
        assertEquals(first, explored[0], "the same perturbation through an episode");
        assertTrue(Math.abs(first - online[0]) > 1e-4, "perturbed " + first + " vs actor " + online[0]);
        model.onEpisodeStart();
        model.policyAction(obs, explored);
        assertTrue(explored[0] != first, "a new episode, a new perturbation");

        model.learn(300);
        // Three cycles of 5 gradient steps adapt at steps 0, 2 and 4: nine adaptions of 1% each way from 0.2.
        double exponent = Math.log(model.explorationState().get("param_noise_stddev") / 0.2) / Math.log(1.01);
        assertEquals(Math.rint(exponent), exponent, 1e-6);
        assertTrue(Math.abs(exponent) <= 9 && Math.abs(Math.rint(exponent)) % 2 == 1, "exponent " + exponent);
    }

    @Test
    void refusesWhatItCannotTrainWithAMessage() {
        IllegalArgumentException discrete = assertThrows(IllegalArgumentException.class, () -> new DDPG("MlpPolicy", "CartPole-v1"));
        assertTrue(discrete.getMessage().contains("Box action space"), discrete.getMessage());
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class,
                () -> ddpg(Map.of("param_noise", true, "param_noise_adaption_interval", 0), 0L));
        assertTrue(interval.getMessage().contains("param_noise_adaption_interval"), interval.getMessage());
        IllegalArgumentException td3 = assertThrows(IllegalArgumentException.class,
                () -> TD3.Config.DEFAULT.with(Map.of("noise_type", "adaptive-param")));
        assertTrue(td3.getMessage().contains("noise_type"), td3.getMessage());
        IllegalArgumentException popart = assertThrows(IllegalArgumentException.class, () -> ddpg(Map.of("enable_popart", true), 0L));
        assertTrue(popart.getMessage().contains("enable_popart needs normalize_returns"), popart.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> ddpg(Map.of("observation_range", List.of(5.0, -5.0)), 0L));
        assertTrue(range.getMessage().contains("observation_range"), range.getMessage());
        IllegalArgumentException clip = assertThrows(IllegalArgumentException.class, () -> ddpg(Map.of("clip_norm", -1.0), 0L));
        assertTrue(clip.getMessage().contains("clip_norm"), clip.getMessage());
    }
}
