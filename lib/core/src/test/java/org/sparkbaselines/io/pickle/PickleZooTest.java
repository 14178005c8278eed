package org.sparkbaselines.io.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkbaselines.io.DType;
import org.sparkbaselines.io.NdArray;

/**
 * The Stable Baselines 2 zoo agents in {@code shared/reference/sb2-zoo}: every pickle loads, and the
 * values match what numpy reads from them (expected numbers taken with numpy, embedded here).
 */
class PickleZooTest {
    static Stream<Path> zooPickles() throws IOException {
        try (Stream<Path> files = Files.walk(PickleBytes.zoo())) {
            List<Path> pickles = files.filter(f -> f.toString().endsWith(".pkl")).sorted().toList();
            assertEquals(17, pickles.size(), "pickles in the zoo");
            return pickles.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("zooPickles")
    void everyZooPickleLoads(Path file) throws IOException {
        Object loaded = Pickle.load(file);
        String name = file.getFileName().toString();
        if (name.equals("obs_rms.pkl") || name.equals("ret_rms.pkl")) {
            PyObject stats = assertInstanceOf(PyObject.class, loaded);
            assertEquals(new PyGlobal("stable_baselines.common.running_mean_std", "RunningMeanStd"), stats.type());
            assertInstanceOf(Double.class, stats.attribute("count"));
            return;
        }
        PyTuple model = assertInstanceOf(PyTuple.class, loaded);
        assertEquals(2, model.size());
        Map<?, ?> data = assertInstanceOf(Map.class, model.get(0));
        assertInstanceOf(PyGlobal.class, data.get("policy"));
        assertInstanceOf(PyObject.class, data.get("observation_space"));
        Iterable<?> params = model.get(1) instanceof Map<?, ?> named ? named.values() : assertInstanceOf(List.class, model.get(1));
        Iterator<?> it = params.iterator();
        assertTrue(it.hasNext(), "parameters");
        // DQN's first parameter, the exploration epsilon, is a numpy float32 scalar rather than an array.
        it.forEachRemaining(p -> assertTrue(p instanceof Double || ((NdArray) p).dtype() == DType.FLOAT32, Pickle.repr(p)));
        assertTrue(Pickle.repr(loaded).length() <= 2_003);
    }

    @Test
    void ppo2CartPoleDataAndParameters() throws IOException {
        PyTuple model = (PyTuple) Pickle.load(PickleBytes.zoo().resolve("ppo2/CartPole-v1.pkl"));
        Map<?, ?> data = (Map<?, ?>) model.get(0);
        assertEquals(List.of("gamma", "n_steps", "vf_coef", "ent_coef", "max_grad_norm", "learning_rate", "lam", "nminibatches", "noptepochs",
                "cliprange", "verbose", "policy", "observation_space", "action_space", "n_envs", "_vectorize_action"), List.copyOf(data.keySet()));
        assertEquals(0.99, data.get("gamma"));
        assertEquals(2048L, data.get("n_steps"));
        assertEquals(0.0, data.get("ent_coef"));
        assertEquals(8L, data.get("n_envs"));
        assertEquals(false, data.get("_vectorize_action"));
        assertEquals(new PyGlobal("stable_baselines.common.policies", "MlpPolicy"), data.get("policy"));

        PyObject box = (PyObject) data.get("observation_space");
        assertEquals(new PyGlobal("gym.spaces.box", "Box"), box.type());
        assertEquals(List.of(), box.args());
        NdArray low = (NdArray) box.attribute("low");
        assertEquals(DType.FLOAT32, low.dtype());
        assertArrayEquals(new int[] {4}, low.shape());
        assertArrayEquals(new float[] {-4.8f, -Float.MAX_VALUE, -0.41887903f, -Float.MAX_VALUE}, low.toFloatArray());
        assertArrayEquals(new float[] {4.8f, Float.MAX_VALUE, 0.41887903f, Float.MAX_VALUE}, ((NdArray) box.attribute("high")).toFloatArray());
        assertEquals(PyTuple.of(4L), box.attribute("shape"));
        PyObject dtype = (PyObject) box.attribute("dtype");
        assertEquals(new PyGlobal("numpy", "dtype"), dtype.type());
        assertEquals(List.of("f4", 0L, 1L), dtype.args()); // numpy.dtype('f4', 0, 1), as numpy of 2019 wrote it
        assertEquals(PyTuple.of(3L, "<", null, null, null, -1L, -1L, 0L), dtype.state());

        PyObject discrete = (PyObject) data.get("action_space");
        assertEquals(new PyGlobal("gym.spaces.discrete", "Discrete"), discrete.type());
        assertEquals(2L, discrete.attribute("n"));
        assertEquals(PyTuple.of(), discrete.attribute("shape"));
        assertEquals(List.of("i8", 0L, 1L), ((PyObject) discrete.attribute("dtype")).args());

        List<?> params = (List<?>) model.get(1);
        int[][] shapes = {{4, 64}, {64}, {4, 64}, {64}, {64, 64}, {64}, {64, 64}, {64}, {64, 1}, {1}, {64, 2}, {2}, {64, 2}, {2}};
        assertEquals(shapes.length, params.size());
        for (int i = 0; i < shapes.length; i++) {
            assertArrayEquals(shapes[i], ((NdArray) params.get(i)).shape(), "parameter " + i);
        }
        float[] piFc0 = ((NdArray) params.get(0)).toFloatArray();
        assertEquals(-0.19770966f, piFc0[0]);
        assertEquals(-0.15496047f, piFc0[1]);
        assertEquals(-0.23329532f, piFc0[2]);
        assertEquals(-0.34798375f, piFc0[3 * 64 + 63]);
        assertArrayEquals(new float[] {0.17204943f}, ((NdArray) params.get(9)).toFloatArray());
        assertArrayEquals(new float[] {-0.005615205f, 0.005615194f}, ((NdArray) params.get(11)).toFloatArray());
    }

    /** cloudpickle's functions are inert placeholders whose data (here the constant of constfn(3e-4)) can still be read. */
    @Test
    void cloudpickledScheduleIsAnInertPlaceholder() throws IOException {
        Map<?, ?> data = (Map<?, ?>) ((PyTuple) Pickle.load(PickleBytes.zoo().resolve("ppo2/CartPole-v1.pkl"))).get(0);
        PyObject learningRate = (PyObject) data.get("learning_rate");
        assertEquals(new PyGlobal("cloudpickle.cloudpickle", "_fill_function"), learningRate.type());
        Map<?, ?> functionState = (Map<?, ?>) learningRate.args().get(1);
        assertEquals(List.of(0.0003), functionState.get("closure_values"));
        assertEquals("constfn.<locals>.func", functionState.get("qualname"));

        PyObject skeleton = (PyObject) learningRate.args().get(0);
        assertEquals(new PyGlobal("cloudpickle.cloudpickle", "_make_skel_func"), skeleton.type());
        // The code object: _builtin_type('CodeType') called with the code's fields.
        PyObject code = (PyObject) skeleton.args().get(0);
        PyObject codeType = (PyObject) code.callee();
        assertEquals(new PyGlobal("cloudpickle.cloudpickle", "_builtin_type"), codeType.type());
        assertEquals(List.of("CodeType"), codeType.args());
        assertArrayEquals(new byte[] {(byte) 0x88, 0, 'S', 0}, (byte[]) code.args().get(5));
        assertTrue(learningRate.toString().startsWith("<cloudpickle.cloudpickle._fill_function(<cloudpickle.cloudpickle._make_skel_func("),
                learningRate.toString());
    }

    @Test
    void td3ParametersAreAnOrderedDictOfArrays() throws IOException {
        PyTuple model = (PyTuple) Pickle.load(PickleBytes.zoo().resolve("td3/Pendulum-v0.pkl"));
        LinkedHashMap<?, ?> params = assertInstanceOf(LinkedHashMap.class, model.get(1));
        assertEquals(36, params.size());
        assertEquals(List.of("model/pi/fc0/kernel:0", "model/pi/fc0/bias:0", "model/pi/fc1/kernel:0", "model/pi/fc1/bias:0",
                "model/pi/dense/kernel:0", "model/pi/dense/bias:0"), params.keySet().stream().limit(6).toList());
        assertEquals("target/values_fn/qf2/qf2/bias:0", List.copyOf(params.keySet()).get(35));
        NdArray kernel = (NdArray) params.get("model/pi/fc0/kernel:0");
        assertArrayEquals(new int[] {3, 64}, kernel.shape());
        float[] values = kernel.toFloatArray();
        assertArrayEquals(new float[] {0.28176302f, -0.14730172f, -0.4935042f}, new float[] {values[0], values[1], values[2]});
        assertEquals(NdArray.ofFloats(new float[] {-0.012246247f}, 1), params.get("model/pi/dense/bias:0"));

        Map<?, ?> data = (Map<?, ?>) model.get(0);
        assertEquals(0.005, data.get("tau"));
        assertEquals(new PyGlobal("stable_baselines.td3.policies", "MlpPolicy"), data.get("policy"));
        PyObject noise = (PyObject) data.get("action_noise");
        assertEquals(new PyGlobal("stable_baselines.ddpg.noise", "NormalActionNoise"), noise.type());
        assertEquals(NdArray.ofDoubles(new double[] {0.1}, 1), noise.attribute("_sigma"));

        // A gym space's RandomState: its uint32 key comes back widened to int64.
        PyObject random = (PyObject) ((PyObject) data.get("observation_space")).attribute("np_random");
        assertEquals(new PyGlobal("numpy.random", "__RandomState_ctor"), random.type());
        PyTuple state = (PyTuple) random.state();
        assertEquals("MT19937", state.get(0));
        NdArray key = (NdArray) state.get(1);
        assertEquals(DType.INT64, key.dtype());
        assertArrayEquals(new int[] {624}, key.shape());
        long[] words = key.toLongArray();
        assertArrayEquals(new long[] {3426933086L, 36336991L, 3749241185L}, new long[] {words[0], words[1], words[2]});
        assertEquals(List.of(624L, 0L, 0.0), state.items().subList(2, 5));
    }

    @Test
    void runningMeanStdOfMountainCar() throws IOException {
        PyObject stats = (PyObject) Pickle.load(PickleBytes.zoo().resolve("a2c/MountainCarContinuous-v0/obs_rms.pkl"));
        assertEquals(new PyGlobal("stable_baselines.common.running_mean_std", "RunningMeanStd"), stats.type());
        assertEquals(NdArray.ofDoubles(new double[] {-0.5196857738456061, 0.009993984815427636}, 2), stats.attribute("mean"));
        assertEquals(NdArray.ofDoubles(new double[] {0.13968199242085783, 0.0007934905124721324}, 2), stats.attribute("var"));
        assertEquals(1000016.0001000001, stats.attribute("count"));

        PyObject pendulum = (PyObject) Pickle.load(PickleBytes.zoo().resolve("trpo/Pendulum-v0/obs_rms.pkl"));
        assertEquals(1000449.0001000001, pendulum.attribute("count"));
        assertArrayEquals(new int[] {3}, ((NdArray) pendulum.attribute("var")).shape());
    }

    @Test
    void returnStatisticsHoldNumpyScalars() throws IOException {
        PyObject stats = (PyObject) Pickle.load(PickleBytes.zoo().resolve("a2c/MountainCarContinuous-v0/ret_rms.pkl"));
        assertEquals(-1.6997524246690456, stats.attribute("mean"));
        assertEquals(104.00702710534047, stats.attribute("var"));
        assertEquals(1000000.0001000001, stats.attribute("count"));
        assertNull(stats.attribute("missing"));
        assertTrue(stats.kwargs().isEmpty());
    }

    @Test
    void dqnEpsilonIsANumpyScalar() throws IOException {
        PyTuple model = (PyTuple) Pickle.load(PickleBytes.zoo().resolve("dqn/CartPole-v1.pkl"));
        List<?> params = (List<?>) model.get(1);
        assertEquals(25, params.size());
        assertEquals((double) 0.02f, params.get(0));
        assertEquals(NdArray.ofFloats(new float[] {0.99086320f}, 1), params.get(24));
        Map<?, ?> data = (Map<?, ?>) model.get(0);
        assertEquals(new PyGlobal("utils", "CustomDQNPolicy"), data.get("policy"));
        assertNull(data.get("checkpoint_path"));
        assertEquals(true, data.get("prioritized_replay"));
        assertEquals(1e-06, data.get("prioritized_replay_eps"));
    }
}
