package org.sparkbaselines.algos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sparkbaselines.algos.a2c.A2C;
import org.sparkbaselines.algos.dqn.DQN;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.algos.sac.SAC;
import org.sparkbaselines.algos.td3.TD3;
import org.sparkbaselines.io.ModelArchive;
import org.sparkbaselines.sb2.PredictionOnlyModel;

/**
 * The algorithms by name, for the command line and configs: build one from hyperparameters given as
 * snake_case keys, or load a model file of any registered algorithm. As the reference's keyword
 * arguments, the keys may also name constructor-tail options ({@code full_tensorboard_log},
 * {@code n_cpu_tf_sess}, ...: see {@link AlgorithmOptions#with(Map)}), which override {@code options}.
 */
public final class Algorithms {

    /** How to build and load one algorithm. */
    public interface Entry {
        BaseAlgorithm<?> create(String policy, Object env, Map<String, ?> hyperparameters, AlgorithmOptions options);

        BaseAlgorithm<?> load(Path path, Object env, Map<String, ?> overrides) throws IOException;
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        register("ppo2", new Entry() {
            @Override
            public BaseAlgorithm<?> create(String policy, Object env, Map<String, ?> hyper, AlgorithmOptions options) {
                return new PPO2(policy, env, PPO2.Config.DEFAULT.with(AlgorithmOptions.withoutOptions(hyper)), options.withOptionsFrom(hyper));
            }

            @Override
            public BaseAlgorithm<?> load(Path path, Object env, Map<String, ?> overrides) throws IOException {
                return PPO2.load(path, env, overrides);
            }
        });
        register("a2c", new Entry() {
            @Override
            public BaseAlgorithm<?> create(String policy, Object env, Map<String, ?> hyper, AlgorithmOptions options) {
                return new A2C(policy, env, A2C.Config.DEFAULT.with(AlgorithmOptions.withoutOptions(hyper)), options.withOptionsFrom(hyper));
            }

            @Override
            public BaseAlgorithm<?> load(Path path, Object env, Map<String, ?> overrides) throws IOException {
                return A2C.load(path, env, overrides);
            }
        });
        register("dqn", new Entry() {
            @Override
            public BaseAlgorithm<?> create(String policy, Object env, Map<String, ?> hyper, AlgorithmOptions options) {
                return new DQN(policy, env, DQN.Config.DEFAULT.with(AlgorithmOptions.withoutOptions(hyper)), options.withOptionsFrom(hyper));
            }

            @Override
            public BaseAlgorithm<?> load(Path path, Object env, Map<String, ?> overrides) throws IOException {
                return DQN.load(path, env, overrides);
            }
        });
        register("td3", new Entry() {
            @Override
            public BaseAlgorithm<?> create(String policy, Object env, Map<String, ?> hyper, AlgorithmOptions options) {
                return new TD3(policy, env, TD3.Config.DEFAULT.with(AlgorithmOptions.withoutOptions(hyper)), options.withOptionsFrom(hyper));
            }

            @Override
            public BaseAlgorithm<?> load(Path path, Object env, Map<String, ?> overrides) throws IOException {
                return TD3.load(path, env, overrides);
            }
        });
        register("sac", new Entry() {
            @Override
            public BaseAlgorithm<?> create(String policy, Object env, Map<String, ?> hyper, AlgorithmOptions options) {
                return new SAC(policy, env, SAC.Config.DEFAULT.with(AlgorithmOptions.withoutOptions(hyper)), options.withOptionsFrom(hyper));
            }

            @Override
            public BaseAlgorithm<?> load(Path path, Object env, Map<String, ?> overrides) throws IOException {
                return SAC.load(path, env, overrides);
            }
        });
        for (String name : List.of("acer", "acktr", "trpo")) {
            register(name, new Entry() {
                @Override
                public BaseAlgorithm<?> create(String policy, Object env, Map<String, ?> hyper, AlgorithmOptions options) {
                    throw new UnsupportedOperationException(name + " is not ported yet; its Stable Baselines 2 agents import for"
                            + " prediction (sb import-sb2, Sb2Models.load)");
                }

                @Override
                public BaseAlgorithm<?> load(Path path, Object env, Map<String, ?> overrides) throws IOException {
                    return PredictionOnlyModel.load(name.toUpperCase(Locale.ROOT), path, env, overrides);
                }
            });
        }
    }

    private Algorithms() {
    }

    /** Registers an algorithm under a lower-case name (e.g. {@code "ppo2"}). */
    public static synchronized void register(String name, Entry entry) {
        REGISTRY.put(name.toLowerCase(Locale.ROOT), entry);
    }

    /** The entry for {@code name} (case-insensitive); an unknown name is an error listing the known ones. */
    public static synchronized Entry get(String name) {
        Entry e = REGISTRY.get(name.toLowerCase(Locale.ROOT));
        if (e == null) {
            throw new IllegalArgumentException("unknown algorithm '" + name + "'; known: " + String.join(", ", REGISTRY.keySet()));
        }
        return e;
    }

    /** Loads a model file of any registered algorithm (read from its {@code data.json}). */
    public static BaseAlgorithm<?> loadAny(Path path, Object env) throws IOException {
        String algorithm;
        try (ModelArchive.Reader file = ModelArchive.open(path)) {
            algorithm = file.data().path("algorithm").asText();
        }
        if (algorithm.isEmpty()) {
            throw new IllegalArgumentException(path + ": data.json names no algorithm");
        }
        return get(algorithm).load(path, env, Map.of());
    }

    public static synchronized Set<String> names() {
        return Set.copyOf(REGISTRY.keySet());
    }
}
