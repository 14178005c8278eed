package org.sparkbaselines.sb2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkbaselines.algos.Algorithms;
import org.sparkbaselines.algos.BaseAlgorithm;
import org.sparkbaselines.algos.a2c.A2C;
import org.sparkbaselines.algos.dqn.DQN;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.ModelArchive;
import org.sparkbaselines.vec.VecEnvs;

/** Imported SB2 agents as models of ours: saved, reloaded, trained on; what is kept and what is said. */
class Sb2ImportTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ppo2/CartPole-v1.pkl", "a2c/MountainCarContinuous-v0.pkl", "trpo/Pendulum-v0.pkl", "acktr/Pendulum-v0.zip"})
    void savedImportReloadsAndActsIdentically(String relative) throws IOException {
        String algo = relative.substring(0, relative.indexOf('/'));
        String envId = relative.contains("CartPole") ? "CartPole-v1" : relative.contains("Pendulum") ? "Pendulum-v1" : "MountainCarContinuous-v0";
        BaseAlgorithm<?> imported = Sb2Models.load(algo, Sb2Zoo.file(relative), Sb2Zoo.env(envId)).model();
        Path saved = imported.save(dir.resolve("imported"));
        BaseAlgorithm<?> reloaded = Algorithms.loadAny(saved, Sb2Zoo.env(envId));
        assertEquals(imported.algorithmName(), reloaded.algorithmName());
        SplittableRandom random = new SplittableRandom(7);
        float[][] obs = new float[64][imported.observationSpace().flatDim()];
        for (float[] row : obs) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextDouble(-1, 1);
            }
        }
        float[][] before = imported.predict(obs, true);
        float[][] after = reloaded.predict(obs, true);
        for (int i = 0; i < obs.length; i++) {
            assertArrayEquals(before[i], after[i], 0f, "row " + i);
        }
        assertEquals(imported.getVecNormalizeEnv() != null, reloaded.getVecNormalizeEnv() != null, "normalization kept");
        EvaluationResult first = Sb2Zoo.evaluate(imported, 3);
        EvaluationResult second = Sb2Zoo.evaluate(reloaded, 3);
        assertArrayEquals(first.episodeRewards(), second.episodeRewards(), 0.0);
    }

    @Test
    void normalizedAgentCarriesItsStatisticsIntoTheModelFile() throws IOException {
        Path file = Sb2Zoo.file("a2c/MountainCarContinuous-v0.pkl");
        Sb2Models.Imported imported = Sb2Models.load("a2c", file, Sb2Zoo.env("MountainCarContinuous-v0"));
        var normalize = imported.model().getVecNormalizeEnv();
        assertNotNull(normalize, "config.yml says normalize: true");
        // obs_rms.pkl as numpy reads it.
        assertArrayEquals(new double[] {-0.5196857738456061, 0.009993984815427636}, normalize.obsRms().mean(), 0.0);
        assertArrayEquals(new double[] {0.13968199242085783, 0.0007934905124721324}, normalize.obsRms().var(), 0.0);
        assertEquals(1000016.0001000001, normalize.obsRms().count(), 0.0);
        try (ModelArchive.Reader saved = ModelArchive.open(imported.model().save(dir.resolve("mcc")))) {
            assertNotNull(saved.vecNormalize(2), "the model file holds the statistics");
        }
    }

    @Test
    void staleStatisticsAreIgnoredWhenTheConfigDoesNotNormalize() throws IOException {
        // trpo/Pendulum-v0 has an obs_rms.pkl beside a config.yml without 'normalize': the zoo's rule says not normalized.
        Sb2Models.Imported imported = Sb2Models.load("trpo", Sb2Zoo.file("trpo/Pendulum-v0.pkl"), Sb2Zoo.env("Pendulum-v1"));
        assertEquals(null, imported.model().getVecNormalizeEnv());
    }

    @Test
    void hyperparametersComeOverAndSchedulesBecomeTheirValueWithANote() throws IOException {
        Sb2Models.Imported imported = Sb2Models.load("ppo2", Sb2Zoo.file("ppo2/CartPole-v1.pkl"), Sb2Zoo.env("CartPole-v1"));
        PPO2 model = assertInstanceOf(PPO2.class, imported.model());
        PPO2.Config config = model.config();
        assertEquals(0.99, config.gamma());
        assertEquals(0.95, config.lam());
        assertEquals(32, config.nminibatches());
        assertEquals(10, config.noptepochs());
        assertEquals(3e-4, config.learningRate().at(1.0), 0.0);
        assertEquals(0.2, config.cliprange().at(1.0), 0.0);
        assertTrue(imported.notes().stream().anyMatch(n -> n.startsWith("learning_rate was saved as a function (constfn.<locals>.func)")),
                imported.notes().toString());
        assertTrue(imported.notes().stream().anyMatch(n -> n.startsWith("cliprange was saved as a function")), imported.notes().toString());
    }

    @Test
    void trpoCopiesAreRecognisedAndSkipped() throws IOException {
        Sb2Models.Imported imported = Sb2Models.load("trpo", Sb2Zoo.file("trpo/CartPole-v1.pkl"), Sb2Zoo.env("CartPole-v1"));
        assertTrue(imported.notes().stream().anyMatch(n -> n.contains("oldpi") && n.contains("14 arrays")), imported.notes().toString());
        assertEquals("TRPO", imported.model().algorithmName());
    }

    @Test
    void predictionOnlyImportsRefuseToLearnWithAReason() throws IOException {
        BaseAlgorithm<?> acer = Sb2Models.load("acer", Sb2Zoo.file("acer/CartPole-v1.pkl"), Sb2Zoo.env("CartPole-v1")).model();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> acer.learn(1000));
        assertEquals("TRPO", Sb2Models.load("trpo", Sb2Zoo.file("trpo/CartPole-v1.pkl"), Sb2Zoo.env("CartPole-v1")).model().getClass()
                .getSimpleName(), "TRPO imports as a full model");
        assertTrue(e.getMessage().contains("ACER is not ported yet"), e.getMessage());
    }

    @Test
    void anAgentOfAnotherEnvIsRefusedByName() {
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> Sb2Models.load("ppo2", Sb2Zoo.file("ppo2/CartPole-v1.pkl"), Sb2Zoo.env("Acrobot-v1")));
        assertTrue(e.getMessage().contains("holds an agent for observations Box(4,) and actions Discrete(2); the env has Box(6,) and"
                + " Discrete(3) (is the model for this env?)"), e.getMessage());
    }

    @Test
    void unknownAlgorithmsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sb2Models.load("ppo1", Sb2Zoo.file("trpo/CartPole-v1.pkl"), Sb2Zoo.env("CartPole-v1")));
        assertTrue(e.getMessage().contains("'ppo1' do not import"), e.getMessage());
    }

    /**
     * The CartPole agents keep their score after 10k more steps of their own algorithm and hyperparameters on one
     * env (PPO2's n_steps of 2048 gives 4 updates, A2C's 5 gives 2000, TRPO's 512 gives 20), seed fixed before the first
     * run (5 of 5 seeds pass for PPO2 and A2C).
     */
    @ParameterizedTest
    @ValueSource(strings = {"ppo2", "a2c", "trpo"})
    void importedCartPoleAgentsLearnOn(String algo) throws IOException {
        BaseAlgorithm<?> model = Sb2Models.load(algo, Sb2Zoo.file(algo + "/CartPole-v1.pkl"), VecEnvs.makeVecEnv("CartPole-v1", 1, 0L))
                .model();
        float[] before = model.getParameters().get("model/pi/w:0");
        model.setRandomSeed(0);
        model.learn(10_000);
        assertTrue(model.numTimesteps() >= 8192, "trained " + model.numTimesteps() + " steps");
        assertFalse(Arrays.equals(before, model.getParameters().get("model/pi/w:0")), "the policy changed");
        BaseAlgorithm<?> reloaded = Algorithms.loadAny(model.save(dir.resolve(algo)), Sb2Zoo.env("CartPole-v1"));
        assertEquals(model.algorithmName(), reloaded.algorithmName());
        EvaluationResult result = Sb2Zoo.evaluate(reloaded, 10);
        assertTrue(result.meanReward() >= 475, algo + " after 10k more steps: " + result);
    }

    /**
     * The zoo's DQN agent learns on with its own hyperparameters (prioritized replay, lr 1e-3) and reloads as our DQN.
     * The import has no timestep count, so, as in the reference, epsilon starts again at 1 over the first tenth of the
     * call; the score bar allows for that fine-tuning (seed fixed before the first run).
     */
    @Test
    void theImportedDqnAgentLearnsOn() throws IOException {
        DQN model = DQN.loadSb2(Sb2Zoo.file("dqn/CartPole-v1.pkl"), VecEnvs.makeVecEnv("CartPole-v1", 1, 0L));
        float[] before = model.getParameters().get("deepq/model/action_value/fully_connected_1/weights:0");
        model.setRandomSeed(0);
        model.learn(10_000);
        assertFalse(Arrays.equals(before, model.getParameters().get("deepq/model/action_value/fully_connected_1/weights:0")));
        DQN reloaded = DQN.load(model.save(dir.resolve("dqn")), Sb2Zoo.env("CartPole-v1"));
        EvaluationResult result = Sb2Zoo.evaluate(reloaded, 10);
        assertTrue(result.meanReward() >= 300, "DQN after 10k more steps: " + result);
    }
}
