package org.sparkbaselines.sb2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;
import org.sparkbaselines.vec.VecEnv;
import org.sparkbaselines.vec.VecEnvWrapper;
import org.sparkbaselines.vec.VecNormalize;

/**
 * Stable Baselines 2 files that are odd rather than broken: another algorithm's agent, another env's,
 * non-finite numbers, pickles whose structures are built to exhaust a naive reader, zoo folders that
 * contradict themselves. Each is refused with a message naming the file and the problem, or imported as
 * the zoo would run it. The pickles are written here ({@link Sb2Pickles}) from a zoo agent's parameters.
 */
class Sb2OddInputsTest {
    private static final Sb2Pickles.Global VEC_NORMALIZE = new Sb2Pickles.Global("stable_baselines.common.vec_env.vec_normalize",
            "VecNormalize");

    @TempDir
    Path dir;

    /** The ppo2/CartPole-v1 agent's parameters, in saved order. */
    private static List<NdArray> cartPoleParameters() throws IOException {
        return Sb2File.read(Sb2Zoo.file("ppo2/CartPole-v1.pkl"), Sb2Models.LIMITS).arrays();
    }

    /** The constructor arguments SB2's PPO2 saves for a CartPole agent, as plain values. */
    private static Map<String, Object> cartPoleData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("gamma", 0.99);
        data.put("n_steps", 128);
        data.put("nminibatches", 4);
        data.put("noptepochs", 4);
        data.put("policy", Sb2Pickles.MLP_POLICY);
        data.put("observation_space", Sb2Pickles.box(4));
        data.put("action_space", Sb2Pickles.discrete(2));
        return data;
    }

    private Path cartPoleAgent(String name, Map<String, Object> data, List<NdArray> params) throws IOException {
        return Sb2Pickles.model(dir.resolve(name).resolve("CartPole-v1.pkl"), data, params);
    }

    private static <T extends Exception> T refused(Class<T> type, String algo, Path file, String envId, String... parts) {
        T e = assertThrows(type, () -> Sb2Models.load(algo, file, Sb2Zoo.env(envId)));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void nonFiniteParametersAreRefusedAsOurModelFilesRefuseThem() throws IOException {
        List<NdArray> nan = new ArrayList<>(cartPoleParameters());
        float[] weights = nan.get(0).toFloatArray();
        weights[5] = Float.NaN;
        nan.set(0, NdArray.ofFloats(weights, 4, 64));
        refused(MalformedFileException.class, "ppo2", cartPoleAgent("nan", cartPoleData(), nan), "CartPole-v1",
                "parameter model/pi_fc0/w:0 holds NaN at flat index 5; model parameters must be finite");

        // A float64 beyond float32's range becomes infinite in our policy: refused like an infinity in the file.
        List<NdArray> huge = new ArrayList<>(cartPoleParameters());
        double[] bias = huge.get(11).toDoubleArray();
        bias[1] = 1e300;
        huge.set(11, NdArray.ofDoubles(bias, 2));
        refused(MalformedFileException.class, "ppo2", cartPoleAgent("huge", cartPoleData(), huge), "CartPole-v1",
                "parameter model/pi/b:0 holds Infinity at flat index 1 (in float32)");
    }

    @Test
    void anotherAlgorithmsFileIsRefusedNamingTheAlgorithmThatSavedIt() {
        refused(IllegalArgumentException.class, "ppo2", Sb2Zoo.file("trpo/CartPole-v1.pkl"), "CartPole-v1",
                "trpo/CartPole-v1.pkl was saved by TRPO (its data has max_kl", "not PPO2: it imports as trpo (--algo trpo)");
        refused(IllegalArgumentException.class, "acer", Sb2Zoo.file("acktr/CartPole-v1.pkl"), "CartPole-v1",
                "was saved by ACKTR", "it imports as acktr (--algo acktr)");
        refused(IllegalArgumentException.class, "ppo2", Sb2Zoo.file("a2c/CartPole-v1.pkl"), "CartPole-v1",
                "was saved by A2C (its data has alpha, epsilon), not PPO2: it imports as a2c (--algo a2c)");
        refused(IllegalArgumentException.class, "ppo2", Sb2Zoo.file("acktr/Pendulum-v0.zip"), "Pendulum-v1", "was saved by ACKTR");
        // DQN's first parameter is a 0-d variable, a numpy scalar in the pickle: the file reads, and says what it is.
        refused(IllegalArgumentException.class, "ppo2", Sb2Zoo.file("dqn/CartPole-v1.pkl"), "CartPole-v1",
                "was saved by DQN (its data has exploration_fraction", "not PPO2: it imports as dqn (--algo dqn)");
        refused(IllegalArgumentException.class, "ppo2", Sb2Zoo.file("ddpg/Pendulum-v0.pkl"), "Pendulum-v1",
                "was saved by DDPG", "not PPO2: it imports as ddpg (--algo ddpg)");
    }

    @Test
    void anAgentOfOtherSpacesIsNamedByTheSpacesItWasTrainedOn() throws IOException {
        refused(MalformedFileException.class, "ppo2", Sb2Zoo.file("ppo2/CartPole-v1.pkl"), "MountainCar-v0",
                "holds an agent for observations Box(4,) and actions Discrete(2); the env has Box(2,) and Discrete(3)");
        refused(MalformedFileException.class, "acktr", Sb2Zoo.file("acktr/Pendulum-v0.zip"), "MountainCarContinuous-v0",
                "holds an agent for observations Box(3,) and actions Box(1,); the env has Box(2,) and Box(1,)");
        // Same observation size, Discrete(3) against Box(1,): named by the kind of actions, not by an array count.
        Map<String, Object> data = cartPoleData();
        data.put("observation_space", Sb2Pickles.box(2));
        data.put("action_space", Sb2Pickles.discrete(3));
        List<NdArray> params = new ArrayList<>();
        Space twoValues = Sb2Zoo.env("MountainCarContinuous-v0").observationSpace();
        for (int[] shape : Sb2ActorCritic.savedBlock(twoValues, new Discrete(3), PolicyKwargs.DEFAULT).values()) {
            params.add(NdArray.ofFloats(new float[java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)], shape));
        }
        Path mountainCar = Sb2Pickles.model(dir.resolve("MountainCar-v0.pkl"), data, params);
        refused(MalformedFileException.class, "ppo2", mountainCar, "MountainCarContinuous-v0",
                "holds an agent for observations Box(2,) and actions Discrete(3); the env has Box(2,) and Box(1,)");
    }

    @Test
    void aPolicyClassOutsideStableBaselinesIsRefusedEvenUnderTheSameName() throws IOException {
        Map<String, Object> data = cartPoleData();
        data.put("policy", new Sb2Pickles.Global("__main__", "MlpPolicy"));
        refused(MalformedFileException.class, "ppo2", cartPoleAgent("custom", data, cartPoleParameters()), "CartPole-v1",
                "policy __main__.MlpPolicy is not supported");
    }

    @Test
    void hyperparametersOurAlgorithmRefusesAreNamedWithTheFile() throws IOException {
        Map<String, Object> nan = cartPoleData();
        nan.put("gamma", Double.NaN);
        Path nanFile = cartPoleAgent("nan-gamma", nan, cartPoleParameters());
        refused(MalformedFileException.class, "ppo2", nanFile, "CartPole-v1", nanFile + ": hyperparameter gamma is NaN");

        Map<String, Object> negative = cartPoleData();
        negative.put("n_steps", -5);
        Path negativeFile = cartPoleAgent("negative", negative, cartPoleParameters());
        refused(MalformedFileException.class, "ppo2", negativeFile, "CartPole-v1",
                negativeFile + ": its hyperparameters do not make a PPO2 model (PPO2 needs n_steps");
    }

    /**
     * 40 levels of {@code x = [x, x]} are 2^40 leaves to {@code toString} but a few hundred bytes of pickle,
     * and a list holding a list holding it never ends: both are described boundedly, in an error or a note.
     */
    @Test
    void selfReferencingAndExponentiallySharedValuesAreDescribedBoundedly() throws IOException {
        List<Object> bomb = new ArrayList<>(List.of("lol"));
        for (int i = 0; i < 40; i++) {
            bomb = new ArrayList<>(List.of(bomb, bomb));
        }
        Map<String, Object> data = cartPoleData();
        data.put("policy_kwargs", bomb);
        MalformedFileException e = refused(MalformedFileException.class, "ppo2", cartPoleAgent("bomb", data, cartPoleParameters()),
                "CartPole-v1", "policy_kwargs is ArrayList [[[[");
        assertTrue(e.getMessage().length() < 400, e.getMessage());

        List<Object> outer = new ArrayList<>();
        outer.add(new ArrayList<>(List.of(outer)));
        Map<String, Object> cyclic = cartPoleData();
        cyclic.put("extra", outer);
        Sb2Models.Imported imported = Sb2Models.load("ppo2", cartPoleAgent("cycle", cyclic, cartPoleParameters()),
                Sb2Zoo.env("CartPole-v1"));
        assertTrue(imported.notes().contains("extra was saved as ArrayList [[[...]]]; not kept"), imported.notes().toString());
    }

    @Test
    void aTextFileNamedPklIsNotAStableBaselines2Model() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.pkl"), "hello world\n");
        refused(MalformedFileException.class, "ppo2", text, "CartPole-v1",
                text + " is not a Stable Baselines 2 model: its pickle cannot be read");
    }

    @Test
    void contentDecidesWhetherAFileIsStableBaselines2NotItsName() throws IOException {
        Path ours = Sb2Models.load("ppo2", Sb2Zoo.file("ppo2/CartPole-v1.pkl"), Sb2Zoo.env("CartPole-v1")).model()
                .save(dir.resolve("ours.pkl"));
        assertFalse(Sb2File.isSb2(ours), "a model of ours saved under a .pkl name");
        assertTrue(Sb2File.isSb2(Sb2Zoo.file("acktr/Pendulum-v0.zip")));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Sb2File.isSb2(dir));
        assertEquals(dir + " is a directory, not a model file", e.getMessage());
    }

    /** A copy of ppo2/CartPole-v1 with statistics beside it (mean 0, var 1) and {@code config} as its config.yml, or none. */
    private Path normalizedCartPole(String name, String config) throws IOException {
        Path model = cartPoleAgent(name, cartPoleData(), cartPoleParameters());
        Path folder = Files.createDirectories(model.resolveSibling("CartPole-v1"));
        Files.write(folder.resolve("obs_rms.pkl"), Sb2Pickles.pickle(runningMeanStd(4)));
        if (config != null) {
            Files.writeString(folder.resolve("config.yml"), config);
        }
        return model;
    }

    private static Sb2Pickles.Obj runningMeanStd(int size) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("mean", NdArray.ofDoubles(new double[size], size));
        double[] ones = new double[size];
        java.util.Arrays.fill(ones, 1.0);
        state.put("var", NdArray.ofDoubles(ones, size));
        state.put("count", 1000.0);
        return new Sb2Pickles.Obj(new Sb2Pickles.Global("stable_baselines.common.running_mean_std", "RunningMeanStd"), state);
    }

    @Test
    void theConfigsNormalizeMustBeTrueFalseOrVecNormalizeKwargs() throws IOException {
        refused(MalformedFileException.class, "ppo2", normalizedCartPole("banana", "normalize: banana\n"), "CartPole-v1",
                "config.yml: normalize is 'banana', not true, false or a dict of VecNormalize kwargs");
        refused(MalformedFileException.class, "ppo2", normalizedCartPole("typo", "normalize: \"{'norm_obs': Flase}\"\n"), "CartPole-v1",
                "config.yml: normalize entry ''norm_obs': Flase' is not a VecNormalize keyword argument");
        refused(MalformedFileException.class, "ppo2", normalizedCartPole("clip", "normalize: \"{'clip_obs': -5.0}\"\n"), "CartPole-v1",
                "config.yml: observation normalization needs clip_obs > 0");
        Sb2Models.Imported rewardsOnly = Sb2Models.load("ppo2", normalizedCartPole("rewards", "normalize: \"{'norm_obs': False}\"\n"),
                Sb2Zoo.env("CartPole-v1"));
        assertNull(rewardsOnly.model().getVecNormalizeEnv(), "norm_obs False: observations reach the policy as they are");
        Sb2Models.Imported kwargs = Sb2Models.load("ppo2",
                normalizedCartPole("kwargs", "normalize: \"{'norm_obs': True, 'norm_reward': False, 'clip_obs': 5.0}\"\n"),
                Sb2Zoo.env("CartPole-v1"));
        assertEquals(5.0, kwargs.model().getVecNormalizeEnv().clipObs());
    }

    @Test
    void anOversizedConfigIsRefusedBeforeItIsRead() throws IOException {
        Path model = normalizedCartPole("big", null);
        try (RandomAccessFile config = new RandomAccessFile(model.resolveSibling("CartPole-v1").resolve("config.yml").toFile(), "rw")) {
            config.setLength((1L << 20) + 1); // sparse: no disk used
        }
        refused(MalformedFileException.class, "ppo2", model, "CartPole-v1", "config.yml is larger than the limit of 1048576 bytes");
    }

    @Test
    void aVecNormalizeThatDidNotNormalizeObservationsIsNotApplied() throws IOException {
        Path model = cartPoleAgent("vecnormalize", cartPoleData(), cartPoleParameters());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("obs_rms", runningMeanStd(4));
        state.put("ret_rms", null);
        state.put("norm_obs", false);
        state.put("norm_reward", true);
        state.put("clip_obs", 10.0);
        state.put("epsilon", 1e-8);
        Path folder = Files.createDirectories(model.resolveSibling("CartPole-v1"));
        Files.write(folder.resolve("vecnormalize.pkl"), Sb2Pickles.pickle(new Sb2Pickles.Obj(VEC_NORMALIZE, state)));
        assertNull(Sb2Models.load("ppo2", model, Sb2Zoo.env("CartPole-v1")).model().getVecNormalizeEnv());

        state.put("norm_obs", true);
        state.put("clip_obs", -1.0);
        Files.write(folder.resolve("vecnormalize.pkl"), Sb2Pickles.pickle(new Sb2Pickles.Obj(VEC_NORMALIZE, state)));
        refused(MalformedFileException.class, "ppo2", model, "CartPole-v1",
                "vecnormalize.pkl: observation normalization needs clip_obs > 0 and a finite epsilon > 0; got clip_obs=-1.0");
    }

    @Test
    void anEnvAlreadyNormalizedReceivesTheStatisticsInsteadOfASecondVecNormalize() throws IOException {
        VecNormalize own = new VecNormalize(Sb2Zoo.env("MountainCarContinuous-v0"));
        Sb2Models.Imported imported = Sb2Models.load("a2c", Sb2Zoo.file("a2c/MountainCarContinuous-v0.pkl"), own);
        VecEnv env = imported.model().getEnv();
        assertSame(own, env, "the env given, not a wrapper around it");
        assertFalse(((VecEnvWrapper) env).inner() instanceof VecNormalize, "one VecNormalize");
        assertArrayEquals(new double[] {-0.5196857738456061, 0.009993984815427636}, own.obsRms().mean(), 0.0);
        assertTrue(imported.notes().stream().anyMatch(n -> n.endsWith("copied into the env's own VecNormalize")),
                imported.notes().toString());
    }

    @Test
    void savedSpacesAreReadFromBothFormats() throws IOException {
        Sb2File pkl = Sb2File.read(Sb2Zoo.file("ppo2/CartPole-v1.pkl"), Sb2Models.LIMITS);
        assertEquals("Box(4,)", String.valueOf(Sb2Spaces.read(pkl.get("observation_space"))));
        assertEquals("Discrete(2)", String.valueOf(Sb2Spaces.read(pkl.get("action_space"))));
        Sb2File zip = Sb2File.read(Sb2Zoo.file("acktr/Pendulum-v0.zip"), Sb2Models.LIMITS);
        assertEquals("Box(3,)", String.valueOf(Sb2Spaces.read(zip.get("observation_space"))));
        assertEquals("Box(1,)", String.valueOf(Sb2Spaces.read(zip.get("action_space"))));
        assertNull(Sb2Spaces.read("not a space"));
    }
}
