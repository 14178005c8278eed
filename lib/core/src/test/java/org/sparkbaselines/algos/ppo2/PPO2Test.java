package org.sparkbaselines.algos.ppo2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.TrainingLogs;
import org.sparkbaselines.logging.Histogram;
import org.sparkbaselines.logging.TensorBoardEvents;
import org.sparkbaselines.vec.VecEnvs;

/** How PPO2 orchestrates its updates: rollouts per learn call, minibatches, schedules, clipping options, logging. */
class PPO2Test {
    /** Rollouts of 8 steps x 2 envs = 16 samples, 4 minibatches of 4, 3 epochs: 12 gradient steps per update. */
    private static final Map<String, Object> SMALL = Map.of("n_steps", 8, "nminibatches", 4, "noptepochs", 3);

    @TempDir
    Path dir;

    private static PPO2 model(Map<String, ?> overrides, AlgorithmOptions options) {
        Map<String, Object> hyper = new HashMap<>(SMALL);
        hyper.putAll(overrides);
        return new PPO2("MlpPolicy", TrainingLogs.alternatingEnvs(2, 8), PPO2.Config.DEFAULT.with(hyper), options.withSeed(3L));
    }

    private PPO2 logged(Map<String, ?> overrides) {
        return model(overrides, AlgorithmOptions.DEFAULT.withTensorboardLog(dir.toString()));
    }

    @Test
    void nminibatchesMustDivideTheRollout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model(Map.of("n_steps", 15), AlgorithmOptions.DEFAULT));
        assertTrue(e.getMessage().contains("nminibatches (4) must divide the rollout's n_envs * n_steps (30)"), e.getMessage());
        PPO2 fits = model(Map.of("n_steps", 6), AlgorithmOptions.DEFAULT);
        IllegalArgumentException onSetEnv = assertThrows(IllegalArgumentException.class,
                () -> fits.setEnv(TrainingLogs.alternatingEnvs(3, 8)));
        assertTrue(onSetEnv.getMessage().contains("(18)"), onSetEnv.getMessage());
    }

    @Test
    void learnRunsTotalOverBatchUpdatesWithTheReferenceScheduleProgress() throws Exception {
        PPO2 model = logged(Map.of("learning_rate", "lin_0.001", "cliprange", "lin_0.3"));
        model.learn(50, null, 1, "PPO2", true);
        assertEquals(48, model.numTimesteps(), "50 // 16 = 3 updates");
        List<TensorBoardEvents.Event> dumps = TrainingLogs.dumps(dir.resolve("PPO2_1"));
        assertEquals(List.of(16L, 32L, 48L), dumps.stream().map(TensorBoardEvents.Event::step).toList());
        assertEquals(List.of(12f, 24f, 36f), TrainingLogs.scalar(dumps, "train/n_updates"), "4 minibatches x 3 epochs per update");
        // frac = 1 - (update - 1) / 3
        assertEquals(List.of(0.001f, (float) (0.001 * 2 / 3), (float) (0.001 / 3)), TrainingLogs.scalar(dumps, "train/learning_rate"));
        assertEquals(List.of(0.3f, 0.2f, 0.1f), TrainingLogs.scalar(dumps, "train/clip_range"));
        assertFalse(dumps.get(0).scalars().containsKey("train/clip_range_vf"), "not logged while cliprange_vf is null");
    }

    @Test
    void logIntervalAlsoLogsTheFirstUpdate() throws Exception {
        PPO2 model = logged(Map.of());
        model.learn(5 * 16, null, 3, "PPO2", true);
        assertEquals(List.of(16L, 48L), TrainingLogs.dumps(dir.resolve("PPO2_1")).stream().map(TensorBoardEvents.Event::step).toList());
    }

    @Test
    void lessThanOneRolloutTrainsNothing() {
        PPO2 model = model(Map.of(), AlgorithmOptions.DEFAULT);
        LinkedHashMap<String, float[]> before = model.getParameters();
        model.learn(15);
        assertEquals(0, model.numTimesteps());
        before.forEach((name, values) -> assertArrayEquals(values, model.getParameters().get(name), name));
    }

    @Test
    void valueClipRangeFollowsCliprangeVf() throws Exception {
        PPO2 legacy = model(Map.of("cliprange", "lin_0.2"), AlgorithmOptions.DEFAULT);
        assertEquals(0.1, legacy.valueClipRange(0.5), 1e-15, "null: cliprange's value");
        PPO2 disabled = model(Map.of("cliprange_vf", -1), AlgorithmOptions.DEFAULT);
        assertEquals(-1, disabled.valueClipRange(0.5), "negative: the loss clips no value");
        PPO2 own = model(Map.of("cliprange_vf", "lin_0.4"), AlgorithmOptions.DEFAULT);
        assertEquals(0.2, own.valueClipRange(0.5), 1e-15);
        PPO2 loggedOwn = logged(Map.of("cliprange_vf", "lin_0.4"));
        loggedOwn.learn(32, null, 1, "PPO2", true);
        assertEquals(List.of(0.4f, 0.2f), TrainingLogs.scalar(TrainingLogs.dumps(dir.resolve("PPO2_1")), "train/clip_range_vf"));
    }

    @Test
    void advantagesAreNormalizedOverTheMinibatchOnly() {
        float[] advantages = {1, 2, 3, 4, 99};
        PPO2.standardize(advantages, 4);
        // mean 2.5, population std sqrt(1.25)
        double std = Math.sqrt(1.25) + 1e-8;
        assertArrayEquals(new float[] {(float) (-1.5 / std), (float) (-0.5 / std), (float) (0.5 / std), (float) (1.5 / std), 99},
                advantages);
    }

    @Test
    void maxGradNormNullDisablesClipping() {
        Map<String, Object> noClipping = new HashMap<>();
        noClipping.put("max_grad_norm", null);
        PPO2 unclipped = model(noClipping, AlgorithmOptions.DEFAULT);
        PPO2 hugeLimit = model(Map.of("max_grad_norm", 1e30), AlgorithmOptions.DEFAULT);
        PPO2 clipped = model(Map.of("max_grad_norm", 1e-3), AlgorithmOptions.DEFAULT);
        for (PPO2 m : List.of(unclipped, hugeLimit, clipped)) {
            m.learn(16);
        }
        String name = "model/vf/w:0";
        assertArrayEquals(hugeLimit.getParameters().get(name), unclipped.getParameters().get(name));
        assertFalse(java.util.Arrays.equals(clipped.getParameters().get(name), unclipped.getParameters().get(name)));
    }

    @Test
    void fullTensorboardLogWritesAHistogramOfEveryParameter() throws Exception {
        PPO2 model = model(Map.of(), AlgorithmOptions.DEFAULT.withTensorboardLog(dir.toString()).withFullTensorboardLog(true));
        model.learn(32, null, 1, "PPO2", true);
        List<TensorBoardEvents.Event> dumps = TrainingLogs.dumps(dir.resolve("PPO2_1"));
        assertEquals(2, dumps.size());
        Map<String, TensorBoardEvents.HistogramValue> last = dumps.get(1).histograms();
        assertEquals(model.getParameterList(), List.copyOf(last.keySet()));
        model.getParameters().forEach((name, values) -> {
            Histogram expected = Histogram.of(values);
            TensorBoardEvents.HistogramValue written = last.get(name);
            assertEquals(values.length, written.num(), name);
            assertEquals(expected.sum(), written.sum(), name);
            assertEquals(expected.min(), written.min(), name);
            assertEquals(expected.max(), written.max(), name);
            assertArrayEquals(expected.bucketCounts(), written.buckets(), name);
        });
        PPO2 plain = logged(Map.of());
        plain.learn(16, null, 1, "PPO2", true);
        assertTrue(TrainingLogs.dumps(dir.resolve("PPO2_2")).get(0).histograms().isEmpty(), "no histograms by default");
    }

    @Test
    void nCpuTfSessOfOneTrainsOnTheCallersThreadToTheSameResult() {
        // minibatches of 32 rows: big enough for the value network to go to the second core when allowed
        PPO2 oneThread = model(Map.of("n_steps", 64), AlgorithmOptions.DEFAULT.withNCpuTfSess(1));
        PPO2 twoThreads = model(Map.of("n_steps", 64), AlgorithmOptions.DEFAULT.withNCpuTfSess(2));
        oneThread.learn(256);
        twoThreads.learn(256);
        twoThreads.getParameters().forEach((name, values) -> assertArrayEquals(values, oneThread.getParameters().get(name), name));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlgorithmOptions.DEFAULT.withNCpuTfSess(0));
        assertTrue(e.getMessage().contains("n_cpu_tf_sess must be at least 1"), e.getMessage());
    }

    @Test
    void configKeysMayNameTheConstructorTail() {
        var model = Algorithms.get("ppo2").create("MlpPolicy", TrainingLogs.alternatingEnvs(2, 8),
                Map.of("n_steps", 8, "full_tensorboard_log", true, "n_cpu_tf_sess", 1, "truncation_is_terminal", true),
                AlgorithmOptions.DEFAULT.withVerbose(1));
        assertTrue(model.options().fullTensorboardLog());
        assertEquals(1, model.options().nCpuTfSess());
        assertEquals(1, model.options().verbose(), "options the keys do not name stay");
        assertTrue(((PPO2) model).config().truncationIsTerminal());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlgorithmOptions.DEFAULT.with(Map.of("verbosity", 1)));
        assertTrue(e.getMessage().contains("unknown option 'verbosity'"), e.getMessage());
    }

    @Test
    void zooCartPoleConfigStillDividesItsBatch() {
        PPO2 model = new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 8, 0L),
                PPO2.Config.DEFAULT.with(PPO2LearningTest.ZOO_CARTPOLE));
        assertEquals(1, model.config().nminibatches());
    }
}
