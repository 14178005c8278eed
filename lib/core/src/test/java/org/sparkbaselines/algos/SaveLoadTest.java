package org.sparkbaselines.algos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
