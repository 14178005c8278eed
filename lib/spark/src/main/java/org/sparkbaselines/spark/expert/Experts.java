package org.sparkbaselines.spark.expert;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.sparkbaselines.common.Predictor;

/**
 * Named experts for {@code sb generate-expert --expert NAME}: each name maps an env id to a
 * {@link Predictor} for that env. Built in: {@value #CARTPOLE_BALANCE} (CartPole-v0/v1) and
 * {@value #MOUNTAINCAR_ENERGY} (MountainCar-v0, MountainCarContinuous-v0), see {@link ClassicControllers}.
 *
 * <p>Expert generation builds the predictor inside each Spark task, so a name must be registered in
 * the executors' JVMs too: in local mode (one JVM) registering on the driver is enough; on a cluster,
 * register from a static initializer of a class the executors load, or use a saved model instead.
 */
public final class Experts {
    /** The CartPole balancing controller. */
    public static final String CARTPOLE_BALANCE = "cartpole-balance";
    /** The MountainCar energy-pumping controller. */
    public static final String MOUNTAINCAR_ENERGY = "mountaincar-energy";

    private static final Map<String, Function<String, Predictor>> REGISTRY = new ConcurrentHashMap<>();

    static {
        register(CARTPOLE_BALANCE, envId -> {
            requireEnv(CARTPOLE_BALANCE, envId, Set.of("CartPole-v0", "CartPole-v1"));
            return ClassicControllers.cartPoleBalance();
        });
        register(MOUNTAINCAR_ENERGY, envId -> {
            requireEnv(MOUNTAINCAR_ENERGY, envId, Set.of("MountainCar-v0", "MountainCarContinuous-v0"));
            return ClassicControllers.mountainCarEnergyPumping(envId.equals("MountainCarContinuous-v0"));
        });
    }

    private Experts() {
    }

    /**
     * Registers (or replaces) an expert. {@code factory} gets the env id and returns the predictor,
     * or throws {@link IllegalArgumentException} for envs it cannot act in.
     */
    public static void register(String name, Function<String, Predictor> factory) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an expert name must not be blank");
        }
        REGISTRY.put(name, Objects.requireNonNull(factory, "factory"));
    }

    /** The predictor of expert {@code name} for {@code envId}; an unknown name is an error listing the known ones. */
    public static Predictor create(String name, String envId) {
        Function<String, Predictor> factory = REGISTRY.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown expert '" + name + "'; registered: " + String.join(", ", names()));
        }
        return factory.apply(envId);
    }

    /** The registered names, sorted. */
    public static SortedSet<String> names() {
        return new TreeSet<>(REGISTRY.keySet());
    }

    private static void requireEnv(String expert, String envId, Set<String> supported) {
        if (!supported.contains(envId)) {
            throw new IllegalArgumentException("expert '" + expert + "' controls " + new TreeSet<>(supported) + ", not " + envId);
        }
    }
}
