package org.sparkbaselines.algos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.algos.a2c.A2C;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.common.ScheduleValue;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.ModelArchive;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvs;
import org.sparkbaselines.vec.VecNormalize;

class SaveLoadTest {
    private static final Map<String, Object> SMALL = Map.of("n_steps", 16);

    private static PPO2 trainedPpo2(long steps) {
        PPO2 model = new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 2, 0L), PPO2.Config.DEFAULT.with(SMALL),
                AlgorithmOptions.DEFAULT.withSeed(1L));
        model.learn(steps);
        return model;
    }

    private static float[][] observations(int n) {
        VecEnv env = VecEnvs.makeVecEnv("CartPole-v1", n, 5L);
        float[][] obs = env.reset();
        float[][] copy = new float[n][];
        for (int i = 0; i < n; i++) {
            copy[i] = obs[i].clone();
        }
        return copy;
    }

    @Test
    void saveLoadPredictGivesIdenticalActions(@TempDir Path dir) throws Exception {
        PPO2 model = trainedPpo2(256);
        Path file = model.save(dir.resolve("ppo2_cartpole"));
        assertEquals(dir.resolve("ppo2_cartpole.zip"), file);
        PPO2 loaded = PPO2.load(file, null);
        float[][] obs = observations(16);
        assertArrayEquals(model.predict(obs, true), loaded.predict(obs, true));
        assertArrayEquals(model.actionProbability(obs), loaded.actionProbability(obs));
        assertEquals(model.numTimesteps(), loaded.numTimesteps());
        assertEquals(model.config(), loaded.config());
        LinkedHashMap<String, float[]> a = model.getParameters();
        LinkedHashMap<String, float[]> b = loaded.getParameters();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name);
        }
        assertEquals(model.getParameterList(), loaded.getParameterList());
        assertTrue(model.getParameterList().contains("model/pi_fc0/w:0"));
        assertTrue(model.getParameterList().contains("model/vf/b:0"));
    }

    @Test
    void learningContinuesFromALoadedModel(@TempDir Path dir) throws Exception {
        PPO2 model = trainedPpo2(256);
        Path file = model.save(dir.resolve("m.zip"));
        PPO2 loaded = PPO2.load(file, VecEnvs.makeVecEnv("CartPole-v1", 2, 3L));
        loaded.learn(128, null, 1, "PPO2", false);
        assertEquals(model.numTimesteps() + 128, loaded.numTimesteps());
        loaded.learn(64, null, 1, "PPO2", true);
        assertEquals(64, loaded.numTimesteps());
    }

    /**
     * Training N1 + N2 steps in one go and training N1, saving, loading and training N2 more give the same
     * parameters: weights, optimizer state, timestep count, seed and hyperparameters all travel in the file.
     * The env is an {@link AlternatingEnv} whose episodes end with every rollout, so a fresh env is in the
     * state the uninterrupted run's env is in.
     */
    @Test
    void saveLoadContinueGivesTheParametersOfUninterruptedTraining(@TempDir Path dir) throws Exception {
        Map<String, Object> hyper = Map.of("n_steps", 8, "nminibatches", 2, "noptepochs", 2, "truncation_is_terminal", true);
        AlgorithmOptions options = AlgorithmOptions.DEFAULT.withSeed(11L);
        PPO2 uninterrupted = new PPO2("MlpPolicy", TrainingLogs.alternatingEnvs(2, 8), PPO2.Config.DEFAULT.with(hyper), options);
        uninterrupted.learn(64);
        PPO2 first = new PPO2("MlpPolicy", TrainingLogs.alternatingEnvs(2, 8), PPO2.Config.DEFAULT.with(hyper), options);
        first.learn(32);
        PPO2 resumed = PPO2.load(first.save(dir.resolve("ppo2")), TrainingLogs.alternatingEnvs(2, 8));
        resumed.learn(32, null, 1, "PPO2", false);
        assertEquals(64, resumed.numTimesteps());
        assertSameParameters(uninterrupted.getParameters(), resumed.getParameters());
        assertFalse(java.util.Arrays.equals(first.getParameters().get("model/pi/w:0"), resumed.getParameters().get("model/pi/w:0")),
                "the resumed model trained on");

        A2C a2cUninterrupted = new A2C("MlpPolicy", TrainingLogs.alternatingEnvs(2, 5), A2C.Config.DEFAULT, options);
        a2cUninterrupted.learn(40);
        A2C a2cFirst = new A2C("MlpPolicy", TrainingLogs.alternatingEnvs(2, 5), A2C.Config.DEFAULT, options);
        a2cFirst.learn(20);
        A2C a2cResumed = A2C.load(a2cFirst.save(dir.resolve("a2c")), TrainingLogs.alternatingEnvs(2, 5));
        a2cResumed.learn(20, null, 100, "A2C", false);
        assertSameParameters(a2cUninterrupted.getParameters(), a2cResumed.getParameters());
    }

    private static void assertSameParameters(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, values) -> assertArrayEquals(values, actual.get(name), name));
    }

    @Test
    void aScheduleGivenInCodeIsNotSaved(@TempDir Path dir) {
        PPO2 model = new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 2, 0L),
                PPO2.Config.DEFAULT.with(Map.of("n_steps", 16, "learning_rate", ScheduleValue.of(progress -> 3e-4 * progress))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.save(dir.resolve("m")));
        assertTrue(e.getMessage().contains("'learning_rate' is a Schedule given in code"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("m.zip")), "nothing written");
    }

    @Test
    void writtenSchedulesAndTheNewHyperparametersSurviveSaving(@TempDir Path dir) throws Exception {
        Map<String, Object> hyper = new java.util.HashMap<>(Map.of("n_steps", 16, "learning_rate", "lin_0.001", "cliprange_vf", -1,
                "truncation_is_terminal", true));
        hyper.put("max_grad_norm", null);
        PPO2 model = new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 2, 0L), PPO2.Config.DEFAULT.with(hyper),
                AlgorithmOptions.DEFAULT.withNCpuTfSess(1));
        PPO2 loaded = PPO2.load(model.save(dir.resolve("m")), null);
        assertEquals(model.config(), loaded.config());
        assertEquals(0.0005, loaded.config().learningRate().at(0.5), 1e-15);
        assertEquals(null, loaded.config().maxGradNorm());
        assertTrue(loaded.config().truncationIsTerminal());
        assertEquals(1, loaded.options().nCpuTfSess());
    }

    @Test
    void loadTakesVerboseAndTensorboardLog(@TempDir Path dir) throws Exception {
        Path file = trainedPpo2(64).save(dir.resolve("m"));
        Path tensorboard = dir.resolve("tb");
        PPO2 loaded = PPO2.load(file, VecEnvs.makeVecEnv("CartPole-v1", 2, 3L),
                Map.of("verbose", 1, "tensorboard_log", tensorboard.toString(), "noptepochs", 2));
        assertEquals(1, loaded.options().verbose());
        assertEquals(tensorboard.toString(), loaded.options().tensorboardLog());
        assertEquals(2, loaded.config().noptepochs());
        loaded.learn(32, null, 1, "PPO2", true);
        assertEquals(1, TrainingLogs.dumps(tensorboard.resolve("PPO2_1")).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PPO2.load(file, null, Map.of("verbosity", 1)));
        assertTrue(e.getMessage().contains("unknown hyperparameter 'verbosity'"), e.getMessage());
    }

    @Test
    void theSeedAlsoSeedsAVecEnvPassedIn() {
        VecEnv a = VecEnvs.makeVecEnv("CartPole-v1", 2, 1L);
        VecEnv b = VecEnvs.makeVecEnv("CartPole-v1", 2, 2L);
        new PPO2("MlpPolicy", a, PPO2.Config.DEFAULT.with(SMALL), AlgorithmOptions.DEFAULT.withSeed(7L));
        new PPO2("MlpPolicy", b, PPO2.Config.DEFAULT.with(SMALL), AlgorithmOptions.DEFAULT.withSeed(7L));
        float[][] first = a.reset();
        float[][] second = b.reset();
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(first[i], second[i]);
        }
        VecEnv unseeded = VecEnvs.makeVecEnv("CartPole-v1", 2, 1L);
        VecEnv reference = VecEnvs.makeVecEnv("CartPole-v1", 2, 1L);
        new PPO2("MlpPolicy", unseeded, PPO2.Config.DEFAULT.with(SMALL));
        assertArrayEquals(reference.reset()[0], unseeded.reset()[0], "without a seed the env keeps its own");
    }

    @Test
    void loadParametersExactMatchSemantics() {
        PPO2 model = trainedPpo2(64);
        PPO2 other = new PPO2("MlpPolicy", VecEnvs.makeVecEnv("CartPole-v1", 2, 9L), PPO2.Config.DEFAULT.with(SMALL),
                AlgorithmOptions.DEFAULT.withSeed(9L));
        LinkedHashMap<String, float[]> params = model.getParameters();
        Map<String, float[]> partial = Map.of("model/pi/w:0", params.get("model/pi/w:0"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> other.loadParameters(partial, true));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
        other.loadParameters(partial, false);
        assertArrayEquals(params.get("model/pi/w:0"), other.getParameters().get("model/pi/w:0"));
        assertTrue(!java.util.Arrays.equals(params.get("model/vf/w:0"), other.getParameters().get("model/vf/w:0")),
                "non-exact loading leaves other parameters alone");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> other.loadParameters(Map.of("model/nope/w:0", new float[1]), false));
        assertTrue(unknown.getMessage().contains("unknown parameter 'model/nope/w:0'"), unknown.getMessage());
        IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
                () -> other.loadParameters(Map.of("model/pi/w:0", new float[3]), false));
        assertTrue(wrongSize.getMessage().contains("model/pi/w:0"), wrongSize.getMessage());
        other.loadParameters(params, true);
        float[][] obs = observations(8);
        assertArrayEquals(model.predict(obs, true), other.predict(obs, true));
    }

    @Test
    void malformedModelFilesAreRejectedWithNamedErrors(@TempDir Path dir) throws Exception {
        PPO2 model = trainedPpo2(64);
        Path good = model.save(dir.resolve("good.zip"));

        Path truncated = dir.resolve("truncated.zip");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Exception e1 = assertThrows(Exception.class, () -> PPO2.load(truncated, null));
        assertTrue(e1.getMessage().contains("truncated.zip"), e1.getMessage());

        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> A2C.load(good, null));
        assertTrue(e2.getMessage().contains("PPO2 model, not A2C"), e2.getMessage());

        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> PPO2.load(good, VecEnvs.makeVecEnv("MountainCar-v0", 1, 0L)));
        assertTrue(e3.getMessage().contains("differ from the model's"), e3.getMessage());

        ModelArchive archive = ModelArchive.load(good);
        var parameters = new LinkedHashMap<>(archive.parameters());
        parameters.remove("model/vf/b:0");
        Path missingArray = new ModelArchive(archive.data(), parameters, archive.optimizerState(), archive.vecNormalize())
                .save(dir.resolve("missing.zip"));
        MalformedFileException e4 = assertThrows(MalformedFileException.class, () -> PPO2.load(missingArray, null));
        assertTrue(e4.getMessage().contains("model/vf/b:0"), e4.getMessage());

        Path notAZip = dir.resolve("text.zip");
        Files.writeString(notAZip, "hello");
        Exception e5 = assertThrows(Exception.class, () -> PPO2.load(notAZip, null));
        assertTrue(e5.getMessage().contains("text.zip"), e5.getMessage());
    }

    @Test
    void vecNormalizeStatisticsTravelWithTheModel(@TempDir Path dir) throws Exception {
        VecNormalize env = new VecNormalize(VecEnvs.makeVecEnv("CartPole-v1", 2, 0L));
        A2C model = new A2C("MlpPolicy", env, A2C.Config.DEFAULT, AlgorithmOptions.DEFAULT.withSeed(0L));
        model.learn(200);
        Path file = model.save(dir.resolve("a2c.zip"));
        A2C loaded = A2C.load(file, VecEnvs.makeVecEnv("CartPole-v1", 2, 1L));
        VecNormalize restored = loaded.getVecNormalizeEnv();
        assertNotNull(restored);
        assertArrayEquals(env.obsRms().mean(), restored.obsRms().mean());
        assertArrayEquals(env.retRms().var(), restored.retRms().var());
    }
}
