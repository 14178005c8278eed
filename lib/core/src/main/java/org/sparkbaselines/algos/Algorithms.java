package org.sparkbaselines.algos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sparkbaselines.algos.a2c.A2C;
import org.sparkbaselines.algos.ddpg.DDPG;
import org.sparkbaselines.algos.dqn.DQN;
import org.sparkbaselines.algos.gail.GAIL;
import org.sparkbaselines.algos.ppo1.PPO1;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.algos.sac.SAC;
import org.sparkbaselines.algos.td3.TD3;
import org.sparkbaselines.algos.trpo.TRPO;
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

        /** Whether the algorithm is off-policy: it learns from actors ({@link org.sparkbaselines.rollout.ActorSource}), not rollout workers. */
        default boolean learnsFromActors() {
            return false;
        }
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    /** How one algorithm is built from a policy name, an env, its hyperparameters (options taken out) and the options. */
    @FunctionalInterface
    private interface Constructor {
        BaseAlgorithm<?> create(String policy, Object env, Map<String, ?> hyperparameters, AlgorithmOptions options);
    }

    /** How one algorithm loads a model file. */
    @FunctionalInterface
    private interface Loader {
        BaseAlgorithm<?> load(Path path, Object env, Map<String, ?> overrides) throws IOException;
    }

    /** An entry that separates the constructor-tail options from the hyperparameters, as the reference's keyword arguments. */
    private static Entry entry(Constructor constructor, Loader loader) {
        return entry(constructor, loader, false);
    }

    /** An off-policy algorithm's entry. */
    private static Entry offPolicyEntry(Constructor constructor, Loader loader) {
        return entry(constructor, loader, true);
    }

    private static Entry entry(Constructor constructor, Loader loader, boolean offPolicy) {
        return new Entry() {
            @Override
            public BaseAlgorithm<?> create(String policy, Object env, Map<String, ?> hyper, AlgorithmOptions options) {
                return constructor.create(policy, env, AlgorithmOptions.withoutOptions(hyper), options.withOptionsFrom(hyper));
            }

            @Override
            public BaseAlgorithm<?> load(Path path, Object env, Map<String, ?> overrides) throws IOException {
                return loader.load(path, env, overrides);
            }

            @Override
            public boolean learnsFromActors() {
                return offPolicy;
            }
        };
    }

    static {
        register("ppo2", entry((policy, env, hyper, options) -> new PPO2(policy, env, PPO2.Config.DEFAULT.with(hyper), options), PPO2::load));
        register("a2c", entry((policy, env, hyper, options) -> new A2C(policy, env, A2C.Config.DEFAULT.with(hyper), options), A2C::load));
        register("dqn", offPolicyEntry((policy, env, hyper, options) -> new DQN(policy, env, DQN.Config.DEFAULT.with(hyper), options), DQN::load));
        register("td3", offPolicyEntry((policy, env, hyper, options) -> new TD3(policy, env, TD3.Config.DEFAULT.with(hyper), options), TD3::load));
        register("ddpg", offPolicyEntry((policy, env, hyper, options) -> new DDPG(policy, env, DDPG.Config.DEFAULT.with(hyper), options), DDPG::load));
        register("sac", offPolicyEntry((policy, env, hyper, options) -> new SAC(policy, env, SAC.Config.DEFAULT.with(hyper), options), SAC::load));
        register("ppo1", entry((policy, env, hyper, options) -> new PPO1(policy, env, PPO1.Config.DEFAULT.with(hyper), options), PPO1::load));
        register("trpo", entry((policy, env, hyper, options) -> new TRPO(policy, env, TRPO.Config.DEFAULT.with(hyper), options), TRPO::load));
        register("gail", entry((policy, env, hyper, options) -> new GAIL(policy, env, null, hyper, options), GAIL::load));
        for (String name : List.of("acer", "acktr")) {
            register(name, entry((policy, env, hyper, options) -> {
                throw new UnsupportedOperationException(name + " is not ported yet; its Stable Baselines 2 agents import for"
                        + " prediction (sb import-sb2, Sb2Models.load)");
            }, (path, env, overrides) -> PredictionOnlyModel.load(name.toUpperCase(Locale.ROOT), path, env, overrides)));
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
